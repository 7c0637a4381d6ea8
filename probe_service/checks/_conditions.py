"""The http check's conditions on an answer: status codes and ranges, a JSON query."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import jmespath
import jmespath.exceptions
from jmespath.visitor import TreeInterpreter

Operator = Literal["==", "!=", "<", "<=", ">", ">=", "contains"]
_STATUS = re.compile(r"^([1-5]\d\d)(?:-([1-5]\d\d))?$")


def status_ranges(codes: list[str]) -> list[tuple[int, int]]:
    """ "200-299", "301" → [(200, 299), (301, 301)]; ValueError for anything else."""
    ranges = []
    for code in codes:
        match = _STATUS.match(code.strip())
        if not match:
            raise ValueError(f"{code!r} is not a status code or range such as 200-299")
        low, high = int(match[1]), int(match[2] or match[1])
        if low > high:
            raise ValueError(f"{code!r}: the range runs backwards")
        ranges.append((low, high))
    return ranges


def status_accepted(status: int, codes: list[str]) -> bool:
    return any(low <= status <= high for low, high in status_ranges(codes))


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _as_text(value: Any) -> str:
    """A JSON value as a person writes it: strings bare, the rest as JSON (true, null, 3)."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def compare(actual: Any, operator: Operator, expected: str) -> bool:
    """`actual` (a JMESPath result) against the expected text; numerically when both are
    numbers, so "200" == 200.0 and 9 < 10."""
    if operator == "contains":
        if isinstance(actual, list):
            return any(_as_text(item) == expected for item in actual)
        return expected in _as_text(actual)
    left, right = _as_number(actual), _as_number(expected)
    if left is not None and right is not None:
        return {
            "==": left == right,
            "!=": left != right,
            "<": left < right,
            "<=": left <= right,
            ">": left > right,
            ">=": left >= right,
        }[operator]
    if operator in ("==", "!="):
        return (_as_text(actual) == expected) == (operator == "==")
    return False  # order needs numbers


# A query runs on a body of up to a megabyte, chosen by whoever runs the site: both bounded,
# so no monitor can keep a probe's CPU or memory for itself.
MAX_QUERY_STEPS = 1_000_000  # ~1 s of CPU: a filter over 200,000 items
MAX_QUERY_VALUES = 5_000_000  # characters, list items and object keys the query's steps give
MAX_QUERY_NODES = 200
# These repeat values ([@, @] | [@, @] | ... doubles the result at each pipe, never copying
# it until it is written out), so a short query would make an exponentially large answer.
_REPEATING = {"multi_select_list": "[a, b]", "multi_select_dict": "{a: b}"}


class QueryTooCostly(Exception):
    pass


def check_query(query: str) -> None:
    """ValueError unless `query` is a JMESPath query a monitor may run."""
    try:
        parsed = jmespath.compile(query).parsed
    except jmespath.exceptions.JMESPathError as exc:
        raise ValueError(f"not a valid JMESPath query: {exc}") from exc
    nodes, pending = 0, [parsed]
    while pending:
        node = pending.pop()
        nodes += 1
        if node["type"] in _REPEATING:
            form = _REPEATING[node["type"]]
            raise ValueError(f"multi-select ({form}) is not supported in a monitor's JSON query")
        pending.extend(child for child in node.get("children", []) if isinstance(child, dict))
    if nodes > MAX_QUERY_NODES:
        raise ValueError(f"the JSON query has more than {MAX_QUERY_NODES} parts")


class _BudgetedInterpreter(TreeInterpreter):  # type: ignore[misc]
    """JMESPath's interpreter, stopped once a query takes too many steps or makes too much."""

    def __init__(self) -> None:
        super().__init__()
        self._steps = MAX_QUERY_STEPS
        self._values = MAX_QUERY_VALUES

    def visit(self, node: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        self._steps -= 1
        if self._steps < 0:
            raise QueryTooCostly(f"takes more than {MAX_QUERY_STEPS:,} steps on this body")
        if node["type"] in _REPEATING:  # stored before check_query existed
            raise QueryTooCostly(f"uses multi-select ({_REPEATING[node['type']]})")
        result = super().visit(node, *args, **kwargs)
        if isinstance(result, str | list | dict):
            self._values -= len(result)
            if self._values < 0:
                raise QueryTooCostly(f"makes more than {MAX_QUERY_VALUES:,} values on this body")
        return result


def json_condition(text: str, query: str, operator: Operator, expected: str) -> str | None:
    """Why the body fails the JSON condition, or None when it passes."""
    try:
        document = json.loads(text)
    except ValueError:
        return "the body is not JSON"
    try:
        actual = _BudgetedInterpreter().visit(jmespath.compile(query).parsed, document)
    except (jmespath.exceptions.JMESPathError, QueryTooCostly) as exc:
        return f"JSON query {query!r} failed: {exc}"
    if compare(actual, operator, expected):
        return None
    shown = _as_text(actual)[:100]
    return f"JSON query {query!r} gave {shown} (expected {operator} {expected})"
