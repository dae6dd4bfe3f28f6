"""The layers that must not need Qt import without it (checked in a clean interpreter)."""

from __future__ import annotations

import subprocess
import sys

import pytest

QT_FREE = ["agent_desk.protocol", "agent_desk.protocol.schema", "agent_desk.server.app",
           "agent_desk.server.simulator", "agent_desk.server.demo", "agent_desk.server.cli",
           "agent_desk.channels.phone", "agent_desk.channels.email", "agent_desk.channels.chat",
           "agent_desk.server.demo_scenes", "agent_desk.client.connection",
           "agent_desk.client.drafts", "agent_desk.client.customer_cache",
           "agent_desk.client.attachment_transfer", "agent_desk.client.call_adapter",
           "agent_desk.kb.text", "agent_desk.kb.synonyms", "agent_desk.kb.store",
           "agent_desk.kb.snippet", "agent_desk.kb.search", "agent_desk.kb.importer",
           "agent_desk.kb.evaluation", "agent_desk.kb.cli", "agent_desk.kb.templates",
           "agent_desk.kb.tone", "agent_desk.kb.anonymise", "agent_desk.kb.template_store",
           "agent_desk.kb.suggest", "agent_desk.client.kb_sync", "agent_desk.client.kb_local",
           "agent_desk.protocol.kb", "agent_desk.server.kb_articles",
           "agent_desk.server.kb_sync"]


@pytest.mark.parametrize("module", QT_FREE)
def test_imports_without_qt(module: str) -> None:
    code = (f"import sys, importlib; importlib.import_module({module!r}); "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, f"{module} pulled in Qt: {proc.stdout} {proc.stderr}"
