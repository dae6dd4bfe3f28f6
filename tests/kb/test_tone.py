"""The decline → reason → alternative helper: data-driven hints on a draft reply, in English
and Chinese; forbidden promises; never raises; fast enough to run on every keystroke."""

from __future__ import annotations

import json
import random
from importlib import resources
from pathlib import Path

import pytest

from agent_desk.kb.tone import (
    DECLINE_NO_ALTERNATIVE,
    DECLINE_NO_REASON,
    FORBIDDEN_PROMISE,
    ReplyRules,
    ToneHint,
    check_reply,
    compile_phrases,
    default_rules,
)


def kinds(text: str, language: str | None = None) -> list[tuple[str, str]]:
    hints = check_reply(text, language)
    for h in hints:
        assert text[h.start:h.end] == h.phrase
    return [(h.kind, h.phrase) for h in hints]


# --- decline → reason → alternative ---------------------------------------------------------

def test_bare_english_decline_gets_both_hints_on_the_decline_phrase() -> None:
    text = "Hello Jane, unfortunately we can't refund this order."
    assert check_reply(text) == [
        ToneHint(DECLINE_NO_REASON, 12, 25, "unfortunately"),
        ToneHint(DECLINE_NO_ALTERNATIVE, 12, 25, "unfortunately"),
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("We can't refund this order because it was opened.", [DECLINE_NO_ALTERNATIVE]),
    ("We can't refund this order, but I can offer you a voucher.", [DECLINE_NO_REASON]),
    ("We can't refund this order as it is past the return window. Instead, we can "
     "exchange it for another size.", []),
    ("I'm afraid the item is no longer available.", [DECLINE_NO_REASON, DECLINE_NO_ALTERNATIVE]),
    ("We will not be able to refund it as per our policy.", [DECLINE_NO_ALTERNATIVE]),
    ("Your order has shipped and will arrive on Friday.", []),
])
def test_english_pattern(text: str, expected: list[str]) -> None:
    assert [k for k, _ in kinds(text, "en")] == expected


@pytest.mark.parametrize("text", [
    "We can’t refund this.",   # typographic apostrophe
    "We cant refund this.",    # no apostrophe
    "WE CANNOT REFUND THIS.",
    "We   can not refund this.",
])
def test_english_decline_spellings(text: str) -> None:
    assert {k for k, _ in kinds(text)} == {DECLINE_NO_REASON, DECLINE_NO_ALTERNATIVE}


def test_words_match_on_boundaries_only() -> None:
    # "canteen" holds no "can't"
    assert kinds("The canteen is open, sincerely yours.") == []
    # "sincerely" is no "since", "lawn" no "law"
    assert [k for k, _ in kinds("We cannot mow the lawn, sincerely.")] == [
        DECLINE_NO_REASON, DECLINE_NO_ALTERNATIVE]
    # "you can't" is no alternative ("you can" must not match inside it)
    assert [k for k, _ in kinds("Sorry, you can't return it because it was used.")] == [
        DECLINE_NO_ALTERNATIVE]
    # "we will not" is no alternative either
    assert [k for k, _ in kinds("Unfortunately we will not refund it due to the policy.")] == [
        DECLINE_NO_ALTERNATIVE]


@pytest.mark.parametrize("text", [
    "Can't you log in?",
    "If you can't log in, please reset your password.",
    "In case you cannot find the receipt, the order number is enough.",
    "您是否无法登录？",
    "如果您无法登录，请重置密码。",
    "还是不能登录吗",
])
def test_questions_and_conditions_are_no_decline(text: str) -> None:
    assert kinds(text) == []


def test_a_question_after_the_decline_clause_does_not_hide_it() -> None:
    assert [k for k, _ in kinds("Sorry, we cannot do that, would you like a voucher?")] == [
        DECLINE_NO_REASON]


