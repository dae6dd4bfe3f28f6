"""TemplateStore: reply templates and reply examples in the knowledge-base file (real
SQLite files in the test's tmp dir)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_desk.kb import text
from agent_desk.kb.store import KBStore
from agent_desk.kb.template_store import (
    META_ANALYZER,
    ReplyExample,
    Template,
    TemplateStore,
    shortcut_key,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[KBStore]:
    s = KBStore(tmp_path / "kb.db")
    yield s
    s.close()


def refund_en(**kw: object) -> Template:
    fields: dict[str, object] = dict(
        id="refund-en", title="Refund for a damaged item",
        body="Hi {customer.name}, your order {order.number} has been refunded.",
        language="en", tags=["refund", "damaged"], shortcut="#refund")
    fields.update(kw)
    return Template(**fields)  # type: ignore[arg-type]


def refund_zh(**kw: object) -> Template:
    fields: dict[str, object] = dict(
        id="refund-zh", title="商品破损退款",
        body="{customer.name}您好，订单{order.number}已为您办理退款。",
        language="zh", tags=["退款"], shortcut="#Refund")
    fields.update(kw)
    return Template(**fields)  # type: ignore[arg-type]


def fts_rowids(store: KBStore, table: str, word: str) -> list[int]:
    """Rows of an FTS table with ``word`` (analysed like the index: refunded → refund)."""
    term = text.index_terms(word)[0]
    return [int(r[0]) for r in store.conn.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (f'"{term}"',))]


def test_round_trip_and_index(store: KBStore) -> None:
    ts = TemplateStore(store)
    assert ts.upsert_template(refund_en(refusal=True, version=3))
    got = ts.template("refund-en")
    assert got == refund_en(refusal=True, version=3)
    assert ts.count("template") == 1
    # indexed with the KB analyser: stems of title, tags and body
    assert fts_rowids(store, "kb_template_fts", "refund")
    assert fts_rowids(store, "kb_template_fts", "damaged")
    assert ts.template("nope") is None


def test_chinese_two_character_word_is_indexed(store: KBStore) -> None:
    ts = TemplateStore(store)
    ts.upsert_template(refund_zh())
    assert fts_rowids(store, "kb_template_fts", "退款")
    assert ts.doc_freqs("template", ["退款", "发票"]) == {"退款": 1}


def test_older_version_is_ignored(store: KBStore) -> None:
    ts = TemplateStore(store)
    assert ts.upsert_template(refund_en(version=2, title="Refund (v2)"))
    assert not ts.upsert_template(refund_en(version=1, title="Refund (v1)"))
    got = ts.template("refund-en")
    assert got is not None and got.title == "Refund (v2)" and got.version == 2
    # the same version again (a repeated sync) is applied
    assert ts.upsert_template(refund_en(version=2, title="Refund (v2 again)"))
    assert ts.template("refund-en").title == "Refund (v2 again)"  # type: ignore[union-attr]


def test_update_replaces_the_index_entry(store: KBStore) -> None:
    ts = TemplateStore(store)
    ts.upsert_template(refund_en())
    ts.upsert_template(refund_en(version=2, title="Invoice copy", tags=["invoice"],
                                 body="Here is your invoice."))
    assert not fts_rowids(store, "kb_template_fts", "refund")
    assert fts_rowids(store, "kb_template_fts", "invoice")


def test_inactive_template_leaves_the_index_but_keeps_its_version(store: KBStore) -> None:
    ts = TemplateStore(store)
    ts.upsert_template(refund_en(version=1))
    ts.upsert_template(refund_en(version=2, active=False))
    assert not fts_rowids(store, "kb_template_fts", "refund")
    assert ts.templates() == []
    assert [t.id for t in ts.templates(include_inactive=True)] == ["refund-en"]
    assert ts.by_shortcut("#refund") is None
    assert ts.count("template") == 0
    # an older, active copy arriving late does not bring it back
    assert not ts.upsert_template(refund_en(version=1, active=True))
    assert ts.templates() == []
    assert ts.upsert_template(refund_en(version=3, active=True))
    assert fts_rowids(store, "kb_template_fts", "refund")


def test_remove_template(store: KBStore) -> None:
    ts = TemplateStore(store)
    ts.upsert_template(refund_en())
    assert ts.remove_template("refund-en")
    assert not ts.remove_template("refund-en")
    assert ts.template("refund-en") is None
    assert not fts_rowids(store, "kb_template_fts", "refund")


def test_shortcut_lookup_prefers_the_language(store: KBStore) -> None:
    ts = TemplateStore(store)
    ts.upsert_template(refund_en())
    ts.upsert_template(refund_zh())
    ts.upsert_template(Template(id="pw", title="Password", body="Reset it.", language="en",
                                tags=[], shortcut="密码"))
    assert shortcut_key(" #ReFund ") == "refund" and shortcut_key("#") is None
    assert ts.by_shortcut("#REFUND", "zh").id == "refund-zh"  # type: ignore[union-attr]
    assert ts.by_shortcut("refund", "zh_CN").id == "refund-zh"  # type: ignore[union-attr]
    assert ts.by_shortcut("Refund", "en").id == "refund-en"  # type: ignore[union-attr]
    # no template in that language: any, deterministically
    assert ts.by_shortcut("#refund", "fr").id == "refund-en"  # type: ignore[union-attr]
    assert ts.by_shortcut("#refund").id == "refund-en"  # type: ignore[union-attr]
    assert ts.by_shortcut("#密码").id == "pw"  # type: ignore[union-attr]
    assert ts.by_shortcut("#nothing") is None
    assert ts.by_shortcut("") is None


def test_templates_by_language(store: KBStore) -> None:
    ts = TemplateStore(store)
    ts.upsert_template(refund_en())
    ts.upsert_template(refund_zh(language="zh-CN"))
    assert [t.id for t in ts.templates("zh")] == ["refund-zh"]
    assert [t.id for t in ts.templates("en")] == ["refund-en"]
    assert len(ts.templates()) == 2


def test_replies_upsert_update_remove(store: KBStore) -> None:
    ts = TemplateStore(store)
    ts.upsert_reply(ReplyExample(1, "My blender came cracked", "Refunded {order.number}.", "en"))
    assert fts_rowids(store, "kb_reply_fts", "blender") == [1]
    assert fts_rowids(store, "kb_reply_fts", "refund") == [1]  # the reply, weighted lower
    ts.upsert_reply(ReplyExample(1, "Where is my parcel", "It arrives tomorrow.", "en",
                                 channel="email", score=2.0))
    assert fts_rowids(store, "kb_reply_fts", "blender") == []
    assert fts_rowids(store, "kb_reply_fts", "parcel") == [1]
    got = ts.reply(1)
    assert got is not None and got.channel == "email" and got.score == 2.0
    assert ts.count("reply") == 1
    assert ts.remove_reply(1) and not ts.remove_reply(1)
    assert fts_rowids(store, "kb_reply_fts", "parcel") == []
    assert ts.reply(1) is None and ts.count("reply") == 0


def test_clear(store: KBStore) -> None:
    ts = TemplateStore(store)
    ts.upsert_template(refund_en())
    ts.upsert_reply(ReplyExample(1, "where is my parcel", "tomorrow", "en"))
    assert ts.count("template") == 1 and ts.count("reply") == 1
    ts.clear()
    assert ts.count("template") == 0 and ts.count("reply") == 0
    assert ts.templates(include_inactive=True) == [] and ts.reply(1) is None
    assert not fts_rowids(store, "kb_template_fts", "refund")
    assert not fts_rowids(store, "kb_reply_fts", "parcel")


def test_writes_join_the_store_transaction(store: KBStore) -> None:
    ts = TemplateStore(store)
    with pytest.raises(RuntimeError), store.transaction():
        ts.upsert_template(refund_en())
        ts.upsert_reply(ReplyExample(7, "hello", "hi", "en"))
        raise RuntimeError("crash halfway")
    assert ts.template("refund-en") is None and ts.reply(7) is None
    assert not fts_rowids(store, "kb_template_fts", "refund")


def test_persists_and_reindexes_after_an_analyser_change(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    with KBStore(path) as store:
        ts = TemplateStore(store)
        ts.upsert_template(refund_en())
        ts.upsert_reply(ReplyExample(3, "我的快递还没到", "已催促快递。", "zh"))
        store.set_meta(META_ANALYZER, "0")  # as if built by another analyser version
    with KBStore(path, create=False) as store:
        ts = TemplateStore(store)
        assert store.meta(META_ANALYZER) != "0"
        assert ts.template("refund-en") is not None
        assert fts_rowids(store, "kb_template_fts", "refund")
        assert fts_rowids(store, "kb_reply_fts", "快递") == [3]


def test_generation_changes_with_writes_from_any_connection(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    with KBStore(path) as one, KBStore(path) as two:
        ts1, ts2 = TemplateStore(one), TemplateStore(two)
        g1, g2 = ts1.generation(), ts2.generation()
        ts1.upsert_template(refund_en())
        assert ts1.generation() != g1
        assert ts2.generation() != g2  # another connection committed
        assert ts2.count("template") == 1
