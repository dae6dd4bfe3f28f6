"""Satisfaction surveys on a real server: sent on wrap-up by channel, answered through the
contact sink, stored once, shown on the interaction and in the customer's timeline; a low
CSAT opens a follow-up task for the leads; the simulator answers surveys."""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from agent_desk.protocol import messages as m
from agent_desk.server.clock import ManualClock
from agent_desk.server.connectors import Connector, ContactSink, Lifecycle, SurveyRequest
from agent_desk.server.demo import seed_demo
from agent_desk.server.engine import Engine
from agent_desk.server.models import Agent, Base, Interaction, Queue, Survey
from agent_desk.server.reference import FOLLOW_UP_QUEUE
from agent_desk.server.simulator import TrafficSimulator
from agent_desk.server.simulator_surveys import Journey, Journeys, answer
from tests.helpers.world import World
from tests.helpers.wsclient import WsClient

T = TypeVar("T")
CJK = re.compile(r"[\u4e00-\u9fff]")


class SurveyRecorder(Connector):
    """A connector that records the survey requests it is asked to send."""

    name = "recorder"

    def __init__(self) -> None:
        self.requests: list[SurveyRequest] = []
        self.got = asyncio.Event()

    async def start(self, sink: ContactSink) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def request_survey(self, request: SurveyRequest) -> None:
        self.requests.append(request)
        self.got.set()


def _changed(iid: int, pred: Callable[[Any], bool] | None = None) -> Callable[[Any], bool]:
    def match(d: object) -> bool:
        return (isinstance(d, m.InteractionChanged) and d.interaction.id == iid
                and (pred is None or pred(d)))
    return match


def _data(ev: m.Event, cls: type[T]) -> T:
    assert isinstance(ev.data, cls), ev.data
    return ev.data


async def handle(world: World, agent: WsClient, channel: str, who: str = "carol",
                 disposition: str | None = "resolved") -> int:
    """A contact on ``channel`` offered to ``agent``, accepted, ended and wrapped up."""
    iid = await world.contact(channel, who, subject=f"{channel} question")
    await agent.wait_event(_changed(iid, lambda d: d.interaction.state == "offered"))
    assert (await agent.cmd(m.Accept, interaction_id=iid)).ok
    end = m.HangUp if channel == "phone" else m.Close
    assert (await agent.cmd(end, interaction_id=iid)).ok
    if disposition is not None:
        ack = await agent.cmd(m.WrapUp, interaction_id=iid, disposition=disposition)
        assert ack.ok, ack
    return iid


def _survey(world: World, iid: int) -> Survey | None:
    def get(s):  # type: ignore[no-untyped-def]
        row = s.query(Survey).filter_by(interaction_id=iid).one_or_none()
        if row is not None:
            s.expunge(row)
        return row
    return world.server.store.run_sync(get)


async def test_wrap_up_sends_a_survey_by_channel_and_not_without_disposition(
        world: World) -> None:
    recorder = SurveyRecorder()
    world.server.connectors.append(recorder)
    ann = await world.login("ann", available=True)
    methods = {"chat": "chat_widget", "email": "email_link", "phone": "sms_ivr"}
    for channel, method in methods.items():
        iid = await handle(world, ann, channel)
        survey = _survey(world, iid)
        assert survey is not None and survey.method == method and survey.channel == channel
        assert survey.agent_id == world.agent_id("ann") and survey.answered_at is None
        assert survey.sent_at == world.clock.now()
    await asyncio.wait_for(_until(recorder, lambda: len(recorder.requests) == 3), 10)
    assert [(r.channel, r.method, r.customer_name) for r in recorder.requests] == [
        (ch, meth, "Carol Smith") for ch, meth in methods.items()]

    # the wrap-up time limit closes without a disposition: no survey
    timed_out = await handle(world, ann, "chat", disposition=None)
    await world.advance(world.server.config.wrap_up_limit_s + 1)
    closed = await ann.wait_event(_changed(timed_out, lambda d: d.change == "closed"))
    assert _data(closed, m.InteractionChanged).interaction.disposition is None
    assert _survey(world, timed_out) is None and len(recorder.requests) == 3


async def _until(recorder: SurveyRecorder, pred) -> None:  # type: ignore[no-untyped-def]
    while not pred():
        recorder.got.clear()
        await recorder.got.wait()


