"""Turning a successful reply into a template: names and order numbers become variables,
other personal data is masked, and the result fills back for the next customer."""

from __future__ import annotations

import time

import pytest

from agent_desk.kb.anonymise import anonymise
from agent_desk.kb.templates import fill, make_values, variables


def test_english_reply_becomes_a_template() -> None:
    reply = ("Hi John, your order SO-2024-00123 ships today. Mr Smith, if anything is "
             "wrong call +86 138 0013 8000 or write to john.smith@example.com. "
             "JOHN SMITH's card 4111 1111 1111 1111 was charged. — Alice")
    body = anonymise(reply, names=["John Smith"], order_numbers=["so-2024-00123"],
                     agent_names=["Alice Wong"])
    assert body == ("Hi {customer.first_name}, your order {order.number} ships today. "
                    "Mr {customer.name}, if anything is wrong call [phone] or write to [email]. "
                    "{customer.name}'s card [card] was charged. — {agent.first_name}")
    filled = fill(body, make_values(customer_name="Jane Doe", order_number="SO-9",
                                    agent_name="Bob Lee"))
    assert filled.problems == ()
    assert filled.text.startswith("Hi Jane, your order SO-9 ships today. Mr Jane Doe,")
    assert filled.text.endswith("— Bob")


def test_chinese_reply_becomes_a_template() -> None:
    reply = ("王先生您好，王小明的订单12345678已发货，"
             "如有问题请致电13800138000或发邮件至wang@example.cn。")
    body = anonymise(reply, names=["王小明"], order_numbers=["12345678"])
    assert body == ("{customer.name}先生您好，{customer.name}的订单{order.number}已发货，"
                    "如有问题请致电[phone]或发邮件至[email]。")
    filled = fill(body, make_values(customer_name="李雷", order_number="A1"))
    assert filled.text.startswith("李雷先生您好，李雷的订单A1已发货")


def test_chinese_surname_only_before_a_form_of_address() -> None:
    body = anonymise("王女士，王府井店可以自提。欧阳先生您好。", names=["王芳", "欧阳娜娜"])
    assert body == "{customer.name}女士，王府井店可以自提。{customer.name}先生您好。"


def test_full_names_are_case_insensitive_parts_only_as_written() -> None:
    body = anonymise("Will, we will send a rose. WILL ROSE, Rose Garden says hi. Will Rose",
                     names=["Will Rose"])
    assert body == ("{customer.first_name}, we will send a rose. {customer.name}, "
                    "{customer.name} Garden says hi. {customer.name}")


def test_a_name_given_alone_matches_in_any_case_on_word_boundaries() -> None:
    assert anonymise("john, JOHN and Johnny", names=["John"]) == (
        "{customer.name}, {customer.name} and Johnny")
    assert anonymise("您好John，", names=["John"]) == "您好{customer.name}，"


def test_order_numbers_are_exact_and_not_inside_longer_codes() -> None:
    body = anonymise("Order A123, not A1234 or XA123; a123 too.", order_numbers=["A123"])
    assert body == "Order {order.number}, not A1234 or XA123; {order.number} too."


def test_order_number_wins_over_phone_and_card_masks() -> None:
    assert anonymise("order 4111111111111111 / 13800138000",
                     order_numbers=["4111111111111111", "13800138000"]) == (
        "order {order.number} / {order.number}")


@pytest.mark.parametrize(("text", "masked"), [
    ("mail a.b+c@mail.example.co.uk now", "mail [email] now"),
    ("邮箱john@x.com。", "邮箱[email]。"),
    ("call 13800138000", "call [phone]"),
    ("call +44 20 7946 0958.", "call [phone]."),
    ("call (020) 1234-5678", "call [phone]"),
    ("电话：400-820-8820", "电话：[phone]"),
    ("on 2024-05-01 13800138000 called", "on 2024-05-01 [phone] called"),
    ("card 4111 1111 1111 1111", "card [card]"),
    ("card 4111-1111-1111-1111 or 371449635398431", "card [card] or [card]"),
    ("amex 3714 496353 98431", "amex [card]"),
])
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert anonymise(text) == masked


@pytest.mark.parametrize("text", [
    "Delivery on 2024-05-01 by 10:30.",
    "It costs ¥1,299.00 and takes 3-5 days.",
    "Call extension 1234 or room 56.",
    "Tracking SF1234567890123 is on its way.",
    "Version 1.2.3.4567 of the app.",
])
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert anonymise(text) == text


def test_braces_in_the_reply_are_escaped() -> None:
    reply = "Use the code {SAVE10} or {customer.name} literally, John."
    body = anonymise(reply, names=["John"])
    assert body == "Use the code {{SAVE10}} or {{customer.name}} literally, {customer.name}."
    assert variables(body) == ["customer.name"]
    assert fill(body, {"customer.name": "John"}).text == reply


def test_names_inside_an_email_address_are_masked_as_the_address() -> None:
    assert anonymise("john@smith.com", names=["John Smith", "Smith"]) == "[email]"


@pytest.mark.parametrize("text", ["", "   ", "😀" * 5000, "{" * 10_000, "1" * 10_000,
                                  "a@" * 5000, "+" * 10_000, "- " * 5000, "\x00\ud800"])
def test_bad_input_is_harmless(text: str) -> None:
    start = time.perf_counter()
    body = anonymise(text, names=["", " ", "J", "王", "John Smith"], order_numbers=["", "  "])
    assert time.perf_counter() - start < 1.0
    if text.strip():
        # the result is always a template that fills without problems
        assert fill(body, {}).problems == ()
    else:
        assert body == text


def test_non_strings_are_ignored() -> None:
    assert anonymise(None) == ""  # type: ignore[arg-type]
    assert anonymise("John", names=[None, 5]) == "John"  # type: ignore[list-item]


def test_long_reply_round_trips() -> None:
    reply = ("Hi John 😀, your order SO-1 {ok}. 王小明您好。" * 300)[:10_000]
    body = anonymise(reply, names=["John", "王小明"], order_numbers=["SO-1"])
    assert "John" not in body and "王小明" not in body and "SO-1" not in body
    back = fill(body, {"customer.name": "John", "order.number": "SO-1"})
    assert back.problems == ()
    assert back.text == reply.replace("王小明", "John")
