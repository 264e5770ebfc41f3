"""The strings of the report pages and of desk suggestions: key -> (English, Japanese)."""

from __future__ import annotations

REPORT_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.reports": ("Reports", "利用状況"),
    "reports.title": ("Occupancy and attendance", "座席の利用状況"),
    "reports.lead": (
        "How the desks were used, by floor, zone, weekday and half day; how many of each unit's people were in at "
        "once and the seats that would have served them; which units come in together.",
        "フロア・エリア・曜日・午前午後ごとの座席の利用、各所属の同時出社人数とそれに見合う座席数、"
        "同じ日に出社する所属の組み合わせを示します。",
    ),
    "reports.since": ("From", "開始日"),
    "reports.until": ("To", "終了日"),
    "reports.building": ("Building", "建物"),
    "reports.show": ("Show", "表示"),
    "reports.period": (
        "{since} to {until}: {days} open days, {desks} bookable desks.",
        "{since}〜{until}：開庁日 {days} 日、予約できる座席 {desks} 席。",
    ),
    "reports.csv": ("Download as CSV", "CSVでダウンロード"),
    "reports.table_note": ("The same figures as a table:", "同じ数値の表："),
    "reports.totals": ("In short", "概要"),
    "reports.occupancy": ("Occupancy", "利用率"),
    "reports.booked_rate": ("Booked", "予約率"),
    "reports.no_show_rate": ("No-shows", "不在率"),
    "reports.cancellation_rate": ("Cancelled", "取消率"),
    "reports.bookings": ("Bookings", "予約件数"),
    "reports.totals_note": (
        "Occupancy: desk half-days used (checked in, or booked and not released) out of those bookable. No-shows: "
        "bookings that held a desk but were not checked in. Fixed desks are counted apart.",
        "利用率：予約できる座席×半日のうち、実際に使われた（チェックイン済み、または開放されていない予約）割合。"
        "不在率：座席を押さえたがチェックインのなかった予約の割合。固定席は別に数えます。",
    ),
    "reports.floors": ("By floor", "フロア別"),
    "reports.floors_chart": ("Occupancy by floor", "フロア別の利用率"),
    "reports.floors_desc": (
        "Bars: the share of bookable desk half-days used on each floor.",
        "棒：各フロアで予約できる座席×半日のうち使われた割合。",
    ),
    "reports.floor": ("Floor", "フロア"),
    "reports.desks": ("Desks", "座席"),
    "reports.fixed_desks": ("Fixed", "固定席"),
    "reports.peak_desks": ("Most in use", "最大使用"),
    "reports.weekdays": ("By weekday and half day", "曜日・午前午後別"),
    "reports.weekdays_chart": ("Occupancy by weekday, morning and afternoon", "曜日別・午前午後別の利用率"),
    "reports.weekdays_desc": (
        "Columns: for each weekday, the morning (solid) and the afternoon (hatched).",
        "縦棒：曜日ごとに午前（塗り）と午後（斜線）。",
    ),
    "reports.weekday": ("Weekday", "曜日"),
    "reports.slot": ("Half day", "時間帯"),
    "reports.open_days": ("Open days", "開庁日"),
    "reports.zones": ("Team zones", "チームエリア"),
    "reports.zone": ("Zone", "エリア"),
    "reports.own_share": ("By its unit", "所属による利用"),
    "reports.no_zones": ("No team zones.", "チームエリアはありません。"),
    "reports.units": ("Units: people in at once and the seats they need", "所属別：同時出社人数と必要な座席数"),
    "reports.units_chart": ("People in at once, by unit", "所属別の同時出社人数"),
    "reports.units_desc": (
        "Bars: the 90th percentile of the unit's free-address people in at once (solid) and up to the most on any "
        "day (hatched); the tick marks the unit's home desks.",
        "棒：フリーアドレスの職員の同時出社人数の90パーセンタイル（塗り）と最大値まで（斜線）。"
        "縦線は所属のホーム座席数。",
    ),
    "reports.unit": ("Unit", "所属"),
    "reports.people": ("People", "人数"),
    "reports.attendance": ("In", "出社率"),
    "reports.peak": ("Peak", "最大"),
    "reports.p90": ("90th pct.", "90%値"),
    "reports.seats": ("Seats", "必要座席"),
    "reports.desk_ratio": ("Desk ratio", "座席率"),
    "reports.home_desks": ("Home desks", "ホーム座席"),
    "reports.peak_weekday": ("Busiest day", "最多の曜日"),
    "reports.legend_p90": ("90th percentile", "90パーセンタイル"),
    "reports.legend_peak": ("peak", "最大"),
    "reports.legend_home": ("home desks", "ホーム座席"),
    "reports.units_note": (
        "In at once: a unit's free-address people with a booking that was used, in the busier half of the day. "
        "Seats = people with a fixed desk + the 90th percentile over the open days (one day in ten a seat or two "
        "short); desk ratio = seats / people.",
        "同時出社人数：フリーアドレスの職員のうち、使われた予約のある人数（午前・午後の多い方）。"
        "必要座席＝固定席の人数＋開庁日の90パーセンタイル（10日に1日は1〜2席不足）。座席率＝必要座席÷人数。",
    ),
    "reports.unit_bar": (
        "{unit}: {p90} in at once on 9 days in 10, {peak} at most; {home} home desks",
        "{unit}：10日のうち9日は {p90} 人以下、最大 {peak} 人、ホーム座席 {home} 席",
    ),
    "reports.pairs": ("Units that come in together", "同じ日に出社する所属"),
    "reports.pairs_lead": (
        "The correlation of two units' people in, day by day (1: always together, 0: as chance would have it). "
        "★ marks pairs beyond chance: they become relations when a plan is made from the bookings.",
        "2つの所属の日ごとの出社人数の相関（1：常に一緒、0：偶然と同じ）。★は偶然では説明できない組み合わせで、"
        "予約から配置案を作るときに関係として加わります。",
    ),
    "reports.pairs_table": ("Correlation of days in, by unit", "所属間の出社日の相関"),
    "reports.related": ("Pairs beyond chance", "偶然を超える組み合わせ"),
    "reports.related_pair": (
        "{a} and {b}: r {r} over {days} days; {lift} times the person-days together that chance would give; "
        "{trips} trips a week in a plan",
        "{a} と {b}：{days} 日間の相関 {r}、同じ日の出社は偶然の {lift} 倍。配置案では週 {trips} 回",
    ),
    "reports.no_related": (
        "No pair of units comes in together beyond chance.",
        "偶然を超えて一緒に出社する所属はありません。",
    ),
    "reports.mine": ("My unit: {unit}", "自分の所属：{unit}"),
    "reports.mine_chart": ("People of my unit in, by weekday", "曜日別の所属の出社人数"),
    "reports.mine_desc": ("Bars: the mean number in at once on each weekday.", "棒：曜日ごとの平均同時出社人数。"),
    "reports.no_unit": (
        "You belong to no unit, so there is no summary to show.",
        "所属がないため、表示できる概要はありません。",
    ),
    "reports.nobody": ("Nobody of the unit is in the records.", "この所属の職員はいません。"),
    "reports.none": ("—", "—"),
    "reports.percent": ("{value} %", "{value}%"),
    # -- desk suggestions on the booking map --
    "suggest.title": ("Suggested for you", "おすすめの座席"),
    "suggest.lead": (
        "Free desks nearest, in travel time, to the people you work with who have booked then.",
        "この時間帯に予約している、一緒に働く人たちに移動時間で近い空席です。",
    ),
    "suggest.item": ("{desk} ({floor}): {seconds} s on average", "{floor} {desk}：平均 {seconds} 秒"),
    "suggest.item_same": (
        "{desk} ({floor}): in their room, {metres} m from them on average",
        "{floor} {desk}：同じ部屋、平均 {metres} m",
    ),
    "suggest.own": ("{people} of your team on {floor}", "{floor} にチームの {people} 人"),
    "suggest.other": ("{people} of {unit} on {floor}", "{floor} に{unit}の {people} 人"),
    "suggest.none": (
        "No suggestion yet: nobody you work with has booked for this time.",
        "まだおすすめはありません：一緒に働く人がこの時間帯に予約していません。",
    ),
    "state.suggested": ("suggested for you", "おすすめ"),
}
