"""Co-attendance: which units come in on the same days, beyond what chance explains.

For each leaf unit u and open day d, x_u(d) is the number of its people in that day (any slot, outcome ``IN``;
fixed-desk owners too, when they book). For a pair of units over the N open days:

- ``days_both``: days both had someone in; ``expected_days_both`` = days_u * days_v / N if days were independent;
- ``lift``: the person-pairs in together, sum_d x_u(d) x_v(d), against what independent days would give,
  sum_d x_u(d) * sum_d x_v(d) / N (1 means chance; 2, twice as often);
- ``r``: the Pearson correlation of x_u and x_v over the days (with 0/1 presence it is the phi coefficient). A unit
  whose attendance never changes (always in, or never) has no r;
- ``p_value``: one-sided, of r > 0 under independence, by Fisher's z: z = atanh(r) * sqrt(N - 3), p = 1 - Phi(z).

A pair is **related** when r >= `MIN_R` and p * (number of pairs tested) <= `MAX_FAMILY_P` (Bonferroni over all
pairs, so a building of many units does not find relations by chance), over at least `MIN_DAYS` open days. A
related pair becomes ``TRIPS_AT_FULL_CORRELATION * r`` trips per week in a derived scenario: r = 1 is an A rating
(40 trips), r = 0.5 an I-to-E (20). Attendance that follows the weekday (every unit in more on Mondays) counts as
being in together: it is when people can meet.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection
from dataclasses import asdict, dataclass

import numpy as np

from booking.analytics.facts import AttendanceFacts
from booking.analytics.occupancy import Tally

MIN_R = 0.3
MAX_FAMILY_P = 0.05
MIN_DAYS = 10
TRIPS_AT_FULL_CORRELATION = 40.0


@dataclass(frozen=True)
class PairAttendance:
    a: str
    b: str
    a_name: str
    b_name: str
    days: int
    days_both: int
    expected_days_both: float
    lift: float | None
    r: float | None
    p_value: float | None
    related: bool
    trips_per_week: float  # 0 unless related

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def one_sided_p(r: float, days: int) -> float:
    """P(R >= r) for the correlation of ``days`` independent pairs, by Fisher's z (normal approximation)."""
    if days <= 3:
        return 1.0
    z = math.atanh(min(max(r, -0.999999), 0.999999)) * math.sqrt(days - 3)
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def co_attendance(
    facts: AttendanceFacts, counts: Tally, *, units: Collection[str] | None = None, involving: Collection[str] = ()
) -> list[PairAttendance]:
    """Every pair of leaf units with people (or of ``units``), strongest r first; ``involving`` keeps the pairs
    with at least one of those units (the multiple-test correction still counts every pair)."""
    tree = facts.units
    headcount = facts.headcount()
    chosen = [
        i for i, uid in enumerate(tree.ids) if tree.is_leaf(i) and headcount[i] > 0 and (units is None or uid in units)
    ]
    x = counts.present_any[chosen].astype(float)
    n = x.shape[1] if x.ndim == 2 else 0
    pairs = list(itertools.combinations(range(len(chosen)), 2))
    tested = max(len(pairs), 1)
    totals = x.sum(axis=1) if n else np.zeros(len(chosen))
    present = x > 0
    days_in = present.sum(axis=1) if n else np.zeros(len(chosen))
    deviations = x - x.mean(axis=1, keepdims=True) if n else x
    spread = np.sqrt((deviations**2).sum(axis=1)) if n else np.zeros(len(chosen))
    wanted = set(involving)
    out = []
    for i, j in pairs:
        a, b = chosen[i], chosen[j]
        if wanted and tree.ids[a] not in wanted and tree.ids[b] not in wanted:
            continue
        both = int((present[i] & present[j]).sum()) if n else 0
        expected = float(totals[i] * totals[j] / n) if n else 0.0
        observed = float(x[i] @ x[j]) if n else 0.0
        r = float(deviations[i] @ deviations[j] / (spread[i] * spread[j])) if spread[i] and spread[j] else None
        p = one_sided_p(r, n) if r is not None else None
        related = r is not None and p is not None and n >= MIN_DAYS and r >= MIN_R and p * tested <= MAX_FAMILY_P
        out.append(
            PairAttendance(
                a=tree.ids[a],
                b=tree.ids[b],
                a_name=tree.label(a),
                b_name=tree.label(b),
                days=n,
                days_both=both,
                expected_days_both=float(days_in[i] * days_in[j] / n) if n else 0.0,
                lift=observed / expected if expected else None,
                r=r,
                p_value=p,
                related=related,
                trips_per_week=round(TRIPS_AT_FULL_CORRELATION * r, 1) if related and r is not None else 0.0,
            )
        )
    out.sort(key=lambda p: (-(p.r if p.r is not None else -2.0), p.a, p.b))
    return out
