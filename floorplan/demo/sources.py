"""What the demo building takes from public sources, and what it makes up.

`PUBLIC_FACTS` lists each fact with its source; `ILLUSTRATIVE` lists the placements and figures chosen for the
demo; `NOT_MODELLED` what the demo leaves out. `floor_use` writes a floor's ``use`` text, marking each part
``[public: source]`` or ``[illustrative]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

NIKKEN = "Nikken Sekkei CM project page (nikken-cm.com/project/bunkyo_civic_center/); 建通新聞"
LIFT_SIGN = "lobby directory sign, as reported by a visitor (towerup.themedia.jp/posts/1099001)"
EN_WIKIPEDIA = "en.wikipedia"

#: (fact, source), as published.
PUBLIC_FACTS: tuple[tuple[str, str], ...] = (
    ("gross floor area 80,489.99 m²", NIKKEN),
    ("4 basement storeys, 27 above ground, 3 penthouse levels (ja.wikipedia: 28 above ground)", NIKKEN),
    ("height about 142 m", "ja.wikipedia 文京区役所"),
    ("a low-rise lift bank serves 2F-12F, a high-rise bank 13F and up; 10 high-speed lifts in all", LIFT_SIGN),
    ("further lift groups: emergency, large hall, assembly", "建通新聞, on the renovation plan"),
    ("B3: subway connection", "a blog"),
    ("B2: 区民ひろば (event plaza)", "city of Bunkyo"),
    ("1F: entrance atrium open to 3F; after-hours family-register desk", "city notice"),
    ("2F: 戸籍住民課 (family registration and residents), moving-in/out counters", EN_WIKIPEDIA),
    ("5F: ぴよぴよひろば (子ども家庭支援センター)", EN_WIKIPEDIA),
    ("6F-24F: mainly ward offices (another source: 8F-21F)", "en.wikipedia; a blog, 2012"),
    ("9F: 福祉部 障害福祉課", "third-party guide text"),
    ("22F-24F: ward assembly, 24F committee rooms", "city minutes"),
    ("25F: observation lounge, restaurant", "several sources"),
    ("26F: Sky Hall", "a blog"),
)

#: Everything the demo chose because no public source gives it.
ILLUSTRATIVE: tuple[str, ...] = (
    "the slab: 64 m x 32 m on every floor (origin at the south-west corner, x east, y north); the real tower's "
    "plan and its podium are not drawn",
    "elevations and floor-to-floor heights: basements 4.5 m, 1F 6.0 m, 2F 5.0 m, 3F and up 4.2 m",
    "the plan of every floor: the central core zone, the corridor ring, the wings and the position of every space",
    "the lift banks: 'low' serving 1F-12F and 'high' serving 1F and 13F-26F (the sign gives 2F-12F and 13F and "
    "up; a bank must also stop at the lobby), their positions in the core, default timing; how the ten lifts "
    "are split between the banks is not published and not modelled",
    "the basement lift 'basement' (B4-1F) and the stairs 'stair-east' and 'stair-west' (B4-27F)",
    "where a floor's published use sits on the floor, and the use of floors no source covers (B4, B1, 3F, 4F, "
    "27F; parking on B3-B4)",
    "the offices of 2F-21F, their meeting rooms, archives and amenities; the counters of 3F and 4F",
    "the desk grid and the desk attributes (monitor, standing, accessible)",
    "the assembly floors' rooms (chamber, gallery, members' rooms, six committee rooms)",
)

NOT_MODELLED: tuple[str, ...] = (
    "the emergency, large-hall and assembly lifts (staff do not use them for everyday trips)",
    "the 3 penthouse levels and the crown above 27F (hence a roof at 116 m against the published 142 m)",
    "the podium and its hall; the model's floor area (31 x 2,048 m² = 63,488 m²) is below the published gross",
    "escalators, corridor networks (walks are rectilinear), doors",
)

#: Parts of each floor's use: (text, source), source None for an illustrative part. Office floors not listed
#: here take `OFFICE_USE`.
Part = tuple[str, str | None]
OFFICE_USE: tuple[Part, ...] = (
    ("ward offices", "en.wikipedia: 6F-24F mainly ward offices; a 2012 blog: 8F-21F"),
    ("offices, meeting rooms, archives", None),
)
FLOOR_USES: dict[str, tuple[Part, ...]] = {
    "B4": (("parking and plant", None),),
    "B3": (("subway connection", "a blog"), ("parking and plant", None)),
    "B2": (("区民ひろば (event plaza)", "city of Bunkyo"), ("storage", None)),
    "B1": (("plant and storage", None),),
    "1F": (
        ("entrance atrium (open to 3F), after-hours family-register desk", "city notice"),
        ("north lobby, information desk", None),
    ),
    "2F": (
        ("戸籍住民課 counters, moving in and out", EN_WIKIPEDIA),
        ("atrium void", "city notice: atrium open to 3F"),
        ("its back offices, waiting area, consultation rooms", None),
    ),
    "3F": (("atrium void", "city notice: atrium open to 3F"), ("counters and offices", None)),
    "4F": (("counters and offices", None),),
    "5F": (("ぴよぴよひろば (子ども家庭支援センター)", EN_WIKIPEDIA), ("its offices, other offices", None)),
    "9F": (("福祉部 障害福祉課", "third-party guide text"), *OFFICE_USE),
    "22F": (("ward assembly", "city minutes"), ("chamber, secretariat", None)),
    "23F": (("ward assembly", "city minutes"), ("public gallery, members' rooms", None)),
    "24F": (("ward assembly, committee rooms", "city minutes"), ("six committee rooms", None)),
    "25F": (("observation lounge, restaurant", "several sources"),),
    "26F": (("Sky Hall", "a blog"), ("foyer", None)),
    "27F": (("plant", None),),
}


def floor_use(name: str) -> str:
    """The ``use`` text of a floor: each part marked as public (with its source) or illustrative.

    The plan of every floor is illustrative whatever its use, so the text ends by saying so.
    """
    parts: Sequence[Part] = FLOOR_USES.get(name, OFFICE_USE)
    marked = [f"{text} [public: {source}]" if source else f"{text} [illustrative]" for text, source in parts]
    return "; ".join([*marked, "plan illustrative"])


def building_metadata() -> dict[str, Any]:
    """The demo's ``Building.metadata``: JSON-shaped, so that the GeoJSON writer can carry it."""
    return {
        "demo": True,
        "modelled_on": "文京シビックセンター (Bunkyo Civic Center), Tokyo",
        "sources": [{"fact": fact, "source": source} for fact, source in PUBLIC_FACTS],
        "illustrative": list(ILLUSTRATIVE),
        "not_modelled": list(NOT_MODELLED),
    }
