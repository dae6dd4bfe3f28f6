"""Start-up pieces of ``agent_desk.ui.app``: the exception hook (logged, one calm message,
never a traceback), faulthandler's crash file reported on the next start, the redacting
log filter, translators (Qt's own ``qtbase_zh_CN`` too), language choice, the no-display
hint, and the main-thread garbage collector."""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QMessageBox

from agent_desk.ui import app as appmod
from agent_desk.ui import paths
from agent_desk.ui.app import CrashHandler, MainThreadGC, _Redact, install_translators


@pytest.fixture
def profile(tmp_path: Path) -> Any:
    paths.set_root(tmp_path)
    yield tmp_path
    paths.set_root(None)


def boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


def test_exception_hook_logs_and_shows_one_calm_message(profile: Path, qtbot: Any,
                                                        caplog: Any) -> None:
    handler = CrashHandler(dialogs=True)
    try:
        raise ValueError("boom in a slot")
    except ValueError:
        handler.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    assert any(r.levelno == logging.CRITICAL and r.exc_info for r in caplog.records)
    qtbot.waitUntil(lambda: len(boxes()) == 1, timeout=2000)
    box = boxes()[0]
    assert "still running" in box.text()
    assert "Traceback" not in box.text() and "boom" not in box.text()
    handler.excepthook(RuntimeError, RuntimeError("again"), None)
    QCoreApplication.sendPostedEvents()  # deliver the queued signal: no second box
    QCoreApplication.processEvents()
    assert len(boxes()) == 1
    box.close()


def test_exception_hook_without_dialogs_only_logs(profile: Path, qtbot: Any,
                                                  caplog: Any) -> None:
    handler = CrashHandler(dialogs=False)
    handler.excepthook(KeyError, KeyError("x"), None)
    assert boxes() == [] and "unexpected error" in caplog.text


def test_crash_file_of_the_last_run_is_reported(profile: Path, qapp: Any) -> None:
    crash = paths.crash_file()
    crash.write_text("Fatal Python error: Segmentation fault\n", encoding="utf-8")
    handler = CrashHandler(dialogs=False)
    old_hook = sys.excepthook
    handler.install()
    try:
        assert handler.previous_crash is not None
        assert "Segmentation fault" in handler.previous_crash.read_text(encoding="utf-8")
        assert crash.exists() and crash.stat().st_size == 0  # fresh for this run
        assert sys.excepthook == handler.excepthook
    finally:
        handler.uninstall()
        sys.excepthook = old_hook


def test_log_filter_redacts_secrets() -> None:
    rec = logging.LogRecord("x", logging.INFO, __file__, 1,
                            'sent {"password": "hunter2", "refresh_token": "%s"}', ("tok-1",),
                            None)
    _Redact().filter(rec)
    msg = rec.getMessage()
    assert "hunter2" not in msg and "tok-1" not in msg and "password" in msg


def test_qt_and_agent_desk_translators(qapp: Any, caplog: Any) -> None:
    installed = install_translators(qapp, "zh_CN")
    try:
        assert installed, "Qt's own qtbase_zh_CN must load"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        assert QLocale().name() == "zh_CN"
        ours = paths.translations_dir() / "agent_desk_zh_CN.qm"
        if ours.exists():
            assert len(installed) == 2
        else:
            assert "agent_desk_zh_CN" in caplog.text  # logged, not fatal
    finally:
        install_translators(qapp, "en", installed)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_language_choice(qapp: Any, tmp_path: Path) -> None:
    from agent_desk.ui.settings import Settings

    s = Settings(tmp_path / "s.ini")
    assert appmod.choose_language("zh_CN", s) == "zh_CN"
    s.set("language", "en")
    assert appmod.choose_language(None, s) == "en"


def test_no_display_gives_a_one_line_hint(monkeypatch: Any) -> None:
    for var in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    from agent_desk.__main__ import display_problem

    hint = display_problem()
    assert hint is not None and "--no-client" in hint and "\n" not in hint
    monkeypatch.setenv("DISPLAY", ":0")
    assert display_problem() is None


def test_garbage_is_collected_on_the_gui_thread_only(qtbot: Any) -> None:
    collector = MainThreadGC(interval_ms=10)
    collector.start()
    try:
        assert not gc.isenabled()

        class Cycle:
            pass

        for _ in range(2000):
            a, b = Cycle(), Cycle()
            a.b, b.a = b, a  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: gc.get_count()[0] < 700, timeout=2000)
    finally:
        collector.stop()
    assert gc.isenabled()
