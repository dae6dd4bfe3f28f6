"""Importing: JSON Lines (unknown fields warned about, bad lines reported by line number
and skipped), a folder of Markdown files with front matter, and all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_desk.kb.importer import import_path, parse_front_matter
from agent_desk.kb.search import Searcher
from agent_desk.kb.store import KBStore


def write_lines(path: Path, lines: list[object]) -> Path:
    with path.open("wb") as f:
        for line in lines:
            if isinstance(line, bytes):
                f.write(line + b"\n")
            elif isinstance(line, str):
                f.write(line.encode() + b"\n")
            else:
                f.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
    return path


GOOD = {"id": "a1", "title": "Refunds", "body": "How refunds work.", "tags": ["refund"],
        "language": "en"}


def test_jsonl_import_reports_bad_lines_and_keeps_good_ones(tmp_path: Path) -> None:
    src = write_lines(tmp_path / "arts.jsonl", [
        GOOD,                                                      # 1
        "",                                                        # 2 blank: ignored
        "{not json",                                               # 3
        ["a", "list"],                                             # 4
        {"title": "No id", "body": "x"},                           # 5
        {"id": "a2", "title": "Tags", "body": "x", "tags": "refund"},  # 6
        {"id": "a3", "title": "Lang", "body": "x", "language": "english!"},  # 7
        b"\xff\xfe broken bytes",                                  # 8
        {**GOOD, "id": "a4", "colour": "red", "author": "x"},      # 9 unknown fields
        {"id": 5, "title": "Numeric id", "body": "发票怎么开"},       # 10 no language
        {**GOOD, "id": "a6", "usage_count": -1},                   # 11
    ])
    store = KBStore(tmp_path / "kb.db")
    report = import_path(store, src)
    assert report.imported == 3 and report.skipped == 7
    lines = [e.split(":")[1] for e in report.errors]
    assert lines == ["3", "4", "5", "6", "7", "8", "11"], report.errors
    assert "invalid JSON" in report.errors[0] and "'id'" in report.errors[2]
    assert "'tags' must be a list of strings" in report.errors[3]
    assert any("unknown field 'colour'" in w and "arts.jsonl:9" in w for w in report.warnings)
    assert any("guessed" in w and "arts.jsonl:10" in w for w in report.warnings)
    assert store.get("5").language == "zh"  # type: ignore[union-attr]
    assert store.count() == 3
    assert [h.id for h in Searcher(store).search("refund")] == ["a1", "a4"]


def test_an_id_twice_keeps_the_later_line(tmp_path: Path) -> None:
    src = write_lines(tmp_path / "a.jsonl", [GOOD, {**GOOD, "title": "Refunds v2"}])
    store = KBStore(tmp_path / "kb.db")
    report = import_path(store, src)
    assert report.imported == 1 and "the later one wins" in report.warnings[0]
    assert store.get("a1").title == "Refunds v2"  # type: ignore[union-attr]
    import_path(store, src)  # importing again updates, never duplicates
    assert store.count() == 1 and store.get("a1").version == 4  # type: ignore[union-attr]


@pytest.mark.parametrize("exc", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_nothing_is_half_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  exc: BaseException) -> None:
    src = write_lines(tmp_path / "a.jsonl", [{**GOOD, "id": f"x{i}"} for i in range(10)])
    store = KBStore(tmp_path / "kb.db")
    import_path(store, write_lines(tmp_path / "before.jsonl", [GOOD]))
    real = store.upsert
    calls = []

    def flaky(article):  # type: ignore[no-untyped-def]
        calls.append(article.id)
        if len(calls) == 6:
            raise exc
        return real(article)

    monkeypatch.setattr(store, "upsert", flaky)
    with pytest.raises(type(exc)):
        import_path(store, src)
    monkeypatch.undo()
    assert store.count() == 1 and store.get("x0") is None
    assert [h.id for h in Searcher(store).search("refund")] == ["a1"]
    assert import_path(store, src).imported == 10  # and the store still works


def test_markdown_folder(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    (folder / "billing").mkdir(parents=True)
    (folder / "billing" / "refunds.md").write_text(
        "---\ntitle: Refund policy\ntags: [refund, \"money back\"]\nlanguage: en\n"
        "helped_count: 3\n---\n# Ignored heading? no: title given\n\nRefunds take 3 days.\n",
        "utf-8")
    (folder / "发票.md").write_text("---\ntags:\n  - 发票\n  - 开票\n---\n# 如何开发票\n\n"
                                   "订单发货后发送电子发票。\n", "utf-8")
    (folder / "plain.md").write_text("No front matter, no heading.\n", "utf-8")
    (folder / "broken.md").write_text("---\ntitle: never closed\n", "utf-8")
    (folder / "bad.md").write_text("---\njust some words\n---\nbody\n", "utf-8")
    (folder / "notes.txt").write_text("not markdown", "utf-8")
    store = KBStore(tmp_path / "kb.db")
    report = import_path(store, folder)
    assert report.imported == 3 and report.skipped == 2
    assert sorted(e.split(":")[0] for e in report.errors) == ["bad.md", "broken.md"]
    refunds = store.get("billing-refunds")
    assert refunds is not None and refunds.title == "Refund policy"
    assert refunds.tags == ("refund", "money back") and refunds.helped_count == 3
    zh = store.get("发票")
    assert zh is not None and zh.title == "如何开发票" and zh.language == "zh"
    assert zh.tags == ("发票", "开票") and "如何开发票" not in zh.body
    plain = store.get("plain")
    assert plain is not None and plain.title == "plain"
    assert [h.id for h in Searcher(store).search("开票")] == ["发票"]


def test_front_matter_parser() -> None:
    fields, body, line = parse_front_matter("---\na: 'x: y'\nb: [1, 2]\nc: 7\n---\nbody")
    assert fields == {"a": "x: y", "b": ["1", "2"], "c": 7} and body == "body" and line == 6
    assert parse_front_matter("no front matter") == ({}, "no front matter", 1)


def test_missing_source_raises_and_imports_nothing(tmp_path: Path) -> None:
    store = KBStore(tmp_path / "kb.db")
    with pytest.raises(FileNotFoundError):
        import_path(store, tmp_path / "nope.jsonl")
    assert store.count() == 0
