"""HTTP Basic and Digest login that, once challenged, sends its credentials up front.

``urllib``'s own handlers send every request without credentials first and repeat it after the
401. With a large upload the server may answer 401 and close the connection before it has read
the body, which the client sees as "connection reset". :class:`Login` remembers the last
challenge and signs each later request with it (Digest with an increasing nonce count, RFC 7616),
so a request is sent once when the server accepts the nonce, twice when it asks for a fresh one.

>>> login = Login("dba", "dba")
>>> login.header("PUT", "http://h/x?graph=g") is None           # no challenge seen yet
True
>>> login.learn(['Digest realm="r", nonce="n1", qop="auth", opaque="o"'])
True
>>> h = login.header("PUT", "http://h/x?graph=g", cnonce="c")
>>> h.startswith('Digest username="dba", realm="r", nonce="n1", uri="/x?graph=g", response="')
True
>>> login.learn(['Digest realm="r", nonce="n1", qop="auth"'])  # same nonce again: wrong password
False
>>> basic = Login("u", "p")
>>> basic.learn(['Basic realm="r"']), basic.header("GET", "http://h/")
(True, 'Basic dTpw')
"""

from __future__ import annotations

import base64
import hashlib
import os
import urllib.parse
import urllib.request
from collections.abc import Iterable

__all__ = ["Login"]

_HASHES = {"MD5": hashlib.md5, "MD5-SESS": hashlib.md5, "SHA-256": hashlib.sha256, "SHA-256-SESS": hashlib.sha256}


def _parse(challenge: str) -> tuple[str, dict[str, str]]:
    scheme, _, rest = challenge.strip().partition(" ")
    params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest)) if rest.strip() else {}
    return scheme.lower(), {k.lower(): v for k, v in params.items()}


class Login:
    """A user name and password, and the last challenge the server sent.

    :param user: login name.
    :param password: password.
    """

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.password = password
        self.scheme: str | None = None
        self.params: dict[str, str] = {}
        self.count = 0

    def learn(self, challenges: Iterable[str]) -> bool:
        """Take the ``WWW-Authenticate`` values of a 401 answer.

        :returns: whether a retry can succeed: a challenge this login can answer that is new
            (another scheme or nonce, or a nonce marked ``stale``). ``False`` means the
            credentials were refused.
        """
        offers = dict(_parse(c) for c in challenges if c and c.strip())
        if "digest" in offers and offers["digest"].get("algorithm", "MD5").upper() in _HASHES:
            params = offers["digest"]
            new = (self.scheme != "digest" or params.get("nonce") != self.params.get("nonce")
                   or params.get("stale", "").lower() == "true")
            self.scheme, self.params, self.count = "digest", params, 0
            return new
        if "basic" in offers:
            new = self.scheme != "basic"
            self.scheme, self.params = "basic", offers["basic"]
            return new
        return False

    @property
    def fresh(self) -> bool:
        """True if the last challenge has not been answered yet: a 401 to its answer means a wrong password."""
        return self.scheme == "basic" or (self.scheme == "digest" and self.count == 0)

    def header(self, method: str, url: str, *, cnonce: str | None = None) -> str | None:
        """The ``Authorization`` value for one request, or ``None`` before any challenge."""
        if self.scheme == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            return f"Basic {token}"
        if self.scheme != "digest":
            return None
        parts = urllib.parse.urlsplit(url)
        uri = parts.path or "/"
        if parts.query:
            uri += "?" + parts.query
        p = self.params
        algorithm = p.get("algorithm", "MD5")
        digest = _HASHES[algorithm.upper()]

        def h(text: str) -> str:
            return digest(text.encode("utf-8")).hexdigest()

        realm, nonce = p.get("realm", ""), p.get("nonce", "")
        cnonce = cnonce or os.urandom(8).hex()
        ha1 = h(f"{self.user}:{realm}:{self.password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qops = [q.strip() for q in p.get("qop", "").split(",") if q.strip()]
        fields = [f'username="{self.user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{uri}"']
        if "auth" in qops:
            self.count += 1
            nc = f"{self.count:08x}"
            fields.append(f'response="{h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")}"')
            fields += ["qop=auth", f"nc={nc}", f'cnonce="{cnonce}"']
        else:
            fields.append(f'response="{h(f"{ha1}:{nonce}:{ha2}")}"')
        fields.append(f"algorithm={algorithm}")
        if "opaque" in p:
            fields.append(f'opaque="{p["opaque"]}"')
        return "Digest " + ", ".join(fields)
