"""How long an incident lasted, as messages and the daily summary say it."""

from __future__ import annotations

import pytest

from alert_service.domain.messages import duration_text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-3, "0 s"),
        (45.9, "45 s"),
        (119, "119 s"),
        (120, "2 min"),
        (3599, "59 min"),
        (3660, "1 h 1 min"),
        (7200, "2 h"),
        (2 * 86400 + 5 * 60, "2 d"),
        (86400 + 6 * 3600 + 59, "1 d 6 h"),
    ],
)
def test_duration_reads_in_the_two_largest_units(seconds: float, text: str) -> None:
    assert duration_text(seconds) == text
