"""Starting the desktop client: QApplication and one qasync loop, translators (Agent Desk's
and Qt's own ``qtbase_<lang>``), fonts with CJK fallbacks, logging to a rotating file, an
exception hook that logs and shows a calm message (never a traceback), faulthandler output
to a crash file that is checked on the next start — and ``ClientApp``, which decides which
window shows when (sign-in dialog, main window, sign-out, language switch)."""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import gc
import logging
import re
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    QTranslator,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from . import paths
from . import settings as opts

log = logging.getLogger("agent_desk.ui")
CJK_FALLBACKS = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                 "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
_SECRET_RE = re.compile(r"(?i)(password|passwd|refresh_token|access_token|token)"
                        r"(['\"]?\s*[:=]\s*['\"]?)([^'\"\s,}]+)")


@dataclass
class ClientOptions:
    server: str | None = None
    user: str | None = None
    lang: str | None = None
    crash_dialog: bool = True
    exit_after_first_paint: bool = False
    demo: Any = None  # DemoOptions for ``agent-desk demo``


class _Redact(logging.Filter):
    """Defence in depth: no password or token value ever reaches the log file."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        clean = _SECRET_RE.sub(r"\1\2***", msg)
        if clean != msg:
            record.msg, record.args = clean, ()
        return True


def setup_client_logging() -> None:
    from ..logs import setup_logging

    setup_logging(paths.log_file(), stderr=False)
    root = logging.getLogger()
    err = logging.StreamHandler()
    err.setLevel(logging.WARNING)
    err.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(err)
    for h in root.handlers:
        h.addFilter(_Redact())
    qInstallMessageHandler(_qt_message)


def _qt_message(kind: QtMsgType, _context: Any, message: str) -> None:
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    if message.startswith("This plugin does not support"):  # offscreen platform noise
        level = logging.DEBUG
    logging.getLogger("agent_desk.qt").log(level, "%s", message)


class CrashHandler(QObject):
    """Logs every uncaught exception (any thread, asyncio tasks, Qt slots) and shows one calm
    message on the GUI thread. Resets itself on recursion. ``faulthandler`` writes hard
    crashes to ``crash.log``; a non-empty one is reported on the next start."""

    sig_error = Signal()

    def __init__(self, *, dialogs: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialogs = dialogs
        self.previous_crash: Path | None = None
        self.on_interrupt: Callable[[], None] = lambda: QCoreApplication.exit(130)
        self._busy = False
        self._box: QMessageBox | None = None
        self._fault_file: IO[str] | None = None
        self.sig_error.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        crash = paths.crash_file()
        if crash.exists() and crash.stat().st_size > 0:
            prev = crash.with_name("crash.prev.log")
            crash.replace(prev)
            self.previous_crash = prev
            log.warning("Agent Desk stopped unexpectedly last time; details in %s", prev)
        self._fault_file = open(crash, "w", encoding="utf-8")  # noqa: SIM115 - kept open
        faulthandler.enable(self._fault_file, all_threads=True)
        sys.excepthook = self.excepthook
        threading.excepthook = lambda a: self.excepthook(a.exc_type, a.exc_value,
                                                         a.exc_traceback)

    def uninstall(self) -> None:
        sys.excepthook = sys.__excepthook__
        threading.excepthook = threading.__excepthook__
        if self._fault_file is not None:
            faulthandler.disable()
            self._fault_file.close()
            self._fault_file = None

    def excepthook(self, kind: type[BaseException], value: BaseException | None,
                   tb: Any) -> None:
        if self._busy:  # the hook itself failed: fall back, never loop
            sys.__excepthook__(kind, value or kind(), tb)
            return
        self._busy = True
        try:
            if issubclass(kind, KeyboardInterrupt):
                self.on_interrupt()
                return
            log.critical("unexpected error", exc_info=(kind, value or kind(), tb))
            if self.dialogs:
                self.sig_error.emit()
        finally:
            self._busy = False

    def loop_exception(self, _loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if exc is not None:
            self.excepthook(type(exc), exc, exc.__traceback__)
        else:
            log.error("asyncio: %s", context.get("message"))

    @Slot()
    def _show(self) -> None:
        if self._box is not None and self._box.isVisible():
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Agent Desk"), self.tr(
            "Something went wrong, but Agent Desk is still running and your work is safe.\n\n"
            "If something looks wrong, restart Agent Desk. The details were written to the "
            "log file:\n%1").replace("%1", str(paths.log_file())))
        box.setAccessibleName(self.tr("Problem report"))
        box.open()
        self._box = box


class MainThreadGC(QObject):
    """Python's cyclic GC, run only on the GUI thread (as qutebrowser does): left automatic,
    a collection may start in any allocating thread (outbox, keyring, demo backend) and
    destroy QObjects there, and Qt later fires their orphaned timers and crashes."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        gc.enable()

    @Slot()
    def collect(self) -> None:
        t0, t1, t2 = gc.get_threshold()
        c0, c1, c2 = gc.get_count()
        if c0 > t0:
            gc.collect(2 if c2 > t2 else 1 if c1 > t1 else 0)


