"""``agent-desk kb``: the knowledge base from the command line (scripting, quality checks).

    agent-desk kb import FILE --db PATH
    agent-desk kb search QUERY --db PATH [--limit K] [--lang xx] [--json]
    agent-desk kb publish FILE --db URL [--templates FILE] [--replies FILE] [--author USER]

``import`` takes a JSON Lines file or a folder of Markdown files (see :mod:`.importer`),
creates the database if needed, prints each skipped line and warning to stderr and a
summary to stdout. Exit status: 0 all imported, 1 some lines skipped (the rest imported),
2 nothing imported because FILE or the database could not be used.

``search`` prints the best articles, best first; with ``--json`` one JSON array of
``{"id", "title", "score", "snippet"}`` (matched words in the snippet wrapped in ``**``).
``--lang`` is the customer's language: articles in it rank first. Exit status 0 (also for
no results), 2 when the database does not exist or cannot be read.

``publish`` puts articles (same formats as ``import``) straight into the **backend's**
database (a SQLAlchemy URL or SQLite file, as ``serve --db``), published, with optional
reply templates and reply examples (JSON Lines); see :mod:`agent_desk.server.kb_import`.
One transaction; a running server tells every client within a tick. Exit status as for
``import``.

Only ``argparse`` is imported up front (this module is loaded for every ``agent-desk``
command line).
"""

from __future__ import annotations

import argparse
import sys


def add_kb_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="kb_command", metavar="{import,search,publish}")
    sub.required = True
    p_imp = sub.add_parser("import", help="import articles (JSON Lines file or Markdown folder)")
    p_imp.add_argument("kb_file", metavar="FILE",
                       help="JSON Lines file, one article per line, or a folder of .md files")
    p_imp.add_argument("--db", dest="kb_db", required=True, metavar="PATH",
                       help="knowledge-base file (created if missing)")
    p_search = sub.add_parser("search", help="search the articles")
    p_search.add_argument("kb_query", metavar="QUERY", help="what to look for")
    p_search.add_argument("--db", dest="kb_db", required=True, metavar="PATH",
                          help="knowledge-base file")
    p_search.add_argument("--limit", dest="kb_limit", type=int, default=10, metavar="K",
                          help="at most K results (default 10)")
    p_search.add_argument("--lang", dest="kb_lang", default=None, metavar="xx",
                          help="the customer's language (e.g. en, zh): preferred in ranking")
    p_search.add_argument("--json", dest="kb_json", action="store_true",
                          help="print a JSON array of {id, title, score, snippet}")
    p_pub = sub.add_parser("publish", help="publish articles (and templates) into the "
                           "backend's database")
    p_pub.add_argument("kb_file", metavar="FILE",
                       help="JSON Lines file, one article per line, or a folder of .md files")
    p_pub.add_argument("--db", dest="kb_db", required=True, metavar="URL",
                       help="the backend's database: SQLAlchemy URL or SQLite file path")
    p_pub.add_argument("--templates", dest="kb_templates", default=None, metavar="FILE",
                       help="also reply templates (JSON Lines)")
    p_pub.add_argument("--replies", dest="kb_replies", default=None, metavar="FILE",
                       help="also reply examples (JSON Lines, already anonymised)")
    p_pub.add_argument("--author", dest="kb_author", default=None, metavar="USER",
                       help="username recorded as author and reviewer (default: an admin)")


def run_kb(args: argparse.Namespace) -> int:
    if args.kb_command == "import":
        return _import(args.kb_file, args.kb_db)
    if args.kb_command == "publish":
        from ..server.cli import run_kb_publish  # the backend, only for this command

        return run_kb_publish(args)
    return _search(args.kb_query, args.kb_db, args.kb_limit, args.kb_lang, args.kb_json)


def _err(msg: str) -> None:
    print(f"agent-desk kb: {msg}", file=sys.stderr)


def _import(file: str, db: str) -> int:
    import sqlite3

    from .importer import import_path
    from .store import KBStore, KBStoreError

    try:
        store = KBStore(db)
    except (KBStoreError, sqlite3.Error, OSError) as exc:
        _err(f"cannot open {db}: {exc}")
        return 2
    try:
        report = import_path(store, file)
    except OSError as exc:
        _err(str(exc))
        return 2
    except sqlite3.Error as exc:
        _err(f"import failed, nothing was imported: {exc}")
        return 2
    finally:
        store.close()
    for line in report.errors:
        print(f"error: {line} (skipped)", file=sys.stderr)
    for line in report.warnings:
        print(f"warning: {line}", file=sys.stderr)
    print(f"imported {report.imported} article(s), skipped {report.skipped}")
    return 1 if report.skipped else 0


def _search(query: str, db: str, limit: int, lang: str | None, as_json: bool) -> int:
    import json
    import sqlite3

    from .search import Searcher
    from .store import KBStore, KBStoreError

    try:
        store = KBStore(db, create=False)
    except (FileNotFoundError, KBStoreError, sqlite3.Error) as exc:
        _err(str(exc))
        return 2
    try:
        hits = Searcher(store).search(query, limit=limit, lang=lang)
    finally:
        store.close()
    if as_json:
        print(json.dumps([h.as_json() for h in hits], ensure_ascii=False))
        return 0
    if not hits:
        print("no results")
    for i, h in enumerate(hits, 1):
        print(f"{i:>2}. {h.title}  [{h.id}, {h.language}, score {h.score:.3f}]")
        print(f"    {h.marked_snippet()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="agent-desk kb",
                                     description="Knowledge base: import and search articles.")
    add_kb_args(parser)
    return run_kb(parser.parse_args(argv))
