"""The call adapter without Qt: every call action of the state machine becomes the right
protocol command (checked through the real codec, as the server would decode it), bad or
frame-less commands are refused with a clear error, and the module never needs Qt."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from agent_desk.channels.phone import (
    CallAction,
    CallbackRequest,
    CallCommand,
    CallState,
    PhoneCall,
    TransferTarget,
)
from agent_desk.client.call_adapter import MAX_NOTE, NotACallFrame, to_frame
from agent_desk.protocol import messages as m
from agent_desk.protocol.codec import decode_client_frame, encode

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BOB = TransferTarget("agent", 2, "Bob")
BILLING = TransferTarget("queue", 7, "Billing")


def wire(frame: m.Command) -> m.ClientFrame:
    """What the server decodes from the frame the client sends."""
    return decode_client_frame(encode(frame))


class Clock:
    def __init__(self) -> None:
        self.t = T0.timestamp()

    def __call__(self) -> float:
        return self.t


def test_the_whole_warm_transfer_flow_maps_to_protocol_frames() -> None:
    clock = Clock()
    call = PhoneCall(42, now=clock)
    sent = [to_frame(call.answer(), 42)]
    sent.append(to_frame(call.hold(), 42))
    sent.append(to_frame(call.resume(), 42))
    sent.append(to_frame(call.mute(), 42))
    sent.append(to_frame(call.unmute(), 42))
    sent.append(to_frame(call.dtmf("12 34#"), 42))
    sent.append(to_frame(call.warm_transfer_start(BOB), 42))
    sent.append(to_frame(call.conference(), 42))
    sent.append(to_frame(call.warm_transfer_cancel(), 42))
    sent.append(to_frame(call.hang_up(), 42))
    decoded = [wire(f) for f in sent]
    assert [type(f) for f in decoded] == [m.Accept, m.Hold, m.Unhold, m.Mute, m.Mute,
                                          m.SendDtmf, m.Consult, m.Conference,
                                          m.CancelConsult, m.HangUp]
    assert all(f.interaction_id == 42 for f in decoded)  # type: ignore[attr-defined]
    mute, unmute = decoded[3], decoded[4]
    assert isinstance(mute, m.Mute) and mute.muted is True
    assert isinstance(unmute, m.Mute) and unmute.muted is False
    dtmf = decoded[5]
    assert isinstance(dtmf, m.SendDtmf) and dtmf.digits == "1234#"
    consult = decoded[6]
    assert isinstance(consult, m.Consult)
    assert (consult.to_agent_id, consult.to_queue_id) == (2, None)
    keys = [f.key for f in decoded]  # type: ignore[attr-defined]
    assert len(set(keys)) == len(keys)  # one idempotency key per action
    assert call.state == CallState.ENDED


def test_complete_transfer_and_blind_transfer_to_a_queue_with_a_note() -> None:
    call = PhoneCall(5, now=Clock(), state=CallState.CONNECTED)
    call.warm_transfer_start(BILLING)
    done = wire(to_frame(call.warm_transfer_complete(), 5))
    assert isinstance(done, m.CompleteTransfer) and done.interaction_id == 5
    blind = PhoneCall(6, now=Clock(), state=CallState.ON_HOLD)
    frame = wire(to_frame(blind.blind_transfer(BILLING), 6, note="  billing dispute  "))
    assert isinstance(frame, m.Transfer)
    assert (frame.to_agent_id, frame.to_queue_id, frame.note) == (None, 7, "billing dispute")
    consult = wire(to_frame(CallCommand(CallAction.WARM_TRANSFER_START, target=BILLING), 6))
    assert isinstance(consult, m.Consult) and consult.to_queue_id == 7


def test_decline_carries_the_reason_and_the_key_given_is_used() -> None:
    call = PhoneCall(9, now=Clock())
    frame = to_frame(call.decline(), 9, key="key-00000001", note="wrong language")
    assert isinstance(frame, m.Decline)
    assert (frame.key, frame.reason) == ("key-00000001", "wrong language")


def test_callback_request_keeps_the_validated_number_and_utc_window() -> None:
    clock = Clock()
    call = PhoneCall(11, now=clock, state=CallState.CONNECTED)
    start = T0 + timedelta(minutes=30)
    cmd = call.request_callback("+1 (555) 000-1", start, start + timedelta(hours=2))
    frame = wire(to_frame(cmd, 11, note="after lunch"))
    assert isinstance(frame, m.RequestCallback)
    assert frame.number == "+15550001"
    assert frame.window_start == start and frame.window_end == start + timedelta(hours=2)
    assert frame.note == "after lunch"


def test_long_notes_are_cut_to_what_the_protocol_carries() -> None:
    frame = to_frame(CallCommand(CallAction.BLIND_TRANSFER, target=BOB), 3, note="x" * 900)
    assert isinstance(frame, m.Transfer) and frame.note == "x" * MAX_NOTE
    assert isinstance(wire(frame), m.Transfer)  # still a valid frame


@pytest.mark.parametrize("cmd, code", [
    (CallCommand(CallAction.WRAP_UP), "no_frame"),
    (CallCommand(CallAction.BLIND_TRANSFER), "no_target"),
    (CallCommand(CallAction.WARM_TRANSFER_START), "no_target"),
    (CallCommand(CallAction.DTMF), "dtmf_empty"),
    (CallCommand(CallAction.REQUEST_CALLBACK), "no_callback"),
])
def test_commands_without_a_frame_or_their_data_are_refused_clearly(cmd: CallCommand,
                                                                    code: str) -> None:
    with pytest.raises(NotACallFrame) as err:
        to_frame(cmd, 1)
    assert err.value.code == code
    assert str(err.value)  # an English message for the log


def test_a_callback_command_built_by_hand_is_still_checked_by_the_protocol() -> None:
    start = T0 + timedelta(hours=1)
    cmd = CallCommand(CallAction.REQUEST_CALLBACK,
                      callback=CallbackRequest("12", start, start + timedelta(hours=1)))
    frame = to_frame(cmd, 1)
    with pytest.raises(Exception, match="number"):
        wire(frame)  # two digits: the server's schema refuses it (min 3 characters)


def test_the_adapter_does_not_import_qt() -> None:
    code = ("import sys, agent_desk.client.call_adapter; "
            "sys.exit(any(n.startswith(('PySide6', 'shiboken6')) for n in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
