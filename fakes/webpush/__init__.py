"""A local web push service (RFC 8030) that checks VAPID (RFC 8292) and decrypts aes128gcm payloads (RFC 8291)."""

from fakes.webpush.crypto import BrowserKeys, decrypt
from fakes.webpush.server import PushMessage, WebPushFake

__all__ = ["BrowserKeys", "PushMessage", "WebPushFake", "decrypt"]
