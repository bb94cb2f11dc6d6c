from __future__ import annotations

from nigraph.core.errors import InputError, NigraphError


def test_input_error_formats_position() -> None:
    assert str(InputError("data/a.ttl", 4, 27, "bad")) == "data/a.ttl:4:27: bad"
    assert str(InputError("data/a.ttl", 4, None, "bad")) == "data/a.ttl:4: bad"
    assert str(InputError("data/a.ttl", None, None, "bad")) == "data/a.ttl: bad"
    assert isinstance(InputError("x", None, None, "y"), NigraphError)