def spawn(coro: Any) -> asyncio.Future[Any]:
    """Run ``coro`` as a task; an exception it ends with goes to the exception hook."""
    task = asyncio.ensure_future(coro)
    task.add_done_callback(_report)
    return task


def _report(task: asyncio.Future[Any]) -> None:
    exc = None if task.cancelled() else task.exception()
    if exc is not None:
        sys.excepthook(type(exc), exc, exc.__traceback__)


def choose_language(cli: str | None, settings: opts.Settings | None) -> str:
    lang = cli or (settings.get(opts.LANGUAGE) if settings is not None else "")
    if not lang:
        lang = "zh_CN" if QLocale.system().name().startswith("zh") else "en"
    return lang


def install_translators(app: QCoreApplication, lang: str,
                        old: list[QTranslator] | None = None) -> list[QTranslator]:
    """Install Qt's own ``qtbase_<lang>`` and Agent Desk's ``agent_desk_<lang>``."""
    for t in old or []:
        app.removeTranslator(t)
    QLocale.setDefault(QLocale(lang))
    installed: list[QTranslator] = []
    if lang not in ("", "en", "en_US"):
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in ((f"qtbase_{lang}", qt_dir),
                             (f"agent_desk_{lang}", str(paths.translations_dir()))):
            t = QTranslator(app)
            if t.load(name, folder):
                app.installTranslator(t)
                installed.append(t)
            else:
                log.warning("no translation %s in %s", name, folder)
    if isinstance(app, QGuiApplication):  # Qt appends it to window titles (" — Agent Desk")
        app.setApplicationDisplayName(QCoreApplication.translate("ClientApp", "Agent Desk"))
    return installed


def setup_fonts(app: QApplication) -> None:
    """Bundled fonts (if any) and CJK fallbacks, so Chinese names never render as boxes."""
    families: list[str] = []
    folder = paths.fonts_dir()
    if folder.is_dir():
        for f in sorted(folder.iterdir()):
            if f.suffix.lower() in (".ttf", ".otf", ".ttc"):
                fid = QFontDatabase.addApplicationFont(str(f))
                families += QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    font = QFont(app.font())
    font.setFamilies([font.family(), *CJK_FALLBACKS, *families])
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(9.5)
    app.setFont(font)


def create_application(argv: list[str]) -> QApplication:
    QCoreApplication.setOrganizationName("")
    QCoreApplication.setApplicationName(paths.APP_NAME)
    QGuiApplication.setApplicationDisplayName("Agent Desk")
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # ClientApp decides when to quit
    if sys.platform.startswith("linux"):
        app.setStyle("Fusion")
    setup_fonts(app)
    from .tray import app_icon

    app.setWindowIcon(app_icon())
    return app


# ---- which window shows when ----------------------------------------------------------------

