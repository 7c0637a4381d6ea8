"""The one place PromQL selectors are built, from validated parts only.

The organization and agent always come from the database (the caller's own agent), never
from the request. A metric name must match METRIC_NAME_RE and a label key LABEL_NAME_RE
(and not be a platform label), and label values are escaped, so nothing a caller sends can
close the selector, add a matcher or widen the query to another organization.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.errors import Unprocessable
from core.reports import LABEL_NAME_RE, MAX_LABEL_VALUE_LENGTH, METRIC_NAME_RE, RESERVED_LABELS
from history_service.domain.line_protocol import SERIES_PREFIX

# Removed by aggregation so a chart shows one line per sample label set, even when an agent
# reported through several doors (e.g. the Data Monitoring Tool's /report before our agent).
PLATFORM_LABELS = "org_id, target_type, target_id, agent_id, source"

_VALUE_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n"})


@dataclass(frozen=True)
class AgentScope:
    """Whose data a query may see: both ids read from PostgreSQL for the caller's org. An
    agent's series carry its agent_id; a monitor's (target_type "monitor") its target_id."""

    org_id: int
    agent_id: int  # the agent's id, or the monitor's with target_type "monitor"
    target_type: str = "agent"

    def matchers(self) -> list[str]:
        if self.target_type == "agent":
            return [f'org_id="{self.org_id:d}"', f'agent_id="{self.agent_id:d}"']
        return [
            f'org_id="{self.org_id:d}"',
            'target_type="monitor"',
            f'target_id="{self.agent_id:d}"',
        ]


def escape_label_value(value: str) -> str:
    return value.translate(_VALUE_ESCAPES)


def validate_metric_name(name: str) -> str:
    if not METRIC_NAME_RE.fullmatch(name):
        raise Unprocessable(
            f"metric: {name[:80]!r} is not a metric name (letters, digits and _, "
            "not starting with a digit)"
        )
    return name


def validate_labels(labels: Mapping[str, str]) -> dict[str, str]:
    for key, value in labels.items():
        if not LABEL_NAME_RE.fullmatch(key) or key in RESERVED_LABELS or key.startswith("__"):
            raise Unprocessable(f"{key[:80]}: not a label that can be filtered on")
        if len(value) > MAX_LABEL_VALUE_LENGTH:
            raise Unprocessable(f"{key}: longer than {MAX_LABEL_VALUE_LENGTH} characters")
    return dict(labels)


def selector(metric: str, scope: AgentScope, labels: Mapping[str, str] | None = None) -> str:
    """`sm_<metric>{org_id="1",agent_id="4",<labels>}`; raises Unprocessable on bad parts."""
    name = SERIES_PREFIX + validate_metric_name(metric)
    matchers = scope.matchers()
    for key, value in validate_labels(labels or {}).items():
        matchers.append(f'{key}="{escape_label_value(value)}"')
    return f"{name}{{{','.join(matchers)}}}"


def scope_matcher(scope: AgentScope) -> str:
    """All of the agent's series, for metadata lookups (match[])."""
    return "{" + ",".join(scope.matchers()) + "}"
