"""Accounts of the web app and their sessions. Passwords are kept only as argon2 hashes; a
session cookie holds a random token and the store only its SHA-256, with the session's CSRF
token."""
from __future__ import annotations

import hashlib
import secrets
import unicodedata
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from strikewatch.errors import ConfigError
from strikewatch.store.models import SessionRow, UserRow
from strikewatch.store.repository import Store

ROLES = ("viewer", "reviewer", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}
MIN_PASSWORD = 10
SESSION_HOURS = 12
_hasher = PasswordHasher()
# verified against when the name is unknown, so a wrong name costs as long as a wrong password
_DUMMY = _hasher.hash(secrets.token_urlsafe(16))


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountError(ConfigError):
    """An account cannot be created as asked."""


def normalise_name(name: str | None) -> str:
    """The form a user name is stored, looked up and rate-limited under: NFKC (full-width
    letters and ligatures become their plain letters), case-folded (then NFKC again, as folding
    can undo it), and trimmed. So "Ada", "ada " and "ａｄａ" are one account and one
    login-limiter key, and no two accounts can differ only in such ways."""
    nfkc = unicodedata.normalize("NFKC", name or "")
    return unicodedata.normalize("NFKC", nfkc.casefold()).strip()


def _users_named(s, key: str) -> list[UserRow]:
    """The users whose name normalises to `key`: the one stored under it, else any stored
    before names were normalised (a small table, so scanning it is cheap)."""
    user = s.scalar(select(UserRow).where(UserRow.name == key))
    if user is not None:
        return [user]
    return [u for u in s.scalars(select(UserRow)) if normalise_name(u.name) == key]


def add_user(store: Store, name: str, role: str, password: str) -> None:
    name = normalise_name(name)
    if not name or len(name) > 100 or not name.isprintable() or " " in name:
        raise AccountError(f"bad user name {name!r}",
                           fix="a name of 1-100 characters, no spaces or control characters")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}", fix=f"use one of {', '.join(ROLES)}")
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters",
                           fix="choose a longer password")
    with store.session() as s, s.begin():
        if _users_named(s, name):
            raise AccountError(f"user {name!r} exists", fix="choose another name")
        s.add(UserRow(name=name, role=role, password_hash=_hasher.hash(password),
                      created_at=_now()))


def authenticate(store: Store, name: str, password: str) -> UserRow | None:
    """The user `name` (in any form that normalises alike) if `password` is theirs."""
    with store.session() as s:
        users = _users_named(s, normalise_name(name))
        user = users[0] if len(users) == 1 else None
        try:
            _hasher.verify(user.password_hash if user else _DUMMY, password or "")
        except (VerificationError, InvalidHashError):
            return None
        return user


def open_session(store: Store, user: UserRow) -> tuple[str, str]:
    """A new session for `user`: (cookie token, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with store.session() as s, s.begin():
        s.execute(delete(SessionRow).where(SessionRow.expires_at < _now()))
        s.add(SessionRow(token_hash=_digest(token), user_id=user.id, csrf=csrf,
                         expires_at=_now() + timedelta(hours=SESSION_HOURS)))
    return token, csrf


def session_user(store: Store, token: str | None) -> tuple[UserRow, str] | None:
    """The user and CSRF token of a live session."""
    if not token:
        return None
    with store.session() as s:
        row = s.get(SessionRow, _digest(token))
        if row is None or row.expires_at < _now():
            return None
        user = s.get(UserRow, row.user_id)
        return (user, row.csrf) if user else None


def close_session(store: Store, token: str | None) -> None:
    if token:
        with store.session() as s, s.begin():
            s.execute(delete(SessionRow).where(SessionRow.token_hash == _digest(token)))
