"""Local drafts: a real SQLite file that keeps what was typed across restarts and crashes,
refuses bad input with a clear error and survives a damaged row; and the Qt ``Autosaver``
that writes it at most every few seconds."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from pathlib import Path

import pytest

from agent_desk.client.drafts import MAX_DRAFT_CHARS, DraftError, DraftStore


def test_save_load_delete_and_keys(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "sub" / "drafts.db")
    assert store.load("42:email") is None
    store.save("42:email", {"to": ["a@b.example"], "body": "Hello 你好"})
    store.save("42:call_notes", {"text": "called back"})
    store.save("42:email", {"to": ["a@b.example"], "body": "Hello again"})
    assert store.load("42:email") == {"to": ["a@b.example"], "body": "Hello again"}
    assert sorted(store.keys()) == ["42:call_notes", "42:email"]
    assert store.saved_at("42:email") is not None
    store.delete("42:email")
    store.delete("42:email")  # twice: no error
    assert store.load("42:email") is None
    assert store.keys() == ["42:call_notes"]
    store.close()


def test_a_restart_reads_what_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "drafts.db"
    with DraftStore(path) as first:
        first.save("7:chat", {"text": "line one\nline two"})
    with DraftStore(path) as second:
        assert second.load("7:chat") == {"text": "line one\nline two"}


def _save_and_die(path: str) -> None:
    store = DraftStore(path)
    store.save("9:email", {"body": "typed before the crash"})
    os._exit(1)  # no close, no atexit: like a crash right after the save


def test_a_crash_after_save_keeps_the_draft(tmp_path: Path) -> None:
    path = str(tmp_path / "drafts.db")
    proc = multiprocessing.get_context("spawn").Process(target=_save_and_die, args=(path,))
    proc.start()
    proc.join(30)
    assert proc.exitcode == 1
    with DraftStore(path) as store:
        assert store.load("9:email") == {"body": "typed before the crash"}


def test_bad_input_is_refused_clearly_and_loses_nothing(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts.db")
    store.save("1:email", {"body": "keep me"})
    with pytest.raises(ValueError, match="draft key"):
        store.save("", {"body": "x"})
    with pytest.raises(TypeError, match="a draft is a dict"):
        store.save("1:email", ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(DraftError, match="cannot be stored"):
        store.save("1:email", {"body": object()})
    with pytest.raises(DraftError, match="too large"):
        store.save("1:email", {"body": "x" * (MAX_DRAFT_CHARS + 1)})
    assert store.load("1:email") == {"body": "keep me"}


def test_a_damaged_row_reads_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "drafts.db"
    with DraftStore(path) as store:
        store.save("1:email", {"body": "fine"})
        store.save("2:email", {"body": "will be damaged"})
    db = sqlite3.connect(path)
    db.execute("UPDATE drafts SET data = '{not json' WHERE key = '2:email'")
    db.execute("INSERT INTO drafts VALUES ('3:email', '[1, 2]', 0)")
    db.commit()
    db.close()
    with DraftStore(path) as store:
        assert store.load("1:email") == {"body": "fine"}
        assert store.load("2:email") is None
        assert store.load("3:email") is None


def test_an_unusable_path_reports_a_draft_error(tmp_path: Path) -> None:
    (tmp_path / "a-directory.db").mkdir()
    with pytest.raises(DraftError, match="cannot open the drafts file"):
        DraftStore(tmp_path / "a-directory.db")
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(DraftError, match="cannot open the drafts file"):
        DraftStore(tmp_path / "a-file" / "drafts.db")


# ---- the Qt autosaver ------------------------------------------------------------------------

def test_autosaver_saves_after_the_interval_not_per_keystroke(qtbot, tmp_path: Path) -> None:
    from agent_desk.ui.autosave import Autosaver

    store = DraftStore(tmp_path / "drafts.db")
    text = {"body": ""}
    saver = Autosaver(store, "5:email", lambda: dict(text), interval_ms=50)
    for ch in "hello":
        text["body"] += ch
        saver.touch()
    assert store.load("5:email") is None  # not yet: within the interval
    with qtbot.waitSignal(saver.sig_saved, timeout=2000):
        pass
    assert store.load("5:email") == {"body": "hello"}
    assert saver.saves == 1 and not saver.dirty


def test_autosaver_flush_discard_and_empty(qtbot, tmp_path: Path) -> None:
    from agent_desk.ui.autosave import Autosaver

    store = DraftStore(tmp_path / "drafts.db")
    data: dict[str, str] = {"body": "draft"}
    saver = Autosaver(store, "6:email", lambda: dict(data), interval_ms=60_000)
    assert saver.flush()  # clean: nothing to do
    assert store.load("6:email") is None
    saver.touch()
    assert saver.flush()
    assert store.load("6:email") == {"body": "draft"}
    data.clear()  # everything erased: nothing worth keeping
    saver.touch()
    saver.flush()
    assert store.load("6:email") is None
    data["body"] = "again"
    saver.touch()
    saver.flush()
    saver.discard()
    assert store.load("6:email") is None and not saver.dirty


def test_autosaver_reports_failures_and_keeps_trying(qtbot, tmp_path: Path) -> None:
    from agent_desk.ui.autosave import Autosaver

    store = DraftStore(tmp_path / "drafts.db")
    saver = Autosaver(store, "8:email", lambda: {"body": "y" * (MAX_DRAFT_CHARS + 10)},
                      interval_ms=60_000)
    saver.touch()
    with qtbot.waitSignal(saver.sig_failed, timeout=1000) as blocker:
        assert not saver.flush()
    assert "too large" in blocker.args[0]
    assert saver.dirty  # still to be saved: nothing is forgotten


def test_autosaver_without_a_store_is_a_no_op(qtbot) -> None:
    from agent_desk.ui.autosave import Autosaver

    saver = Autosaver(None, "1:email", lambda: {"body": "x"})
    saver.touch()
    assert saver.flush() and saver.load() is None and not saver.dirty
    saver.discard()