def test_bare_chinese_decline() -> None:
    text = "很抱歉，这个订单无法退款。"
    assert check_reply(text, "zh") == [
        ToneHint(DECLINE_NO_REASON, 8, 10, "无法"),
        ToneHint(DECLINE_NO_ALTERNATIVE, 8, 10, "无法"),
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("很抱歉，由于已超过七天退货期限，无法为您退款，不过我们可以为您安排维修。", []),
    ("根据公司的退货政策，拆封商品不支持退货。", [DECLINE_NO_ALTERNATIVE]),
    ("这款商品不能退货，建议您联系厂家保修。", [DECLINE_NO_REASON]),
    ("我们无法为您安排上门，因为超出服务范围。", [DECLINE_NO_ALTERNATIVE]),  # 无法为您安排: negated
    ("我们没办法帮您申请，因为超出服务范围。", [DECLINE_NO_ALTERNATIVE]),
    ("您的订单不符合退货条件。", [DECLINE_NO_ALTERNATIVE]),  # the decline is its own reason
    ("您的包裹已发货，预计周五送达。", []),
])
def test_chinese_pattern(text: str, expected: list[str]) -> None:
    assert [k for k, _ in kinds(text, "zh")] == expected


def test_only_the_first_decline_is_marked() -> None:
    hints = check_reply("We can't refund it. We can't exchange it either. 也无法换货。")
    assert [(h.kind, h.start) for h in hints] == [(DECLINE_NO_REASON, 3),
                                                 (DECLINE_NO_ALTERNATIVE, 3)]


def test_mixed_languages_count_together_without_a_language() -> None:
    text = "Unfortunately we can't refund it. 因为已超过退货期限，建议您换货。"
    assert kinds(text) == []
    # with English only, the Chinese reason and alternative are not seen
    assert {k for k, _ in kinds(text, "en")} == {DECLINE_NO_REASON, DECLINE_NO_ALTERNATIVE}


@pytest.mark.parametrize(("language", "hinted"), [
    ("en", False), ("zh", True), ("zh_CN", True), ("zh-Hans", True), ("ZH", True),
    ("fr", True), (None, True), ("", True),
])
def test_language_selection(language: str | None, hinted: bool) -> None:
    assert bool(check_reply("我们不能退货。", language)) is hinted


# --- forbidden promises ------------------------------------------------------------------------

def test_every_forbidden_promise_is_flagged() -> None:
    text = "It is GUARANTEED TOMORROW, we promise! Guaranteed tomorrow, 100% guarantee."
    hints = check_reply(text, "en")
    assert [(h.kind, h.phrase) for h in hints] == [
        (FORBIDDEN_PROMISE, "GUARANTEED TOMORROW"), (FORBIDDEN_PROMISE, "we promise"),
        (FORBIDDEN_PROMISE, "Guaranteed tomorrow"), (FORBIDDEN_PROMISE, "100% guarantee")]


def test_chinese_forbidden_promises() -> None:
    assert kinds("保证明天送到，百分之百没问题，绝对不会再延误！", "zh") == [
        (FORBIDDEN_PROMISE, "保证明天"), (FORBIDDEN_PROMISE, "百分之百"),
        (FORBIDDEN_PROMISE, "绝对")]


@pytest.mark.parametrize("text", [
    "We cannot guarantee tomorrow, but you can choose express delivery.",
    "I can't give a 100% guarantee, but I will follow it up today.",
    "我们无法保证明天送达，不过可以为您申请加急配送，因为库存充足。",
    "不能百分之百确定，建议您稍后查询。",
])
def test_negated_promises_are_not_flagged(text: str) -> None:
    assert FORBIDDEN_PROMISE not in {k for k, _ in kinds(text)}


def test_promise_and_decline_together() -> None:
    text = "We can't refund it, but we promise it will arrive tomorrow."
    assert kinds(text) == [(DECLINE_NO_REASON, "can't"), (DECLINE_NO_ALTERNATIVE, "can't"),
                           (FORBIDDEN_PROMISE, "we promise")]


