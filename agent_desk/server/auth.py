"""Sign-in, tokens and sign-in throttling.

Access tokens are short-lived (default 15 min), refresh tokens longer (default 7 days) and
single-use: refreshing revokes the used token and issues a new pair of the same family; a
reused (already revoked) refresh token revokes the whole family (token theft). Tokens are
random strings; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from collections import deque
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..protocol.codes import ErrorCode
from .models import Agent, AuthToken

ACCESS_TTL_S = 15 * 60
REFRESH_TTL_S = 7 * 24 * 3600


class AuthError(Exception):
    def __init__(self, code: ErrorCode, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


class RefreshReused(AuthError):
    """An already used refresh token was presented: its ``family`` must be revoked. Raising
    rolls the transaction back, so the caller revokes it in a transaction of its own
    (``revoke_family``)."""

    def __init__(self, family: str) -> None:
        super().__init__(ErrorCode.AUTH_FAILED, "refresh token already used: sign in again")
        self.family = family


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_at: float


@dataclass(frozen=True)
class Identity:
    agent_id: int
    expires_at: float  # when the access token used (or issued) expires


def _h(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_tokens(session: Session, agent_id: int, now: float, *, family: str | None = None,
                 access_ttl: float = ACCESS_TTL_S, refresh_ttl: float = REFRESH_TTL_S
                 ) -> TokenPair:
    fam = family or secrets.token_hex(16)
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(AuthToken(token_hash=_h(access), agent_id=agent_id, kind="access", family=fam,
                          expires_at=now + access_ttl))
    session.add(AuthToken(token_hash=_h(refresh), agent_id=agent_id, kind="refresh",
                          family=fam, expires_at=now + refresh_ttl))
    return TokenPair(access, refresh, now + access_ttl)


def check_access(session: Session, token: str, now: float) -> Identity:
    row = session.get(AuthToken, _h(token))
    if row is None or row.kind != "access" or row.revoked:
        raise AuthError(ErrorCode.AUTH_FAILED, "unknown or revoked access token")
    if row.expires_at <= now:
        raise AuthError(ErrorCode.TOKEN_EXPIRED, "access token expired: refresh it")
    _active_agent(session, row.agent_id)
    return Identity(row.agent_id, row.expires_at)


def rotate_refresh(session: Session, token: str, now: float, *,
                   access_ttl: float = ACCESS_TTL_S, refresh_ttl: float = REFRESH_TTL_S,
                   expected_agent: int | None = None) -> tuple[int, TokenPair]:
    row = session.get(AuthToken, _h(token))
    if row is None or row.kind != "refresh":
        raise AuthError(ErrorCode.AUTH_FAILED, "unknown refresh token: sign in again")
    if expected_agent is not None and row.agent_id != expected_agent:
        # someone else's token on this connection: refuse without using it up
        raise AuthError(ErrorCode.FORBIDDEN, "refresh token belongs to another user")
    if row.revoked:
        # reuse of a rotated token: someone else may hold the family; end it
        revoke_family(session, row.family)
        raise RefreshReused(row.family)
    if row.expires_at <= now:
        raise AuthError(ErrorCode.AUTH_FAILED, "refresh token expired: sign in again")
    _active_agent(session, row.agent_id)
    row.revoked = True
    return row.agent_id, issue_tokens(session, row.agent_id, now, family=row.family,
                                      access_ttl=access_ttl, refresh_ttl=refresh_ttl)


def revoke_family(session: Session, family: str) -> None:
    session.execute(update(AuthToken).where(AuthToken.family == family).values(revoked=True))


def find_login(session: Session, username: str) -> tuple[int, str] | None:
    """(agent id, password hash) of an active user, or None."""
    row = session.execute(
        select(Agent.id, Agent.password_hash, Agent.active).where(Agent.username == username)
    ).first()
    if row is None or not row.active:
        return None
    return row.id, row.password_hash


def _active_agent(session: Session, agent_id: int) -> Agent:
    agent = session.get(Agent, agent_id)
    if agent is None or not agent.active:
        raise AuthError(ErrorCode.FORBIDDEN, "account disabled")
    return agent


@dataclass
class LoginThrottle:
    """Slows down password guessing: after ``free`` failures within ``window_s`` for a
    username (or a remote address), further attempts are refused without checking the
    password for a delay that doubles per extra failure (capped)."""

    free: int = 5  # failures allowed per username
    free_per_address: int = 50  # per remote address (a whole office may share one)
    window_s: float = 300.0
    base_delay_s: float = 2.0
    max_delay_s: float = 300.0
    _fails: dict[str, deque[float]] = field(default_factory=dict)

    def _prune(self, key: str, now: float) -> deque[float]:
        q = self._fails.setdefault(key, deque())
        while q and q[0] < now - self.window_s:
            q.popleft()
        if not q:
            self._fails.pop(key, None)
        return q

    def retry_after(self, keys: list[str], now: float) -> float:
        """Seconds to wait before another attempt is allowed (0 = allowed now)."""
        wait = 0.0
        for key in keys:
            q = self._prune(key, now)
            free = self.free_per_address if key.startswith("ip:") else self.free
            if len(q) >= free:
                extra = len(q) - free
                delay = min(self.base_delay_s * (2**extra), self.max_delay_s)
                wait = max(wait, q[-1] + delay - now)
        return max(wait, 0.0)

    def failed(self, keys: list[str], now: float) -> None:
        for key in keys:
            self._prune(key, now)
            self._fails.setdefault(key, deque()).append(now)
            if len(self._fails[key]) > 1000:
                self._fails[key].popleft()

    def succeeded(self, username_key: str) -> None:
        self._fails.pop(username_key, None)
