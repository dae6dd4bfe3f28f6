"""The client's settings: one typed option registry over ``QSettings`` (INI format).

Each ``Option`` has a name, a type, a default and a description, and lives in one of two
sections: ``settings`` (what the user chose) and ``persist`` (window geometry and the like,
remembered for them). Code reads and writes options through ``Settings.get``/``set`` and
reacts to ``changed(name)``; ``change_filter`` narrows a slot to some names.

Secrets never go here: the registry refuses option names that look like one, and the
schema upgrade removes any such key an older or hand-edited file might contain. The
remembered refresh token lives only in the OS credential store (``client.credentials``)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QObject, QSettings, Signal

log = logging.getLogger("agent_desk.ui.settings")

T = TypeVar("T")
SCHEMA_VERSION = 1
SECTIONS = ("settings", "persist")
_SECRET_WORDS = ("password", "token", "secret", "passwd", "credential")
DEFAULT_SERVER_URL = "ws://127.0.0.1:8765"


@dataclass(frozen=True)
class Option(Generic[T]):
    name: str
    type: type
    default: T
    description: str
    section: str = "settings"
    choices: tuple[Any, ...] | None = None

    @property
    def key(self) -> str:
        return f"{self.section}/{self.name}"


OPTIONS: dict[str, Option[Any]] = {}


def _register(opt: Option[T]) -> Option[T]:
    if opt.section not in SECTIONS:
        raise ValueError(f"unknown section {opt.section!r}")
    if any(word in opt.name.lower() for word in _SECRET_WORDS):
        raise ValueError(f"{opt.name!r} looks like a secret: secrets never go to settings")
    if opt.name in OPTIONS:
        raise ValueError(f"option {opt.name!r} registered twice")
    OPTIONS[opt.name] = opt
    return opt


# ---- the options ---------------------------------------------------------------------------

SERVER_URL = _register(Option("server_url", str, DEFAULT_SERVER_URL,
                              "Last server address used to sign in."))
USERNAME = _register(Option("username", str, "", "Last username used to sign in."))
REMEMBER_ME = _register(Option(
    "remember_me", bool, False,
    "Sign in again automatically with the refresh token kept in the OS credential store."))
LANGUAGE = _register(Option("language", str, "", "User interface language ('' = system).",
                            choices=("", "en", "zh_CN")))
NOTIFY_OFFERS = _register(Option("notify_offers", bool, True,
                                 "Desktop notification when an interaction is offered to me."))
NOTIFY_SLA = _register(Option(
    "notify_sla_warning", bool, True,
    "Desktop notification when one of my interactions reaches the SLA warning."))
SOUND = _register(Option("sound", bool, False, "Ring when a call is offered."))
SHOW_CUSTOMER_PANEL = _register(Option("show_customer_panel", bool, True,
                                       "Show the customer panel beside the workspace."))
EMAIL_NEWEST_FIRST = _register(Option(
    "email_newest_first", bool, False,
    "Show an email thread newest message first (default: oldest first, newest at the bottom)."))
WINDOW_GEOMETRY = _register(Option("window_geometry", bytes, b"",
                                   "Main window geometry.", section="persist"))
WINDOW_STATE = _register(Option("window_state", bytes, b"",
                                "Main window toolbars and docks.", section="persist"))
SPLITTER_STATE = _register(Option("splitter_state", bytes, b"",
                                  "Sizes of the queue, workspace and customer areas.",
                                  section="persist"))


# ---- schema upgrades -----------------------------------------------------------------------

def _scrub_secrets(qs: QSettings) -> None:
    """0 -> 1: drop any key that looks like a secret (older builds, hand edits)."""
    for key in qs.allKeys():
        if any(word in key.lower() for word in _SECRET_WORDS):
            log.warning("removed a secret-looking key from the settings file: %s", key)
            qs.remove(key)


UPGRADES: dict[int, Callable[[QSettings], None]] = {1: _scrub_secrets}


def change_filter(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a ``changed(name)`` slot so it runs only for ``names``."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(self: Any, name: str) -> Any:
            if name in names:
                return fn(self, name)
            return None

        return wrapper

    return deco


class Settings(QObject):
    """Signals:
        changed(str): the option with this name got a new value.
    """

    changed = Signal(str)

    def __init__(self, path: Path | str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)
        self._upgrade()

    def _upgrade(self) -> None:
        raw = self._qs.value("meta/schema_version", 0)
        try:
            version = int(raw)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            version = 0
        if version > SCHEMA_VERSION:
            log.warning("settings file is from a newer version (%d); reading what we know",
                        version)
            return
        for target in range(version + 1, SCHEMA_VERSION + 1):
            UPGRADES[target](self._qs)
        if version != SCHEMA_VERSION:
            self._qs.setValue("meta/schema_version", SCHEMA_VERSION)

    @staticmethod
    def option(name: str) -> Option[Any]:
        try:
            return OPTIONS[name]
        except KeyError:
            raise KeyError(f"no such option {name!r}") from None

    def get(self, opt: Option[T] | str) -> T:
        o = self.option(opt) if isinstance(opt, str) else opt
        raw = self._qs.value(o.key, None)
        if raw is None:
            return o.default  # type: ignore[no-any-return]
        value = _decode(o, raw)
        if value is None or (o.choices is not None and value not in o.choices):
            log.warning("ignored an invalid value for %s in the settings file", o.name)
            return o.default  # type: ignore[no-any-return]
        return value  # type: ignore[no-any-return]

    def set(self, opt: Option[T] | str, value: T) -> None:
        o = self.option(opt) if isinstance(opt, str) else opt
        if not isinstance(value, o.type) or (o.type is int and isinstance(value, bool)):
            raise TypeError(f"{o.name} needs {o.type.__name__}, got {type(value).__name__}")
        if o.choices is not None and value not in o.choices:
            raise ValueError(f"{o.name} must be one of {o.choices!r}")
        if self.get(o) == value and self._qs.contains(o.key):
            return
        self._qs.setValue(o.key, QByteArray(value) if isinstance(value, bytes) else value)
        self.changed.emit(o.name)

    def reset(self, opt: Option[Any] | str) -> None:
        o = self.option(opt) if isinstance(opt, str) else opt
        if self._qs.contains(o.key):
            self._qs.remove(o.key)
            self.changed.emit(o.name)

    def sync(self) -> None:
        """Write to disk now (Qt also does so on its own, and on exit)."""
        self._qs.sync()
        if self._qs.status() != QSettings.Status.NoError:
            log.warning("could not write the settings file %s (%s)", self.path,
                        self._qs.status().name)


def _decode(o: Option[Any], raw: Any) -> Any:
    try:
        if o.type is bool:
            if isinstance(raw, bool):
                return raw
            return {"true": True, "1": True, "false": False, "0": False}.get(
                str(raw).strip().lower())
        if o.type is int:
            return int(raw)
        if o.type is bytes:
            return bytes(raw.data()) if isinstance(raw, QByteArray) else None
        if o.type is str:
            return raw if isinstance(raw, str) else None
    except (TypeError, ValueError):
        return None
    return None
