"""The http check's conditions on an answer: status codes and ranges, a JSON query."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import jmespath
import jmespath.exceptions

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


def json_condition(text: str, query: str, operator: Operator, expected: str) -> str | None:
    """Why the body fails the JSON condition, or None when it passes."""
    try:
        document = json.loads(text)
    except ValueError:
        return "the body is not JSON"
    try:
        actual = jmespath.search(query, document)
    except jmespath.exceptions.JMESPathError as exc:
        return f"JSON query {query!r} failed: {exc}"
    if compare(actual, operator, expected):
        return None
    shown = _as_text(actual)[:100]
    return f"JSON query {query!r} gave {shown} (expected {operator} {expected})"
