"""Serving TLS directly: TLS 1.3 is the minimum; HSTS is sent over TLS (self-signed cert made in the test)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import aiohttp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from adapters.redis.keys import RedisKeys
from evetrader.bootstrap.web import web_deps
from tests.web.helpers import web_config
from web.app import create_app, start


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


async def test_tls_13_is_served_and_older_versions_are_refused(tmp_path, redis_client, redis_prefix):
    cert, key = _self_signed(tmp_path)
    app = create_app(web_deps(None, redis_client, RedisKeys(redis_prefix), web_config()))
    runner, port = await start(app, "127.0.0.1", 0, tls_cert=cert, tls_key=key)
    try:
        trusting = ssl.create_default_context(cafile=str(cert))
        async with aiohttp.ClientSession() as session:
            response = await session.get(f"https://127.0.0.1:{port}/healthz", ssl=trusting)
            assert response.status == 200
            assert response.headers["Strict-Transport-Security"].startswith("max-age=")
            old = ssl.create_default_context(cafile=str(cert))
            old.maximum_version = ssl.TLSVersion.TLSv1_2
            with pytest.raises(aiohttp.ClientConnectionError):
                await session.get(f"https://127.0.0.1:{port}/healthz", ssl=old)
    finally:
        await runner.cleanup()


async def test_tls_needs_both_files(redis_client, redis_prefix, tmp_path):
    app = create_app(web_deps(None, redis_client, RedisKeys(redis_prefix), web_config()))
    with pytest.raises(ValueError, match="both"):
        await start(app, "127.0.0.1", 0, tls_cert=tmp_path / "cert.pem")
