"""The full record of a past interaction, read-only: the chat or call transcript (turns,
internal notes, system lines with times) or the email thread (each message with from, to,
date; HTML only through ``SafeBrowser``), with its disposition, wrap-up notes and survey.
Loaded with ``get_interaction`` in the background; offline, the locally cached copy."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..protocol import views as v
from .labels import channel_text, disposition_text
from .text_style import emphasize, mute, notice_label

log = logging.getLogger("agent_desk.ui.past_interaction_dialog")
DetailLoader = Callable[[int], Awaitable[object]]  # -> Cached[InteractionDetail] | detail


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


class PastInteractionDialog(QDialog):
    """Signals:
        sig_loaded(): the record is shown.
        sig_propose(str, str, str, int): "Turn this answer into an article": title, body,
            language, interaction id (names and order numbers replaced by variables).
    """

    sig_loaded = Signal()
    sig_propose = Signal(str, str, str, int)

    def __init__(self, loader: DetailLoader, interaction_id: int, title: str = "",
                 parent: QWidget | None = None, *, agent_name: Callable[[int | None], str]
                 = lambda _a: "") -> None:
        super().__init__(parent)
        self._loader = loader
        self._agent_name = agent_name
        self.interaction_id = interaction_id
        self.detail: v.InteractionDetail | None = None
        self.setWindowTitle(self.tr("Conversation: %1").replace("%1", title or "—"))
        self.setAccessibleName(self.tr("Past conversation"))
        self.resize(680, 560)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 12, 14, 12)
        lay.setSpacing(8)
        self.heading = emphasize(QLabel(title, self), 1.25)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.heading)
        self.meta = mute(QLabel(self))
        self.meta.setWordWrap(True)
        self.meta.setAccessibleName(self.tr("About this conversation"))
        lay.addWidget(self.meta)
        self.stale = notice_label(self)
        lay.addWidget(self.stale)
        self.stack = QStackedWidget(self)
        lay.addWidget(self.stack, 1)
        self.message = QLabel(self.tr("Loading…"), self.stack)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Conversation message"))
        self.stack.addWidget(self.message)
        self.transcript = QTextBrowser(self.stack)  # chat and phone: escaped text only
        self.transcript.setOpenLinks(False)
        self.transcript.setOpenExternalLinks(False)
        self.transcript.setAccessibleName(self.tr("Transcript"))
        self.stack.addWidget(self.transcript)
        self.thread_split = QSplitter(Qt.Orientation.Vertical, self.stack)
        self.thread_list = QListWidget(self.thread_split)
        self.thread_list.setAccessibleName(self.tr("Messages of the thread"))
        self.thread_list.currentRowChanged.connect(self._show_email)
        pane = QWidget(self.thread_split)
        pl = QVBoxLayout(pane)
        pl.setContentsMargins(0, 4, 0, 0)
        self.email_header = QLabel(pane)
        self.email_header.setWordWrap(True)
        self.email_header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.email_header.setAccessibleName(self.tr("Message header"))
        self.viewer = self._make_viewer(pane)
        pl.addWidget(self.email_header)
        pl.addWidget(self.viewer, 1)
        self.thread_split.addWidget(self.thread_list)
        self.thread_split.addWidget(pane)
        self.thread_split.setSizes([140, 360])
        self.stack.addWidget(self.thread_split)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("&Close"))
        close.setAccessibleName(self.tr("Close the conversation"))
        self.btn_propose = buttons.addButton(self.tr("Turn this answer into an &article…"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.btn_propose.setToolTip(self.tr("Start a knowledge-base article from this "
                                            "conversation; an editor reviews it before "
                                            "agents see it"))
        self.btn_propose.setEnabled(False)
        self.btn_propose.clicked.connect(self._propose)
        lay.addWidget(buttons)
        self._task: asyncio.Future[None] | None = asyncio.ensure_future(self._load())

    @staticmethod
    def _make_viewer(parent: QWidget) -> QTextBrowser:
        try:
            from .safe_browser import SafeBrowser

            return SafeBrowser(parent)
        except ImportError:  # plain text only
            b = QTextBrowser(parent)
            b.setOpenLinks(False)
            return b

    # ---- loading --------------------------------------------------------------------------

    async def _load(self) -> None:
        from .controller import QueryFailed

        try:
            got = await self._loader(self.interaction_id)
        except asyncio.CancelledError:
            raise
        except QueryFailed as exc:
            self.message.setText(exc.text)
            return
        except Exception:
            log.exception("could not load interaction %d", self.interaction_id)
            self.message.setText(self.tr("The conversation could not be loaded."))
            return
        detail = getattr(got, "value", got)
        if getattr(got, "stale", False):
            at = datetime.fromtimestamp(float(getattr(got, "fetched_at", 0.0)))
            self.stale.setText(self.tr("Offline — showing the copy from %1.").replace(
                "%1", at.strftime("%Y-%m-%d %H:%M")))
            self.stale.show()
        assert isinstance(detail, v.InteractionDetail)
        self.show_detail(detail)

    def done(self, result: int) -> None:  # noqa: D401 - Qt API
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().done(result)

    # ---- rendering ------------------------------------------------------------------------

    def show_detail(self, d: v.InteractionDetail) -> None:
        self.detail = d
        i = d.interaction
        self.heading.setText(i.subject or self.tr("(no subject)"))
        self.setWindowTitle(self.tr("Conversation: %1").replace("%1", i.subject or "—"))
        parts = [channel_text(str(i.channel)), _when(i.created_at),
                 self._agent_name(i.assigned_agent_id) or "",
                 disposition_text(i.disposition, str(i.state))]
        if d.resolved_first_contact:
            parts.append(self.tr("resolved on first contact"))
        if d.survey is not None and d.survey.csat is not None:
            parts.append(self.tr("CSAT %1 of 5").replace("%1", str(d.survey.csat)))
        meta = " · ".join(p for p in parts if p and p != "—")
        if d.wrap_up_notes:
            meta += "\n" + self.tr("Wrap-up notes: %1").replace("%1", d.wrap_up_notes)
        self.meta.setText(meta)
        if str(i.channel) == "email" and d.messages:
            self.thread_list.clear()
            for msg in d.messages:
                who = msg.from_addr or msg.author
                item = QListWidgetItem(f"{_when(msg.at)} · {who} · {msg.subject or ''}")
                item.setToolTip(self.tr("To: %1").replace("%1", ", ".join(msg.to)))
                self.thread_list.addItem(item)
            self.stack.setCurrentWidget(self.thread_split)
            self.thread_list.setCurrentRow(len(d.messages) - 1)
        else:
            self.transcript.setHtml(self.transcript_html(d))
            self.stack.setCurrentWidget(self.transcript)
        self.btn_propose.setEnabled(self.proposal() is not None)
        self.sig_loaded.emit()

    def proposal(self) -> tuple[str, str, str] | None:
        """The article draft from this conversation (see ``article_proposal``)."""
        from .article_proposal import proposal

        return proposal(self.detail) if self.detail is not None else None

    def _propose(self) -> None:
        p = self.proposal()
        if p is not None:
            self.sig_propose.emit(*p, self.interaction_id)

    def transcript_html(self, d: v.InteractionDetail) -> str:
        """Turns and notes by time; every text escaped (nothing from the customer is markup)."""
        rows: list[tuple[datetime, str]] = []
        for msg in d.messages:
            kind = {"inbound": "", "outbound": "",
                    "internal": self.tr("internal note"),
                    "system": self.tr("system")}.get(str(msg.direction), "")
            rows.append((msg.at, self._turn(msg.author, msg.at, kind, msg.body,
                                            str(msg.direction))))
        for note in d.notes:
            rows.append((note.at, self._turn(note.author, note.at, self.tr("internal note"),
                                             note.body, "internal")))
        rows.sort(key=lambda r: r[0])
        if not rows:
            return "<p>" + html.escape(self.tr("Nothing was written in this conversation.")) \
                + "</p>"
        return "".join(r for _at, r in rows)

    @staticmethod
    def _turn(author: str, at: datetime, kind: str, body: str, direction: str) -> str:
        color = {"inbound": "#1d4ed8", "outbound": "#047857", "internal": "#92400e"}.get(
            direction, "#555555")
        label = f"{html.escape(author)} · {at.astimezone().strftime('%H:%M')}"
        if kind:
            label += f" · <i>{html.escape(kind)}</i>"
        text = html.escape(body).replace("\n", "<br>")
        return (f"<p style='margin:6px 0 0 0'><b style='color:{color}'>{label}</b></p>"
                f"<p style='margin:2px 0 6px 0'>{text}</p>")

    @Slot(int)
    def _show_email(self, row: int) -> None:
        if self.detail is None or not 0 <= row < len(self.detail.messages):
            return
        msg = self.detail.messages[row]
        header = [self.tr("From: %1").replace("%1", msg.from_addr or msg.author),
                  self.tr("To: %1").replace("%1", ", ".join(msg.to) or "—")]
        if msg.cc:
            header.append(self.tr("Cc: %1").replace("%1", ", ".join(msg.cc)))
        header.append(self.tr("Date: %1").replace("%1", _when(msg.at)))
        self.email_header.setText("\n".join(header))
        show = getattr(self.viewer, "show_message", None)
        if show is not None:
            show(msg.html, msg.body)
        else:
            self.viewer.setPlainText(msg.body)
