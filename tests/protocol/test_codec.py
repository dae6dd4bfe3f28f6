"""Protocol round-trips and validation: every frame encodes and decodes to itself; bad
input becomes a ProtocolError with the right code and a message naming the problem."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import msgspec
import pytest

from agent_desk.protocol import kb
from agent_desk.protocol import messages as m
from agent_desk.protocol import views as v
from agent_desk.protocol.codec import (
    ProtocolError,
    decode_client_frame,
    decode_server_frame,
    encode,
    encode_event_data,
    event_frame,
)
from agent_desk.protocol.codes import CLOSE_ADVICE, ERROR_ADVICE, CloseCode, ErrorCode

KEY = "0b7e5d1c-6f00-4b7e-9f5e-6a3f2b1c0d9e"
NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)

CLIENT_SAMPLES: list[m.ClientFrame] = [
    m.Login(id="1", username="ann", password="secret", resume_from=5, client="test/1"),
    m.Hello(id="2", token="t" * 40),
    m.Refresh(refresh_token="r" * 40, resume_from=0),
    m.Ping(id="p"),
    kb.KbSaveArticle(key=KEY, title="退款", body="正文", tags=["refund"], language="zh",
                     submit=True),
    kb.KbArticleAction(key=KEY, article_id="refund-policy-3", action="publish", note="ok"),
    kb.KbFeedback(key=KEY, article_id="kb-7", kind="helped", interaction_id=3),
    kb.KbSaveTemplate(key=KEY, title="Hi", body="Hi {customer.name}", language="en",
                      shortcut="hi"),
    kb.KbSync(since=10, limit=50), kb.KbListArticles(review_due=True),
    kb.KbGetArticle(article_id="kb-7"),
    m.SetState(key=KEY, state="away", reason="lunch"),  # type: ignore[arg-type]
    m.Accept(key=KEY, interaction_id=1),
    m.Decline(key=KEY, interaction_id=1, reason="wrong language"),
    m.Pick(key=KEY, interaction_id=2),
    m.SendMessage(key=KEY, interaction_id=3, body="Hi 你好", subject="Re: x", to=["a@b.c"]),
    m.AddNote(key=KEY, interaction_id=3, body="note"),
    m.Hold(key=KEY, interaction_id=4), m.Unhold(key=KEY, interaction_id=4),
    m.Transfer(key=KEY, interaction_id=4, to_queue_id=2, note="billing"),
    m.HangUp(key=KEY, interaction_id=4), m.Close(key=KEY, interaction_id=3),
    m.WrapUp(key=KEY, interaction_id=3, disposition="resolved", resolved_first_contact=True),
    m.Reassign(key=KEY, interaction_id=3, agent_id=2),
    m.SetPriority(key=KEY, interaction_id=3, priority="urgent"),  # type: ignore[arg-type]
    m.GetInteraction(interaction_id=3), m.GetCustomer(customer_id=1),
    m.SearchCustomers(query="carol", limit=5),
    m.Activity(interaction_id=3, viewing=True, typing=True),
    m.SendMessage(key=KEY, interaction_id=3, body="fyi", to=["x@y.z"], mode="forward",
                  html="<p>fyi</p>", attachment_ids=[4, 5]),
    m.Mute(key=KEY, interaction_id=4, muted=True),
    m.Consult(key=KEY, interaction_id=4, to_agent_id=2),
    m.CompleteTransfer(key=KEY, interaction_id=4), m.CancelConsult(key=KEY, interaction_id=4),
    m.Conference(key=KEY, interaction_id=4), m.SendDtmf(key=KEY, interaction_id=4, digits="12#"),
    m.RequestCallback(key=KEY, interaction_id=4, number="+4930123456", window_start=NOW,
                      window_end=NOW, note="after 5"),
    m.Escalate(key=KEY, interaction_id=3, to_queue_id=2, reason="refund over limit"),
    m.LinkCustomer(key=KEY, interaction_id=3, customer_id=7),
    m.CreateCustomer(key=KEY, name="王芳", language="zh", tier="gold",  # type: ignore[arg-type]
                     identities=[v.IdentityView(kind="phone", value="+8613800000000")],
                     interaction_id=3),
    m.UploadChunk(key=KEY, interaction_id=3, upload_id="u-12345678", filename="a.pdf",
                  content_type="application/pdf", total_size=3, offset=0, data="YWJj"),
    m.WrapUp(key=KEY, interaction_id=3, disposition="resolved", kb_article_ids=["kb-1"]),
    m.GetAttachment(attachment_id=4, offset=0, length=1024),
    m.GetTransferTargets(channel="phone"),  # type: ignore[arg-type]
]


def test_every_client_frame_type_has_a_sample() -> None:
    sampled = {type(f) for f in CLIENT_SAMPLES}
    assert sampled == {*m.COMMANDS, *m.QUERIES, *m.AUTH_FRAMES, m.Ping, m.Activity}


@pytest.mark.parametrize("frame", CLIENT_SAMPLES, ids=lambda f: type(f).__name__)
def test_client_frames_round_trip(frame: m.ClientFrame) -> None:
    data = encode(frame)
    assert json.loads(data)["type"] == type(frame).__struct_config__.tag
    assert decode_client_frame(data) == frame


def _interaction() -> v.InteractionView:
    return v.InteractionView(
        id=7, channel="chat", state="queued",  # type: ignore[arg-type]
        customer=v.CustomerBrief(id=1, name="王芳", tier="vip", language="zh"),  # type: ignore[arg-type]
        queue_id=1, created_at=NOW, first_response_due_at=NOW, resolution_due_at=NOW)


def test_event_frame_built_per_connection_decodes_with_the_schema() -> None:
    data = encode_event_data(m.InteractionChanged(change="created", interaction=_interaction()))
    frame = decode_server_frame(event_frame(42, 40, "2026-11-23T16:00:00.000Z", data))
    assert isinstance(frame, m.Event)
    assert (frame.seq, frame.prev, frame.at) == (42, 40, NOW)
    assert isinstance(frame.data, m.InteractionChanged)
    assert frame.data.interaction.customer.name == "王芳"


def test_server_frames_round_trip() -> None:
    samples: list[m.ServerFrame] = [
        m.Ack(re="1", key=KEY, ok=True, result={"state": "assigned"}),
        m.Ack(re="2", key=KEY, ok=False,
              error=m.ErrorBody(code=ErrorCode.NOT_FOUND, message="interaction 9 not found")),
        m.Error(code=ErrorCode.MALFORMED, message="x"),
        m.ReplayDone(seq=9), m.Pong(re="p", server_time=NOW),
        m.Event(seq=3, prev=1, at=NOW, data=m.SlaAlert(
            interaction_id=7, target="first_response", level="warning", due_at=NOW)),  # type: ignore[arg-type]
    ]
    for f in samples:
        assert decode_server_frame(encode(f)) == f


@pytest.mark.parametrize(("raw", "code", "needle"), [
    (b"{not json", ErrorCode.MALFORMED, "JSON"),
    (b"[1, 2]", ErrorCode.MALFORMED, "object"),
    (b'{"id": "x"}', ErrorCode.INVALID, "type"),
    (b'{"type": "teleport"}', ErrorCode.UNKNOWN_TYPE, "teleport"),
    (b'{"type": "accept", "key": "' + KEY.encode() + b'"}', ErrorCode.INVALID,
     "interaction_id"),
    (b'{"type": "accept", "key": "' + KEY.encode() + b'", "interaction_id": "seven"}',
     ErrorCode.INVALID, "$.interaction_id"),
    (b'{"type": "accept", "key": "short", "interaction_id": 1}', ErrorCode.INVALID, "key"),
    (b'{"type": "set_state", "key": "' + KEY.encode() + b'", "state": "asleep"}',
     ErrorCode.INVALID, "state"),
    (b'{"v": 2, "type": "ping"}', ErrorCode.UNSUPPORTED_VERSION, "version"),
])
def test_bad_frames_get_a_code_and_a_message(raw: bytes, code: ErrorCode, needle: str) -> None:
    with pytest.raises(ProtocolError) as info:
        decode_client_frame(raw)
    assert info.value.code == code
    assert needle in info.value.message


def test_oversize_frame_is_too_large() -> None:
    body = "x" * (m.MAX_FRAME_BYTES + 1)
    raw = encode(m.AddNote(key=KEY, interaction_id=1, body=body[:100]))
    with pytest.raises(ProtocolError) as info:
        decode_client_frame(raw + b" " * m.MAX_FRAME_BYTES)
    assert info.value.code == ErrorCode.TOO_LARGE


def test_unknown_fields_are_ignored_for_forward_compatibility() -> None:
    f = decode_client_frame(b'{"type": "ping", "id": "a", "future_field": 1}')
    assert f == m.Ping(id="a")


def test_the_frame_id_is_kept_for_error_replies() -> None:
    with pytest.raises(ProtocolError) as info:
        decode_client_frame(b'{"type": "accept", "id": "c-9", "key": "' + KEY.encode() + b'"}')
    assert info.value.frame_id == "c-9"


def test_every_code_has_advice() -> None:
    assert set(ERROR_ADVICE) == set(ErrorCode)
    assert set(CLOSE_ADVICE) == set(CloseCode)
    assert all(isinstance(msgspec.json.encode(a), bytes) for a in ERROR_ADVICE.values())
