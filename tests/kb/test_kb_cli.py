"""``agent-desk kb import`` / ``agent-desk kb search`` as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.kb.conftest import SAMPLES


def kb(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, AGENT_DESK_DATA=str(tmp_path / "data"))
    return subprocess.run([sys.executable, "-m", "agent_desk", "kb", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def test_import_then_search_json(tmp_path: Path) -> None:
    db = str(tmp_path / "kb.db")
    p = kb(["import", str(SAMPLES), "--db", db], tmp_path)
    assert p.returncode == 0, p.stderr
    assert "imported 60 article(s), skipped 0" in p.stdout and p.stderr == ""
    p = kb(["search", "refunded", "--db", db, "--json"], tmp_path)
    assert p.returncode == 0, p.stderr
    hits = json.loads(p.stdout)
    assert isinstance(hits, list) and 3 <= len(hits) <= 10
    assert all(set(h) == {"id", "title", "score", "snippet"} for h in hits)
    assert hits[0]["id"] in ("refund-policy-en", "refund-status-en")
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert "**" in hits[0]["snippet"]
    p = kb(["search", "发票", "--db", db, "--limit", "2", "--json"], tmp_path)
    assert [h["id"] for h in json.loads(p.stdout)][0].startswith("invoice-")
    assert len(json.loads(p.stdout)) == 2
    p = kb(["search", "refund", "--db", db, "--lang", "zh", "--limit", "1", "--json"],
           tmp_path)
    assert json.loads(p.stdout)[0]["id"].endswith("-zh")
    for query in ("", "😀", 'NEAR("x" -y*)', "x" * 10_000):
        p = kb(["search", query, "--db", db, "--json"], tmp_path)
        assert p.returncode == 0 and "Traceback" not in p.stderr
        assert isinstance(json.loads(p.stdout), list)
    p = kb(["search", "warranty", "--db", db], tmp_path)  # human-readable
    assert p.returncode == 0 and "What the warranty covers" in p.stdout


def test_import_with_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "1", "title": "T", "body": "refund", "language": "en", "x": 1}\n'
                   "not json\n", "utf-8")
    p = kb(["import", str(src), "--db", str(tmp_path / "kb.db")], tmp_path)
    assert p.returncode == 1
    assert "a.jsonl:2: invalid JSON" in p.stderr and "unknown field 'x'" in p.stderr
    assert "imported 1 article(s), skipped 1" in p.stdout
    assert "Traceback" not in p.stderr


def test_clear_errors_without_tracebacks(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    p = kb(["search", "refund", "--db", str(db), "--json"], tmp_path)
    assert p.returncode == 2 and "no knowledge base" in p.stderr and not db.exists()
    p = kb(["import", str(tmp_path / "missing.jsonl"), "--db", str(db)], tmp_path)
    assert p.returncode == 2 and "missing.jsonl" in p.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"junk" * 1000)
    p = kb(["search", "refund", "--db", str(junk)], tmp_path)
    assert p.returncode == 2 and "not a knowledge base" in p.stderr
    for p in (kb(["search", "refund", "--db", str(junk)], tmp_path), kb([], tmp_path)):
        assert "Traceback" not in p.stderr
    assert kb([], tmp_path).returncode == 2  # argparse: a sub-command is required


def test_the_cli_module_loads_nothing_heavy() -> None:
    """``agent-desk`` imports ``agent_desk.kb.cli`` for every command line (the client's
    start-up too): it must not pull in SQLite, the search or Qt."""
    code = ("import sys, agent_desk.__main__ as m; m.build_parser(full=False); "
            "bad = [n for n in ('sqlite3', 'agent_desk.kb.search', 'PySide6') "
            "if n in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
