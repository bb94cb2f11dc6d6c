"""Log in to a triplestore with HTTP Basic or Digest, whichever it asks for, through httpx.

httpx implements both schemes (``httpx.BasicAuth``, ``httpx.DigestAuth``, RFC 7616); this module
only chooses between them on the first ``401`` and then keeps the choice. After that first
challenge every request is signed up front (``DigestAuth`` reuses the last challenge with an
increasing nonce count), which matters for large uploads: a store may answer 401 and close the
connection before it has read an unsigned body, which the client sees as "connection reset".
A 401 to a signed request is answered once more only if the server sent a new challenge (a new
nonce); then the login is refused.

>>> import httpx
>>> seen = []
>>> def store(request):
...     seen.append(request.headers.get("authorization", "").split(" ")[0])
...     if request.headers.get("authorization", "").startswith("Basic "):
...         return httpx.Response(200, text="ok")
...     return httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="r"'})
>>> client = httpx.Client(auth=StoreLogin("u", "p"), transport=httpx.MockTransport(store))
>>> [client.get("http://store/sparql").status_code for _ in range(2)], seen
([200, 200], ['', 'Basic', 'Basic'])
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

__all__ = ["StoreLogin"]


class StoreLogin(httpx.Auth):
    """A user name and password for a store that asks for Basic or Digest authentication.

    :param user: login name.
    :param password: password.
    """

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._chosen: httpx.Auth | None = None

    @property
    def scheme(self) -> str | None:
        """``"basic"`` or ``"digest"`` once the store has asked, else None."""
        return {id(self._basic): "basic", id(self._digest): "digest"}.get(id(self._chosen))

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is not None:  # challenged before: sign up front
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        offered = {value.strip().split(" ", 1)[0].lower() for value in response.headers.get_list("www-authenticate")}
        if "digest" in offered:
            self._chosen = self._digest
            flow = self._digest.auth_flow(request)
            next(flow)  # the unsigned request, which the store has just answered with this challenge
            try:
                signed = flow.send(response)
            except StopIteration:
                return
            yield signed
        elif "basic" in offered:
            self._chosen = self._basic
            yield next(self._basic.auth_flow(request))
