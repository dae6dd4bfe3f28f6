"""The call state machine: every allowed and every forbidden transition, timers on a fake
clock, input validation, and the mapping from the server's interaction states."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from agent_desk.channels.errors import ChannelError, InvalidInput, InvalidTransition
from agent_desk.channels.phone import (
    CallAction,
    CallState,
    EndReason,
    PhoneCall,
    TransferTarget,
    validate_callback_number,
    validate_dtmf,
)
from agent_desk.protocol.enums import Channel, InteractionState
from agent_desk.protocol.views import CustomerBrief, InteractionView

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
S, A = CallState, CallAction
QUEUE = TransferTarget("queue", 7, "Billing")
AGENT = TransferTarget("agent", 3, "Bea")


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.t = start.timestamp()

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


#: The expected machine, written out independently of the module's table.
EXPECTED: dict[CallState, dict[CallAction, CallState]] = {
    S.RINGING: {A.ANSWER: S.CONNECTED, A.DECLINE: S.ENDED},
    S.CONNECTED: {A.HOLD: S.ON_HOLD, A.MUTE: S.CONNECTED, A.BLIND_TRANSFER: S.ENDED,
                  A.WARM_TRANSFER_START: S.CONSULTING, A.HANG_UP: S.ENDED,
                  A.DTMF: S.CONNECTED, A.REQUEST_CALLBACK: S.CONNECTED},
    S.ON_HOLD: {A.RESUME: S.CONNECTED, A.MUTE: S.ON_HOLD, A.BLIND_TRANSFER: S.ENDED,
                A.WARM_TRANSFER_START: S.CONSULTING, A.HANG_UP: S.ENDED,
                A.REQUEST_CALLBACK: S.ON_HOLD},
    S.CONSULTING: {A.WARM_TRANSFER_COMPLETE: S.ENDED, A.WARM_TRANSFER_CANCEL: S.CONNECTED,
                   A.CONFERENCE: S.CONFERENCE, A.MUTE: S.CONSULTING, A.DTMF: S.CONSULTING},
    S.CONFERENCE: {A.WARM_TRANSFER_CANCEL: S.CONNECTED, A.HANG_UP: S.ENDED,
                   A.MUTE: S.CONFERENCE, A.DTMF: S.CONFERENCE},
    S.ENDED: {A.WRAP_UP: S.WRAP_UP, A.REQUEST_CALLBACK: S.ENDED},
    S.WRAP_UP: {A.REQUEST_CALLBACK: S.WRAP_UP},
}

PATHS: dict[CallState, list[Callable[[PhoneCall], object]]] = {
    S.RINGING: [],
    S.CONNECTED: [PhoneCall.answer],
    S.ON_HOLD: [PhoneCall.answer, PhoneCall.hold],
    S.CONSULTING: [PhoneCall.answer, lambda c: c.warm_transfer_start(QUEUE)],
    S.CONFERENCE: [PhoneCall.answer, lambda c: c.warm_transfer_start(QUEUE),
                   PhoneCall.conference],
    S.ENDED: [PhoneCall.answer, PhoneCall.hang_up],
    S.WRAP_UP: [PhoneCall.answer, PhoneCall.hang_up, PhoneCall.wrap_up],
}


def call_in(state: CallState, clock: FakeClock | None = None) -> PhoneCall:
    call = PhoneCall(1, now=clock or FakeClock())
    for step in PATHS[state]:
        step(call)
    assert call.state == state
    return call


def do(call: PhoneCall, action: CallAction) -> object:
    start = T0 + timedelta(hours=1)
    args: dict[CallAction, Callable[[], object]] = {
        A.BLIND_TRANSFER: lambda: call.blind_transfer(AGENT),
        A.WARM_TRANSFER_START: lambda: call.warm_transfer_start(AGENT),
        A.DTMF: lambda: call.dtmf("12#"),
        A.REQUEST_CALLBACK: lambda: call.request_callback(
            "+49 30 1234567", start, start + timedelta(hours=1)),
    }
    return args.get(action, getattr(call, action.value))()


ALL_PAIRS = [(s, a) for s in CallState for a in CallAction]


@pytest.mark.parametrize(("state", "action"), [p for p in ALL_PAIRS if p[1] in EXPECTED[p[0]]])
def test_allowed_transition(state: CallState, action: CallAction) -> None:
    call = call_in(state)
    assert action in call.allowed_actions()
    command = do(call, action)
    assert call.state == EXPECTED[state][action]
    assert command.action == action  # type: ignore[attr-defined]


@pytest.mark.parametrize(("state", "action"),
                         [p for p in ALL_PAIRS if p[1] not in EXPECTED[p[0]]])
def test_forbidden_transition(state: CallState, action: CallAction) -> None:
    call = call_in(state)
    assert action not in call.allowed_actions()
    with pytest.raises(InvalidTransition) as info:
        do(call, action)
    assert info.value.state == state.value and info.value.action == action.value
    assert f"cannot {action.value} while the call is {state.value}" in str(info.value)
    assert call.state == state


@pytest.mark.parametrize("state", list(CallState))
def test_allowed_actions_match_the_table(state: CallState) -> None:
    assert call_in(state).allowed_actions() == frozenset(EXPECTED[state])


@pytest.mark.parametrize("state", [S.CONNECTED, S.ON_HOLD, S.CONSULTING, S.CONFERENCE])
def test_mute_is_a_local_toggle(state: CallState) -> None:
    call = call_in(state)
    call.mute()
    assert call.muted and call.state == state
    assert A.UNMUTE in call.allowed_actions() and A.MUTE not in call.allowed_actions()
    with pytest.raises(InvalidTransition):
        call.mute()
    call.unmute()
    assert not call.muted


def test_mute_is_cleared_when_the_call_ends() -> None:
    call = call_in(S.CONNECTED)
    call.mute()
    call.hang_up()
    assert not call.muted


def test_cancel_returns_to_hold_when_the_consultation_started_on_hold() -> None:
    call = call_in(S.ON_HOLD)
    call.warm_transfer_start(QUEUE)
    assert call.consult_target == QUEUE
    command = call.warm_transfer_cancel()
    assert call.state == S.ON_HOLD and command.target == QUEUE
    assert call.consult_target is None


def test_complete_and_blind_transfer_end_the_call_as_transferred() -> None:
    call = call_in(S.CONSULTING)
    assert call.warm_transfer_complete().target == QUEUE
    assert call.end_reason == EndReason.TRANSFERRED
    other = call_in(S.CONNECTED)
    assert other.blind_transfer(AGENT).target == AGENT
    assert other.state == S.ENDED and other.end_reason == EndReason.TRANSFERRED


def test_call_and_hold_timers_with_a_fake_clock() -> None:
    clock = FakeClock()
    call = PhoneCall(1, now=clock)
    clock.advance(4)
    assert call.ring_seconds() == 4 and call.call_seconds() == 0
    call.answer()
    clock.advance(10)
    call.hold()
    clock.advance(5)
    assert call.current_hold_seconds() == 5 and call.hold_seconds() == 5
    call.resume()
    clock.advance(20)
    assert call.current_hold_seconds() == 0 and call.hold_seconds() == 5
    call.warm_transfer_start(QUEUE)  # the customer hears hold music while we consult
    clock.advance(7)
    assert call.hold_seconds() == 12
    call.conference()  # customer joins: hold ends
    clock.advance(3)
    assert call.hold_seconds() == 12 and call.hold_count == 2
    call.hang_up()
    assert call.call_seconds() == 45 and call.ring_seconds() == 4
    clock.advance(100)
    assert call.call_seconds() == 45  # frozen at the end
    call.wrap_up()
    clock.advance(30)
    assert call.wrap_up_seconds() == 30


def test_caller_hanging_up() -> None:
    ringing = call_in(S.RINGING)
    ringing.caller_hung_up()
    assert ringing.state == S.ENDED and ringing.end_reason == EndReason.ABANDONED
    held = call_in(S.ON_HOLD)
    held.caller_hung_up()
    assert held.end_reason == EndReason.CALLER_HUNG_UP and held.current_hold_seconds() == 0
    held.wrap_up()
    held.caller_hung_up()  # late duplicate event: ignored
    assert held.state == S.WRAP_UP


@pytest.mark.parametrize(("digits", "want"), [("123", "123"), ("*#", "*#"), ("a b c d", "ABCD"),
                                              ("0 9", "09")])
def test_dtmf_valid(digits: str, want: str) -> None:
    assert validate_dtmf(digits) == want
    assert call_in(S.CONNECTED).dtmf(digits).digits == want


@pytest.mark.parametrize(("digits", "code"), [("", "dtmf_empty"), ("12E", "dtmf_invalid"),
                                              ("1-2", "dtmf_invalid"), ("１", "dtmf_invalid"),
                                              ("1" * 33, "dtmf_too_long")])
def test_dtmf_invalid(digits: str, code: str) -> None:
    with pytest.raises(InvalidInput) as info:
        call_in(S.CONNECTED).dtmf(digits)
    assert info.value.code == code


def test_request_callback_validates_number_and_window() -> None:
    call = call_in(S.CONNECTED)
    start = T0 + timedelta(hours=2)
    cmd = call.request_callback("0049 (30) 123-456", start, start + timedelta(hours=1))
    assert cmd.callback is not None and cmd.callback.number == "+4930123456"
    assert cmd.callback.window_start == start and cmd.callback.window_end.tzinfo is not None
    # a window that already started begins now
    cmd = call.request_callback("030 1234", T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    assert cmd.callback is not None and cmd.callback.window_start == T0
    bad = [
        ("abc", start, start + timedelta(hours=1), "callback_number_invalid"),
        ("12", start, start + timedelta(hours=1), "callback_number_length"),
        ("+1234567890123456", start, start + timedelta(hours=1), "callback_number_length"),
        ("030 1234", start, start - timedelta(hours=1), "callback_window_order"),
        ("030 1234", start, start + timedelta(minutes=5), "callback_window_short"),
        ("030 1234", T0 - timedelta(hours=3), T0 - timedelta(hours=2), "callback_window_past"),
        ("030 1234", T0 + timedelta(days=40), T0 + timedelta(days=41), "callback_window_far"),
        ("030 1234", start.replace(tzinfo=None), start + timedelta(hours=1),
         "callback_window_naive"),
    ]
    for number, s, e, code in bad:
        with pytest.raises(InvalidInput) as info:
            call.request_callback(number, s, e)
        assert info.value.code == code, (number, s, e)


def test_callback_number_normalisation() -> None:
    assert validate_callback_number(" +1 (555) 010-9999 ") == "+15550109999"


def test_transfer_target_validation() -> None:
    with pytest.raises(InvalidInput):
        TransferTarget("agent", 0)
    with pytest.raises(InvalidInput):
        TransferTarget("phone", 3)  # type: ignore[arg-type]


def view(state: InteractionState, channel: Channel = Channel.PHONE, **kw: object) -> (
        InteractionView):
    fields: dict[str, object] = dict(
        id=5, channel=channel, state=state, queue_id=1, created_at=T0,
        customer=CustomerBrief(id=1, name="Ada", tier="gold", language="en"),  # type: ignore[arg-type]
        first_response_due_at=T0, resolution_due_at=T0)
    fields.update(kw)
    return InteractionView(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("server", "local"), [
    (InteractionState.OFFERED, S.RINGING), (InteractionState.ASSIGNED, S.CONNECTED),
    (InteractionState.ON_HOLD, S.ON_HOLD), (InteractionState.WRAP_UP, S.WRAP_UP),
    (InteractionState.CLOSED, S.ENDED), (InteractionState.ABANDONED, S.ENDED)])
def test_from_server_maps_states(server: InteractionState, local: CallState) -> None:
    call = PhoneCall.from_server(view(server), now=FakeClock())
    assert call.state == local and call.interaction_id == 5
    if server == InteractionState.ABANDONED:
        assert call.end_reason == EndReason.ABANDONED


def test_from_server_restores_timers() -> None:
    clock = FakeClock(T0 + timedelta(minutes=5))
    call = PhoneCall.from_server(view(InteractionState.ASSIGNED, offered_at=T0,
                                      answered_at=T0 + timedelta(seconds=20)), now=clock)
    assert call.ring_seconds() == 20 and call.call_seconds() == 280
    call.apply_server(view(InteractionState.WRAP_UP, answered_at=T0 + timedelta(seconds=20),
                           wrap_up_at=T0 + timedelta(minutes=4)))
    assert call.state == S.WRAP_UP and call.call_seconds() == 220
    assert call.wrap_up_seconds() == 60


def test_apply_server_keeps_local_consultation() -> None:
    call = PhoneCall.from_server(view(InteractionState.ASSIGNED), now=FakeClock())
    call.warm_transfer_start(QUEUE)
    call.apply_server(view(InteractionState.ON_HOLD))
    assert call.state == S.CONSULTING
    call.apply_server(view(InteractionState.CLOSED))
    assert (call.state, call.end_reason) == (S.ENDED, EndReason.CLOSED)


def test_from_server_rejects_other_channels_and_queued() -> None:
    with pytest.raises(ChannelError) as info:
        PhoneCall.from_server(view(InteractionState.ASSIGNED, Channel.CHAT))
    assert info.value.code == "not_a_call"
    with pytest.raises(ChannelError) as info:
        PhoneCall.from_server(view(InteractionState.QUEUED))
    assert info.value.code == "not_offered"
