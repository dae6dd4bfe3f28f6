"""Remembered secrets (the refresh token, never the password) live only in the OS
credential store, through keyring, and only with a real OS backend: Windows Credential
Manager, macOS Keychain, Secret Service or KWallet. Any other backend (the headless
``fail`` backend, ``keyrings.alt``'s plaintext file, a ``PYTHON_KEYRING_BACKEND`` override)
is refused: the secret is then kept in memory for this session only and ``persistent`` is
False so the UI can say so. Keyring calls can block (D-Bus): they run in a thread."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger("agent_desk.client.credentials")

SERVICE = "AgentDesk"
ALLOWED_BACKENDS = frozenset({
    "keyring.backends.Windows.WinVaultKeyring",
    "keyring.backends.macOS.Keyring",
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.kwallet.DBusKeyringKWallet4",
})


def _name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


class SecretStore:
    def __init__(self, *, extra_allowed: tuple[type, ...] = ()) -> None:
        self._extra = extra_allowed
        self._memory: dict[str, str] = {}
        self._backend: Any | None = None
        self._checked = False
        self.backend_name = "memory"

    def _pick(self) -> Any | None:
        if self._checked:
            return self._backend
        self._checked = True
        try:
            import keyring
            from keyring.backends.chainer import ChainerBackend

            kr = keyring.get_keyring()
            candidates = list(kr.backends) if isinstance(kr, ChainerBackend) else [kr]
            for b in candidates:
                if _name(b) in ALLOWED_BACKENDS or isinstance(b, self._extra):
                    self._backend = b
                    self.backend_name = _name(b)
                    break
            else:
                log.warning("no OS credential store (keyring backend %s): secrets are kept "
                            "in memory for this session only", _name(kr))
        except Exception as exc:  # keyring import or init failure
            log.warning("credential store unavailable (%s): memory only", type(exc).__name__)
        return self._backend

    @property
    def persistent(self) -> bool:
        return self._pick() is not None

    def _save(self, account: str, secret: str) -> bool:
        self._memory[account] = secret
        backend = self._pick()
        if backend is None:
            return False
        try:
            backend.set_password(SERVICE, account, secret)
            return True
        except Exception as exc:
            log.warning("could not save to the credential store (%s): memory only",
                        type(exc).__name__)
            return False

    def _load(self, account: str) -> str | None:
        if account in self._memory:
            return self._memory[account]
        backend = self._pick()
        if backend is None:
            return None
        try:
            value = backend.get_password(SERVICE, account)
        except Exception as exc:
            log.warning("could not read the credential store (%s)", type(exc).__name__)
            return None
        return str(value) if value is not None else None

    def _delete(self, account: str) -> None:
        self._memory.pop(account, None)
        backend = self._pick()
        if backend is None:
            return
        try:
            backend.delete_password(SERVICE, account)
        except Exception:  # missing entry or backend error: nothing to forget
            pass

    async def save(self, account: str, secret: str) -> bool:
        """Store ``secret``; True if it went to the OS store, False if memory only."""
        return await asyncio.to_thread(self._save, account, secret)

    async def load(self, account: str) -> str | None:
        return await asyncio.to_thread(self._load, account)

    async def delete(self, account: str) -> None:
        await asyncio.to_thread(self._delete, account)


def account_key(server_url: str, username: str) -> str:
    return f"{username}@{server_url}"
