"""Where the desktop client keeps its files: one module, resolved through QStandardPaths.

``AGENT_DESK_DATA`` (shared with the server CLI) moves everything into one folder; tests
call ``set_root(tmp_path)`` so they never touch the real user folders."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths

APP_NAME = "AgentDesk"
_root: Path | None = None


def set_root(path: Path | None) -> None:
    """Put data and configuration under ``path`` (tests); ``None`` restores the default."""
    global _root
    _root = Path(path) if path is not None else None


def _ensure(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


def _standard(kind: QStandardPaths.StandardLocation, fallback: str) -> Path:
    loc = QStandardPaths.writableLocation(kind)
    return Path(loc) if loc else Path.home() / fallback


def data_dir() -> Path:
    """Logs, crash file, the outbox databases."""
    if _root is not None:
        return _ensure(_root / "data")
    override = os.environ.get("AGENT_DESK_DATA")
    if override:
        return _ensure(Path(override))
    return _ensure(_standard(QStandardPaths.StandardLocation.AppLocalDataLocation,
                             f".{APP_NAME.lower()}"))


def config_dir() -> Path:
    """The settings file (no secrets ever go there)."""
    if _root is not None:
        return _ensure(_root / "config")
    override = os.environ.get("AGENT_DESK_DATA")
    if override:
        return _ensure(Path(override) / "config")
    return _ensure(_standard(QStandardPaths.StandardLocation.AppConfigLocation,
                             f".{APP_NAME.lower()}"))


def settings_file() -> Path:
    return config_dir() / "client.ini"


def log_file() -> Path:
    return _ensure(data_dir() / "logs") / "client.log"


def crash_file() -> Path:
    return data_dir() / "crash.log"


def outbox_file(server_url: str, username: str) -> Path:
    """One outbox per account and server, so queued actions go to the right place."""
    digest = hashlib.sha256(f"{username}\n{server_url}".encode()).hexdigest()[:16]
    return _ensure(data_dir() / "outbox") / f"{digest}.db"


def drafts_file(server_url: str, username: str) -> Path:
    """Local drafts (composer texts, call notes) per account and server."""
    digest = hashlib.sha256(f"{username}\n{server_url}".encode()).hexdigest()[:16]
    return _ensure(data_dir() / "drafts") / f"{digest}.db"


def customer_cache_file(server_url: str, username: str) -> Path:
    """Recently seen customers and transcripts per account and server (offline history)."""
    digest = hashlib.sha256(f"{username}\n{server_url}".encode()).hexdigest()[:16]
    return _ensure(data_dir() / "customers") / f"{digest}.db"


def kb_file(server_url: str, username: str) -> Path:
    """The local knowledge base (published articles, reply templates, the team's replies),
    synced from the server, per account and server: searched with no network round trip."""
    digest = hashlib.sha256(f"{username}\n{server_url}".encode()).hexdigest()[:16]
    return _ensure(data_dir() / "kb") / f"{digest}.db"


def resources_dir() -> Path:
    """The shipped ``resources/`` folder (installed as the ``agent_desk.resources`` package,
    so it is found from a checkout, an editable install and a wheel alike)."""
    from importlib.resources import files

    return Path(str(files("agent_desk.resources")))


def translations_dir() -> Path:
    return resources_dir() / "translations"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"
