""""Turn this answer into an article": the draft of a knowledge-base article made from a
conversation — the customer's question and the agent's answer, with the customer's name
and order numbers replaced by template variables and e-mail addresses / phone numbers
masked (``kb.anonymise``). Used by the past-conversation dialog and the wrap-up panel."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ..kb.anonymise import anonymise
from ..protocol import views as v


def proposal(d: v.InteractionDetail) -> tuple[str, str, str] | None:
    """(title, Markdown body, language), or None when no agent answered in it."""
    answer = next((msg for msg in reversed(d.messages)
                   if str(msg.direction) == "outbound" and msg.body.strip()), None)
    if answer is None:
        return None
    question = next((msg for msg in reversed(d.messages) if str(msg.direction) == "inbound"
                     and msg.at <= answer.at and msg.body.strip()), None)
    names = [d.interaction.customer.name] if d.interaction.customer.name else []

    def clean(text: str) -> str:
        return anonymise(text.strip()[:20_000], names=names)

    title = (d.interaction.subject or (question.body if question else "")).strip()
    title = clean(title.splitlines()[0] if title else "")[:120] or QCoreApplication.translate(
        "ArticleProposal", "New article")
    body = clean(answer.body)
    if question is not None:
        body = QCoreApplication.translate("ArticleProposal", "**Question:** %1").replace(
            "%1", clean(question.body)) + "\n\n" + body
    return title, body, d.interaction.customer.language or "en"
