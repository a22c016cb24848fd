"""The push-service fake refuses what a real one refuses: a token for another audience, an unsigned or forged token,
a missing TTL, and (beyond a real one) a body that does not decrypt with the browser's keys."""

from __future__ import annotations

import base64

import aiohttp
import http_ece
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from adapters.webpush import new_vapid_key
from fakes.webpush import BrowserKeys, WebPushFake, decrypt
from fakes.webpush.crypto import b64url


def _encrypt(keys: BrowserKeys, plain: bytes) -> bytes:
    return bytes(http_ece.encrypt(plain, private_key=ec.generate_private_key(ec.SECP256R1()), dh=_raw(keys.p256dh),
                                  auth_secret=keys.auth_secret, version="aes128gcm"))  # fmt: skip


def _raw(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_decrypt_reads_an_rfc8188_message_of_several_records() -> None:
    keys = BrowserKeys.generate()
    plain = b"x" * 300
    body = http_ece.encrypt(plain, private_key=ec.generate_private_key(ec.SECP256R1()), dh=_raw(keys.p256dh),
                            auth_secret=keys.auth_secret, version="aes128gcm", rs=100)  # fmt: skip
    assert decrypt(bytes(body), keys) == plain
    with pytest.raises(ValueError):
        decrypt(bytes(body), BrowserKeys.generate())


@pytest.mark.parametrize("case", ["other audience", "forged", "no ttl", "not for these keys", "ok"])
async def test_the_fake_checks_vapid_ttl_and_encryption(case: str) -> None:
    vapid, keys = new_vapid_key("mailto:ops@evetrader.test"), BrowserKeys.generate()
    async with WebPushFake() as fake, aiohttp.ClientSession() as http:
        endpoint = fake.subscribe(vapid.public_key, keys)["endpoint"]
        audience = "https://elsewhere.example" if case == "other audience" else fake.url
        auth = vapid.authorization(audience)
        if case == "forged":
            auth = new_vapid_key().authorization(fake.url).split(",")[0] + ",k=" + vapid.public_key
        body = _encrypt(BrowserKeys.generate() if case == "not for these keys" else keys, b'{"title": "hi"}')
        headers = {"Authorization": auth, "Content-Encoding": "aes128gcm"} | ({} if case == "no ttl" else {"TTL": "60"})
        async with http.post(endpoint, data=body, headers=headers) as resp:
            status = resp.status
    expected = {"other audience": 401, "forged": 401, "no ttl": 400, "not for these keys": 400, "ok": 201}
    assert status == expected[case]
    assert [m.json() for m in fake.messages] == ([{"title": "hi"}] if case == "ok" else [])
    assert b64url(keys.auth_secret) == keys.auth
