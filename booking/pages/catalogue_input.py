"""What the pages say about input out of bounds (`booking.pages.input_faults`): one sentence per fault, naming the
parameter or form field (``{field}``) as the address or the form sends it, so that it can be found and fixed."""

from __future__ import annotations

INPUT_MESSAGES: dict[str, tuple[str, str]] = {
    "error.server": (
        "Something went wrong on our side. It has been logged; please try again later.",
        "サーバー側で問題が発生しました。記録されています。しばらくしてからもう一度お試しください。",
    ),
    "input.date_range": (
        "“{field}”: the date must be from {first} to {last}.",
        "「{field}」：日付は{first}から{last}までにしてください。",
    ),
    "input.date": ("“{field}”: not a date (YYYY-MM-DD).", "「{field}」：日付（YYYY-MM-DD）として読み取れません。"),
    "input.time": (
        "“{field}”: not a local time (HH:MM, without a UTC offset).",
        "「{field}」：時刻（HH:MM、時差の指定なし）として読み取れません。",
    ),
    "input.whole_number": ("“{field}”: not a whole number.", "「{field}」：整数ではありません。"),
    "input.number": ("“{field}”: not a number.", "「{field}」：数値ではありません。"),
    "input.at_least": ("“{field}”: must be at least {low}.", "「{field}」：{low}以上にしてください。"),
    "input.at_most": ("“{field}”: must be at most {high}.", "「{field}」：{high}以下にしてください。"),
    "input.nul": (
        "“{field}” contains a character that cannot be used (NUL).",
        "「{field}」に使用できない文字（NUL）が含まれています。",
    ),
    "input.too_long": (
        "“{field}” is too long: at most {most} characters.",
        "「{field}」が長すぎます（{most}文字以内）。",
    ),
    "input.too_many": ("“{field}”: at most {most} values.", "「{field}」：値は{most}個までです。"),
    "input.empty": ("“{field}” must not be empty.", "「{field}」を入力してください。"),
    "input.missing": ("“{field}” is missing.", "「{field}」がありません。"),
    "input.span_reversed": (
        "“{field}” must not be before {first}.",
        "「{field}」は{first}以降にしてください。",
    ),
    "input.span_too_long": (
        "“{field}”: a span covers at most {most} days, not {days}.",
        "「{field}」：期間は{most}日以内にしてください（{days}日になっています）。",
    ),
    "input.country": (
        "“{field}”: no public holidays are known for {country}.",
        "「{field}」：{country}の祝日は登録されていません。",
    ),
    "input.other": ("“{field}” could not be read.", "「{field}」を読み取れませんでした。"),
}
