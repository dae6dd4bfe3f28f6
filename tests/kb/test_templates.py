"""Reply-template variables: parsing, filling (problems reported at their place in the
filled text), brace escapes, ``#shortcut`` detection and the value mapping."""

from __future__ import annotations

import datetime
import re

import pytest

from agent_desk.kb.templates import (
    KNOWN_VARIABLES,
    Filled,
    VarSpan,
    escape,
    fill,
    first_name,
    make_values,
    shortcut_at,
    variables,
)

VALUES = {"customer.name": "Jane Doe", "customer.first_name": "Jane",
          "order.number": "SO-1001", "agent.name": "李雷"}


def assert_spans_point_at_variables(filled: Filled) -> None:
    for span in filled.problems:
        assert filled.text[span.start:span.end] == "{" + span.name + "}"


def test_known_variables_are_the_contract() -> None:
    assert KNOWN_VARIABLES == {
        "customer.name", "customer.first_name", "customer.tier", "customer.email",
        "customer.phone", "order.number", "order.status", "agent.name", "agent.first_name",
        "interaction.subject", "company.name", "today"}


def test_variables_in_order_of_first_use_each_once() -> None:
    body = "Hi {customer.first_name}, order {order.number} ({order.number}) — {agent.name}"
    assert variables(body) == ["customer.first_name", "order.number", "agent.name"]


@pytest.mark.parametrize("body", [
    "", "no variables at all", "{ }", "{}", "{123}", "{123", "{customer.name", "customer.name}",
    "{{customer.name}}", "{customer name}", "{.name}", "{customer.}", "😀{😀}", "{", "}}}{{{",
])
def test_no_variable_in_plain_text_braces_and_escapes(body: str) -> None:
    assert variables(body) == []
    # ... and filling such a body never reports a problem
    assert fill(body, VALUES).problems == ()


def test_fill_replaces_known_variables() -> None:
    filled = fill("Hello {customer.first_name}, your order {order.number} is on its way. "
                  "— {agent.name}", VALUES)
    assert filled == Filled("Hello Jane, your order SO-1001 is on its way. — 李雷", ())


def test_unknown_and_missing_stay_visible_with_spans_in_the_filled_text() -> None:
    body = "Dear {customer.name}, {order.status}: {refund.amount} by {today}. {customer.name}"
    filled = fill(body, {"customer.name": "Dr Jonathan Q. Public"})  # longer than the var
    assert filled.text == ("Dear Dr Jonathan Q. Public, {order.status}: {refund.amount} by "
                           "{today}. Dr Jonathan Q. Public")
    assert [(p.name, p.problem) for p in filled.problems] == [
        ("order.status", "missing"), ("refund.amount", "unknown"), ("today", "missing")]
    assert_spans_point_at_variables(filled)
    first = filled.problems[0]
    assert first == VarSpan(28, 42, "order.status", "missing")


def test_spans_after_shorter_and_cjk_values() -> None:
    filled = fill("{customer.name}{x}{agent.name}{y}", {"customer.name": "王", "agent.name": ""})
    assert filled.text == "王{x}{agent.name}{y}"
    assert [(p.start, p.name, p.problem) for p in filled.problems] == [
        (1, "x", "unknown"), (4, "agent.name", "missing"), (16, "y", "unknown")]
    assert_spans_point_at_variables(filled)


def test_blank_values_count_as_missing() -> None:
    filled = fill("Hi {customer.first_name}!", {"customer.first_name": "   "})
    assert filled.text == "Hi {customer.first_name}!"
    assert filled.problems[0].problem == "missing"


def test_values_are_not_expanded_again() -> None:
    filled = fill("{customer.name} / {order.number}",
                  {"customer.name": "{order.number} {{x}}", "order.number": "{agent.name}"})
    assert filled.text == "{order.number} {{x}} / {agent.name}"
    assert filled.problems == ()


def test_escapes_and_nested_braces() -> None:
    assert fill("{{customer.name}}", VALUES).text == "{customer.name}"
    assert fill("{{{customer.name}}}", VALUES).text == "{Jane Doe}"
    assert fill("{{ and }} and { and }", VALUES).text == "{ and } and { and }"
    filled = fill("{{{nope}}}", VALUES)
    assert filled.text == "{{nope}}"
    assert filled.problems == (VarSpan(1, 7, "nope", "unknown"),)
    assert_spans_point_at_variables(filled)


def test_names_are_case_insensitive_and_reported_as_written() -> None:
    filled = fill("{Customer.Name} {Order.Status}", VALUES)
    assert filled.text == "Jane Doe {Order.Status}"
    assert filled.problems == (VarSpan(9, 23, "Order.Status", "missing"),)