async def test_answer_is_stored_once_and_shown_in_detail_timeline_and_event(
        world: World, caplog: pytest.LogCaptureFixture) -> None:
    ann = await world.login("ann", available=True)
    lead = await world.login("lead")
    iid = await handle(world, ann, "email")
    await world.server.survey_answer(iid, 4, nps=9, ces=6, comment="  Quick and kind.  ")

    ev = await ann.wait_event(lambda d: isinstance(d, m.SurveyAnswered))
    got = _data(ev, m.SurveyAnswered).survey
    assert got.interaction_id == iid and got.csat == 4
    assert got.comment == "Quick and kind." and got.follow_up_id is None
    await lead.wait_event(lambda d: isinstance(d, m.SurveyAnswered))  # supervisors too
    changed = await ann.wait_event(_changed(iid, lambda d: d.change == "survey"))
    assert _data(changed, m.InteractionChanged).interaction.csat == 4

    detail = await ann.request(m.GetInteraction(interaction_id=iid))
    assert detail.ok and detail.result["survey"]["csat"] == 4
    assert detail.result["survey"]["nps"] == 9 and detail.result["survey"]["ces"] == 6
    cust = detail.result["interaction"]["customer"]["id"]
    profile = await ann.request(m.GetCustomer(customer_id=cust))
    assert profile.ok
    past = {p["id"]: p for p in profile.result["interactions"]}
    assert (past[iid]["csat"], past[iid]["nps"], past[iid]["ces"]) == (4, 9, 6)
    assert past[iid]["kind"] == "contact" and past[iid]["resolved_first_contact"] is False
    assert [s["interaction_id"] for s in profile.result["surveys"]] == [iid]

    with caplog.at_level(logging.INFO, logger="agent_desk.server.surveys"):
        await world.server.survey_answer(iid, 1, comment="changed my mind")
    assert "already answered" in caplog.text
    survey = _survey(world, iid)
    assert survey is not None and survey.csat == 4 and survey.follow_up_id is None


async def test_low_csat_opens_a_follow_up_for_the_leads_that_routing_does_not_offer(
        world: World) -> None:
    ann = await world.login("ann", available=True)
    lead = await world.login("lead", available=True)
    iid = await handle(world, ann, "chat")
    await world.server.survey_answer(iid, 2, comment="Nobody solved my problem.")

    created = await lead.wait_event(lambda d: isinstance(d, m.InteractionChanged)
                                    and d.interaction.kind == "follow_up")
    task = _data(created, m.InteractionChanged).interaction
    assert _data(created, m.InteractionChanged).change == "created" and task.state == "queued"
    assert (task.parent_id, task.channel, task.priority) == (iid, "chat", "high")
    assert task.subject == "Follow-up: CSAT 2 — chat question"
    assert task.preview == "Nobody solved my problem." and task.customer.name == "Carol Smith"
    answered = await ann.wait_event(lambda d: isinstance(d, m.SurveyAnswered))
    assert _data(answered, m.SurveyAnswered).survey.follow_up_id == task.id

    queue = world.server.store.run_sync(
        lambda s: (lambda q: (q.id, sorted(a.username for a in q.members)))(
            s.query(Queue).filter_by(name=FOLLOW_UP_QUEUE).one()))
    assert task.queue_id == queue[0] and queue[1] == ["admin", "lead"]
    await world.advance(5)  # routing passes: a follow-up is never offered
    state = world.server.store.run_sync(lambda s: s.get(Interaction, task.id).state)  # type: ignore[union-attr]
    assert state == "queued"
    assert not any(isinstance(e.data, m.InteractionChanged) and e.data.interaction.id == task.id
                   for e in ann.events)  # not a member of the follow-up queue


