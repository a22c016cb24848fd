"""Web push delivery: VAPID keys (RFC 8292) and the AlertSender that posts RFC 8291 (aes128gcm) encrypted alerts."""

from adapters.webpush.sender import WebPushSender
from adapters.webpush.vapid import VapidError, VapidKey, new_vapid_key

__all__ = ["VapidError", "VapidKey", "WebPushSender", "new_vapid_key"]
