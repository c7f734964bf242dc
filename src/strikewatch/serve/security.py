"""Headers every response carries, CSRF tokens, and login rate limiting."""
from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections import deque
from threading import Lock

from strikewatch.store.accounts import normalise_name

log = logging.getLogger("strikewatch.serve")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # never tell other sites which report a reader came from
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}
SESSION_COOKIE = "sw_session"
ANON_CSRF_COOKIE = "sw_csrf"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a, b)


class LoginLimiter:
    """At most `attempts` failed logins per client address and per user name in `window`
    seconds; a success clears the name's count. Keys are "ip:ADDRESS" and "user:NAME"; the
    limiter normalises NAME as accounts do, so "ada " and "ADA" count against "ada". Each
    failed login is logged at WARNING with its address and normalised name (escaped)."""

    def __init__(self, attempts: int = 5, window: float = 900.0) -> None:
        self.attempts, self.window = attempts, window
        self._fails: dict[str, deque[float]] = {}
        self._lock = Lock()

    @staticmethod
    def _key(key: str) -> str:
        kind, sep, value = key.partition(":")
        return f"user:{normalise_name(value)}" if sep and kind == "user" else key

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails.get(key, deque())
        while q and q[0] < now - self.window:
            q.popleft()
        return q

    def retry_after(self, *keys: str) -> int:
        """Seconds to wait before another try, 0 when allowed."""
        now = time.monotonic()
        with self._lock:
            waits = [int(q[0] + self.window - now) + 1 for k in keys
                     if len(q := self._recent(self._key(k), now)) >= self.attempts]
        return max(waits, default=0)

    def failed(self, *keys: str) -> None:
        keys = tuple(self._key(k) for k in keys)
        # %r escapes control characters, line breaks and backslashes: one line per failure
        log.warning("failed login: %s", " ".join(
            f"{kind}={value[:100]!r}" for kind, _, value in (k.partition(":") for k in keys)))
        now = time.monotonic()
        with self._lock:
            if len(self._fails) > 10_000:  # forget keys whose failures are all out of date
                self._fails = {k: q for k, q in self._fails.items() if self._recent(k, now)}
            for k in keys:
                self._fails.setdefault(k, self._recent(k, now)).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._fails.pop(self._key(key), None)
