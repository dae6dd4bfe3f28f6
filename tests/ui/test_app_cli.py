"""The command line as a user runs it (subprocesses): the client's first paint, the
one-line hint without a display, ``demo --screenshot`` end to end, ``demo --no-client``
(the old backend-only demo) and ``serve`` still there."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage


def agent_desk(args: list[str], tmp_path: Path, *, display: bool = True, timeout: float = 90
               ) -> subprocess.CompletedProcess[str]:
    env = {k: val for k, val in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["AGENT_DESK_DATA"] = str(tmp_path / "data")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    if display:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([sys.executable, "-m", "agent_desk", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_client_paints_its_main_window(tmp_path: Path) -> None:
    start = time.time()
    p = agent_desk(["--exit-after-first-paint", "--no-crash-dialog"], tmp_path)
    assert p.returncode == 0, p.stderr
    line = [ln for ln in p.stdout.splitlines() if ln.startswith("first-paint ")][-1]
    assert float(line.split()[1]) >= start
    assert "Traceback" not in p.stderr


def test_no_display_prints_a_hint_instead_of_crashing(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the check is for X11/Wayland desktops")
    p = agent_desk(["demo"], tmp_path, display=False)
    assert p.returncode == 2
    assert p.stderr.strip().count("\n") == 0 and "--no-client" in p.stderr
    assert "Traceback" not in p.stderr


@pytest.mark.slow
@pytest.mark.parametrize(("role", "user"), [(None, "agent"), ("lead", "lead"),
                                            ("trainer", "trainer")])
def test_demo_screenshot_end_to_end(tmp_path: Path, role: str | None, user: str) -> None:
    shot = tmp_path / "main.png"
    extra = ["--role", role] if role else []
    p = agent_desk(["demo", "--screenshot", str(shot), "--after", "1", "--port", "0",
                    "--simulate", "0", "--warm", "5", *extra], tmp_path)
    assert p.returncode == 0, p.stderr
    assert f"Saved {shot} (signed in as {user}, role {role or 'agent'})" in p.stdout
    img = QImage(str(shot))
    assert (img.width(), img.height()) == (1600, 900)
    assert "Traceback" not in p.stderr


def test_demo_without_client_is_the_old_backend_demo(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        p = agent_desk(["demo", "--no-client", "--port", str(port), "--simulate", "0"],
                       tmp_path)
    assert p.returncode == 2
    assert "already in use" in p.stderr


def test_serve_and_demo_help(tmp_path: Path) -> None:
    p = agent_desk(["serve", "--help"], tmp_path)
    assert p.returncode == 0 and "--db" in p.stdout
    p = agent_desk(["demo", "--help"], tmp_path)
    assert p.returncode == 0
    for flag in ("--role", "--no-client", "--screenshot", "--after", "--simulate", "--lang"):
        assert flag in p.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="only X11/Wayland systems can lack a display")
def test_demo_without_a_display_says_what_to_do(tmp_path: Path) -> None:
    p = agent_desk(["demo", "--port", "0"], tmp_path, display=False, timeout=60)
    assert p.returncode != 0
    assert "--no-client" in p.stderr and "--screenshot" in p.stderr
    assert "Traceback" not in p.stderr
