"""The typed settings registry over QSettings (INI): round trip of every type, the
``changed`` signal and ``change_filter``, defaults for bad values, the schema upgrade that
scrubs secrets, and the rule that no secret-looking option can even be registered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings

from agent_desk.ui import paths
from agent_desk.ui import settings as opts
from agent_desk.ui.settings import OPTIONS, SCHEMA_VERSION, Option, Settings, change_filter


@pytest.fixture
def ini(tmp_path: Path) -> Path:
    return tmp_path / "client.ini"


def test_defaults_then_round_trip_through_the_file(ini: Path, qapp: Any) -> None:
    s = Settings(ini)
    assert s.get(opts.SERVER_URL) == opts.DEFAULT_SERVER_URL
    assert s.get(opts.REMEMBER_ME) is False
    assert s.get(opts.WINDOW_GEOMETRY) == b""
    s.set(opts.SERVER_URL, "wss://desk.example.com:443")
    s.set(opts.USERNAME, "王芳")
    s.set(opts.REMEMBER_ME, True)
    s.set(opts.LANGUAGE, "zh_CN")
    s.set(opts.NOTIFY_OFFERS, False)
    s.set(opts.WINDOW_GEOMETRY, b"\x01\x02\x00\xff")
    s.sync()
    again = Settings(ini)
    assert again.get(opts.SERVER_URL) == "wss://desk.example.com:443"
    assert again.get("username") == "王芳"
    assert again.get(opts.REMEMBER_ME) is True
    assert again.get(opts.LANGUAGE) == "zh_CN"
    assert again.get(opts.NOTIFY_OFFERS) is False
    assert again.get(opts.WINDOW_GEOMETRY) == b"\x01\x02\x00\xff"
    text = ini.read_text(encoding="utf-8")
    assert "[settings]" in text and "[persist]" in text
    assert f"schema_version={SCHEMA_VERSION}" in text


def test_changed_signal_and_change_filter(ini: Path, qtbot: Any) -> None:
    s = Settings(ini)

    class Listener(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        @change_filter("language")
        def on_change(self, name: str) -> None:
            self.seen.append(name)

    listener = Listener()
    s.changed.connect(listener.on_change)
    with qtbot.waitSignal(s.changed, timeout=1000) as blocker:
        s.set(opts.LANGUAGE, "en")
    assert blocker.args == ["language"]
    s.set(opts.SOUND, True)
    s.set(opts.LANGUAGE, "en")  # same value: no signal
    assert listener.seen == ["language"]


def test_wrong_types_and_unknown_options_are_refused(ini: Path, qapp: Any) -> None:
    s = Settings(ini)
    with pytest.raises(TypeError):
        s.set(opts.REMEMBER_ME, "yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        s.set(opts.LANGUAGE, "klingon")
    with pytest.raises(KeyError):
        s.set("refresh_token", "abc")


def test_bad_values_in_the_file_fall_back_to_defaults(ini: Path, qapp: Any) -> None:
    raw = QSettings(str(ini), QSettings.Format.IniFormat)
    raw.setValue("meta/schema_version", SCHEMA_VERSION)
    raw.setValue("settings/remember_me", "perhaps")
    raw.setValue("settings/language", "xx")
    raw.sync()
    s = Settings(ini)
    assert s.get(opts.REMEMBER_ME) is False
    assert s.get(opts.LANGUAGE) == ""


def test_upgrade_scrubs_secrets_an_old_file_may_hold(ini: Path, qapp: Any) -> None:
    raw = QSettings(str(ini), QSettings.Format.IniFormat)
    raw.setValue("settings/username", "ann")
    raw.setValue("settings/password", "ann-pw")
    raw.setValue("auth/refresh_token", "tok-123")
    raw.sync()
    del raw
    s = Settings(ini)
    s.sync()
    text = ini.read_text(encoding="utf-8")
    assert "ann-pw" not in text and "tok-123" not in text
    assert s.get(opts.USERNAME) == "ann"


def test_secret_options_cannot_be_registered() -> None:
    with pytest.raises(ValueError):
        opts._register(Option("saved_password", str, "", "never"))
    assert not [name for name in OPTIONS if "token" in name or "password" in name]


def test_paths_are_redirected_for_tests(tmp_path: Path) -> None:
    paths.set_root(tmp_path)
    try:
        assert paths.settings_file().is_relative_to(tmp_path)
        assert paths.log_file().is_relative_to(tmp_path)
        a = paths.outbox_file("ws://h:1", "ann")
        assert a != paths.outbox_file("ws://h:1", "bob") and a.parent.is_dir()
    finally:
        paths.set_root(None)
