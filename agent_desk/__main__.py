"""Command line: ``agent-desk serve|demo``."""

from __future__ import annotations

import argparse
import sys


def _demo_banner() -> str:
    from .server.demo import DEMO_USERS

    lines = ["Demo users (username / password, role):"]
    lines += [f"  {u.username:<10} {u.password:<12} {u.role}" for u in DEMO_USERS]
    return "\n".join(lines)


def run_demo(args: argparse.Namespace) -> int:
    import asyncio
    from pathlib import Path

    from .logs import setup_logging
    from .paths import data_dir
    from .server.cli import CliError, build_server, serve_forever

    setup_logging(Path(args.log_file) if args.log_file else data_dir() / "demo.log")
    if args.db is None:
        fresh = data_dir() / "demo.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    try:
        server = build_server(args, demo=True)
        asyncio.run(serve_forever(server, args.host, args.port, _demo_banner()))
    except CliError as exc:
        print(f"agent-desk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    from .server.cli import add_server_args, run_serve

    parser = argparse.ArgumentParser(prog="agent-desk", description="Agent Desk")
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="run the backend server")
    add_server_args(p_serve, demo=False)
    p_demo = sub.add_parser("demo", help="run the backend with demo data and simulated traffic")
    add_server_args(p_demo, demo=True)
    args = parser.parse_args(argv)
    if args.command == "serve":
        return run_serve(args)
    return run_demo(args)


if __name__ == "__main__":
    sys.exit(main())
