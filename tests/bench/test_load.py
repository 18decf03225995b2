"""The load benchmark's simulated seats against a real hub in its own process (no timing thresholds)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from workstation.bench.load import SEAT_ENDPOINTS, EndpointStats, LoadReport, LoadSpec, PhaseStats, knee, run_load
from workstation.bench.loadhub import HubProcess

SEATS, SHIFT, CLIPS = 6, 8, 3
EVENTS_PER_SEAT = 2 + 3 * CLIPS + 2
"""sign_in and shift_start; clip_shown, clip_hidden and label per clip; shift_end and sign_out."""


def _check(report: LoadReport) -> None:
    assert report.failed_seats == []
    assert report.labels_made == SEATS * CLIPS and report.audit_made == SEATS * EVENTS_PER_SEAT
    assert report.exactly_once, report.text()
    assert report.rejected == 0
    assert {e.endpoint for e in report.endpoints} == set(SEAT_ENDPOINTS)
    assert all(e.count > 0 for e in report.endpoints)
    assert {p.phase for p in report.phases} in ({"sign-in", "shift", "download", "label", "end"},
                                                {"arrive", "download", "label", "end"})
    assert report.download_mb_s > 0


def test_every_label_and_audit_event_arrives_exactly_once() -> None:
    report = run_load(LoadSpec(seats=SEATS, shift_size=SHIFT, clips=CLIPS, clip_bytes=64 * 1024, think_s=0.05))
    _check(report)
    downloads = report.endpoint("GET /shifts/{id}/clips/{id}")
    assert downloads is not None and downloads.count == SEATS * CLIPS
    assert "POST /labels/batch" in {e.endpoint for e in report.label_phase}
    assert "exactly once" in report.text()


def test_seats_round_robin_over_hubs_given_by_url(tmp_path: Path) -> None:
    data = tmp_path / "hub"
    spec = LoadSpec(seats=SEATS, shift_size=SHIFT, clips=CLIPS, downloads=2, clip_bytes=16 * 1024, saturate=True,
                    data=data, arrive_s=0.5)
    from workstation.hub.home import HubHome

    HubHome.open(data)
    with HubProcess(data) as first, HubProcess(data) as second:  # two processes over one SQLite folder
        report = run_load(replace(spec, urls=(first.base_url, second.base_url)))
    _check(report)
    assert report.hubs == 2
    downloads = report.endpoint("GET /shifts/{id}/clips/{id}")
    assert downloads is not None and downloads.count == SEATS * 2


def _report(seats: int, per_s: float, p99: float) -> LoadReport:
    phase = PhaseStats("label", 10.0, 100.0, 50.0, int(per_s * 10), per_s, 1.0)
    label = EndpointStats("POST /labels/batch", 1, 0, 1.0, 1.0, p99, p99, 0.0)
    return LoadReport(seats, 150, 10, 1.0, 0.0, True, 0.0, 1, [label], [phase], 1.0, 0, 0, 0, 0, 0, 0, 0, 0, [],
                      None, label_phase=[label])


def test_the_knee_is_where_more_seats_stop_adding_throughput() -> None:
    assert knee([_report(25, 200, 50), _report(50, 390, 60), _report(100, 420, 200), _report(200, 430, 700)]) \
        .startswith("saturates between 50 and 100 seats")
    assert knee([_report(25, 100, 10), _report(50, 200, 12)]).startswith("no knee up to 50 seats")
