"""Importing articles: JSON Lines, or a folder of Markdown files with front matter.

JSON Lines, one article per line::

    {"id": "refund-policy-en", "title": "...", "body": "...", "tags": ["refund"], "language": "en"}

``id``, ``title`` and ``body`` are required (strings; an integer id is taken as its
decimal string); ``tags`` (list of strings), ``language`` (e.g. ``en``, ``zh``, ``zh-CN``;
guessed from the text when absent — Chinese characters → ``zh``, else ``en`` — with a
warning), ``product``, ``usage_count`` and ``helped_count`` (whole numbers ≥ 0) are
optional. Other fields are ignored with one warning per field name. Blank lines are
skipped. A line that is not valid (not UTF-8, not JSON, not an object, a required field
missing or of the wrong type) is reported as ``FILE:LINE: reason`` and skipped; the other
lines are imported. An id seen twice: the later line wins, with a warning.

Markdown: every ``*.md`` file under the folder (sorted), optional front matter between
``---`` lines with ``key: value`` pairs (``tags: [a, b]`` or a ``- item`` list); ``id``
defaults to the file's path without ``.md`` (``billing/refunds.md`` → ``billing-refunds``),
``title`` to the first ``# heading`` (removed from the body) or the file name.

Imported articles are published. Everything happens in **one transaction**: if the import
is interrupted (a crash, Ctrl+C, a full disk) nothing of it is kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import text
from .store import PUBLISHED, Article, KBStore

KNOWN_FIELDS = ("id", "title", "body", "tags", "language", "product", "usage_count",
                "helped_count")
MAX_ID_LEN = 200
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


class InvalidArticle(ValueError):
    pass


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)    # "FILE:LINE: reason" (skipped)
    warnings: list[str] = field(default_factory=list)
    _unknown: dict[str, list[str]] = field(default_factory=dict)
    _guessed: list[str] = field(default_factory=list)

    def finish(self) -> None:
        for name, where in sorted(self._unknown.items()):
            self.warnings.append(f"unknown field {name!r} ignored ({_places(where)})")
        if self._guessed:
            self.warnings.append(f"no language given, guessed from the text "
                                 f"({_places(self._guessed)})")
        self._unknown, self._guessed = {}, []


def _places(where: list[str], shown: int = 5) -> str:
    more = f" and {len(where) - shown} more" if len(where) > shown else ""
    return ", ".join(where[:shown]) + more


def guess_language(*parts: str) -> str:
    return "zh" if any(text.is_cjk(p[:5000]) for p in parts) else "en"


def article_from_mapping(data: object, where: str, report: ImportReport) -> Article:
    """Validate one decoded record; raises :class:`InvalidArticle` with the reason."""
    if not isinstance(data, dict):
        raise InvalidArticle(f"expected a JSON object, got {type(data).__name__}")
    for key in data:
        if key not in KNOWN_FIELDS:
            report._unknown.setdefault(str(key), []).append(where)
    raw_id = data.get("id")
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise InvalidArticle("'id' must be a non-empty string")
    if len(raw_id) > MAX_ID_LEN:
        raise InvalidArticle(f"'id' is longer than {MAX_ID_LEN} characters")
    title, body = data.get("title"), data.get("body")
    if not isinstance(title, str) or not title.strip():
        raise InvalidArticle("'title' must be a non-empty string")
    if not isinstance(body, str):
        raise InvalidArticle("'body' must be a string")
    tags = data.get("tags", [])
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InvalidArticle("'tags' must be a list of strings")
    language = data.get("language")
    if language is None or language == "":
        language = guess_language(title, body)
        report._guessed.append(where)
    elif not isinstance(language, str) or not _LANG_RE.match(language):
        raise InvalidArticle(f"'language' must be a language code like 'en' or 'zh-CN', "
                             f"got {language!r}")
    product = data.get("product")
    if product is not None and not isinstance(product, str):
        raise InvalidArticle("'product' must be a string")
    counts = []
    for name in ("usage_count", "helped_count"):
        value = data.get(name, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidArticle(f"'{name}' must be a whole number >= 0")
        counts.append(value)
    return Article(id=raw_id.strip(), title=title.strip(), body=body, language=language,
                   tags=[t.strip() for t in tags if t.strip()], product=product,
                   state=PUBLISHED, usage_count=counts[0], helped_count=counts[1])


def read_jsonl(path: Path, report: ImportReport) -> Iterator[tuple[str, Article]]:
    """(where, article) for each valid line; invalid ones go to ``report.errors``."""
    with path.open("rb") as f:
        for number, raw in enumerate(f, 1):
            where = f"{path.name}:{number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                report.errors.append(f"{where}: not UTF-8 text (byte {exc.start + 1})")
                report.skipped += 1
                continue
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                report.errors.append(f"{where}: invalid JSON: {exc.msg} (column {exc.colno})")
                report.skipped += 1
                continue
            except RecursionError:
                report.errors.append(f"{where}: invalid JSON: nested too deeply")
                report.skipped += 1
                continue
            try:
                yield where, article_from_mapping(data, where, report)
            except InvalidArticle as exc:
                report.errors.append(f"{where}: {exc}")
                report.skipped += 1


# --- Markdown ------------------------------------------------------------------------------

_FRONT_END = ("---", "...")


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def parse_front_matter(source: str) -> tuple[dict[str, object], str, int]:
    """(fields, body, body's first line number). Raises InvalidArticle."""
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, source, 1
    fields: dict[str, object] = {}
    last_key: str | None = None
    for i in range(1, len(lines)):
        line = lines[i].rstrip("\r")
        if line.strip() in _FRONT_END:
            return fields, "\n".join(lines[i + 1:]), i + 2
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s+-\s*(.*)$", line) or re.match(r"^-\s+(.*)$", line)
        if item and last_key is not None:
            current = fields.get(last_key)
            if not isinstance(current, list):
                current = []
                fields[last_key] = current
            current.append(_scalar(item.group(1)))
            continue
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if not m:
            raise InvalidArticle(f"line {i + 1}: front matter line is not 'key: value'")
        key, value = m.group(1), m.group(2).strip()
        last_key = key
        if value.startswith("[") and value.endswith("]"):
            fields[key] = [_scalar(v) for v in value[1:-1].split(",") if v.strip()]
        elif value == "":
            fields[key] = []
        elif re.fullmatch(r"\d+", value):
            fields[key] = int(value)
        else:
            fields[key] = _scalar(value)
    raise InvalidArticle("front matter is not closed with '---'")


def read_markdown_folder(folder: Path, report: ImportReport) -> Iterator[tuple[str, Article]]:
    for path in sorted(folder.rglob("*.md")):
        rel = path.relative_to(folder)
        where = str(rel)
        try:
            source = path.read_text("utf-8-sig")
        except UnicodeDecodeError:
            report.errors.append(f"{where}: not UTF-8 text")
            report.skipped += 1
            continue
        except OSError as exc:
            report.errors.append(f"{where}: cannot read: {exc.strerror or exc}")
            report.skipped += 1
            continue
        try:
            fields, body, _ = parse_front_matter(source.replace("\r\n", "\n"))
            fields.setdefault("id", "-".join(rel.with_suffix("").parts))
            if not fields.get("title"):
                heading = re.search(r"(?m)^#[ \t]+(.+?)[ \t#]*$", body)
                if heading:
                    fields["title"] = heading.group(1)
                    body = body[:heading.start()] + body[heading.end():]
                else:
                    fields["title"] = path.stem
            fields["body"] = body.strip("\n")
            if isinstance(fields.get("tags"), str):
                fields["tags"] = [t.strip() for t in str(fields["tags"]).split(",")]
            yield where, article_from_mapping(fields, where, report)
        except InvalidArticle as exc:
            report.errors.append(f"{where}: {exc}")
            report.skipped += 1


# --- the import -----------------------------------------------------------------------------


def import_path(store: KBStore, path: str | Path, *, optimize: bool = True) -> ImportReport:
    """Import a JSON Lines file or a Markdown folder into ``store`` in one transaction.
    Raises ``FileNotFoundError``/``OSError`` when ``path`` cannot be read at all (nothing
    imported)."""
    path = Path(path)
    report = ImportReport()
    if path.is_dir():
        records = read_markdown_folder(path, report)
    elif path.is_file():
        records = read_jsonl(path, report)
    else:
        raise FileNotFoundError(f"{path}: no such file or folder")
    seen: dict[str, str] = {}
    with store.transaction():
        for where, article in records:
            if article.id in seen:
                report.warnings.append(f"{where}: id {article.id!r} also at {seen[article.id]}; "
                                       "the later one wins")
                report.imported -= 1
            seen[article.id] = where
            store.upsert(article)
            report.imported += 1
    if optimize and report.imported > 1000:
        store.optimize()
    report.finish()
    return report