@pytest.mark.parametrize("answer", [
    {"csat": 0}, {"csat": 6}, {"csat": 3, "nps": 11}, {"csat": 3, "ces": 0},
    {"csat": 3, "ces": 8}, {"csat": True}, {"csat": "5"}, {"csat": None},
    {"csat": 3, "comment": None},
])
async def test_invalid_answers_are_logged_and_ignored(
        world: World, caplog: pytest.LogCaptureFixture, answer: dict[str, object]) -> None:
    ann = await world.login("ann", available=True)
    iid = await handle(world, ann, "phone")
    with caplog.at_level(logging.WARNING, logger="agent_desk.server.surveys"):
        await world.server.survey_answer(iid, **answer)  # type: ignore[arg-type]
        await world.server.survey_answer(999_999, 5)  # no such interaction / survey
    assert "ignored" in caplog.text and "999999" in caplog.text
    survey = _survey(world, iid)
    assert survey is not None and survey.answered_at is None and survey.csat is None
    await world.server.survey_answer(iid, 5)  # a valid answer still counts
    ok = _survey(world, iid)
    assert ok is not None and ok.csat == 5 and ok.answered_at is not None



# ---- the simulator answers surveys ---------------------------------------------------------

def _answered(iid: int) -> Callable[[Any], bool]:
    return lambda d: isinstance(d, m.SurveyAnswered) and d.survey.interaction_id == iid


def _inbound(iid: int) -> Callable[[Any], bool]:
    return lambda d: (isinstance(d, m.MessageAdded) and d.message.interaction_id == iid
                      and d.message.direction == "inbound")


async def test_simulator_answers_surveys_on_a_real_server(world: World) -> None:
    sim = TrafficSimulator(0, seed=21, survey_answer_chance=1.0, survey_delay=(0.0, 0.01),
                           chat_reply_delay=(0.0, 0.01))
    world.server.connectors.append(sim)
    await sim.start(world.server)
    # the lead belongs to every queue the simulated customers of this world reach
    agent = await world.login("lead", available=True)
    admin = await world.login("admin")
    done = []
    for channel in ("chat", "email", "phone"):
        iid = await sim.generate_one(channel)
        await agent.wait_event(_changed(iid, lambda d: d.interaction.state == "offered"))
        assert (await agent.cmd(m.Accept, interaction_id=iid)).ok
        if channel != "phone":
            assert (await agent.cmd(m.SendMessage, interaction_id=iid, body="On it!")).ok
        if channel == "chat":  # the customer reads, types and answers
            await agent.wait_event(_inbound(iid))
        end = m.HangUp if channel == "phone" else m.Close
        assert (await agent.cmd(end, interaction_id=iid)).ok
        assert (await agent.cmd(m.WrapUp, interaction_id=iid, disposition="resolved")).ok
        done.append(iid)
    for iid in done:
        await admin.wait_event(_answered(iid))
    assert sim.surveys_answered == 3
    for iid in done:
        survey = _survey(world, iid)
        assert survey is not None and survey.answered_at is not None
        assert survey.csat is not None and 1 <= survey.csat <= 5


async def test_simulator_picks_up_callbacks_and_ignores_other_customers() -> None:
    journeys = Journeys(10)
    callback_call = Lifecycle(7, "phone", "assigned", "accepted", kind="callback")
    assert journeys.remember(callback_call, 100.0, known=False) and len(journeys) == 1
    assert not journeys.remember(Lifecycle(8, "chat", "assigned", "accepted"), 100.0, False)
    # another agent's ordinary call (not a callback) is not the simulator's business
    assert not journeys.remember(Lifecycle(9, "phone", "assigned", "accepted"), 100.0, False)
    callback = journeys.pop(7)
    assert callback is not None and callback.callback and callback.first_response == 100.0

    sim = TrafficSimulator(0, seed=3, survey_answer_chance=1.0, survey_delay=(0.0, 0.0))
    sink = _Sink()
    await sim.start(sink)  # type: ignore[arg-type]
    try:
        await sim.lifecycle(Lifecycle(50, "phone", "assigned", "accepted", kind="callback"))
        await sim.request_survey(SurveyRequest(50, "phone", "sms_ivr", "Carol", "en"))
        await sim.request_survey(SurveyRequest(51, "chat", "chat_widget", "Dan", "en"))
        await asyncio.wait_for(sink.answered.wait(), 5)
    finally:
        await sim.stop()
    assert sim.callbacks_picked_up == 1 and [a[0] for a in sink.answers] == [50]


