"""The safe expression language: values, errors with positions, and hostile input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from node_types.errors import ExpressionError
from node_types.expressions import evaluate, outcome_key, parse, referenced_keys
from node_types.templating import parse_template, render, template_keys

STATE = {
    "messages": [
        {"role": "user", "content": "Refund my order"},
        {"role": "assistant", "content": "", "tool_calls": [{"id": "c1"}]},
    ],
    "count": 3,
    "critique": {"approved": False, "feedback": "shorter"},
    "tags": ["a", "b"],
    "price": 2.5,
    "name": "Ada",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("count + 1", 4),
        ("count * price", 7.5),
        ("count // 2 + count % 2", 2),
        ("2 ** 10", 1024),
        ("-count", -3),
        ("len(messages)", 2),
        ("messages[-1].tool_calls[0].id", "c1"),
        ("messages[0]['content']", "Refund my order"),
        ("last(messages).role", "assistant"),
        ("first(messages).role", "user"),
        ("critique.approved or count >= 3", True),
        ("not critique.approved and count < 3", False),
        ("1 < count <= 3", True),
        ("'b' in tags", True),
        ("'z' not in tags", True),
        ("contains(lower(messages[0].content), 'refund')", True),
        ("'yes' if count > 2 else 'no'", "yes"),
        ("missing", None),
        ("missing.deep.path", None),
        ("messages[9].content", None),
        ("tags[1:]", ["b"]),
        ("name[0]", "A"),
        ("{'role': 'assistant', 'content': name + '!'}", {"role": "assistant", "content": "Ada!"}),
        ("[count, price, null, true]", [3, 2.5, None, True]),
        ("(1, 2)", [1, 2]),
        ("join(tags, '-')", "a-b"),
        ("split('x y  z')", ["x", "y", "z"]),
        ("strip('  hi ')", "hi"),
        ("upper(name)", "ADA"),
        ("startswith(name, 'A') and endswith(name, 'a')", True),
        ("replace(name, 'a', 'o')", "Ado"),
        ("get(critique, 'feedback')", "shorter"),
        ("get(critique, 'nope', 'dflt')", "dflt"),
        ("get(tags, 5, 'none')", "none"),
        ("keys(critique)", ["approved", "feedback"]),
        ("values({'a': 1})", [1]),
        ("str(count) + str(true) + str(null)", "3true"),
        ("int('42') + int(2.9)", 44),
        ("float('1.5')", 1.5),
        ("bool(tags)", True),
        ("min(tags)", "a"),
        ("max(3, 9, 4)", 9),
        ("sum([1, 2, 3.5])", 6.5),
        ("round(2.567, 2)", 2.57),
        ("abs(-4)", 4),
        ("any([0, 1]) and not all([0, 1])", True),
        ("coalesce(missing, count)", 3),
        ("to_json({'b': 1, 'a': [true]})", '{"a": [true], "b": 1}'),
        ("missing is None", True),
        ("critique.approved is not false", False),
        ("true == 1", False),
        ("  count  ", 3),
        ("(count\n + 1)", 4),
    ],
)
def test_evaluates(text: str, expected: object) -> None:
    assert evaluate(text, STATE) == expected


def test_referenced_keys_are_state_names_in_order_without_functions_or_constants() -> None:
    text = "len(messages) > count and critique.approved == true or lower(name) in tags"
    assert referenced_keys(text) == ["messages", "count", "critique", "name", "tags"]
    assert referenced_keys("len([1, 2]) + null_count") == ["null_count"]


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("x.__class__", "keys starting with '_'", 0),
        ("count + __import__('os')", "unknown function '__import__'", 8),
        ("count + __builtins__", "names starting with '__'", 8),
        ("open('/etc/passwd')", "unknown function 'open'", 0),
        ("eval('1')", "unknown function 'eval'", 0),
        ("name.upper()", "no methods", 0),
        ("lambda: 1", "lambda", 0),
        ("[x for x in tags]", "comprehension", 0),
        ("f'{name}'", "f-string", 0),
        ("{1, 2}", "set literal", 0),
        ("(y := 1)", "':='", 1),
        ("len(*tags)", "'*' unpacking", 0),
        ("{**critique}", "'**' unpacking", 0),
        ("get(critique, key='x')", "keyword arguments", 0),
        ("len(tags, 2)", "takes 1 argument", 0),
        ("count is 3", "'is' compares only", 0),
        ("count & 1", "'&'", 0),
        ("count + (1 << 2)", "'<<'", 9),
        ("b'raw'", "literals", 0),
        ("count +", "syntax error", None),
        ("count ) (", "syntax error", 6),
        ("", "empty", 0),
    ],
)
def test_rejects_with_message_and_position(text: str, message: str, position: int | None) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert message in caught.value.message
    if position is not None:
        assert caught.value.position == position


def test_positions_count_characters_not_utf8_bytes() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("'é€' + __x")
    assert caught.value.position == 7


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10 ** 10 ** 10", "too large"),
        ("2 ** 100000", "too large"),
        ("'a' * 10 ** 9", "longer than"),
        ("[1] * 100000 * 2", "longer than"),
        ("name * -1 + 'x' * 200000", "longer than"),
        ("1 / 0", "division by zero"),
        ("count % 0", "division by zero"),
        ("10.0 ** 400", "too large"),
        ("(-8) ** 0.5", "no real result"),
        ("'a' + 1", "unsupported operand"),
        ("'a' < 1", "cannot order"),
        ("tags.x", "reads object keys"),
        ("critique[0]", "object keys are strings"),
        ("tags['x']", "index must be an integer"),
        ("int('12x')", "cannot read"),
        ("len(count)", "needs a string, list or object"),
        ("replace('ab' * 40000, 'a', 'aaaa')", "too long"),
        ("tags[::0]", "step cannot be zero"),
    ],
)
def test_evaluation_errors_are_clean(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate(text, STATE)
    assert message in caught.value.message
    assert caught.value.position is not None


def test_deep_nesting_and_length_are_bounded() -> None:
    for text in ("-" * 1500 + "1", "not " * 400 + "x", "[" * 90 + "]" * 90, "a" + ".b" * 40):
        with pytest.raises(ExpressionError):
            parse(text)
    with pytest.raises(ExpressionError, match="longer than"):
        parse("1 + " * 600 + "1")
    wide = "[" + "1," * 450 + "]"  # shallow but with too many parts
    with pytest.raises(ExpressionError, match="parts"):
        parse(wide)


def test_evaluation_budget_stops_expensive_walks() -> None:
    big = {"xs": list(range(90_000))}
    # Each call walks 90k elements; a dozen of them exhaust the 1M-unit budget.
    text = " + ".join(["sum(xs)"] * 12)
    with pytest.raises(ExpressionError, match="too expensive"):
        evaluate(text, big)


def test_evaluate_does_not_mutate_or_expose_state() -> None:
    state = {"xs": [1, 2], "d": {"k": "v"}}
    evaluate("xs + [3]", state)
    evaluate("{'k': 'changed'}", state)
    assert state == {"xs": [1, 2], "d": {"k": "v"}}


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (True, "true"),
        (False, "false"),
        (None, "null"),
        ("billing", "billing"),
        (2, "2"),
        (2.0, "2"),
        (1.5, "1.5"),
    ],
)
def test_outcome_keys(value: object, key: str) -> None:
    assert outcome_key(value) == key


def test_outcome_key_rejects_containers() -> None:
    with pytest.raises(ExpressionError):
        outcome_key([1])


def test_templates_render_placeholders_with_json_text() -> None:
    text = (
        "Hi {{ name }}! {{ count + 1 }} items: {{ tags }} / {{ missing }} / {{ critique.approved }}"
    )
    assert render(text, STATE) == 'Hi Ada! 4 items: ["a", "b"] /  / false'
    assert template_keys(text) == ["name", "count", "tags", "missing", "critique"]
    assert render("no placeholders", STATE) == "no placeholders"


def test_template_errors_point_into_the_template() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_template("Hello {{ name.__dict__ }}")
    assert caught.value.position == 9
    with pytest.raises(ExpressionError, match="closing"):
        parse_template("Hello {{ name")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab_.()[]'\"+-*/%<>=!:, 0123456789ifnotandorlen\n")),
        max_size=60,
    )
)
def test_arbitrary_text_only_ever_raises_expression_error(text: str) -> None:
    try:
        expr = parse(text)
    except ExpressionError:
        return
    try:
        evaluate(expr, {"a": [1, "x"], "b": {"a": 2}})
    except ExpressionError:
        pass
