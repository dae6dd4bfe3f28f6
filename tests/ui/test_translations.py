"""The Chinese translation: the .ts is current and complete (``tools/translations.py
check``), the main window built with ``--lang zh_CN`` against the real backend shows no
English left anywhere (texts, tooltips, accessible names, menus, headers, table cells), and
Qt's own dialogs speak Chinese too (``qtbase_zh_CN``).

The backend's data is made Chinese first (the queue and the agent get Chinese names; the
customer is 王芳), so every table cell can be checked too: any Latin word left on screen
is either a known token (SLA, VIP, key names, the customer's e-mail address...) or a
string that missed ``tr()``."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTabBar,
    QWidget,
)

from agent_desk.server.models import Agent, Queue
from agent_desk.ui.app import ClientApp, choose_language, install_translators
from agent_desk.ui.main_window import LANGUAGES, MainWindow
from tests.ui.test_app_support import (  # noqa: F401 - fixtures
    ServerThread,
    UiEnv,
    qloop_fixture,
    run,
    server_fixture,
    stop_client,
    ui_env_fixture,
    until,
)
from tools import translations

LANG = "zh_CN"
QUEUE_ZH, AGENT_ZH = "中文客服", "李明"
#: Latin words allowed on a Chinese screen: abbreviations used as such in Chinese, key
#: names, the customer's chat id ("chat:wang") and the agent's username ("li").
LATIN_OK = {"SLA", "VIP", "Tab", "Esc", "Enter", "li", "chat", "wang", "IVR", "DTMF",
            "B", "I",  # B and I: the bold/italic buttons, as in Chinese word processors
            "Markdown"}  # a format's name (the article text), as in Chinese editors
#: Not words: key sequences ("Ctrl+Shift+N", "F5"), what is left of a mnemonic ("退出(Q)"),
#: addresses ("wss://desk.example.com", "wangfang@example.cn"), template variables as they
#: are typed ("{customer.name}").
_NOT_WORDS = re.compile(r"(?:(?:Ctrl|Shift|Alt|Meta)\+)+\w+|\bF\d{1,2}\b|\([A-Z]\)"
                        r"|\b\w+://\S+|[\w.+-]+@[\w.-]+|\{[a-z_]+(?:\.[a-z_]+)?\}")
#: Endonyms in the language menu: never translated, by design.
ENDONYMS = {name for _code, name in LANGUAGES}
_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
          Qt.ItemDataRole.AccessibleTextRole)


# ---- what the translation says ----------------------------------------------------------------

def _english() -> tuple[set[str], list[re.Pattern[str]]]:
    """Source strings whose translation differs from them (seeing one means it was not
    translated) and, for those with placeholders, a pattern matching them filled in."""
    plain: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for m in translations.messages(translations.ts_file(LANG)):
        src = str(m["source"])
        if [src] == m["translations"]:
            continue  # deliberately the same in Chinese ("VIP")
        plain.add(_clean(src))
        parts = re.split(r"%(?:\d{1,2}|n)", _clean(src))
        if len(parts) > 1 and re.search("[A-Za-z]{2}", "".join(parts)):  # not "%1 (%2)"
            patterns.append(re.compile(r"\s*(.+?)\s*".join(re.escape(p) for p in parts),
                                       re.DOTALL))
    return plain, patterns


def _clean(text: str) -> str:
    """Without mnemonics ("&File", "文件(&F)") and surrounding blanks."""
    text = re.sub(r"\(&\w\)", "", text)
    return re.sub(r"&(?!&)", "", text).replace("&&", "&").strip()


def untranslated(texts: dict[str, str]) -> list[str]:
    """``texts`` (text → where it was seen) that are English: a source string, a filled-in
    source template, or any Latin word that is not an allowed token."""
    plain, patterns = _english()
    bad = []
    for text, where in sorted(texts.items()):
        t = _clean(text)
        if not t or t in ENDONYMS:
            continue
        if t in plain or any(p.fullmatch(t) for p in patterns):
            bad.append(f"{where}: {text!r} (an English source string)")
            continue
        words = set(re.findall(r"[A-Za-z]+", _NOT_WORDS.sub("", t))) - LATIN_OK
        if words:
            bad.append(f"{where}: {text!r} (Latin words {sorted(words)})")
    return bad


# ---- what is on screen --------------------------------------------------------------------------

def _add(out: dict[str, str], text: object, where: str) -> None:
    if isinstance(text, str) and text.strip():
        out.setdefault(text, where)


def _model_texts(model: QAbstractItemModel, out: dict[str, str], where: str) -> None:
    root = QModelIndex()  # list models want the parent spelled out
    try:
        columns = model.columnCount(root)
    except TypeError:  # QAbstractListModel: one column, and columnCount is private
        columns = 1
    for section in range(columns):
        for role in _ROLES:
            _add(out, model.headerData(section, Qt.Orientation.Horizontal, role),
                 f"{where} header {section}")
    for row in range(model.rowCount(root)):
        for col in range(columns):
            for role in _ROLES:
                _add(out, model.data(model.index(row, col), role), f"{where} cell {row},{col}")


def _action_texts(act: QAction, out: dict[str, str], where: str) -> None:
    if act.isSeparator():
        return
    name = f"{where} action {act.text()!r}"
    for text in (act.text(), act.toolTip(), act.iconText(), act.statusTip(), act.whatsThis()):
        _add(out, text, name)
    if act.menu() is not None:
        _menu_texts(act.menu(), out, name)


def _menu_texts(menu: QMenu, out: dict[str, str], where: str) -> None:
    _add(out, menu.title(), where)
    for act in menu.actions():
        _action_texts(act, out, where)


def screen_texts(root: QWidget) -> dict[str, str]:
    """Every text ``root`` and its children show or tell assistive technology (user input
    in line edits excluded)."""
    out: dict[str, str] = {}
    for w in [root, *root.findChildren(QWidget)]:
        where = f"{type(w).__name__} {w.objectName() or w.accessibleName() or ''}".strip()
        for text in (w.windowTitle(), w.toolTip(), w.statusTip(), w.whatsThis(),
                     w.accessibleName(), w.accessibleDescription()):
            _add(out, text, where)
        if isinstance(w, QLabel):
            _add(out, w.text(), where)
        if isinstance(w, QAbstractButton):
            _add(out, w.text(), where)
        if isinstance(w, QLineEdit):
            _add(out, w.placeholderText(), where)
        if isinstance(w, QMenu):
            _menu_texts(w, out, where)
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                _add(out, w.tabText(i), f"{where} tab {i}")
                _add(out, w.tabToolTip(i), f"{where} tab {i}")
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            _model_texts(w.model(), out, where)
        for act in w.actions():
            _action_texts(act, out, where)
    for act in root.findChildren(QAction):
        _action_texts(act, out, "QAction")
    return out


# ---- fixtures -----------------------------------------------------------------------------------

@pytest.fixture
def zh(qapp: Any) -> Iterator[list[Any]]:
    """The translators ``agent-desk --lang zh_CN`` installs; English again afterwards (the
    other tests of this process read English)."""
    installed = install_translators(qapp, choose_language(LANG, None))
    try:
        yield installed
    finally:
        install_translators(qapp, "en", installed)


def _chinese_world(server: ServerThread) -> None:
    def rename(s: Any) -> None:
        s.query(Queue).filter_by(name="Chinese").one().name = QUEUE_ZH
        s.query(Agent).filter_by(username="li").one().name = AGENT_ZH

    server.sync(rename)


# ---- tests --------------------------------------------------------------------------------------

def test_ts_is_current_and_complete() -> None:
    problems = translations.check()
    assert not problems, "\n".join(problems)


def test_check_reports_new_and_unfinished_strings(tmp_path: Path, monkeypatch: Any) -> None:
    """The script on a copy: a new ``tr()`` string makes the .ts stale; after ``update`` it
    is there, unfinished; a dropped placeholder is reported too."""
    src, out = tmp_path / "ui", tmp_path / "translations"
    shutil.copytree(translations.SOURCES_DIR, src, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(translations.TRANSLATIONS_DIR, out)
    monkeypatch.setattr(translations, "SOURCES_DIR", src)
    monkeypatch.setattr(translations, "TRANSLATIONS_DIR", out)
    assert translations.check() == []
    with open(src / "help_dialog.py", "a", encoding="utf-8") as f:
        f.write("\n\nclass Extra(QDialog):\n    def text(self) -> str:\n"
                "        return self.tr(\"A brand new string\")\n")
    stale = translations.check()
    assert len(stale) == 1 and "stale" in stale[0] and "A brand new string" in stale[0]
    translations.update()
    assert translations.check() == ["unfinished or empty translation: Extra: "
                                    "'A brand new string'"]
    ts = translations.ts_file(LANG)
    ts.write_text(ts.read_text(encoding="utf-8").replace("已等待 %1", "已等待"),
                  encoding="utf-8")
    assert any("placeholders [] instead of ['%1']" in p for p in translations.check())


def test_qt_own_dialogs_speak_chinese(zh: list[Any], qtbot: Any) -> None:
    assert len(zh) == 2, "qtbase_zh_CN and agent_desk_zh_CN must both load"
    sb = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(sb.Ok | sb.Cancel | sb.Close | sb.Yes | sb.No | sb.Apply)
    qtbot.addWidget(box)
    texts = {b: _clean(box.button(b).text()) for b in (sb.Ok, sb.Cancel, sb.Close, sb.Yes,
                                                        sb.No, sb.Apply)}
    assert texts == {sb.Ok: "确定", sb.Cancel: "取消", sb.Close: "关闭", sb.Yes: "是",
                     sb.No: "否", sb.Apply: "应用"}
    msg = QMessageBox(QMessageBox.Icon.Warning, "", "", QMessageBox.StandardButton.Ok)
    qtbot.addWidget(msg)
    assert msg.button(QMessageBox.StandardButton.Ok).text() == "确定"
    assert QCoreApplication.translate("QueueOfferBar", "Accept") == "接受"
    assert QGuiApplication.applicationDisplayName() == "坐席工作台"  # in window titles


def test_chinese_main_window_has_no_english_left(zh: list[Any], qloop: Any,
                                                 server: ServerThread, ui_env: UiEnv,
                                                 qapp: Any) -> None:
    _chinese_world(server)
    client: ClientApp = ui_env.client(qapp, lang=LANG)
    seen: dict[str, str] = {}

    async def scenario() -> None:
        task = asyncio.ensure_future(client.run())
        await until(lambda: client.dialog is not None, what="sign-in dialog")
        dlg = client.dialog
        seen.update(screen_texts(dlg))
        dlg.url.setText(server.url)
        dlg.username.setText("li")
        dlg.password.setText("li-pw")
        dlg.sign_in.click()
        await until(lambda: client.window is not None and client.dialog is None, what="window")
        win: MainWindow = client.window
        await until(lambda: win.status.connection_text() == "已连接", what="connected")
        win.selector.choose("available")
        await until(lambda: win.state.me is not None and win.state.me.state == "available",
                    what="available")
        notified: list[tuple[str, str]] = []
        win.tray.sig_notified.connect(lambda title, text: notified.append((title, text)))
        for channel, subject, body, prio in (
                ("phone", "来电：退款咨询", "", "urgent"),
                ("email", "发票抬头有误", "你好，发票抬头写错了，请重开。", "normal"),
                ("chat", "订单还没到", "你好，我的订单三天了还没到。", "high")):
            await server.acall(lambda w, c=channel, s=subject, b=body, p=prio: w.contact(
                c, who="wang", queue=QUEUE_ZH, subject=s, body=b, priority=p))
        await until(lambda: win.queue.counts()["all"] == 3 and win.queue.counts()["offers"],
                    what="three interactions, one offered to li")
        win.bridge.flush()
        offered = win.queue.target_offer()
        assert offered is not None and win.queue.offer_bar.isVisible()
        seen.update(screen_texts(win))  # with the offer bar and an offered row
        win.queue.accept_offer()
        await until(lambda: win.queue.counts()["mine"] == 1, what="accepted")
        await until(lambda: win.workspace.open_ids() == [offered.iid], what="its tab")
        await until(lambda: win.customer.stack.currentIndex() == 1, what="customer record")
        win.bridge.flush()
        seen.update(screen_texts(win))  # the call panel
        for other in [i for i in win.state.interactions.values() if i.id != offered.iid]:
            win.open_interaction(other.id)  # the email and chat views (read-only: not mine)
            await until(lambda o=other: win.workspace.current_interaction() is not None
                        and win.workspace.current_interaction().id == o.id, what="its tab")
            win.bridge.flush()
            seen.update(screen_texts(win))
        win._show_knowledge()  # the Knowledge tab, then the two KB editors (read-only: li)
        win.bridge.flush()
        seen.update(screen_texts(win))
        editor = win.knowledge.open_editor()
        await until(lambda: editor.overdue.text() is not None and editor.filter.count() > 0,
                    what="article editor")
        editor.new_article(title="", body="")
        seen.update(screen_texts(editor))
        editor.close()
        templates = win.knowledge.open_templates()
        seen.update(screen_texts(templates))
        templates.close()
        win.status.show_notice(win.controller._failed(win.controller.tr("Could not decline"),
                                                      win.controller.explain_refusal("forbidden")))
        win.show_help()
        seen.update(screen_texts(win))
        seen.update(screen_texts(win._help))
        seen.update({win.tray.tooltip: "tray tooltip"})
        seen.update({t: "tray notification" for t, _text in notified})
        assert win.customer.name.text() == "王芳"
        assert win.selector.button.text() in ("空闲", "忙碌")
        assert win.status.counts.text().startswith("电话 ")
        assert await stop_client(client, task) == 0

    run(qloop, scenario(), timeout=90)
    assert len(seen) > 150, f"the walk found only {len(seen)} texts"
    for must in ("接受", "拒绝…", "待您接受", "队列", "SLA 剩余", "客户信息", "王芳",
                 "示忙：小休", "键盘快捷键", "坐席工作台(&A)"):
        assert must in seen, f"{must!r} not found on screen"
    bad = untranslated(seen)
    assert not bad, "English left on the Chinese screen:\n" + "\n".join(bad)


def test_the_check_catches_english(qapp: Any) -> None:
    """The detector itself: it flags source strings, filled-in templates and stray words."""
    found = untranslated({"Accept": "a", "&Help": "b", "Phone 3 · Email 1 · Chat 0": "c",
                          "Loading Carol…": "d", "电话 3 · 邮件 1": "e", "王芳（VIP 客户）": "f",
                          "English": "g", "Ctrl+Shift+A": "h", "队列 2 hours": "i"})
    assert [f.split(":")[0] for f in found] == ["b", "a", "d", "c", "i"]
