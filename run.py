#!/usr/bin/env python3
"""One entry point for a fresh machine: ``python3 run.py demo`` or ``python3 run.py test``.

It creates ``.venv`` next to this file, installs the locked dependencies
(``requirements.lock``, hash-checked) and the project itself, then runs the demo or the
whole check suite (ruff, mypy, pytest). The virtualenv is reused while the lock file and
pyproject are unchanged. Only the standard library is used here, so it runs on any
Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("AGENT_DESK_VENV", ROOT / ".venv"))
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".agent-desk-stamp"


def _bin(name: str) -> Path:
    sub = "Scripts" if os.name == "nt" else "bin"
    exe = name + (".exe" if os.name == "nt" else "")
    return VENV / sub / exe


def _fingerprint() -> str:
    h = hashlib.sha256()
    for f in (LOCK, ROOT / "pyproject.toml"):
        h.update(f.read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest()


def _run(cmd: list[str | Path], **kw: object) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    rc = subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)  # type: ignore[call-overload]
    if rc != 0:
        sys.exit(rc)


def ensure_env() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must say so on old Pythons
        sys.exit(f"Agent Desk needs Python 3.11 or newer (this is {sys.version.split()[0]}).")
    want = _fingerprint()
    if STAMP.exists() and STAMP.read_text() == want and _bin("python").exists():
        return
    if not _bin("python").exists():
        print(f"Creating virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    py = _bin("python")
    pip = [py, "-m", "pip", "--disable-pip-version-check", "-q"]
    _run([*pip, "install", "--require-hashes", "-r", LOCK])
    _run([*pip, "install", "--no-deps", "-e", ROOT])
    STAMP.write_text(want)


def cmd_test(args: list[str]) -> None:
    py = _bin("python")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    _run([py, "-m", "ruff", "check", "agent_desk", "tests", "bench", "tools", "run.py"], env=env)
    _run([py, "-m", "mypy", "agent_desk/protocol", "agent_desk/server", "agent_desk/client",
          "agent_desk/channels", "agent_desk/kb", "agent_desk/ui"], env=env)
    _run([py, "-m", "pytest", *args], env=env)


def cmd_demo(args: list[str]) -> None:
    py = _bin("python")
    os.execv(str(py), [str(py), "-m", "agent_desk", "demo", *args])


def main() -> None:
    usage = "usage: python3 run.py {demo|test} [extra arguments]"
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "setup"}:
        sys.exit(usage)
    ensure_env()
    what, rest = sys.argv[1], sys.argv[2:]
    if what == "test":
        cmd_test(rest)
    elif what == "demo":
        cmd_demo(rest)


if __name__ == "__main__":
    main()
