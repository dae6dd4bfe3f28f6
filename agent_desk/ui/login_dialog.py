"""The sign-in dialog (server address, username, password, "remember me") and
``SignInPrompt``, which shows it and turns a submission into ``Controller.sign_in``.

The dialog only collects input and shows progress and errors. What the user typed stays
in the fields across failures (the password is selected, not cleared, after a
wrong-password answer). The
password is never stored; "remember me" keeps only the refresh token, in the OS credential
store — or, where there is none, for this session only, which the dialog says."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from . import settings as opts
from .settings import Settings
from .text_style import emphasize, mute

INFO_STYLE = ("QLabel { background: #e8f1fb; color: #0b3d6e; border: 1px solid #9cc3ea; "
              "border-radius: 4px; padding: 6px 8px; }")
ERROR_STYLE = ("QLabel { background: #fdecea; color: #7f1d1d; border: 1px solid #f1a7a0; "
               "border-radius: 4px; padding: 6px 8px; }")


class LoginDialog(QDialog):
    """Signals:
        sig_submitted(str, str, str, bool): server URL, username, password, remember me.
    """

    sig_submitted = Signal(str, str, str, bool)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._persistent: bool | None = None
        self.setWindowTitle(self.tr("Sign in — Agent Desk"))
        self.setAccessibleName(self.tr("Sign in"))
        self.setMinimumWidth(420)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 14)
        lay.setSpacing(12)
        title = emphasize(QLabel(self.tr("Agent Desk"), self), 1.6)
        lay.addWidget(title)
        sub = mute(QLabel(self.tr("Sign in to start your shift."), self))
        lay.addWidget(sub)
        self.reason = QLabel(self)
        self.reason.setStyleSheet(INFO_STYLE)
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName(self.tr("Why you need to sign in"))
        self.reason.hide()
        lay.addWidget(self.reason)

        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        self.url = QLineEdit(settings.get(opts.SERVER_URL), self)
        self.url.setAccessibleName(self.tr("Server address"))
        self.url.setPlaceholderText("wss://desk.example.com")
        self.username = QLineEdit(settings.get(opts.USERNAME), self)
        self.username.setAccessibleName(self.tr("Username"))
        self.username.setMaxLength(200)
        self.password = QLineEdit(self)
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(1000)
        form.addRow(self.tr("&Server:"), self.url)
        form.addRow(self.tr("&Username:"), self.username)
        form.addRow(self.tr("&Password:"), self.password)
        lay.addLayout(form)

        self.remember = QCheckBox(self.tr("&Remember me on this computer"), self)
        self.remember.setAccessibleName(self.tr("Remember me"))
        self.remember.setToolTip(self.tr("Keeps a sign-in token in the system's credential "
                                         "store. Your password is never stored."))
        self.remember.setChecked(settings.get(opts.REMEMBER_ME))
        self.remember.toggled.connect(self._update_hint)
        lay.addWidget(self.remember)
        self.remember_hint = mute(QLabel(self))
        self.remember_hint.setWordWrap(True)
        self.remember_hint.setAccessibleName(self.tr("About remember me"))
        self.remember_hint.hide()
        lay.addWidget(self.remember_hint)

        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Sign-in problem"))
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        lay.addWidget(self.error)
        self.progress = QLabel(self.tr("Signing in…"), self)
        self.progress.setAccessibleName(self.tr("Progress"))
        self.progress.hide()
        lay.addWidget(self.progress)

        self.buttons = QDialogButtonBox(self)
        self.sign_in = QPushButton(self.tr("Sign in"), self)
        self.sign_in.setAccessibleName(self.tr("Sign in"))
        self.sign_in.setDefault(True)
        self.quit = QPushButton(self.tr("Quit"), self)
        self.quit.setAccessibleName(self.tr("Quit Agent Desk"))
        self.buttons.addButton(self.sign_in, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.quit, QDialogButtonBox.ButtonRole.RejectRole)
        self.sign_in.clicked.connect(self.submit)
        self.quit.clicked.connect(self.reject)
        lay.addWidget(self.buttons)
        self.setTabOrder(self.url, self.username)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.remember)
        self.setTabOrder(self.remember, self.sign_in)
        (self.password if self.username.text() else self.username).setFocus()

    # ---- input ----------------------------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        if not self.sign_in.isEnabled():
            return
        for field, text in ((self.url, self.tr("Enter the server address.")),
                            (self.username, self.tr("Enter your username.")),
                            (self.password, self.tr("Enter your password."))):
            if not field.text().strip():
                self.show_error(text, field)
                return
        self.error.hide()
        self.sig_submitted.emit(self.url.text().strip(), self.username.text().strip(),
                                self.password.text(), self.remember.isChecked())

    # ---- feedback -------------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        for w in (self.url, self.username, self.password, self.remember, self.sign_in):
            w.setEnabled(not busy)
        self.progress.setVisible(busy)

    def show_error(self, text: str, focus: QLineEdit | None = None) -> None:
        self.error.setText("⚠ " + text)
        self.error.show()
        target = focus or self.password
        target.setFocus()
        target.selectAll()

    def show_reason(self, text: str) -> None:
        """Why the user has to sign in (again), shown above the fields."""
        self.reason.setText(text)
        self.reason.setVisible(bool(text))

    def set_store_persistent(self, persistent: bool) -> None:
        self._persistent = persistent
        self._update_hint()

    @Slot()
    def _update_hint(self) -> None:
        show = self.remember.isChecked() and self._persistent is False
        self.remember_hint.setText(self.tr(
            "No system credential store was found: you will be remembered for this session "
            "only."))
        self.remember_hint.setVisible(show)

    def clear_password(self) -> None:
        self.password.clear()

    def done(self, result: int) -> None:  # noqa: D102 - never keep the password around
        self.password.clear()
        super().done(result)


class SignInPrompt(QObject):
    """Shows the sign-in dialog when needed and signs in with what was typed.

    Signals:
        sig_signed_in: the sign-in succeeded (the dialog is closed).
        sig_cancelled: the user closed the dialog without signing in.
    """

    sig_signed_in = Signal()
    sig_cancelled = Signal()

    def __init__(self, controller: Any, settings: Settings, *, server: str | None = None,
                 user: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self._server, self._user = server, user
        self.dialog: LoginDialog | None = None

    def show(self, parent: QWidget | None, reason: str = "", busy: str = "") -> LoginDialog:
        from .app import spawn

        dlg = self.dialog
        if dlg is None:
            dlg = LoginDialog(self.settings, parent)
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            if self._server:
                dlg.url.setText(self._server)
            if self._user:
                dlg.username.setText(self._user)
            dlg.sig_submitted.connect(self._on_submit)
            dlg.rejected.connect(self._on_rejected)
            self.dialog = dlg
            spawn(self._probe_store(dlg))
        elif parent is not None and dlg.parentWidget() is not parent:
            dlg.setParent(parent, dlg.windowFlags())
        dlg.show_reason(reason)
        if busy:
            dlg.set_busy(True)
            dlg.progress.setText(busy)
        dlg.open() if parent is not None else dlg.show()
        dlg.raise_()
        return dlg

    def close(self) -> None:
        dlg, self.dialog = self.dialog, None
        if dlg is not None:
            dlg.rejected.disconnect(self._on_rejected)
            dlg.accept()

    async def _probe_store(self, dlg: LoginDialog) -> None:
        persistent = await self.controller.store_is_persistent()
        if self.dialog is dlg and isValid(dlg):  # not closed and deleted meanwhile
            dlg.set_store_persistent(persistent)

    @Slot(str, str, str, bool)
    def _on_submit(self, url: str, username: str, password: str, remember: bool) -> None:
        from .app import spawn

        spawn(self._sign_in(url, username, password, remember))

    async def _sign_in(self, url: str, username: str, password: str, remember: bool) -> None:
        from .controller import SignInError

        dlg = self.dialog
        if dlg is None:
            return
        dlg.set_busy(True)
        dlg.progress.setText(self.tr("Signing in…"))
        try:
            await self.controller.sign_in(url, username, password, remember)
        except SignInError as exc:
            if self.dialog is dlg:
                dlg.set_busy(False)
                at_url = exc.code in ("bad_url", "unreachable", "certificate")
                dlg.show_error(exc.text, dlg.url if at_url else dlg.password)
            return
        self.close()
        self.sig_signed_in.emit()

    @Slot()
    def _on_rejected(self) -> None:
        self.dialog = None
        self.sig_cancelled.emit()
