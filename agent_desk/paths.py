"""Where Agent Desk keeps its files when Qt is not loaded (server, CLI). The desktop
client resolves the same folders through QStandardPaths."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "AgentDesk"


def data_dir() -> Path:
    override = os.environ.get("AGENT_DESK_DATA")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / APP
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / APP
    else:
        xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        base = Path(xdg) / "agent-desk"
    base.mkdir(parents=True, exist_ok=True)
    return base