class ClientApp(QObject):
    """Sign-in dialog, main window, sign-out and language switch around one ``Controller``."""

    def __init__(self, app: QApplication, options: ClientOptions, settings: opts.Settings,
                 *, secrets: Any = None, controller: Any = None) -> None:
        super().__init__()
        from ..client.credentials import SecretStore
        from .controller import Controller
        from .login_dialog import SignInPrompt

        self.app = app
        app.setQuitOnLastWindowClosed(False)  # windows come and go; ``quit()`` ends the app
        self.options = options
        self.settings = settings
        self.controller = controller or Controller(settings, secrets or SecretStore())
        self.prompt = SignInPrompt(self.controller, settings, server=options.server,
                                   user=options.user, parent=self)
        self.prompt.sig_signed_in.connect(self._after_sign_in)
        self.prompt.sig_cancelled.connect(self._on_login_cancelled)
        self.window: Any = None
        self.translators: list[QTranslator] = []
        self.crash: CrashHandler | None = None
        self._quit: asyncio.Future[int] | None = None
        self._cleanups: list[Callable[[], Awaitable[None]]] = []
        self.controller.sig_session_started.connect(self._on_session)
        self.controller.sig_signed_out.connect(self._on_signed_out)
        self.settings.changed.connect(self._on_setting)

    # ---- life cycle ---------------------------------------------------------------------

    async def run(self) -> int:
        self._quit = asyncio.get_running_loop().create_future()
        if self.options.exit_after_first_paint:
            self._offline_window()
        elif self.options.demo is not None:
            from .demo_launcher import run_demo_client

            spawn(run_demo_client(self, self.options.demo))
        elif not await self.controller.resume_remembered():
            self.show_login()
        rc = await self._quit
        await self.shutdown()
        return rc

    def quit(self, rc: int = 0) -> None:
        if self._quit is not None and not self._quit.done():
            self._quit.set_result(rc)

    def fail(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)
        self.quit(2)

    def add_cleanup(self, fn: Callable[[], Awaitable[None]]) -> None:
        self._cleanups.append(fn)

    async def shutdown(self) -> None:
        if self.dialog is not None:
            self.dialog.hide()
        self._drop_window()
        await self.controller.shutdown()
        for fn in reversed(self._cleanups):
            with contextlib.suppress(Exception):
                await fn()

    # ---- sign-in dialog -------------------------------------------------------------------

    @property
    def dialog(self) -> Any:
        return self.prompt.dialog

    def show_login(self, reason: str = "", busy: str = "") -> Any:
        return self.prompt.show(self.window, reason, busy)

    def close_login(self) -> None:
        self.prompt.close()

    def _after_sign_in(self) -> None:
        if self.window is not None:
            self.window.set_signed_out(False)

    def _on_login_cancelled(self) -> None:
        if self.window is None:
            self.quit(0)

    # ---- main window ----------------------------------------------------------------------

    def _on_session(self, bridge: Any) -> None:
        if self.window is None or self.window.bridge is not bridge:
            self._build_window(bridge)

    def _build_window(self, bridge: Any, reopen: list[int] | None = None) -> None:
        from .main_window import MainWindow

        self._drop_window()
        w = MainWindow(self.controller, bridge, self.settings, app_icon=self.app.windowIcon())
        w.sig_quit_requested.connect(lambda: self.quit(0))
        w.sig_sign_out_requested.connect(lambda: spawn(self._sign_out()))
        w.sig_sign_in_requested.connect(lambda: self.show_login())
        self.window = w
        for iid in reopen or []:
            w.open_interaction(iid)
        w.show()
        if self.crash is not None and self.crash.previous_crash is not None:
            w.status.show_notice(self.tr("Agent Desk stopped unexpectedly last time; a report "
                                         "was saved next to the log file."))
            self.crash.previous_crash = None

    def _drop_window(self) -> None:
        w, self.window = self.window, None
        if w is not None:
            w.save_geometry()
            w.dispose()

    def _on_signed_out(self, reason: str) -> None:
        if self.window is not None:
            self.window.set_signed_out(True)
        self.show_login(reason)

    async def _sign_out(self) -> None:
        await self.controller.sign_out()
        self._drop_window()
        self.show_login()

    def _offline_window(self) -> None:
        """The main window before any connection (the benchmark's first paint)."""
        from ..client.state import ClientState
        from .bridge import ClientBridge

        self._build_window(ClientBridge(ClientState()))
        self.window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.options.exit_after_first_paint:
            self.options.exit_after_first_paint = False
            QTimer.singleShot(0, self._first_paint)
        return False

    def _first_paint(self) -> None:
        print(f"first-paint {time.time():.6f}", flush=True)
        self.quit(0)

    # ---- settings -------------------------------------------------------------------------

    @Slot(str)
    @opts.change_filter("language")
    def _on_setting(self, _name: str) -> None:
        lang = choose_language(None, self.settings)
        self.translators = install_translators(self.app, lang, self.translators)
        if self.window is not None:
            self._build_window(self.window.bridge, self.window.workspace.open_ids())


def run_client(options: ClientOptions) -> int:
    """Run the desktop client until it quits; returns the exit code."""
    import qasync

    setup_client_logging()
    app = create_application(sys.argv[:1])
    settings = opts.Settings(paths.settings_file())
    client = ClientApp(app, options, settings)
    client.crash = crash = CrashHandler(dialogs=options.crash_dialog)
    crash.install()
    crash.on_interrupt = lambda: client.quit(130)
    client.translators = install_translators(app, choose_language(options.lang, settings))
    collector = MainThreadGC(app)
    collector.start()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(crash.loop_exception)
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        signal.signal(signal.SIGINT, lambda *_a: client.quit(130))
    try:
        with loop:
            return int(loop.run_until_complete(client.run()))
    finally:
        settings.sync()
        collector.stop()
        crash.uninstall()
        asyncio.set_event_loop(None)