# --- bad input and speed -----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "", " \n\t ", "😀" * 5000, "x" * 10_000, "无法" * 5000, "{customer.name} {{ }",
    "can't…" * 2000, "'" * 10_000, "\x00\ud800\u202e", "Ünfortunately we cännot 退款 🙏 ok",
    "…" * 3000, "?" * 10_000,
])
def test_bad_input_never_raises_and_spans_are_exact(text: str) -> None:
    for language in (None, "en", "zh", "xx"):
        for h in check_reply(text, language):
            assert text[h.start:h.end] == h.phrase


def test_non_strings_give_no_hints() -> None:
    assert check_reply(None) == []  # type: ignore[arg-type]
    assert check_reply(123, 5) == []  # type: ignore[arg-type]
    assert check_reply("We can't do it.", 5) != []  # type: ignore[arg-type]


def test_a_failing_rule_set_gives_no_hints(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(ReplyRules):
        def check(self, text: str, language: str | None = None) -> list[ToneHint]:
            raise RuntimeError("bug")

    assert check_reply("We can't do it.", rules=Broken()) == []
    assert "tone check failed" in caplog.text


def random_draft(rng: random.Random, length: int) -> str:
    words = ("the order refund we can help you with delivery today please wait thanks for "
             "unfortunately because instead 因为 无法 建议 您好 订单 退款 😀 can't guarantee "
             "tomorrow, policy. 我们 可以 ? if").split(" ")
    out = ""
    while len(out) < length:
        out += rng.choice(words) + rng.choice(" ,.\n")
    return out[:length]


def test_random_drafts_spans_are_exact() -> None:
    rng = random.Random(5)
    for _ in range(200):
        text = random_draft(rng, rng.randrange(1, 300))
        for h in check_reply(text):
            assert text[h.start:h.end] == h.phrase
            assert h.kind in (DECLINE_NO_REASON, DECLINE_NO_ALTERNATIVE, FORBIDDEN_PROMISE)


# --- the rules as data -------------------------------------------------------------------------

def shipped_data() -> dict[str, dict[str, object]]:
    raw = resources.files("agent_desk.resources").joinpath("kb/reply_rules.json").read_text(
        "utf-8")
    data: dict[str, dict[str, object]] = json.loads(raw)
    return data


def test_shipped_rules_have_every_list_in_both_languages() -> None:
    data = shipped_data()
    for lang in ("en", "zh"):
        for key in ("decline", "reason", "alternative", "forbidden_promises"):
            phrases = data[lang][key]
            assert isinstance(phrases, list) and len(phrases) >= 15, (lang, key)
    assert set(default_rules().languages) == {"en", "zh"}


@pytest.mark.parametrize("key", ["decline", "reason", "alternative", "forbidden_promises"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_shipped_phrase_matches_itself(lang: str, key: str) -> None:
    words = shipped_data()[lang]["match"] == "words"
    phrases = shipped_data()[lang][key]
    assert isinstance(phrases, list)
    pattern = compile_phrases(phrases, words)
    assert pattern is not None
    for phrase in phrases:
        sample = phrase.replace("…", "公司的" if not words else "our")
        text = f"x {sample} y" if words else f"您好{sample}谢谢"
        m = pattern.search(text)
        assert m is not None and m.group() == sample, (phrase, m)


def test_rules_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({
        "_about": "test", "xx": {"match": "words", "decline": ["nope"], "reason": ["since"],
                                 "alternative": ["try"], "forbidden_promises": ["pinky swear"]},
    }), "utf-8")
    rules = ReplyRules.load(path)
    assert [h.kind for h in check_reply("Nope. Pinky   swear!", rules=rules)] == [
        DECLINE_NO_REASON, DECLINE_NO_ALTERNATIVE, FORBIDDEN_PROMISE]
    assert check_reply("Nope since it broke; try again.", rules=rules) == []


@pytest.mark.parametrize("data", [
    [], {"en": []}, {"en": {"match": "regex"}}, {"en": {"decline": "can't"}},
    {"en": {"decline": [1, 2]}},
])
def test_malformed_rules_are_rejected(tmp_path: Path, data: object) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ValueError):
        ReplyRules.load(path)
