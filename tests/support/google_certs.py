"""A stand-in for Google's certificate endpoint, and ID tokens signed by its test key.

The endpoint serves the same JSON as https://www.googleapis.com/oauth2/v1/certs
(`{"<kid>": "<PEM certificate>"}`), so google-auth verifies our tokens exactly as it verifies
Google's.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.support.http_server import LoopbackServer

GOOGLE_ISSUER = "https://accounts.google.com"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: bytes
    certificate_pem: str


def make_signing_key(kid: str) -> SigningKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-google-certs")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return SigningKey(
        kid=kid,
        private_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
    )


def google_id_token(key: SigningKey, **overrides: Any) -> str:
    """An ID token shaped like Google's; `overrides` change or (with None) drop claims."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": GOOGLE_ISSUER,
        "azp": "web-client",
        "aud": "set-me",
        "sub": "109876543210",
        "email": "marketer@example.com",
        "email_verified": True,
        "name": "Mara Keter",
        "picture": "https://example.com/mara.png",
        "iat": now,
        "exp": now + 3600,
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key.private_pem, algorithm="RS256", headers={"kid": key.kid})


@contextmanager
def certificate_endpoint(*keys: SigningKey, fetches: list[str] | None = None) -> Iterator[str]:
    """Serve the keys' certificates; yields the URL to set as GOOGLE_CERTS_URL. Each fetch is
    recorded in `fetches` when given."""
    payload = json.dumps({key.kid: key.certificate_pem for key in keys}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if fetches is not None:
                fetches.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Cache-Control", "public, max-age=19000")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = LoopbackServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/oauth2/v1/certs"
    finally:
        server.shutdown()
        server.server_close()