def test_unicode_variable_names_are_unknown_not_plain_text() -> None:
    filled = fill("您好，{客户.姓名}！", VALUES)
    assert filled.text == "您好，{客户.姓名}！"
    assert filled.problems == (VarSpan(3, 10, "客户.姓名", "unknown"),)


def test_escape_round_trips() -> None:
    text = "JSON {\"a\": 1} and {customer.name} }{"
    assert fill(escape(text), VALUES).text == text


def test_bad_input_is_harmless_and_fast() -> None:
    body = ("😀 {customer.name} {nope} { {{ }} } {" * 400)[:10_000]
    filled = fill(body, VALUES)
    assert filled.text.count("Jane Doe") == body.count("{customer.name}")
    assert len(filled.problems) == len(re.findall(r"(?<!\{)\{nope\}", body))
    assert_spans_point_at_variables(filled)
    assert fill("", VALUES) == Filled("", ())
    assert fill("{customer.name}", {}).problems[0].problem == "missing"


# --- shortcuts -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "cursor", "expected"), [
    ("#refund", 7, (0, 7, "refund")),
    ("Hi there #refund", 16, (9, 16, "refund")),
    ("line one\n#late-delivery_2", 25, (9, 25, "late-delivery_2")),
    ("#退款", 3, (0, 3, "退款")),
    ("您好，#退款", 6, (3, 6, "退款")),
    ("您好 ＃保修", 6, (3, 6, "保修")),
    ("#refund and more", 7, (0, 7, "refund")),
    ("#a #b", 5, (3, 5, "b")),
])
def test_shortcut_found(text: str, cursor: int, expected: tuple[int, int, str]) -> None:
    assert shortcut_at(text, cursor) == expected
    start, end, name = expected
    assert text[start + 1:end] == name


@pytest.mark.parametrize(("text", "cursor"), [
    ("abc#x", 5),                          # inside a word
    ("see page#anchor", 15),               # URL fragment
    ("https://example.com/#top", 24),      # after ASCII punctuation
    ("##refund", 8),
    ("#refund", 4),                        # the cursor is inside the name
    ("#", 1), ("# refund", 8), ("#😀", 2),
    ("", 0), ("#refund", 0), ("#refund", -1), ("#refund", 99),
    ("#" + "x" * 41, 42),                  # longer than 40
])
def test_no_shortcut(text: str, cursor: int) -> None:
    assert shortcut_at(text, cursor) is None


def test_shortcut_name_of_forty_characters() -> None:
    name = "退" * 20 + "r" * 20
    assert shortcut_at(f"x #{name}", 43) == (2, 43, name)


def test_shortcut_at_end_of_long_text() -> None:
    text = "😀 " * 5_000 + "#refund"
    assert shortcut_at(text, len(text)) == (len(text) - 7, len(text), "refund")


# --- values ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("full", "first"), [
    ("Jane Doe", "Jane"), ("  Jane   Mary  Doe ", "Jane"), ("Dr. Jane Roe", "Jane"),
    ("Mr Smith", "Smith"), ("Doe, Jane", "Jane"), ("Cher", "Cher"), ("王小明", "王小明"),
    ("欧阳娜娜", "欧阳娜娜"), ("山田 太郎", "山田 太郎"), ("", ""),
])
def test_first_name(full: str, first: str) -> None:
    assert first_name(full) == first


def test_make_values_maps_keywords_and_derives_first_names() -> None:
    values = make_values(customer_name="Jane Doe", order_number=" SO-1001 ", agent_name="王小明",
                         tier="Gold", subject="Broken kettle", company="Acme",
                         order_status=None, customer_email="", today="2024-05-01")
    assert values == {
        "customer.name": "Jane Doe", "customer.first_name": "Jane", "order.number": "SO-1001",
        "agent.name": "王小明", "agent.first_name": "王小明", "customer.tier": "Gold",
        "interaction.subject": "Broken kettle", "company.name": "Acme", "today": "2024-05-01"}
    assert set(values) <= KNOWN_VARIABLES


def test_make_values_keeps_a_given_first_name_and_defaults_today() -> None:
    values = make_values(customer_name="Jane Doe", customer_first_name="Janie")
    assert values["customer.first_name"] == "Janie"
    assert values["today"] == datetime.date.today().isoformat()
    assert "agent.first_name" not in values


def test_make_values_rejects_misspelt_keywords() -> None:
    with pytest.raises(TypeError, match="custmer_name"):
        make_values(custmer_name="Jane")


def test_make_values_fill_end_to_end() -> None:
    values = make_values(customer_name="王小明", order_number="12345")
    filled = fill("{customer.first_name}您好，订单{order.number}已发货。{agent.name}", values)
    assert filled.text == "王小明您好，订单12345已发货。{agent.name}"
    assert filled.problems == (VarSpan(17, 29, "agent.name", "missing"),)
