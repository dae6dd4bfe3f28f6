"""The safe email viewer (a real ``QTextBrowser`` offscreen) against a corpus of hostile
HTML: every resource request is counted and only ``cid:`` parts of the message are ever
served; nothing navigates the viewer; links show their real target, warn on a host
mismatch, ask before opening and never open ``javascript:``/``file:``/``data:``."""

from __future__ import annotations

import base64
import time

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextCursor

from agent_desk.ui.safe_browser import SafeBrowser
from tests.channels.test_email_html import HOSTILE

MORE_HOSTILE = [
    '<img src="http://tracker.example/open.gif">', '<img src="file:///etc/hostname">',
    "<p style=\"background:url('file:///etc/passwd')\">styled</p>",
    '<iframe src="file:///etc/passwd"></iframe><object data="file:///x"></object>',
    '<a href="file:///etc/hostname">https://bank.example</a>',
    '<a href="javascript:alert(document.cookie)">Click</a>',
    '<base href="file:///etc/"><img src="hostname"><a href="passwd">p</a>',
    '<meta http-equiv="refresh" content="0;url=file:///etc/passwd">text',
    '<svg><image href="file:///etc/x.png"/></svg><img src=x onerror="location=\'http://e\'">',
    '<form action="http://evil.example"><input type=image src="http://evil.example/b.png">'
    "</form>",
    '<img src="data:image/svg+xml;base64,PHN2Zy8+">', '<link rel=icon href="http://e.x/f.ico">',
    '<a href="https://evil.example/login">https://www.bank.example/login</a>',
    '<table background="file:///etc/bg.png"><tr><td>t</td></tr></table>',
    '<img src="cid:not-part-of-this-message@x">',
]
CORPUS = HOSTILE + MORE_HOSTILE


def _png(color: str = "#3366cc") -> bytes:
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")  # type: ignore[call-overload]
    return bytes(data.data())


@pytest.fixture
def browser(qtbot) -> SafeBrowser:  # type: ignore[no-untyped-def]
    b = SafeBrowser()
    qtbot.addWidget(b)
    b.resize(500, 400)
    b.show()
    b.opener = lambda url: pytest.fail(f"opened {url.toString()} without consent")
    return b


def _render(b: SafeBrowser) -> None:
    b.grab()  # lay out and paint: every image the document wants is requested now


@pytest.mark.parametrize("hostile", CORPUS)
def test_hostile_html_fetches_and_navigates_nothing(browser: SafeBrowser, hostile: str
                                                    ) -> None:
    browser.show_message(hostile, "plain alternative")
    _render(browser)
    assert [u for u in browser.resource_requests if not u.lower().startswith("cid:")] == []
    assert browser.served == [] and browser.navigations == [] and browser.opened == []


@pytest.mark.parametrize("hostile", CORPUS)
def test_even_unsanitised_html_gets_nothing_but_cid(browser: SafeBrowser, hostile: str
                                                    ) -> None:
    """Defence in depth: the viewer's own guard refuses every load if HTML ever skipped the
    sanitiser (QTextBrowser alone would load ``file:`` images)."""
    browser.set_cid_part("logo@x", _png())
    browser.setHtml(hostile + '<img src="cid:logo@x">')
    _render(browser)
    assert set(browser.served) <= {"cid:logo@x"}  # only the message's own part is served
    assert browser.navigations == [] and browser.opened == []


def test_the_guard_is_what_stops_file_images(browser: SafeBrowser) -> None:
    browser.set_cid_part("logo@x", _png())
    browser.setHtml('<p>x</p><img src="file:///etc/hostname"><img src="cid:logo@x">')
    _render(browser)
    assert "file:///etc/hostname" in browser.resource_requests  # Qt asked for it...
    assert set(browser.served) == {"cid:logo@x"}  # ...and got nothing


def test_cid_parts_are_served_from_memory(browser: SafeBrowser) -> None:
    assert browser.set_cid_part("<logo@bank.example>", _png())
    assert not browser.set_cid_part("junk@x", b"not an image")
    browser.show_message('<p>Hi</p><img src="cid:logo@bank.example" alt="logo">'
                         '<img src="https://tracker.example/t.gif" alt="t">', "")
    _render(browser)
    assert set(browser.served) == {"cid:logo@bank.example"}
    assert "image not loaded" in browser.toPlainText()


def test_plain_text_when_there_is_no_html(browser: SafeBrowser) -> None:
    browser.show_message(None, "Hello <b>not bold</b>\n> quoted")
    assert browser.toPlainText() == "Hello <b>not bold</b>\n> quoted"
    assert browser.safe is None


