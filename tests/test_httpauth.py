from __future__ import annotations

from nigraph.publish.httpauth import Login


def test_digest_answer_matches_rfc_2617_example() -> None:
    login = Login("Mufasa", "Circle Of Life")
    assert login.learn(['Digest realm="testrealm@host.com", qop="auth,auth-int", '
                        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"'])
    header = login.header("GET", "http://www.nowhere.org/dir/index.html", cnonce="0a4f113b")
    assert 'response="6629fae49393a05397450978507c4ef1"' in header
    assert "nc=00000001" in header and 'opaque="5ccc069c403ebaf9f0171e9517f40e41"' in header
    assert "nc=00000002" in login.header("GET", "http://www.nowhere.org/dir/index.html")


def test_new_nonce_or_stale_allows_a_retry_same_nonce_does_not() -> None:
    login = Login("u", "p")
    assert login.fresh is False
    assert login.learn(['Digest realm="r", nonce="a", qop="auth"']) and login.fresh
    login.header("POST", "http://h/x")
    assert not login.fresh
    assert not login.learn(['Digest realm="r", nonce="a", qop="auth"'])
    assert login.learn(['Digest realm="r", nonce="a", qop="auth", stale=true'])
    assert login.learn(['Digest realm="r", nonce="b", qop="auth"'])


def test_unknown_scheme_or_algorithm_is_not_answered() -> None:
    login = Login("u", "p")
    assert not login.learn(['Bearer realm="r"'])
    assert not login.learn(['Digest realm="r", nonce="a", algorithm=SHA-512-256'])
    assert login.header("GET", "http://h/") is None


def test_digest_without_qop_and_with_sha256() -> None:
    login = Login("u", "p")
    login.learn(['Digest realm="r", nonce="n", algorithm=SHA-256'])
    header = login.header("GET", "http://h/a?b=c")
    assert 'uri="/a?b=c"' in header and "algorithm=SHA-256" in header and "nc=" not in header
    assert len(header.split('response="')[1].split('"')[0]) == 64
