"""The signed-in account's local files besides the outbox: the customer cache (history
when the server is not reachable) and the drafts (composer texts, call notes). Opened on
first use, one account at a time; switching account closes the previous one's."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from . import paths

if TYPE_CHECKING:
    from ..client.customer_cache import CustomerCache
    from ..client.drafts import DraftStore

log = logging.getLogger("agent_desk.ui.stores")


class AccountStores:
    def __init__(self) -> None:
        self._account: tuple[str, str] | None = None
        self._cache: CustomerCache | None = None
        self._drafts: DraftStore | None = None

    def _switch(self, url: str, username: str) -> None:
        if self._account != (url, username):
            self.close()
            self._account = (url, username)

    def cache(self, url: str, username: str) -> CustomerCache:
        from ..client.customer_cache import CustomerCache  # SQLAlchemy: on first use

        self._switch(url, username)
        if self._cache is None:
            self._cache = CustomerCache(paths.customer_cache_file(url, username))
        return self._cache

    def drafts(self, url: str, username: str) -> DraftStore | None:
        """The drafts store, or None when it cannot be opened (drafts are then not kept;
        the reason is logged)."""
        from ..client.drafts import DraftError, DraftStore

        self._switch(url, username)
        if self._drafts is None:
            try:
                self._drafts = DraftStore(paths.drafts_file(url, username))
            except DraftError as exc:
                log.error("drafts are not kept: %s", exc)
                return None
        return self._drafts

    def close(self) -> None:
        for store in (self._cache, self._drafts):
            if store is not None:
                try:
                    store.close()
                except Exception:  # closing must not fail sign-out or quit
                    log.exception("closing a local store failed")
        self._cache = self._drafts = None
        self._account = None