def test_navigation_is_refused(browser: SafeBrowser) -> None:
    browser.show_message("<p>stay</p>", "")
    browser.setSource(QUrl("file:///etc/hostname"))
    assert browser.navigations == ["file:///etc/hostname"]
    assert "stay" in browser.toPlainText()


def _click_link(qtbot, b: SafeBrowser, text: str) -> None:  # type: ignore[no-untyped-def]
    cursor = b.document().find(text)
    assert not cursor.isNull(), text
    cursor.setPosition(cursor.selectionStart() + 1, QTextCursor.MoveMode.MoveAnchor)
    point = b.cursorRect(cursor).center() + QPoint(2, 0)
    qtbot.mouseMove(b.viewport(), point)
    qtbot.mouseClick(b.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_clicking_links_asks_first_and_refuses_dangerous_schemes(qtbot, browser: SafeBrowser
                                                                 ) -> None:
    asked: list[str] = []
    answers = [False, True]
    opened: list[str] = []
    def confirm(_title: str, question: str) -> bool:
        asked.append(question)
        return answers.pop(0)
    browser.confirm = confirm
    browser.opener = lambda url: opened.append(url.toString())
    browser.setHtml('<p><a href="file:///etc/hostname">FILELINK</a> '
                    '<a href="javascript:alert(1)">JSLINK</a> '
                    '<a href="data:text/html,hi">DATALINK</a></p>')  # raw: the guard alone
    for text in ("FILELINK", "JSLINK", "DATALINK"):
        with qtbot.waitSignal(browser.sig_notice, timeout=2000) as blocker:
            _click_link(qtbot, browser, text)
        assert "never opened" in blocker.args[0]
    assert asked == [] and opened == [] and browser.navigations == []
    browser.show_message('<p><a href="https://help.example/faq">HELPLINK</a></p>', "")
    _click_link(qtbot, browser, "HELPLINK")  # declined
    _click_link(qtbot, browser, "HELPLINK")  # accepted
    assert len(asked) == 2 and "https://help.example/faq" in asked[0]
    assert opened == ["https://help.example/faq"] and browser.navigations == []
    assert "HELPLINK" in browser.toPlainText()  # the viewer itself went nowhere


def test_hover_shows_the_real_target_and_warns_on_a_mismatch(qtbot, browser: SafeBrowser
                                                             ) -> None:
    browser.show_message('<p><a href="https://evil.example/login">https://bank.example</a>'
                         '<br><a href="https://bank.example/help">Help</a></p>', "")
    with qtbot.waitSignal(browser.sig_hover, timeout=2000) as blocker:
        browser.highlighted.emit(QUrl("https://evil.example/login"))
    assert "evil.example" in blocker.args[0] and "Careful" in blocker.args[0]
    assert browser.toolTip() == blocker.args[0]
    browser.highlighted.emit(QUrl("https://bank.example/help"))
    assert browser.hover_text == "Link to https://bank.example/help"
    asked: list[str] = []
    def confirm(_title: str, question: str) -> bool:
        asked.append(question)
        return False
    browser.confirm = confirm
    browser.open_link("https://evil.example/login")
    assert "different address" in asked[0] and browser.opened == []


def test_a_large_body_is_set_once_without_freezing(browser: SafeBrowser) -> None:
    body = "\n".join(f"line {n} of a very long customer email" for n in range(120_000))
    started = time.perf_counter()
    browser.show_message(None, body)
    assert time.perf_counter() - started < 5.0
    assert browser.document().blockCount() == 120_000
    html = "<p>" + "</p><p>".join(f"para {n}" for n in range(20_000)) + "</p>"
    started = time.perf_counter()
    browser.show_message(html, "")
    assert time.perf_counter() - started < 10.0
    assert "para 19999" in browser.toPlainText()


def test_inline_image_data_uri_never_decoded(browser: SafeBrowser) -> None:
    png = base64.b64encode(_png()).decode()
    browser.setHtml(f'<img src="data:image/png;base64,{png}">')
    _render(browser)
    assert browser.served == []


# ---- large documents and inline parts that come late -----------------------------------------

def _big_table(rows: int = 2_500) -> str:
    """A newsletter-like layout table of well over ``MAX_TABLE_LAYOUT_CHARS``."""
    row = ('<tr bgcolor="#f6f6f6"><td width="30%" title="a <td> in a value"><b>Order {n}</b>'
           '</td><td><p>Your parcel {n} left the warehouse. <a href="https://shop.example/'
           't/{n}">https://bank.example/{n}</a></p><table><tr><td>Blender</td><td>{n}.00 EUR'
           '</td></tr></table></td></tr>')
    return ('<p><img src="cid:logo@x" alt="logo"></p><table width="100%"><caption>Orders'
            '</caption>' + "".join(row.format(n=n) for n in range(rows)) + "</table>"
            "<p>THE END</p>")


def _has_tables(b: SafeBrowser) -> bool:
    from PySide6.QtGui import QTextTable

    frames = list(b.document().rootFrame().childFrames())
    return any(isinstance(f, QTextTable) for f in frames)


def test_a_large_table_document_is_shown_without_its_table_layout(browser: SafeBrowser
                                                                  ) -> None:
    from agent_desk.channels.email import sanitize_html
    from agent_desk.ui.safe_browser import MAX_TABLE_LAYOUT_CHARS, PreparedHtml, prepare_html

    safe = sanitize_html(_big_table())
    assert len(safe.html) > MAX_TABLE_LAYOUT_CHARS
    started = time.perf_counter()
    browser.show_message(safe.html, "", prepare_html(safe))
    browser.viewport().repaint()
    assert time.perf_counter() - started < 5.0
    assert browser.simplified and not _has_tables(browser)
    text = browser.toPlainText()
    for needle in ("Orders", "Order 0", "Your parcel 2499 left", "2499.00 EUR", "THE END"):
        assert needle in text  # nothing the agent needs is hidden
    assert "Careful" in browser.link_text("https://shop.example/t/7")  # warnings still work
    assert [u for u in browser.resource_requests if not u.startswith("cid:")] == []
    browser.show_full_layout()
    assert not browser.simplified and _has_tables(browser)
    assert browser.toPlainText().count("2499.00 EUR") == 1
    # the same without the worker thread's preparation; small documents keep their tables
    browser.show_safe(safe)
    assert browser.simplified and not isinstance(safe, PreparedHtml)
    small = sanitize_html(_big_table(5))
    assert prepare_html(small) is small
    browser.show_safe(small)
    assert not browser.simplified and _has_tables(browser)


def test_simplify_tables_changes_only_table_tags() -> None:
    from agent_desk.ui.safe_browser import simplify_tables

    html = ('<table border="1"><tbody><tr><td title="&lt;x&gt; <td> \'q">A &lt;td&gt;</td>'
            '<th>B</th></tr></tbody></table><p title="<table>">C</p>')
    assert simplify_tables(html) == ('<div><div>A &lt;td&gt;\u2003B\u2003</div></div>'
                                     '<p title="<table>">C</p>')


@pytest.mark.parametrize("hostile", CORPUS)
def test_simplified_hostile_html_fetches_nothing(browser: SafeBrowser, hostile: str) -> None:
    from agent_desk.channels.email import sanitize_html

    filler = "<tr><td><p>" + "filler " * 50 + "</p></td></tr>"
    safe = sanitize_html("<table>" + filler * 1000 + "<tr><td>" + hostile + "</td></tr>"
                         "</table>")
    browser.show_safe(safe)
    _render(browser)
    assert browser.simplified
    assert [u for u in browser.resource_requests if not u.lower().startswith("cid:")] == []
    assert browser.served == [] and browser.navigations == [] and browser.opened == []


def test_inline_parts_that_come_late_are_shown_without_a_new_layout(
        browser: SafeBrowser, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    browser.show_message('<p>Hi <img src="cid:a@x" alt="a"> and <img src="cid:b@x" '
                         'width="30" height="20" alt="b"></p><p>after</p>'
                         '<img src="cid:other@x">', "")
    _render(browser)
    assert browser.served == [] and set(browser.resource_requests) == {
        "cid:a@x", "cid:b@x", "cid:other@x"}
    height = browser.document().size().height()
    monkeypatch.setattr(browser, "setHtml", lambda *_: pytest.fail("set again"))
    big = QImage(60, 90, QImage.Format.Format_RGB32)
    big.fill(QColor("#cc3333"))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    big.save(buf, "PNG")  # type: ignore[call-overload]
    assert browser.set_cid_part("a@x", bytes(data.data()))
    assert browser.set_cid_part("<b@x>", _png())
    browser.show_cid_parts()
    _render(browser)
    assert set(browser.served) == {"cid:a@x", "cid:b@x"}  # only the parts handed over
    assert browser.document().size().height() > height  # the 90 px image was laid out
    assert browser.navigations == []
