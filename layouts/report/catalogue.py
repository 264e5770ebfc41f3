"""The report's words in English and Japanese, and numbers and dates written the way each language writes them.

One dict holds every fixed string: a key, then its English and Japanese forms. Strings with ``{name}`` fields are
filled with `str.format`; the template escapes the result, so the values may be anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LANGUAGES = ("en", "ja")

MESSAGES: dict[str, tuple[str, str]] = {
    # header
    "title": ("Layout comparison", "レイアウト比較"),
    "scenario": ("Scenario", "シナリオ"),
    "building": ("Building", "建物"),
    "baseline": ("Baseline layout", "基準レイアウト"),
    "generated": ("Generated", "作成日"),
    "layouts_compared": ("Layouts compared", "比較したレイアウト"),
    "list_separator": (", ", "、"),
    "people_and_seats": ("People / seats needed", "職員数 / 必要席数"),
    "people_and_seats_value": ("{people} people, {seats} seats", "{people}人、{seats}席"),
    "contents": ("Contents", "目次"),
    # figures
    "figures": ("Figures per week", "週あたりの指標"),
    "figures_caption": (
        "Every layout against the baseline “{baseline}”; for all figures lower is better.",
        "基準レイアウト「{baseline}」との比較。どの指標も小さいほど良好です。",
    ),
    "figure": ("Figure", "指標"),
    "travel_hours_per_week": ("Travel time (person-hours)", "移動時間(人・時間)"),
    "vertical_hours_per_week": ("of which vertical (lifts, stairs)", "うち上下移動(エレベーター・階段)"),
    "vertical_trips_per_week": ("Trips between floors", "階をまたぐ移動(回)"),
    "floors_crossed_per_week": ("Floors crossed", "移動した階数の合計"),
    "people_moved": ("People who change floor", "階を移る職員(人)"),
    "units_split": ("Units split over floors", "複数階に分かれた組織"),
    "violations_count": ("Constraints broken", "制約違反"),
    "is_baseline": ("baseline", "基準"),
    "better": ("lower than the baseline", "基準より小さい"),
    "worse": ("higher than the baseline", "基準より大きい"),
    "same": ("as the baseline", "基準と同じ"),
    "legend_change": (
        "▼ lower than the baseline (better) · ▲ higher than the baseline (worse) · ± the same.",
        "▼ 基準より小さい(良い) · ▲ 基準より大きい(悪い) · ± 同じ。",
    ),
    "notes": ("How the figures are reckoned", "指標の算出方法"),
    "note_travel": (
        "Travel time: the door-to-door time of every trip staff make to meet their own unit and related units, "
        "summed over a week: walks, waits for the lift, rides and stairs.",
        "移動時間:職員が自組織や関係する組織と打ち合わせるための移動の所要時間(徒歩、エレベーター待ち、"
        "乗車、階段)を1週間分合計したもの。",
    ),
    "note_vertical": (
        "Trips between floors and floors crossed count those trips that change floor, the second weighted by "
        "the number of floors.",
        "階をまたぐ移動は、階を移る移動の回数。移動した階数の合計は、その回数に移る階数を掛けたもの。",
    ),
    "note_moved": (
        "People who change floor: for each unit, its headcount times the share of its seats that leave a floor "
        "against the baseline.",
        "階を移る職員:組織ごとに、基準レイアウトから別の階へ移る席の割合に職員数を掛けたもの。",
    ),
    # seats
    "seat_balance": ("Seats by floor", "階別の席数"),
    "seat_balance_caption": (
        "Seats used / seats available on each floor that any layout uses.",
        "いずれかのレイアウトが使う各階の使用席数 / 席数。",
    ),
    "floor": ("Floor", "階"),
    "over_capacity": ("over capacity", "席数超過"),
    "over_by": ("{n} over", "{n}席超過"),
    "unused": ("not used", "使用なし"),
    # each layout
    "layout_heading": ("Layout “{name}”", "レイアウト「{name}」"),
    "layout_heading_baseline": ("Layout “{name}” (baseline)", "レイアウト「{name}」(基準)"),
    "stacking": ("Who sits on which floor", "階別の配置"),
    "stacking_title": ("{name}: seats by floor", "{name}:階別の席数"),
    # the words of the stacking diagram (`floorplan.svg.StackWords`, one key per field, "stack_" before its name)
    "stack_heading": ("{building}: seats by floor", "{building}:階別の席数"),
    "stack_summary_used": (
        "{floors} floors · {used:,} of {capacity:,} seats used",
        "{floors}フロア · {capacity:,}席中{used:,}席を使用",
    ),
    "stack_summary_seats": ("{floors} floors · {capacity:,} seats", "{floors}フロア · {capacity:,}席"),
    "stack_label": ("{heading}: {summary}", "{heading}。{summary}"),
    "stack_seats": ("{n} seats", "{n}席"),
    "stack_over": ("(+{n} over)", "({n}席超過)"),
    "stack_axis": ("seats", "席数"),
    "stack_free_seats": ("free seats", "空席"),
    "stack_over_capacity": ("over capacity", "席数超過"),
    "stack_no_seats": ("no seats", "席なし"),
    "stack_marked": ("marked", "注記あり"),
    "stack_floor_used": ("{floor}: {used} of {capacity} seats used", "{floor}:{capacity}席中{used}席を使用"),
    "stack_floor_seats": ("{floor}: {n} seats", "{floor}:{n}席"),
    "stack_segment": ("{label}: {n} seats", "{label}:{n}席"),
    "stack_segment_in_group": ("{label}: {n} seats, {group}", "{label}({group}):{n}席"),
    "closed": ("closed", "閉鎖"),
    "unavailable": ("not available", "使用不可"),
    "split_units": ("Units split over floors", "複数階に分かれた組織"),
    "no_split_units": ("Every unit sits on one floor.", "すべての組織が1つの階にまとまっています。"),
    "seats_by_floor": ("Seats by floor", "階別の席数"),
    "violations": ("Constraints broken", "制約違反"),
    "no_violations": ("The layout keeps every constraint of the scenario.", "シナリオの制約をすべて満たしています。"),
    "top_pairs": ("The pairs that cost most", "移動時間の大きい組み合わせ"),
    "top_pairs_caption": (
        "Travel between two units (or within one), person-hours per week.",
        "2つの組織の間(または組織内)の移動、人・時間/週。",
    ),
    "pair_changes": ("The pairs whose cost changed most", "移動時間の変化が大きい組み合わせ"),
    "pair_changes_caption": (
        "Person-hours per week in the baseline “{baseline}” and in “{name}”.",
        "基準「{baseline}」と「{name}」での人・時間/週。",
    ),
    "no_pair_changes": (
        "No pair's travel changes against the baseline.",
        "基準と比べて移動時間の変わる組み合わせはありません。",
    ),
    "moved_by_unit": ("People who change floor, by unit", "組織別の階を移る職員"),
    "nobody_moves": ("Nobody changes floor against the baseline.", "基準と比べて階を移る職員はいません。"),
    "units": ("Units", "組織"),
    "unit": ("Unit", "組織"),
    "department": ("Department", "部"),
    "headcount": ("People", "職員数"),
    "moved": ("Change floor", "階を移る人数"),
    "from_floors": ("From", "移動前"),
    "to_floors": ("To", "移動後"),
    "total": ("Total", "合計"),
    "trips": ("Trips / week", "回/週"),
    "hours": ("Hours / week", "時間/週"),
    "vertical_hours": ("of which vertical", "うち上下移動"),
    "change": ("Change", "増減"),
    "within": ("{unit} (within the unit)", "{unit}(組織内)"),
    "pair": ("{a} – {b}", "{a} – {b}"),
    "footer": ("Made with floorwise.", "floorwise で作成。"),
}

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MINUS = "\u2212"  # a true minus sign: as wide as the plus, and read as "minus" by screen readers


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The words and number formats of one language."""

    lang: str

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {self.lang!r}")

    def text(self, key: str, **fields: object) -> str:
        """The message ``key`` in this language, its ``{fields}`` filled in."""
        en, ja = MESSAGES[key]
        message = ja if self.lang == "ja" else en
        return message.format(**fields) if fields else message

    def number(self, value: float, decimals: int = 0) -> str:
        """``1,234.5``: thousands grouped by commas in both languages, a minus sign for negatives."""
        text = f"{abs(value):,.{decimals}f}"
        if float(text.replace(",", "")) == 0:
            return text
        return MINUS + text if value < 0 else text

    def date(self, day: date) -> str:
        """26 November 2026, or 2026年11月26日."""
        if self.lang == "ja":
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def signed(value: float, decimals: int) -> tuple[str, int]:
    """A change as text with its sign (``+1.5``, ``−0.3``, ``±0``) and its direction after rounding (1, -1, 0)."""
    text = f"{abs(value):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        return "±" + text, 0
    return ("+" if value > 0 else MINUS) + text, (1 if value > 0 else -1)
