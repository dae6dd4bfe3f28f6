"""What a conversation view needs from the window: the controller (commands, queries,
activity), the bridge (live signals), the client state, the settings and a few lookups.
Passed to the view factories registered with ``workspace.register_view``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..client.drafts import DraftStore
    from ..client.state import ClientState
    from .bridge import ClientBridge
    from .controller import Controller
    from .kb_search_worker import KbSearchWorker
    from .settings import Settings


@dataclass
class ViewContext:
    controller: Controller
    bridge: ClientBridge
    settings: Settings
    queue_name: Callable[[int], str] = lambda _qid: "—"
    #: server time now (epoch seconds): local clock corrected by the server's offset
    now: Callable[[], float] = field(default=time.time)
    #: local drafts of this account (composer texts, call notes); None = not kept
    drafts: DraftStore | None = None
    #: the account's local knowledge base file (searched in worker threads); None = none
    kb_path: Path | None = None
    #: opens the article editor with a draft (title, body, language, interaction id)
    propose_article: Callable[[str, str, str, int], None] | None = None
    #: the window's knowledge-base search thread (wrap-up article pickers); None = none
    kb_search: KbSearchWorker | None = None

    @property
    def state(self) -> ClientState:
        return self.bridge.state

    @property
    def my_id(self) -> int | None:
        return self.bridge.state.my_id

    def agent_name(self, agent_id: int | None) -> str:
        a = self.bridge.state.agents.get(agent_id) if agent_id is not None else None
        return a.name if a is not None else "—"
