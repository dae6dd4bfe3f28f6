"""Command line: ``agent-desk`` (the desktop client), ``agent-desk serve`` (the backend),
``agent-desk demo`` (the backend with demo data and simulated traffic, plus the client
signed in as a demo user; ``--no-client`` for the backend alone), ``agent-desk kb``
(knowledge base import and search, see ``agent_desk/kb/cli.py``).

Only ``argparse`` is imported up front: Qt, the network and the database are imported by
the command that needs them, so the client's first window appears quickly."""

from __future__ import annotations

import argparse
import os
import sys

ROLES = ("agent", "lead", "trainer")


def _demo_banner() -> str:
    from .server.demo import DEMO_USERS

    lines = ["Demo users (username / password, role):"]
    lines += [f"  {u.username:<10} {u.password:<12} {u.role}" for u in DEMO_USERS]
    return "\n".join(lines)


def run_demo(args: argparse.Namespace) -> int:
    """``agent-desk demo --no-client``: the backend only, in the foreground, on fresh demo
    data (unless ``--db`` names a database)."""
    from pathlib import Path

    from .paths import data_dir
    from .server.cli import run_backend

    if args.db is None:
        fresh = data_dir() / "demo.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    return run_backend(args, demo=True, banner=_demo_banner())


def display_problem() -> str | None:
    """A one-line hint when there is no display to open a window on (Linux/BSD)."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd")):
        return None
    if os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY") \
            or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("agent-desk: no display found. Add `--no-client` for the backend only (e.g. "
            "`python3 run.py demo --no-client`), or `--screenshot PATH` to render the window "
            "offscreen.")


def run_client(args: argparse.Namespace, *, demo: bool = False) -> int:
    screenshot = getattr(args, "screenshot", None)
    if screenshot or args.exit_after_first_paint:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from .ui.app import ClientOptions

    options = ClientOptions(server=getattr(args, "server", None),
                            user=getattr(args, "user", None), lang=args.lang,
                            crash_dialog=not args.no_crash_dialog,
                            exit_after_first_paint=args.exit_after_first_paint)
    if demo:
        from .ui.demo_launcher import DemoOptions

        if args.role not in ROLES:
            print(f"agent-desk: --role must be one of {', '.join(ROLES)}", file=sys.stderr)
            return 2
        options.demo = DemoOptions(role=args.role, host=args.host, port=args.port, db=args.db,
                                   simulate=args.simulate, offer_timeout=args.offer_timeout,
                                   warm=args.warm, screenshot=screenshot, after=args.after,
                                   open_channel=args.open_channel, language=args.lang,
                                   show=args.show)
        if screenshot:  # a clean, isolated profile: the picture must not depend on yours
            import tempfile
            from pathlib import Path

            from .ui import paths

            root = Path(tempfile.mkdtemp(prefix="agent-desk-shot-"))
            paths.set_root(root)
            os.environ["AGENT_DESK_DATA"] = str(root / "data")
    from .ui.app import run_client as run

    return run(options)


def _client_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", default=None, metavar="LANG",
                   help="user interface language, e.g. en or zh_CN (default: settings/system)")
    p.add_argument("--no-crash-dialog", action="store_true",
                   help="log unexpected errors without showing a message (CI)")
    p.add_argument("--exit-after-first-paint", action="store_true", help=argparse.SUPPRESS)


def build_parser(*, full: bool = True) -> argparse.ArgumentParser:
    """``full=False`` leaves out the server options (importing them loads the backend,
    which the client's start-up does not need)."""
    parser = argparse.ArgumentParser(
        prog="agent-desk", description="Agent Desk: the desktop client (default), the backend "
        "(serve) or a demo of both (demo).")
    parser.add_argument("--server", default=None, metavar="URL",
                        help="server address to offer in the sign-in dialog")
    parser.add_argument("--user", default=None, metavar="NAME",
                        help="username to offer in the sign-in dialog")
    _client_args(parser)
    sub = parser.add_subparsers(dest="command")
    p_serve = sub.add_parser("serve", help="run the backend server")
    p_demo = sub.add_parser(
        "demo", help="run the backend with demo data and simulated traffic, and the client "
        "signed in as a demo user")
    from .kb.cli import add_kb_args  # argparse only

    add_kb_args(sub.add_parser("kb", help="knowledge base: import and search articles"))
    if not full:
        return parser
    from .server.cli import add_server_args

    add_server_args(p_serve, demo=False)
    add_server_args(p_demo, demo=True)
    p_demo.add_argument("--role", default="agent", choices=ROLES,
                        help="demo user to sign in as (default: agent)")
    p_demo.add_argument("--no-client", action="store_true",
                        help="run only the backend, in the foreground (no window)")
    p_demo.add_argument("--warm", type=int, default=8, metavar="N",
                        help="contacts created at start so the queue is not empty (default 8)")
    p_demo.add_argument("--screenshot", default=None, metavar="PATH",
                        help="render offscreen, save a PNG of the main window once traffic "
                        "has arrived, and exit")
    p_demo.add_argument("--after", type=float, default=3.0, metavar="SECONDS",
                        help="with --screenshot: wait at least this long (default 3)")
    p_demo.add_argument("--open", dest="open_channel", default=None,
                        choices=("phone", "email", "chat"),
                        help="take a scripted call, email or chat of a demo customer (in the "
                        "UI language) and open it: for the documentation screenshots")
    p_demo.add_argument("--show", default=None, choices=("knowledge", "articles"),
                        help="with --screenshot: the Knowledge tab (searching the customer's "
                        "last message), or the article editor (use --role lead)")
    _client_args(p_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    full = any(tok in ("serve", "demo") for tok in argv)
    args = build_parser(full=full).parse_args(argv)
    if args.command == "serve":
        from .server.cli import run_serve

        return run_serve(args)
    if args.command == "kb":
        from .kb.cli import run_kb

        return run_kb(args)
    if args.command == "demo":
        if args.no_client:
            return run_demo(args)
        return run_client(args, demo=True)
    return run_client(args)


if __name__ == "__main__":
    sys.exit(main())
