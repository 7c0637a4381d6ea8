"""The InfluxDB line protocol parser on its own: escaping, types, timestamps, bad lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.agent_auth import AgentIdentity
from core.reports import Report, Sample
from history_service.domain.line_protocol import escape_tag, report_lines
from ingestion_service.domain.lineprotocol import (
    LineProtocolError,
    parse,
    sanitise_name,
    to_reports,
)

NOW_NS = 1_700_000_000_000_000_000


def samples(text: str, precision: str = "ns") -> list[tuple[int, list[Sample]]]:
    return [(ts, found) for _, ts, found in parse(text, precision, NOW_NS)]


def test_fields_become_samples_named_after_measurement_and_field() -> None:
    text = "weather,location=us-midwest,season=summer temperature=82,value=3 1465839830100400200"
    assert samples(text) == [
        (
            1465839830100400200,
            [
                Sample("weather_temperature", 82.0, {"location": "us-midwest", "season": "summer"}),
                Sample("weather", 3.0, {"location": "us-midwest", "season": "summer"}),
            ],
        )
    ]


def test_value_types_integers_unsigned_booleans_and_strings() -> None:
    text = 'm a=1i,b=2u,c=-3.5e2,d=t,e=FALSE,f="a string, with = and \\" inside",g=True'
    [(ts, found)] = samples(text)
    assert ts == NOW_NS  # no timestamp: the time received
    assert [(s.name, s.value) for s in found] == [
        ("m_a", 1.0), ("m_b", 2.0), ("m_c", -350.0), ("m_d", 1.0), ("m_e", 0.0), ("m_g", 1.0)
    ]  # fmt: skip


def test_escapes_in_measurement_tags_and_field_keys() -> None:
    text = r"disk\ io,path=C:\\Program\ Files,k\=ey=v\,1 read\ ops=5 1"
    [(_, [sample])] = samples(text, "s")
    assert sample.name == "disk_io_read_ops"
    assert sample.labels == {"path": "C:\\Program Files", "k_ey": "v,1"}


def test_precision_scales_timestamps_to_nanoseconds() -> None:
    for precision, factor in (("s", 10**9), ("ms", 10**6), ("us", 10**3), ("u", 10**3), ("n", 1)):
        [(ts, _)] = samples("m v=1 1700000000", precision)
        assert ts == 1700000000 * factor


def test_names_and_reserved_labels_are_made_safe_for_promql() -> None:
    [(_, [sample])] = samples("cpu.load-1,org_id=7,agent_id=9,__name__=x,1host=a,hôte=b v=1")
    assert sample.name == "cpu_load_1_v"
    assert sample.labels == {
        "tag_org_id": "7", "tag_agent_id": "9", "tag___name__": "x", "_1host": "a", "h_te": "b"
    }  # fmt: skip
    assert sanitise_name("9lives", 200) == "_9lives" and len(sanitise_name("a" * 300, 200)) == 200


def test_comments_blank_lines_and_string_only_lines_are_skipped() -> None:
    text = '# a comment\n\n  \nm,t=1 note="only text"\nm v=2 5\r\n'
    assert samples(text) == [(5, [Sample("m_v", 2.0, {})])]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("m v=1\nm\nm v=2", "line 2: not line protocol"),
        ("m v=1\n\nm v=abc", "line 3: field value 'abc' is not a number"),
        ("m v=NaN", "line 1: field value 'NaN' is not a number"),
        ("m v=1e999", "line 1: field value '1e999' is not a finite number"),
        ("m v=-1u", "line 1: unsigned field value -1u is negative"),
        ("m,t=x v=1 12:00", "line 1: not line protocol"),
        ('m v="unterminated', "line 1: not line protocol"),
        ("m,t= v=1", "line 1: not line protocol"),
        (f"m,t={'x' * 1025} v=1", "line 1: the value of tag t is longer than 1024 characters"),
    ],
)
def test_malformed_lines_name_their_line(text: str, message: str) -> None:
    with pytest.raises(LineProtocolError) as raised:
        list(parse(text, "ns", NOW_NS))
    assert str(raised.value).startswith(message)


def test_lines_are_grouped_into_one_report_per_timestamp_oldest_first() -> None:
    agent = AgentIdentity(agent_id=3, org_id=2, name="h")
    text = "a v=1 2000000000\nb v=2 1000000000\nc v=3 2000000000"
    reports = to_reports(parse(text, "ns", NOW_NS), agent)
    assert [(line, r.ts, [s.name for s in r.series]) for line, r in reports] == [
        (2, 1.0, ["b_v"]),
        (1, 2.0, ["a_v", "c_v"]),
    ]
    assert all((r.org_id, r.target_id, r.source) == (2, 3, "influx") for _, r in reports)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_a_tag_value_ingest_accepts_is_one_the_history_writer_stores(value: str) -> None:
    """One rule (core.reports.text_problem) on both sides: nothing accepted is dropped later."""
    try:
        points = list(parse(f"m,t={escape_tag(value)} v=1", "ns", NOW_NS))
    except LineProtocolError:
        return
    [(_, _, [sample])] = points
    assert sample.labels == {"t": value}
    report = Report(
        id="r", org_id=1, target_type="agent", target_id=2, source="influx", ts=1.0,
        metrics={}, series=[sample],
    )  # fmt: skip
    [line] = report_lines(report)
    assert f",t={escape_tag(value)} m_v=1.0 " in line
