"""Client start-up benchmark: process start → first painted main window, and memory with a
large queue.

- ``first paint``: ``python -m agent_desk --exit-after-first-paint`` is launched ``--runs``
  times as a subprocess (offscreen Qt, a throwaway profile); the child prints the wall-clock
  time of the main window's first paint and exits. The figure is that time minus the
  parent's clock just before it started the process (median, min, max). The window is the
  one a remembered sign-in shows at once, before the network answers.
- ``rss``: a child process (``--child-rss N``) builds the real main window, feeds it a
  snapshot of N interactions (a lead sees them all) through ``ClientState`` → ``ClientBridge``
  → the queue pane, waits until the rows are painted and reports its resident memory.

    .venv/bin/python bench/startup.py --json
    .venv/bin/python bench/startup.py --runs 3 --rows 2000      # quick look

Progress goes to stderr; with ``--json`` the last line of stdout is one flat JSON object
(times ``*_ms``, memory ``*_mb``). Targets (issue 3): first paint ≤ 500 ms, RSS with 10,000
rows ≤ 250 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def _env(profile: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", AGENT_DESK_DATA=str(profile),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", PYTHONPATH=str(REPO))
    return env


def first_paint_ms(profile: Path) -> float:
    start = time.time()
    p = subprocess.run([sys.executable, "-m", "agent_desk", "--exit-after-first-paint",
                        "--no-crash-dialog"], env=_env(profile), capture_output=True,
                       text=True, timeout=60, cwd=REPO)
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("first-paint ")]
    if p.returncode != 0 or not lines:
        raise SystemExit(f"client failed ({p.returncode}): {p.stderr[-2000:]}")
    return (float(lines[-1].split()[1]) - start) * 1000


def rss_child(rows: int) -> None:
    """Runs in the child: the real window with ``rows`` interactions; prints JSON."""
    from datetime import UTC, datetime, timedelta

    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from agent_desk.client.credentials import SecretStore
    from agent_desk.client.state import ClientState
    from agent_desk.protocol import messages as m
    from agent_desk.protocol import views as v
    from agent_desk.ui import paths
    from agent_desk.ui.app import create_application
    from agent_desk.ui.bridge import ClientBridge
    from agent_desk.ui.controller import Controller
    from agent_desk.ui.main_window import MainWindow
    from agent_desk.ui.settings import Settings

    app = create_application(sys.argv[:1])
    settings = Settings(paths.settings_file())
    state = ClientState()
    bridge = ClientBridge(state)
    window = MainWindow(Controller(settings, SecretStore()), bridge, settings)
    window.resize(1600, 900)
    window.show()
    before = _rss_mb()
    now = datetime.now(UTC)
    lead = v.AgentView(id=1, username="lead", name="Lead", role="lead",  # type: ignore[arg-type]
                       state="available", state_since=now,  # type: ignore[arg-type]
                       queue_ids=[1, 2, 3, 4, 5])
    queues = [v.QueueView(id=n, name=name) for n, name in
              enumerate(("General", "Billing", "Technical", "Chinese", "VIP"), 1)]
    views = [v.InteractionView(
        id=n, channel=("phone", "email", "chat")[n % 3], state="queued",  # type: ignore[arg-type]
        customer=v.CustomerBrief(id=n, name=f"Customer {n}" if n % 4 else f"客户 {n}",
                                 tier=("standard", "gold", "vip")[n % 3],  # type: ignore[arg-type]
                                 language="en"),
        queue_id=n % 5 + 1, subject=f"Subject line number {n} about an order",
        preview=f"Hello, this is message {n}; I need some help with my order please.",
        priority=("low", "normal", "high", "urgent")[n % 4],  # type: ignore[arg-type]
        created_at=now - timedelta(seconds=n), first_response_due_at=now + timedelta(
            seconds=60 + n), resolution_due_at=now + timedelta(hours=4)) for n in
        range(1, rows + 1)]
    state.apply_snapshot(m.Snapshot(
        seq=1, agent=lead, agents=[lead], queues=queues, interactions=views,
        settable_states=["available", "away", "offline"],  # type: ignore[list-item]
        away_reasons=[], wrap_up_codes=[], sla_policies=[], server_time=now))
    del views
    loop = QEventLoop()
    QTimer.singleShot(1500, loop.quit)  # a few repaints of the ticking columns
    loop.exec()
    QCoreApplication.processEvents()
    shown = window.queue.counts()["all"]
    print(json.dumps({"rows": shown, "rss_empty_window_mb": round(before, 1),
                      "rss_mb": round(_rss_mb(), 1)}), flush=True)
    window.dispose()
    app.quit()


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale / 1024


def rss_run(rows: int, profile: Path) -> dict[str, Any]:
    p = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child-rss",
                        str(rows)], env=_env(profile), capture_output=True, text=True,
                       timeout=300, cwd=REPO)
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if p.returncode != 0 or not lines:
        raise SystemExit(f"rss child failed ({p.returncode}): {p.stderr[-2000:]}")
    return dict(json.loads(lines[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="first-paint runs (median)")
    ap.add_argument("--rows", type=int, default=10_000, help="queue rows for the RSS figure")
    ap.add_argument("--json", action="store_true", help="last stdout line: one JSON object")
    ap.add_argument("--child-rss", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_rss is not None:
        rss_child(args.child_rss)
        return
    with tempfile.TemporaryDirectory(prefix="agent-desk-bench-") as tmp:
        profile = Path(tmp)
        first_paint_ms(profile)  # warm the file cache and .pyc files; not counted
        times = []
        for n in range(args.runs):
            times.append(first_paint_ms(profile))
            print(f"first paint run {n + 1}: {times[-1]:.0f} ms", file=sys.stderr)
        rss = rss_run(args.rows, profile)
    print(f"rss with {rss['rows']} rows: {rss['rss_mb']:.0f} MB", file=sys.stderr)
    out = {
        "first_paint_median_ms": round(statistics.median(times), 1),
        "first_paint_min_ms": round(min(times), 1),
        "first_paint_max_ms": round(max(times), 1),
        "first_paint_runs": len(times),
        "rss_rows": rss["rows"],
        "rss_empty_window_mb": rss["rss_empty_window_mb"],
        "rss_mb": rss["rss_mb"],
        "target_first_paint_ms": 500,
        "target_rss_mb": 250,
    }
    if args.json:
        print(json.dumps(out))
    else:
        for k, val in out.items():
            print(f"{k}: {val}")


if __name__ == "__main__":
    main()
