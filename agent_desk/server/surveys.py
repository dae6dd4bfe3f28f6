"""Satisfaction surveys: sent when an interaction is wrapped up (on the channel the customer
used), answered through the connector (``ContactSink.survey_answer``), stored once, shown
on the interaction and in the customer's timeline. A CSAT of 1-2 opens a follow-up task for
the leads in the "Follow-ups" queue (picked by a lead, never offered by routing) and retires
the interaction's reply examples from the knowledge base."""

from __future__ import annotations

import logging

from sqlalchemy import select

from ..protocol.enums import (
    Channel,
    InteractionKind,
    InteractionState,
    Priority,
    SurveyMethod,
)
from ..protocol.messages import SurveyAnswered
from .connectors import SurveyRequest
from .kb_templates import retire_reply_examples
from .lifecycle import apply_sla
from .models import Interaction, Survey, Transition
from .reference import ensure_follow_up_queue
from .tx import Tx
from .views import survey_view

log = logging.getLogger("agent_desk.server.surveys")

#: How the survey reaches the customer, per channel.
METHODS: dict[str, SurveyMethod] = {
    Channel.CHAT: SurveyMethod.CHAT_WIDGET,
    Channel.EMAIL: SurveyMethod.EMAIL_LINK,
    Channel.PHONE: SurveyMethod.SMS_IVR,
}
#: Valid answers (inclusive): CSAT 1-5, NPS 0-10, CES 1-7.
RANGES: dict[str, tuple[int, int]] = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
#: A CSAT at or below this opens a follow-up task.
LOW_CSAT = 2
MAX_COMMENT = 2000


def send_survey(tx: Tx, inter: Interaction) -> Survey | None:
    """On close: record the survey and ask the connectors (after the commit) to send it.
    Only customer contacts closed with a disposition get one; an email thread reopened and
    closed again is asked again only while its survey is unanswered."""
    if (inter.state != InteractionState.CLOSED or not inter.disposition
            or inter.kind == InteractionKind.FOLLOW_UP or inter.channel not in METHODS):
        return None
    survey = tx.session.execute(select(Survey).where(Survey.interaction_id == inter.id)
                                ).scalar_one_or_none()
    if survey is not None and survey.answered_at is not None:
        return None
    if survey is None:
        survey = Survey(interaction_id=inter.id, customer_id=inter.customer_id,
                        channel=inter.channel, method=METHODS[inter.channel], comment="")
        tx.session.add(survey)
    survey.agent_id = inter.assigned_agent_id
    survey.sent_at = tx.now
    tx.session.flush()
    tx.surveys.append(SurveyRequest(
        interaction_id=inter.id, channel=inter.channel, method=str(survey.method),
        customer_name=inter.customer.name, language=inter.customer.language,
        external_ref=inter.external_ref))
    return survey


def _problem(csat: object, nps: object, ces: object, comment: object) -> str | None:
    """Why an answer cannot be stored (None: it can)."""
    values = {"csat": csat, "nps": nps, "ces": ces}
    if all(v is None for v in values.values()):
        return "no score given"
    for name, value in values.items():
        if value is None:
            continue
        lo, hi = RANGES[name]
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            return f"{name} must be a whole number from {lo} to {hi}, got {value!r}"
    if not isinstance(comment, str):
        return f"comment must be text, got {type(comment).__name__}"
    return None


def record_answer(tx: Tx, interaction_id: int, csat: int | None, nps: int | None,
                  ces: int | None, comment: str) -> Survey | None:
    """Store the customer's answer (the first one wins); returns the survey, or None when
    the answer was ignored (logged: no survey, already answered, out of range)."""
    survey = tx.session.execute(select(Survey).where(Survey.interaction_id == interaction_id)
                                ).scalar_one_or_none()
    if survey is None:
        log.warning("survey answer for interaction %s ignored: no survey was sent",
                    interaction_id)
        return None
    if survey.answered_at is not None:
        log.info("survey answer for interaction %s ignored: already answered",
                 interaction_id)
        return None
    problem = _problem(csat, nps, ces, comment)
    if problem is not None:
        log.warning("survey answer for interaction %s ignored: %s", interaction_id, problem)
        return None
    inter = tx.session.get(Interaction, interaction_id)
    assert inter is not None  # the survey's foreign key
    survey.csat, survey.nps, survey.ces = csat, nps, ces
    survey.comment = comment.strip()[:MAX_COMMENT]
    survey.answered_at = tx.now
    inter.csat = csat
    if csat is not None and csat <= LOW_CSAT:
        survey.follow_up_id = open_follow_up(tx, inter, csat, survey.comment).id
        retire_reply_examples(tx, inter.id)  # not an answer to learn from after all
    tx.session.flush()
    tx.emit(SurveyAnswered(customer_id=survey.customer_id, survey=survey_view(survey)),
            agents={a for a in (survey.agent_id,) if a})
    tx.interaction_changed(inter, "survey")
    return survey


def open_follow_up(tx: Tx, inter: Interaction, csat: int, comment: str) -> Interaction:
    """A follow-up task for the leads: same customer and channel, high priority, waiting in
    the follow-up queue (created with the leads and admins as members if missing)."""
    queue = ensure_follow_up_queue(tx.session)
    assert queue is not None
    subject = f"Follow-up: CSAT {csat} — {inter.subject}".rstrip(" —")
    task = Interaction(
        kind=InteractionKind.FOLLOW_UP, parent_id=inter.id, channel=inter.channel,
        customer_id=inter.customer_id, queue_id=queue.id, subject=subject[:500],
        preview=(comment or subject)[:200], priority=Priority.HIGH,
        state=InteractionState.QUEUED, created_at=tx.now, queued_at=tx.now, ivr_data={},
        first_response_due_at=tx.now, resolution_due_at=tx.now, declined_by=[],
        match_candidates=[], kb_article_ids=[], version=0)  # "created" makes it 1
    task.customer = inter.customer
    tx.session.add(task)
    tx.session.flush()
    apply_sla(tx, task)
    tx.session.add(Transition(interaction_id=task.id, from_state=None,
                              to_state=InteractionState.QUEUED,
                              reason=f"CSAT {csat} on interaction {inter.id}", at=tx.now))
    tx.interaction_changed(task, "created")
    return task
