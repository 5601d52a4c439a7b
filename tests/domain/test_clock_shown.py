"""One clock for people: every time shown is China time in one format; UTC stays inside files."""

from datetime import UTC, datetime

from fupin_desktop.domain import clock


def test_times_are_shown_in_china_time_in_one_format():
    assert clock.shown(datetime(2024, 3, 1, 16, 30, tzinfo=UTC)) == "2024-03-02 00:30"
    naive = datetime(2024, 3, 1, 16, 30, tzinfo=UTC).replace(tzinfo=None)
    assert clock.shown(naive) == "2024-03-02 00:30"  # a naive stored time is UTC
    assert clock.shown(datetime(2024, 3, 2, 0, 30, tzinfo=clock.CHINA)) == "2024-03-02 00:30"
    assert clock.shown(None) == "—"
