"""The demo's bookings carry patterns the reports find (see `booking.demo`), so the pages show something real."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from booking.analytics.period import period_or_default
from booking.analytics.report import occupancy_report
from booking.demo import DAYS_BEFORE, load_demo
from tests.booking.factories import NOW


def test_the_demo_report_finds_the_planted_patterns(db: Session) -> None:
    load_demo(db, now=NOW, seed=0)
    period = period_or_default(None, None, NOW.date())
    report = occupancy_report(db, since=period.since, until=period.until, now=NOW)
    assert report.period.since < NOW.date() - timedelta(days=DAYS_BEFORE)  # days before the data are left out
    assert 25 <= report.totals.days <= 30  # six weeks of open days, up to today
    related = [(p.a, p.b) for p in report.pairs if p.related]
    assert related == [("fukushi.seisaku", "kumin.keizai")]
    units = {u.unit_id: u for u in report.units}
    assert units["kumin.zeimu"].peak_weekday == 0
    assert units["kumin.kokuho"].peak <= 0.6 * 36  # its 36 desks of the current layout
    assert units["kumin.koseki"].seats == 60 and units["kumin.koseki"].fixed_desks == 60
