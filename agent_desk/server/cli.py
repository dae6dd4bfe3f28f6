"""``agent-desk serve``, the backend half of ``agent-desk demo``, and ``agent-desk kb
publish`` (knowledge-base content straight into the backend's database)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import signal
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..paths import data_dir
from .app import Server, ServerConfig
from .connectors import Connector
from .store import StoreError

log = logging.getLogger("agent_desk.server")
DEFAULT_PORT = 8765


def add_server_args(p: argparse.ArgumentParser, *, demo: bool) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0 = any free port)")
    p.add_argument("--db", default=None,
                   help="SQLAlchemy URL or SQLite file path (default: a file in the data dir)")
    p.add_argument("--simulate", type=float, default=6.0 if demo else 0.0, metavar="RATE",
                   help="simulated contacts per minute (0 = none)")
    p.add_argument("--offer-timeout", type=float, default=20.0, help="seconds an offer rings")
    p.add_argument("--log-file", default=None, help="log file (default: in the data dir)")
    p.add_argument("--company", default="Agent Desk Shop" if demo else "",
                   help="your organisation's name as customers know it (fills "
                        "{company.name} in reply templates)")
    p.add_argument("--kb-link", default="https://help.example.com/kb/{id}" if demo else "",
                   metavar="URL", help="public address of a knowledge-base article, with "
                   "{id} (what the client's 'Insert link' inserts)")
    if not demo:
        p.add_argument("--demo", action="store_true", help="seed demo data on first start")


class CliError(Exception):
    """A one-line error for the user; exit code 2."""


def build_server(args: argparse.Namespace, *, demo: bool) -> Server:
    db = args.db or str(data_dir() / ("demo.db" if demo else "server.db"))
    connectors: list[Connector] = []
    if args.simulate > 0:
        from .simulator import TrafficSimulator

        connectors.append(TrafficSimulator(args.simulate))
    cfg = ServerConfig(demo=demo or bool(getattr(args, "demo", False)),
                       offer_timeout_s=args.offer_timeout, company_name=args.company,
                       kb_link=args.kb_link)
    try:
        return Server(db, config=cfg, connectors=connectors)
    except StoreError as exc:  # already says which database and why
        raise CliError(str(exc)) from None
    except (SQLAlchemyError, ValueError) as exc:
        raise CliError(f"cannot open database {db}: {exc}") from None


async def start_server(server: Server, host: str, port: int) -> int:
    try:
        return await server.start(host, port)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, 10048):
            raise CliError(f"cannot listen on {host}:{port}: address already in use "
                           f"(another server running? try --port)") from None
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    except StoreError as exc:
        raise CliError(str(exc)) from None
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        msg = str(orig) if orig is not None else str(exc).splitlines()[0]
        url = make_url(server.store.url)  # name the file (or the URL, password hidden)
        where = url.database if url.drivername.startswith("sqlite") else (
            url.render_as_string(hide_password=True))
        raise CliError(f"cannot use database {where}: {msg}") from None


async def serve_forever(server: Server, host: str, port: int, banner: str = "") -> None:
    bound = await start_server(server, host, port)
    print(f"Agent Desk backend listening on ws://{host}:{bound}", flush=True)
    if banner:
        print(banner, flush=True)
    from .gctune import GcTuner

    tuner = GcTuner()  # a process of its own: keep full collections out of the tail
    tuner.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        print("Stopping ...", flush=True)
        await tuner.stop()
        await server.stop()


def run_backend(args: argparse.Namespace, *, demo: bool, banner: str = "") -> int:
    """Run the backend in the foreground until Ctrl+C / SIGTERM; one-line errors, exit 2."""
    from ..logs import setup_logging

    log_name = "demo.log" if demo else "server.log"
    setup_logging(Path(args.log_file) if args.log_file else data_dir() / log_name)
    try:
        server = build_server(args, demo=demo)
        asyncio.run(serve_forever(server, args.host, args.port, banner))
    except CliError as exc:
        print(f"agent-desk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def run_serve(args: argparse.Namespace) -> int:
    return run_backend(args, demo=False)


def run_kb_publish(args: argparse.Namespace) -> int:
    """``agent-desk kb publish FILE --db URL``: articles (and ``--templates`` /
    ``--replies``) into the backend's database in one transaction, published. Exit 0: all
    published; 1: some lines skipped (reported on stderr); 2: nothing published."""
    import time

    from sqlalchemy import select

    from .kb_import import (
        PublishReport,
        ReplyLine,
        TemplateLine,
        add_replies,
        publish_articles,
        publish_templates,
        read_articles,
        read_lines,
    )
    from .migrate import upgrade
    from .models import Agent
    from .store import Store

    files = [Path(f) for f in (args.kb_file, args.kb_templates, args.kb_replies) if f]
    for f in files:
        if not f.exists():
            print(f"agent-desk kb: {f}: no such file or folder", file=sys.stderr)
            return 2
    report = PublishReport()
    now = time.time()

    def work(s: Any) -> None:
        who = select(Agent.id).where(Agent.active.is_(True))
        author = s.execute(who.where(Agent.username == args.kb_author) if args.kb_author
                           else who.where(Agent.role == "admin").order_by(Agent.id)).scalar()
        if args.kb_author and author is None:
            raise CliError(f"no active user {args.kb_author!r}")
        publish_articles(s, read_articles(Path(args.kb_file), report), report, now=now,
                         author_id=author)
        if args.kb_templates:
            publish_templates(s, read_lines(Path(args.kb_templates), TemplateLine, report),
                              report, now=now, editor_id=author)
        if args.kb_replies:
            add_replies(s, read_lines(Path(args.kb_replies), ReplyLine, report), report,
                        now=now)

    try:
        store = Store(args.kb_db)
    except (StoreError, SQLAlchemyError, ValueError) as exc:
        print(f"agent-desk kb: cannot open database {args.kb_db}: {exc}", file=sys.stderr)
        return 2
    try:
        upgrade(store.engine)
        store.run_sync(work)
    except (CliError, OSError, SQLAlchemyError) as exc:
        msg = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        print(f"agent-desk kb: nothing was published: {msg}", file=sys.stderr)
        return 2
    finally:
        store.close()
    for line in report.errors:
        print(f"error: {line} (skipped)", file=sys.stderr)
    for line in report.warnings:
        print(f"warning: {line}", file=sys.stderr)
    print(f"published {report.published} article(s) ({report.unchanged} unchanged), "
          f"{report.templates} template(s), {report.replies} reply example(s); "
          f"skipped {report.skipped}")
    return 1 if report.skipped else 0
