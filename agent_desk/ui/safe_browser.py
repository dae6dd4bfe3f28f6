"""A read-only viewer for customer email that cannot be made to load or navigate anything.

``SafeBrowser`` is a ``QTextBrowser`` that
- shows HTML only after ``channels.email.sanitize_html`` (nh3 allowlist), or the plain-text
  alternative when a message has no HTML; the content is set once (a 20 MB email costs one
  layout, not one per line; inline images that come later are laid out on their own,
  ``show_cid_parts``);
- shows a large document (over ``MAX_TABLE_LAYOUT_CHARS`` after sanitising) without its
  table layout (``simplify_tables``: rows become blocks, all text, links and images stay):
  Qt lays a table out in full on the GUI thread, blocks a piece at a time. The original
  layout is one call away (``show_full_layout``);
- serves resources only from memory, and only ``cid:`` parts of the same message that the
  view handed it (``set_cid_part``); every other request (http, https, file, data, qrc,
  relative...) is refused. QTextBrowser would otherwise load ``file:`` images itself;
- never navigates: ``openLinks``/``openExternalLinks`` are off and ``doSetSource`` refuses;
- on hover shows a link's real target (tooltip and ``sig_hover``) and warns when the link's
  text shows another host than the one it leads to;
- on click asks before opening an ``http``/``https``/``mailto`` link in the system browser,
  and refuses every other scheme (``javascript:``, ``file:``, ``data:``...) without asking.

Counters (``resource_requests``, ``served``, ``navigations``, ``opened``) let tests prove
that nothing was fetched or followed."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, fields

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QCursor, QDesktopServices, QImage, QTextDocument, QTextFormat
from PySide6.QtWidgets import QMessageBox, QTextBrowser, QToolTip, QWidget

from ..channels.email import Link, SafeHtml, sanitize_html

log = logging.getLogger("agent_desk.ui.safe_browser")
OPENABLE = frozenset({"http", "https", "mailto"})
#: Largest inline image decoded (bytes): a bigger cid part stays a placeholder.
MAX_INLINE_IMAGE = 5 * 1024 * 1024
# Sanitised HTML longer than this (characters) is shown without its table layout: Qt
# lays a table out in one piece on the GUI thread (a 680 kB newsletter table: ~1 s).
MAX_TABLE_LAYOUT_CHARS = 300_000
# Every tag of sanitised HTML, scanned left to right (the sanitiser's serialiser quotes
# attributes with ``"`` and escapes ``<`` in text, so a ``<`` in text or in an attribute
# value is never taken for a tag).
_TAG = re.compile(r'<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^>"]|"[^"]*")*)>')
_TABLE_TAGS = {
    "table": ("<div>", "</div>"), "caption": ("<div>", "</div>"), "tr": ("<div>", "</div>"),
    "td": ("", "\u2003"), "th": ("", "\u2003"),  # cells side by side, an em space apart
    "thead": ("", ""), "tbody": ("", ""), "tfoot": ("", ""), "colgroup": ("", ""),
    "col": ("", ""),
}
_OBJECT = "\ufffc"  # the character an image takes in a QTextDocument


def _untable(m: re.Match[str]) -> str:
    swap = _TABLE_TAGS.get(m.group(2).lower())
    if swap is None:
        return m.group(0)
    return swap[1] if m.group(1) else swap[0]


def simplify_tables(html: str) -> str:
    """Sanitised ``html`` without table layout: each table, row and caption becomes a
    block and the cells of a row follow each other; every other tag, all text, links and
    images stay as they are. Qt can then lay the document out a piece at a time."""
    return _TAG.sub(_untable, html)


def needs_simplifying(html: str) -> bool:
    """Whether sanitised ``html`` is shown without its table layout at first."""
    return len(html) > MAX_TABLE_LAYOUT_CHARS and "<table" in html


@dataclass(frozen=True, slots=True)
class PreparedHtml(SafeHtml):
    """:class:`SafeHtml` with the viewer's work done ahead (on a worker thread,
    :func:`prepare_html`): ``simple_html`` is ``html`` without its table layout, for a
    document that needs it."""

    simple_html: str | None = None


def prepare_html(safe: SafeHtml) -> SafeHtml:
    """``safe`` ready for :meth:`SafeBrowser.show_safe` (pure Python: any thread)."""
    if isinstance(safe, PreparedHtml) or not needs_simplifying(safe.html):
        return safe
    given = {f.name: getattr(safe, f.name) for f in fields(SafeHtml)}
    return PreparedHtml(**given, simple_html=simplify_tables(safe.html))


class SafeBrowser(QTextBrowser):
    """Signals:
        sig_hover(str): the text to show while the pointer is on a link ("" when it left).
        sig_notice(str): a short translated message (a link that was not opened, and why).
    """

    sig_hover = Signal(str)
    sig_notice = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAccessibleName(self.tr("Message text"))
        self.document().setMetaInformation(QTextDocument.MetaInformation.DocumentUrl, "")
        self._cids: dict[str, QImage] = {}
        self._links: dict[str, Link] = {}
        self.safe: SafeHtml | None = None
        self.simplified = False  # the HTML is shown without its table layout
        self.hover_text = ""
        self.resource_requests: list[str] = []  # every load the document asked for
        self.served: list[str] = []  # what was answered with data (cid: parts only)
        self.navigations: list[str] = []  # attempts to change the viewer's source (refused)
        self.opened: list[str] = []  # links handed to the system browser after consent
        #: (title, question) -> yes; replaced in tests
        self.confirm: Callable[[str, str], bool] = self._ask
        #: opens a URL outside the app; replaced in tests
        self.opener: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.anchorClicked.connect(self._clicked)
        self.highlighted.connect(self._hovered)

    # ---- content --------------------------------------------------------------------------

    def show_message(self, html: str | None, text: str,
                     safe: SafeHtml | None = None) -> None:
        """Show the message: its HTML (sanitised here unless ``safe`` is given, e.g. by a
        worker thread) or, without HTML, ``text`` as plain text."""
        if html is not None and html.strip():
            self.show_safe(safe if safe is not None else sanitize_html(
                html, image_placeholder=self.tr("image not loaded")))
        else:
            self.show_text(text)

    def show_safe(self, safe: SafeHtml, *, full_layout: bool = False) -> None:
        """Show sanitised HTML; a large document without its table layout unless
        ``full_layout`` (``simplified`` says which)."""
        self.safe = safe
        self._links = {}
        for link in safe.links:  # by the href as written and as Qt reports it on hover
            self._links[link.href] = link
            self._links[QUrl(link.href).toString()] = link
        simple = None
        if not full_layout:
            simple = safe.simple_html if isinstance(safe, PreparedHtml) else (
                simplify_tables(safe.html) if needs_simplifying(safe.html) else None)
        self.simplified = simple is not None
        self.setHtml(simple if simple is not None else safe.html)

    def show_full_layout(self) -> None:
        """Show the current message with its table layout (after ``simplified``)."""
        if self.safe is not None and self.simplified:
            self.show_safe(self.safe, full_layout=True)

    def show_text(self, text: str) -> None:
        self.safe = None
        self.simplified = False
        self._links = {}
        self.setPlainText(text)

    def set_cid_part(self, content_id: str, data: bytes) -> bool:
        """Make an inline image of this message available as ``cid:<content_id>``. Before
        the content is shown it is used at once; after, :meth:`show_cid_parts` shows it.
        False when it is not a usable image."""
        if len(data) > MAX_INLINE_IMAGE:
            return False
        image = QImage()
        if not image.loadFromData(data):
            return False
        self._cids[content_id.strip("<>")] = image
        return True

    def show_cid_parts(self) -> None:
        """Show inline parts that arrived after the content was set: only the images
        without a given width and height are laid out again, then the view is repainted
        (Qt asks for an image again each time it paints it); the rest of the document
        keeps its layout."""
        doc = self.document()
        cursor = doc.find(_OBJECT)
        while not cursor.isNull():
            fmt = cursor.charFormat()
            if fmt.isImageFormat():
                image = fmt.toImageFormat()
                name = image.name()
                sized = image.hasProperty(QTextFormat.Property.ImageWidth) and \
                    image.hasProperty(QTextFormat.Property.ImageHeight)
                if not sized and name[:4].lower() == "cid:" and \
                        QUrl.fromPercentEncoding(name[4:].encode()).strip("<>") in self._cids:
                    doc.markContentsDirty(cursor.selectionStart(), 1)
            cursor = doc.find(_OBJECT, cursor)
        self.viewport().update()

    def reload_content(self) -> None:
        """Lay the current message out again, as it is shown (a full ``setHtml``)."""
        if self.safe is not None:
            self.show_safe(self.safe, full_layout=not self.simplified)

    # ---- the guards -----------------------------------------------------------------------

    def loadResource(self, kind: int, url: QUrl | str) -> object:  # noqa: N802 - Qt API
        target = url.toString() if isinstance(url, QUrl) else str(url)
        self.resource_requests.append(target)
        if target[:4].lower() == "cid:":
            image = self._cids.get(QUrl.fromPercentEncoding(target[4:].encode()).strip("<>"))
            if image is not None:
                self.served.append(target)
                return image
        return None

    def doSetSource(self, name: QUrl | str, kind: QTextDocument.ResourceType = (  # noqa: N802
            QTextDocument.ResourceType.UnknownResource)) -> None:
        target = name.toString() if isinstance(name, QUrl) else str(name)
        self.navigations.append(target)
        log.warning("refused to navigate the email viewer to %s", target[:200])

    # ---- links ----------------------------------------------------------------------------

    def link_text(self, href: str) -> str:
        """What hovering ``href`` shows: the real target, and a warning for a mismatch."""
        link = self._links.get(href)
        shown = href if len(href) <= 300 else href[:299] + "…"
        if link is not None and link.text_shows_other_host:
            return self.tr("Careful: this link leads to %1, not to the address its text "
                           "shows. %2").replace("%1", link.real_host or "?").replace(
                "%2", shown)
        return self.tr("Link to %1").replace("%1", shown)

    @Slot(QUrl)
    def _hovered(self, url: QUrl) -> None:
        href = url.toString() if not url.isEmpty() else ""
        self.hover_text = self.link_text(href) if href else ""
        self.setToolTip(self.hover_text)
        self.setStatusTip(self.hover_text)
        if self.hover_text and self.isVisible():
            QToolTip.showText(QCursor.pos(), self.hover_text, self)
        self.sig_hover.emit(self.hover_text)

    def open_link(self, href: str) -> bool:
        """What a click on ``href`` does. True when it was handed to the system browser."""
        scheme = href.split(":", 1)[0].strip().lower() if ":" in href else ""
        if scheme not in OPENABLE:
            self.sig_notice.emit(self.tr("This link was not opened: links of this kind "
                                         "(%1) are never opened from an email.").replace(
                "%1", (scheme or self.tr("relative")) + (":" if scheme else "")))
            return False
        link = self._links.get(href)
        question = self.tr("Open this link in your web browser?\n\n%1").replace("%1", href[:500])
        if link is not None and link.text_shows_other_host:
            question += "\n\n" + self.tr("Careful: the link's text shows a different address "
                                         "than where it really leads (%1).").replace(
                "%1", link.real_host or "?")
        if not self.confirm(self.tr("Open link"), question):
            return False
        self.opened.append(href)
        self.opener(QUrl(href, QUrl.ParsingMode.StrictMode))
        return True

    @Slot(QUrl)
    def _clicked(self, url: QUrl) -> None:
        self.open_link(url.toString())

    def _ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question,
                                      QMessageBox.StandardButton.Open
                                      | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Open
