"""Schema migrations with Alembic. ``upgrade(engine)`` brings any database (new or old) to
the current schema; it runs on every server start. New revisions go in
``server/migrations/versions`` (``python -m agent_desk.server.migrate revision "msg"``)."""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).resolve().parent / "migrations"


def _config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(_config(engine), revision)


def current_heads() -> list[str]:
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(_config()).get_heads())


def main(argv: list[str]) -> None:  # pragma: no cover - developer tool
    from sqlalchemy import create_engine

    if len(argv) >= 2 and argv[0] == "revision":
        engine = create_engine(argv[2] if len(argv) > 2 else "sqlite:///./_migrate.db")
        upgrade(engine)
        command.revision(_config(engine), message=argv[1], autogenerate=True)
    else:
        sys.exit('usage: python -m agent_desk.server.migrate revision "message" [db-url]')


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
