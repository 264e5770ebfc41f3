"""Plausible Japanese names for demo staff: common surnames and given names, in kanji with a romanised login."""

from __future__ import annotations

import random

#: Among the most common surnames in Japan, with their Hepburn romanisation (no macrons: they make logins).
SURNAMES: tuple[tuple[str, str], ...] = (
    ("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"), ("伊藤", "ito"),
    ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"), ("小林", "kobayashi"), ("加藤", "kato"),
    ("吉田", "yoshida"), ("山田", "yamada"), ("佐々木", "sasaki"), ("山口", "yamaguchi"), ("松本", "matsumoto"),
    ("井上", "inoue"), ("木村", "kimura"), ("林", "hayashi"), ("斎藤", "saito"), ("清水", "shimizu"),
    ("山崎", "yamazaki"), ("森", "mori"), ("池田", "ikeda"), ("橋本", "hashimoto"), ("阿部", "abe"),
    ("石川", "ishikawa"), ("山下", "yamashita"), ("中島", "nakajima"), ("石井", "ishii"), ("小川", "ogawa"),
    ("前田", "maeda"), ("岡田", "okada"), ("長谷川", "hasegawa"), ("藤田", "fujita"), ("後藤", "goto"),
    ("近藤", "kondo"), ("村上", "murakami"), ("遠藤", "endo"), ("青木", "aoki"), ("坂本", "sakamoto"),
    ("斉藤", "saito"), ("福田", "fukuda"), ("太田", "ota"), ("西村", "nishimura"), ("藤井", "fujii"),
    ("金子", "kaneko"), ("岡本", "okamoto"), ("藤原", "fujiwara"), ("中野", "nakano"), ("三浦", "miura"),
)  # fmt: skip

GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("翔太", "shota"), ("大輔", "daisuke"), ("健太", "kenta"), ("拓也", "takuya"), ("直樹", "naoki"),
    ("誠", "makoto"), ("浩二", "koji"), ("隆", "takashi"), ("和也", "kazuya"), ("亮", "ryo"),
    ("悠斗", "yuto"), ("大樹", "daiki"), ("一郎", "ichiro"), ("修", "osamu"), ("剛", "tsuyoshi"),
    ("裕介", "yusuke"), ("哲也", "tetsuya"), ("智也", "tomoya"), ("蓮", "ren"), ("陽介", "yosuke"),
    ("花子", "hanako"), ("陽子", "yoko"), ("恵", "megumi"), ("美咲", "misaki"), ("真由美", "mayumi"),
    ("裕子", "yuko"), ("明美", "akemi"), ("由美", "yumi"), ("彩", "aya"), ("舞", "mai"),
    ("愛", "ai"), ("香織", "kaori"), ("麻衣", "mai"), ("直美", "naomi"), ("智子", "tomoko"),
    ("久美子", "kumiko"), ("優子", "yuko"), ("さくら", "sakura"), ("結衣", "yui"), ("千尋", "chihiro"),
)  # fmt: skip


def person_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """``count`` distinct (name, login) pairs: ``("佐藤 花子", "sato.hanako")``; a login taken twice gets a number."""
    made: list[tuple[str, str]] = []
    seen_names: set[str] = set()
    logins: dict[str, int] = {}
    while len(made) < count:
        surname, surname_latin = rng.choice(SURNAMES)
        given, given_latin = rng.choice(GIVEN_NAMES)
        name = f"{surname} {given}"
        if name in seen_names and len(seen_names) < len(SURNAMES) * len(GIVEN_NAMES) // 2:
            continue
        seen_names.add(name)
        login = f"{surname_latin}.{given_latin}"
        logins[login] = logins.get(login, 0) + 1
        if logins[login] > 1:
            login = f"{login}{logins[login]}"
        made.append((name, login))
    return made
