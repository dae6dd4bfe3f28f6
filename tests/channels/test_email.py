"""Email without widgets: reply drafts (subject, threading headers, recipients, quoting,
signature), address and attachment checks, hostile HTML, and robust MIME parsing."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime

import pytest

from agent_desk.channels.email import (
    MAX_ATTACHMENTS_BYTES,
    AddressIssue,
    Attachment,
    AttachmentError,
    Draft,
    EmailError,
    NoteCode,
    add_attachment,
    attachment_bytes,
    base_subject,
    check_draft,
    parse_address,
    parse_message,
    quote_text,
    reply,
    reply_subject,
    split_addresses,
    with_signature,
)
from agent_desk.channels.email.addresses import AddressInvalid
from agent_desk.protocol.enums import Direction
from agent_desk.protocol.views import MessageView

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
US = ["support@agentdesk.example", "Team@AgentDesk.example"]


def msg(i: int, direction: Direction = Direction.INBOUND, **kw: object) -> MessageView:
    fields: dict[str, object] = dict(
        id=i, interaction_id=1, direction=direction, author="Ada Lovelace", at=AT,
        body="Hello,\nmy order is late.\n> old quote", subject="Order 42",
        from_addr="ada@customer.example", to=["support@agentdesk.example"], cc=[],
        message_id=f"<m{i}@customer.example>", in_reply_to=None, references=[])
    fields.update(kw)
    return MessageView(**fields)  # type: ignore[arg-type]


# ---- subject --------------------------------------------------------------------------------
@pytest.mark.parametrize(("subject", "want"), [
    ("Order 42", "Re: Order 42"), ("Re: Order 42", "Re: Order 42"),
    ("RE: re: Re:Order 42", "Re: Order 42"), ("AW: Order 42", "Re: Order 42"),
    ("回复：订单 42", "Re: 订单 42"), ("答复: 回复: 订单", "Re: 订单"), ("转发：订单", "Re: 订单"),
    ("Re[2]: Order", "Re: Order"), ("Fwd: Re: Order", "Re: Order"),
    ("SV: VS: Tilaus", "Re: Tilaus"),
    ("[#123] Re: Order", "Re: [#123] Order"), ("Resolution: none", "Re: Resolution: none"),
    ("", "Re:"), (None, "Re:"),
])
def test_reply_subject(subject: str | None, want: str) -> None:
    assert reply_subject(subject, "reply") == want
    assert reply_subject(subject, "reply_all") == want
    assert reply_subject(subject, "forward") == want.replace("Re:", "Fwd:", 1)


def test_base_subject_strips_every_prefix() -> None:
    assert base_subject("Re: Fwd: 回复: 答复： AW: WG: hi  there") == "hi there"


# ---- reply drafts ---------------------------------------------------------------------------
def test_reply_threading_headers_and_quote() -> None:
    first = msg(1)
    second = msg(3, message_id="<m3@customer.example>", in_reply_to="<m2@agentdesk.example>",
                 references=["<m1@customer.example>", "<m2@agentdesk.example>"])
    ours = msg(2, Direction.OUTBOUND, from_addr="support@agentdesk.example",
               to=["ada@customer.example"], message_id="<m2@agentdesk.example>")
    note = msg(4, Direction.INTERNAL, body="internal: VIP, be nice", message_id=None)
    draft = reply([first, ours, second, note], "reply", US)
    assert draft.in_reply_to == "<m3@customer.example>"
    assert draft.references == ("<m1@customer.example>", "<m2@agentdesk.example>",
                                "<m3@customer.example>")
    assert draft.to == ("Ada Lovelace <ada@customer.example>",) or draft.to == (
        "ada@customer.example",)
    assert draft.subject == "Re: Order 42"
    assert "internal" not in draft.body  # notes are never quoted
    assert "On Mon, 02 Mar 2026 09:30:00 +0000, Ada Lovelace wrote:\n> Hello,\n" in draft.body
    assert "> my order is late.\n>> old quote" in draft.body
    assert draft.body.startswith("\n\n")  # room for the answer above the quote


def test_references_fall_back_to_in_reply_to_and_are_capped() -> None:
    draft = reply(msg(5, in_reply_to="<p@x.example>"), "reply", US)
    assert draft.references == ("<p@x.example>", "<m5@customer.example>")
    refs = [f"<r{i}@x.example>" for i in range(40)]
    draft = reply(msg(6, references=refs), "reply", US)
    assert len(draft.references) == 20
    assert draft.references[0] == "<r0@x.example>"
    assert draft.references[-1] == "<m6@customer.example>"


def test_reply_all_recipients() -> None:
    m = msg(1, to=["support@agentdesk.example", "Bob <bob@customer.example>",
                   "team@agentdesk.example"],
            cc=["BOB@customer.example", "carol@partner.example", "ada@customer.example",
                "Support@AgentDesk.example"])
    draft = reply(m, "reply_all", US)
    assert [a.split("<")[-1].rstrip(">").lower() for a in draft.to] == [
        "ada@customer.example", "bob@customer.example"]
    assert draft.cc == ("carol@partner.example",)
    plain = reply(m, "reply", US)
    assert len(plain.to) == 1 and plain.cc == ()


def test_reply_to_our_own_last_message_goes_to_its_recipients() -> None:
    ours = msg(2, Direction.OUTBOUND, from_addr="support@agentdesk.example",
               to=["ada@customer.example"], author="Support")
    assert reply([ours], "reply", US).to == ("ada@customer.example",)


def test_forward() -> None:
    draft = reply([msg(1)], "forward", US, "Bea\nAgent Desk")
    assert draft.subject == "Fwd: Order 42" and draft.to == () and draft.in_reply_to is None
    assert draft.forwarded_message_id == "<m1@customer.example>"
    assert "---------- Forwarded message ----------\nFrom: Ada Lovelace <ada@customer.example>"\
        in draft.body
    assert draft.body.index("-- \nBea") < draft.body.index("Forwarded message")


def test_signature_added_once_above_the_quote() -> None:
    draft = reply(msg(1), "reply", US, "Bea\nAgent Desk")
    assert draft.body.count("-- \nBea\nAgent Desk") == 1
    assert draft.body.index("-- \nBea") < draft.body.index("wrote:")
    assert with_signature(draft.body, "Bea\nAgent Desk") == draft.body
    # a quoted copy of our signature does not count as ours
    quoted = "Thanks\n\nOn x, y wrote:\n> -- \n> Bea\n> Agent Desk"
    assert with_signature(quoted, "Bea\nAgent Desk").count("Bea") == 2
    assert with_signature("Hi", "") == "Hi"


def test_nothing_to_reply_to() -> None:
    with pytest.raises(EmailError):
        reply([msg(1, Direction.INTERNAL)], "reply", US)
    with pytest.raises(EmailError):
        reply([msg(1)], "answer", US)  # type: ignore[arg-type]


def test_quote_text_is_cut() -> None:
    quoted = quote_text("x" * 200_000)
    assert quoted.endswith("> [...]") and len(quoted) < 110_000


# ---- addresses and attachments ---------------------------------------------------------------
@pytest.mark.parametrize("good", ["a@b.example", "Ada <ada@customer.example>",
                                  '"Lovelace, Ada" <ada@customer.example>', "x+tag@müller.de",
                                  "o'brien@example.co.uk"])
def test_good_addresses(good: str) -> None:
    assert "@" in parse_address(good).addr


@pytest.mark.parametrize(("bad", "issue"), [
    ("", AddressIssue.EMPTY), ("ada", AddressIssue.NO_AT),
    ("ada@", AddressIssue.BAD_DOMAIN), ("@x.example", AddressIssue.BAD_LOCAL_PART),
    ("ada@localhost", AddressIssue.BAD_DOMAIN), ("ada@-x.example", AddressIssue.BAD_DOMAIN),
    ("a..b@x.example", AddressIssue.BAD_LOCAL_PART), ("a b@x.example", AddressIssue.BAD_LOCAL_PART),
    ("ada@x.example\r\nBcc: evil@x.example", AddressIssue.CONTROL_CHARACTERS),
    ("alice@example.org)<bob@example.org>", AddressIssue.UNPARSEABLE),
    ("Ada <ada@x.example> <b@x.example>", AddressIssue.UNPARSEABLE),
    ("x" * 65 + "@x.example", AddressIssue.BAD_LOCAL_PART),
    ("a@" + "b" * 250 + ".example", AddressIssue.TOO_LONG),
])
def test_bad_addresses(bad: str, issue: AddressIssue) -> None:
    with pytest.raises(AddressInvalid) as info:
        parse_address(bad)
    assert info.value.problem.issue == issue
    assert not bad or bad[:10] in info.value.problem.message  # names the entry


def test_split_and_check_draft_reports_every_bad_address() -> None:
    assert split_addresses('"Doe, J" <j@x.example>; a@x.example,,b@x.example') == [
        '"Doe, J" <j@x.example>', "a@x.example", "b@x.example"]
    draft = Draft(to=("ada@x.example", "nope", "ADA@x.example"), cc=("b@", "ada@X.example"),
                  subject="Re: hi")
    check = check_draft(draft)
    assert not check.ok
    assert [(p.field, p.code, p.value) for p in check.problems] == [
        ("to", "no_at", "nope"), ("cc", "bad_domain", "b@")]
    assert [a.addr for a in check.to] == ["ada@x.example"] and check.cc == ()
    assert "'nope'" in check.problems[0].message
    assert check_draft(Draft(to=("a@x.example",), subject="x")).ok
    assert [p.code for p in check_draft(Draft(subject="x")).problems] == ["no_recipient"]


def test_attachment_limit() -> None:
    mb = 1024 * 1024
    draft = add_attachment(Draft(), Attachment("a.pdf", 20 * mb))
    with pytest.raises(AttachmentError) as info:
        add_attachment(draft, Attachment("video.mp4", 6 * mb))
    err = info.value
    assert err.name == "video.mp4" and err.limit == MAX_ATTACHMENTS_BYTES
    assert "'video.mp4'" in str(err) and "25.0 MB" in str(err)
    assert len(draft.attachments) == 1
    too_big = Draft(to=("a@x.example",), subject="x",
                    attachments=(Attachment("a.pdf", 20 * mb), Attachment("b.zip", 10 * mb)))
    problems = check_draft(too_big).problems
    assert [(p.field, p.value) for p in problems] == [("attachments", "b.zip")]
    assert "25.0 MB" in problems[0].message


def test_draft_survives_a_save_and_load_round_trip() -> None:
    draft = add_attachment(reply(msg(1), "reply_all", US, "Bea"), Attachment("a.pdf", 10))
    assert Draft.from_dict(draft.to_dict()) == draft
    for bad in ({"to": 5}, {"attachments": [{"nope": 1}]}, {"mode": "shout"}):
        with pytest.raises(EmailError) as info:
            Draft.from_dict(bad)
        assert info.value.code == "bad_draft"


# ---- parsing ------------------------------------------------------------------------------
GOOD = (
    "From: =?utf-8?b?5byg5LiJ?= <zhang@customer.example>\r\n"
    "To: Support <support@agentdesk.example>, bob@customer.example\r\n"
    "Cc: carol@partner.example\r\nSubject: =?utf-8?q?=E5=9B=9E=E5=A4=8D=EF=BC=9A_order?=\r\n"
    "Date: Mon, 02 Mar 2026 10:30:00 +0100\r\nMessage-ID: <m9@customer.example>\r\n"
    "In-Reply-To: <m8@agentdesk.example>\r\n"
    "References: <m7@customer.example>\r\n <m8@agentdesk.example>\r\nMIME-Version: 1.0\r\n"
    'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n--XX\r\n'
    'Content-Type: multipart/alternative; boundary="YY"\r\n\r\n--YY\r\n'
    "Content-Type: text/plain; charset=utf-8\r\n\r\nHello 你好\r\n--YY\r\n"
    "Content-Type: text/html; charset=utf-8\r\n\r\n<p>Hello <img src=cid:i1@x></p>\r\n--YY--\r\n"
    "--XX\r\nContent-Type: image/png\r\nContent-ID: <i1@x>\r\nContent-Disposition: inline\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(b"\x89PNG" * 10).decode()
    + "\r\n--XX\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\n"
    'Content-Disposition: attachment; filename="../invoice.pdf"\r\n'
    "Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(b"%PDF" * 100).decode()
    + "\r\n--XX--\r\n").encode()


def test_parse_a_normal_message() -> None:
    p = parse_message(GOOD)
    assert p.subject == "回复： order" and p.from_addr == "zhang@customer.example"
    assert p.author == "张三" and p.at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert p.to == ["Support <support@agentdesk.example>", "bob@customer.example"]
    assert p.cc == ["carol@partner.example"]
    assert (p.message_id, p.in_reply_to) == ("<m9@customer.example>", "<m8@agentdesk.example>")
    assert p.references == ["<m7@customer.example>", "<m8@agentdesk.example>"]
    assert p.text.strip() == "Hello 你好" and "<p>Hello" in (p.html or "")
    assert [(a.name, a.size, a.content_type, a.content_id) for a in p.attachments] == [
        ("part-3", 40, "image/png", "i1@x"), (".._invoice.pdf", 400, "application/pdf", None)]
    assert p.notes == []
    assert attachment_bytes(GOOD, p.attachments[1]) == b"%PDF" * 100
    assert attachment_bytes(GOOD, p.attachments[0]).startswith(b"\x89PNG")
    draft = reply(p, "reply_all", US)  # a parsed message is EmailLike too
    assert draft.in_reply_to == "<m9@customer.example>" and draft.subject == "Re: order"
    assert draft.references[-1] == "<m9@customer.example>"


def test_keep_parts_gives_the_attachments_from_the_same_parse() -> None:
    kept = parse_message(GOOD, keep_parts=True)
    assert kept == parse_message(GOOD)  # the same result (the bytes are not compared)
    assert [kept.content(a) for a in kept.attachments] == [
        attachment_bytes(GOOD, a) for a in kept.attachments]
    assert kept.parts == [b"\x89PNG" * 10, b"%PDF" * 100]
    assert "parts" not in repr(kept)  # megabytes never end up in a log line
    plain = parse_message(GOOD)
    assert plain.parts == []
    with pytest.raises(ValueError, match="keep_parts"):
        plain.content(plain.attachments[0])
    other = parse_message(GOOD.replace(b"invoice.pdf", b"other.pdf"), keep_parts=True)
    with pytest.raises(EmailError) as info:
        kept.content(other.attachments[1])
    assert info.value.code == "no_attachment"


def test_keep_parts_with_an_attached_message() -> None:
    inner = b"From: x@y.example\r\nSubject: inner\r\n\r\nthe forwarded text\r\n"
    raw = (b'Content-Type: multipart/mixed; boundary="Q"\r\nSubject: outer\r\n\r\n--Q\r\n'
           b"Content-Type: text/plain\r\n\r\nsee attached\r\n--Q\r\n"
           b"Content-Type: message/rfc822\r\n\r\n" + inner + b"--Q--\r\n")
    parsed = parse_message(raw, keep_parts=True)
    [eml] = parsed.attachments
    data = parsed.content(eml)
    assert eml.name == "message.eml" and data is not None and eml.size == len(data)
    assert b"the forwarded text" in data and data == attachment_bytes(raw, eml)


MALFORMED = [
    b"Content-Type: multipart/mixed\r\n\r\nno boundary at all",
    b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n'
    b"never closed",
    b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\n\xff\xfe text",
    b"Content-Transfer-Encoding: base64\r\nContent-Type: text/plain\r\n\r\n!!!not base64===",
    b"Date: yesterday-ish\r\nFrom: \r\nTo: ,,,@@@\r\n\r\nbody",
    b"this is not a header\r\nnor this\r\n\r\n\x00\x01\x02",
    b"From: " + b"(" * 50_000 + b"a@b\r\nSubject: =?utf-8?q?" + b"=41" * 50_000
    + b"?=\r\n\r\nx",
    b'Content-Type: multipart/mixed; boundary="A"\r\n\r\n' + b"--A\r\n" * 5000,
    b"Content-Type: text/plain\r\n"
    b"Content-Disposition: attachment; filename*=utf-8''%ZZ%\r\n\r\nx",
    b"\xff\xfe\x00garbage" * 1000,
]


@pytest.mark.parametrize("raw", MALFORMED)
def test_malformed_mime_gives_a_clear_result(raw: bytes) -> None:
    started = time.perf_counter()
    try:
        parsed = parse_message(raw)
    except EmailError as exc:
        assert exc.code in ("malformed", "empty") and str(exc)
    else:
        assert isinstance(parsed.body, str) and isinstance(parsed.subject, str)
        assert all(note.message for note in parsed.notes)
    assert time.perf_counter() - started < 5


def test_deep_nesting_and_size_limits() -> None:
    nested = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
                      for i in range(3000))
    try:
        parsed = parse_message(nested + b"Content-Type: text/plain\r\n\r\nhi\r\n")
    except EmailError as exc:
        assert exc.code == "malformed"
    else:
        assert parsed.notes
    parsed = parse_message(nested[:nested.index(b"b100")].rsplit(b"Content-Type", 1)[0]
                           + b"Content-Type: text/plain\r\n\r\nhi\r\n")
    assert NoteCode.TOO_MANY_PARTS in [n.code for n in parsed.notes]
    with pytest.raises(EmailError) as info:
        parse_message(b"")
    assert info.value.code == "empty"
    with pytest.raises(EmailError) as info:
        parse_message(b"Subject: x\r\n\r\n" + b"x" * (51 * 1024 * 1024))
    assert info.value.code == "too_large" and "MB" in str(info.value)


def test_twenty_megabyte_message() -> None:
    big_text = ("line of text 0123456789\r\n" * 420_000).encode()  # ~10 MB of text
    blob = base64.encodebytes(bytes(range(256)) * 30_000)  # ~7.7 MB attachment as base64
    raw = (b"From: a@customer.example\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
           b'Content-Type: multipart/mixed; boundary="Z"\r\n\r\n--Z\r\n'
           b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + big_text + b"\r\n--Z\r\n"
           b"Content-Type: application/octet-stream; name=data.bin\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\n" + blob + b"\r\n--Z--\r\n")
    raw += b" " * (20 * 1024 * 1024 - len(raw))  # pad the epilogue to 20 MB
    started = time.perf_counter()
    parsed = parse_message(raw, keep_parts=True)
    assert time.perf_counter() - started < 10
    assert parsed.parts == [bytes(range(256)) * 30_000]
    assert parsed.truncated and NoteCode.TEXT_TRUNCATED in [n.code for n in parsed.notes]
    assert len(parsed.text) == 500_000
    assert [(a.name, a.size) for a in parsed.attachments] == [("data.bin", 256 * 30_000)]


def test_attribution_speaks_the_customers_language() -> None:
    from agent_desk.channels.email import attribution_template

    assert attribution_template("zh") == attribution_template("zh_CN") == "{name} 于 {date} 写道："
    assert attribution_template("en") == attribution_template(None) == attribution_template("fr")
    assert "wrote" in attribution_template("en-GB")
