"""The right-hand column of the main window: the Customer and Knowledge tabs on top, the
suggested replies below (a vertical splitter), all following the current interaction.

``SideColumn`` only lays the panels out and forwards the current interaction; the main
window connects their signals (insert into the reply, pre-linking used articles)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from ..protocol import views as v
from .customer_panel import CustomerPanel
from .kb_panel import KnowledgePanel
from .kb_search_worker import KbSearchWorker
from .view_context import ViewContext

if TYPE_CHECKING:
    from .suggestions_panel import SuggestionsPanel

log = logging.getLogger("agent_desk.ui.side_column")
CUSTOMER_TAB, KNOWLEDGE_TAB = 0, 1


def _suggestions_class() -> Any:
    """``SuggestionsPanel`` (issue 5, written alongside); None while it is not importable,
    so the column still works with the customer and knowledge tabs only."""
    try:
        from .suggestions_panel import SuggestionsPanel
    except ImportError:
        log.warning("the suggested-replies panel is not available", exc_info=True)
        return None
    return SuggestionsPanel


class SideColumn(QWidget):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None, *,
                 worker: KbSearchWorker | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sideColumn")
        self.setAccessibleName(self.tr("Customer and knowledge"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("sideSplitter")
        self.splitter.setChildrenCollapsible(False)
        lay.addWidget(self.splitter)
        self.tabs = QTabWidget(self.splitter)
        self.tabs.setObjectName("sideTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(self.tr("Customer and knowledge base"))
        self.tabs.tabBar().setAccessibleName(self.tr("Side panel tabs"))
        self.customer = CustomerPanel(ctx, self.tabs)
        self.kb = KnowledgePanel(ctx, self.tabs, worker=worker)
        self.tabs.addTab(self.customer, self.tr("Customer"))
        self.tabs.addTab(self.kb, self.tr("Knowledge"))
        self.tabs.setTabToolTip(CUSTOMER_TAB, self.tr("The customer and their history "
                                                      "(Ctrl+3)"))
        self.tabs.setTabToolTip(KNOWLEDGE_TAB, self.tr("Search the knowledge base (Ctrl+4)"))
        self.splitter.addWidget(self.tabs)
        self.suggestions: SuggestionsPanel | None = None
        cls = _suggestions_class()
        if cls is not None:
            self.suggestions = cls(ctx, self.splitter)
            self.splitter.addWidget(self.suggestions)
            self.splitter.setStretchFactor(0, 3)
            self.splitter.setStretchFactor(1, 2)
            self.splitter.setSizes([600, 400])  # a share: room for the five suggestions

    # ---- public -----------------------------------------------------------------------------

    @Slot(object)
    def set_interaction(self, i: v.InteractionView | None) -> None:
        """Follow the current interaction (the customer panel is told by the window)."""
        self.kb.set_interaction(i)
        if self.suggestions is not None:
            self.suggestions.set_interaction(i)

    def show_customer(self) -> None:
        self.tabs.setCurrentIndex(CUSTOMER_TAB)
        self.customer.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_knowledge(self) -> None:
        """The Knowledge tab with its search box focused (text selected)."""
        self.tabs.setCurrentIndex(KNOWLEDGE_TAB)
        self.kb.focus_search()

    def shutdown(self) -> None:
        self.kb.shutdown()
