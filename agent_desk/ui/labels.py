"""Translated labels and icons for the codes the server sends (channel, tier, language,
priority, interaction state, disposition): one place, so every view says the same."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon


def channel_text(channel: str) -> str:
    return {
        "phone": QCoreApplication.translate("Channel", "Phone"),
        "email": QCoreApplication.translate("Channel", "Email"),
        "chat": QCoreApplication.translate("Channel", "Chat"),
    }.get(channel, channel)


def tier_text(tier: str) -> str:
    return {
        "vip": QCoreApplication.translate("Tier", "VIP"),
        "gold": QCoreApplication.translate("Tier", "Gold"),
        "standard": QCoreApplication.translate("Tier", "Standard"),
    }.get(tier, tier)


def language_text(code: str) -> str:
    return {
        "en": QCoreApplication.translate("Language", "English"),
        "zh": QCoreApplication.translate("Language", "Chinese"),
    }.get(code, code)


def disposition_text(code: str | None, state: str) -> str:
    if not code:
        if state == "abandoned":
            return QCoreApplication.translate("Disposition", "Abandoned")
        if state != "closed":
            return QCoreApplication.translate("Disposition", "Open")
        return "—"
    return {
        "resolved": QCoreApplication.translate("Disposition", "Resolved"),
        "refund_issued": QCoreApplication.translate("Disposition", "Refund issued"),
        "replacement_sent": QCoreApplication.translate("Disposition", "Replacement sent"),
        "info_provided": QCoreApplication.translate("Disposition", "Information provided"),
        "escalated": QCoreApplication.translate("Disposition", "Escalated"),
        "callback_scheduled": QCoreApplication.translate("Disposition", "Callback scheduled"),
        "no_response": QCoreApplication.translate("Disposition", "No response from customer"),
        "duplicate": QCoreApplication.translate("Disposition", "Duplicate"),
        "spam": QCoreApplication.translate("Disposition", "Spam"),
        "complaint_logged": QCoreApplication.translate("Disposition", "Complaint logged"),
    }.get(code, code.replace("_", " ").capitalize())


def interaction_state_text(state: str, mine: bool = False) -> str:
    if state == "offered" and mine:
        return QCoreApplication.translate("InteractionState", "Offered to you")
    if state == "assigned" and mine:
        return QCoreApplication.translate("InteractionState", "Mine")
    return {
        "queued": QCoreApplication.translate("InteractionState", "In queue"),
        "offered": QCoreApplication.translate("InteractionState", "Offered"),
        "assigned": QCoreApplication.translate("InteractionState", "Assigned"),
        "on_hold": QCoreApplication.translate("InteractionState", "On hold"),
        "wrap_up": QCoreApplication.translate("InteractionState", "Wrap-up"),
        "closed": QCoreApplication.translate("InteractionState", "Closed"),
        "abandoned": QCoreApplication.translate("InteractionState", "Abandoned"),
    }.get(state, state)


def priority_text(priority: str) -> str:
    return {
        "urgent": QCoreApplication.translate("Priority", "Urgent"),
        "high": QCoreApplication.translate("Priority", "High"),
        "normal": QCoreApplication.translate("Priority", "Normal"),
        "low": QCoreApplication.translate("Priority", "Low"),
    }.get(priority, priority)


def role_text(role: str) -> str:
    return {
        "agent": QCoreApplication.translate("Role", "Agent"),
        "lead": QCoreApplication.translate("Role", "Team lead"),
        "trainer": QCoreApplication.translate("Role", "Trainer"),
        "admin": QCoreApplication.translate("Role", "Administrator"),
    }.get(role, role)


def channel_icon(channel: str) -> QIcon:
    """The channel's icon (shared with the queue pane)."""
    from . import icons

    try:
        return icons.icon(f"channel-{channel}")
    except (FileNotFoundError, ValueError):
        return QIcon()