class _Sink:
    """Just enough of a contact sink for the simulator's survey answers."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, int | None]] = []
        self.answered = asyncio.Event()

    async def customer_identities(self, limit: int = 200) -> list[dict[str, str]]:
        return []

    async def survey_answer(self, interaction_id: int, csat: int | None, nps: int | None = None,
                            ces: int | None = None, comment: str = "") -> None:
        self.answers.append((interaction_id, csat))
        self.answered.set()


def test_simulated_answers_follow_the_experience() -> None:
    rng = random.Random(5)
    smooth = [answer(rng, Journey(1, "chat", 0.0, first_response=10.0), "chat_widget", "en",
                     600.0, 0.7) for _ in range(600)]
    rough = [answer(rng, Journey(2, "chat", 0.0, first_response=200.0, hand_overs=2),
                    "chat_widget", "zh", 600.0, 0.7) for _ in range(600)]
    given = [a for a in smooth if a is not None]
    assert 0.7 < len(given) / len(smooth) < 0.9  # the chat widget gets most answers
    bad = [a for a in rough if a is not None]
    mean = lambda xs: sum(a.csat for a in xs) / len(xs)  # noqa: E731
    assert mean(given) > 4.0 > 3.0 > mean(bad)
    assert any(a.nps is not None for a in given) and any(a.nps is None for a in given)
    assert all(a.ces is None or 1 <= a.ces <= 7 for a in given + bad)
    assert all(a.nps is None or 0 <= a.nps <= 10 for a in given + bad)
    low_comments = [a.comment for a in bad if a.csat <= 2 and a.comment]
    assert low_comments and all(CJK.search(c) for c in low_comments)
    first = [answer(random.Random(9), Journey(1, "email", 0.0), "email_link", "en", 50.0, 0.7)
             for _ in range(2)]
    assert first[0] == first[1]  # deterministic under a seed


# ---- demo data -------------------------------------------------------------------------------

def test_demo_history_has_surveys_and_closed_follow_ups(tmp_path: Path) -> None:
    now = 1_760_000_000.0
    engine = create_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as s, s.begin():
        seed_demo(s, now, password_log_n=4)
    with Session(engine) as s:
        contacts = {i.id: i for i in s.execute(select(Interaction).where(
            Interaction.kind == "contact")).scalars()}
        surveys = s.execute(select(Survey)).scalars().all()
        closed = [i for i in contacts.values() if i.state == "closed"]
        assert {x.interaction_id for x in surveys} == {i.id for i in closed}
        answered = [x for x in surveys if x.answered_at is not None]
        assert 0.55 < len(answered) / len(surveys) < 0.85
        for x in surveys:
            inter = contacts[x.interaction_id]
            assert x.method == {"chat": "chat_widget", "email": "email_link",
                                "phone": "sms_ivr"}[inter.channel]
            assert inter.csat == x.csat and x.sent_at == inter.closed_at
            if x.answered_at is not None:
                assert inter.closed_at < x.answered_at < now
        scores = {x.csat for x in answered}
        assert {1, 2, 5} <= scores <= {1, 2, 3, 4, 5}
        lead = s.execute(select(Agent).where(Agent.username == "lead")).scalar_one()
        low = [x for x in answered if x.csat is not None and x.csat <= 2]
        assert low and all(x.follow_up_id for x in low)
        assert not any(x.follow_up_id for x in answered if x not in low)
        queue = s.execute(select(Queue).where(Queue.name == FOLLOW_UP_QUEUE)).scalar_one()
        for x in low:
            task = s.get(Interaction, x.follow_up_id)
            assert task is not None and task.kind == "follow_up"
            assert (task.parent_id, task.queue_id, task.priority) == (x.interaction_id,
                                                                      queue.id, "high")
            assert task.subject.startswith(f"Follow-up: CSAT {x.csat} — ")
            assert task.created_at == x.answered_at
            if task.state == "closed":
                assert task.assigned_agent_id == lead.id and task.disposition
        assert sum(s.get(Interaction, x.follow_up_id).state == "closed"  # type: ignore[union-attr]
                   for x in low) >= len(low) - 2
        cust = contacts[low[0].interaction_id].customer_id
        profile = Engine(ManualClock(now)).customer_360(s, cust)
        kinds = {p.kind for p in profile.interactions}
        assert "follow_up" in kinds
        past = {p.id: p for p in profile.interactions}
        assert past[low[0].interaction_id].csat == low[0].csat
        assert profile.surveys and profile.surveys[0].answered_at is not None
    engine.dispose()
