"""What the demo building takes from public sources, and what it makes up.

`PUBLIC_FACTS` lists each fact with its source; `ILLUSTRATIVE` lists the placements and figures chosen for the
demo; `NOT_MODELLED` what the demo leaves out. `FLOOR_FACTS` gives each floor's short ``use`` and, apart from it,
which parts of that use are public (with their source) and which illustrative: `floor_provenance`, kept in the
building's ``metadata["floors"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

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


class FloorFacts(NamedTuple):
    """What a floor is for: ``use``, the short description a planner reads (`Floor.use`), and where each part of
    it comes from: ``parts`` as (text, source), source None for an illustrative part."""

    use: str
    parts: tuple[tuple[str, str | None], ...]


#: Office floors not listed in `FLOOR_FACTS` (6F-21F except 9F).
OFFICE_FLOOR = FloorFacts(
    "ward offices",
    (
        ("ward offices", "en.wikipedia: 6F-24F mainly ward offices; a 2012 blog: 8F-21F"),
        ("offices, meeting rooms, archives", None),
    ),
)
FLOOR_FACTS: dict[str, FloorFacts] = {
    "B4": FloorFacts("parking and plant", (("parking and plant", None),)),
    "B3": FloorFacts("subway connection, parking", (("subway connection", "a blog"), ("parking and plant", None))),
    "B2": FloorFacts("区民ひろば (event plaza)", (("区民ひろば (event plaza)", "city of Bunkyo"), ("storage", None))),
    "B1": FloorFacts("plant and storage", (("plant and storage", None),)),
    "1F": FloorFacts(
        "entrance atrium and lobby",
        (
            ("entrance atrium (open to 3F), after-hours family-register desk", "city notice"),
            ("north lobby, information desk", None),
        ),
    ),
    "2F": FloorFacts(
        "戸籍住民課 counters",
        (
            ("戸籍住民課 counters, moving in and out", EN_WIKIPEDIA),
            ("atrium void", "city notice: atrium open to 3F"),
            ("its back offices, waiting area, consultation rooms", None),
        ),
    ),
    "3F": FloorFacts(
        "counters and offices", (("atrium void", "city notice: atrium open to 3F"), ("counters and offices", None))
    ),
    "4F": FloorFacts("counters and offices", (("counters and offices", None),)),
    "5F": FloorFacts(
        "ぴよぴよひろば, offices",
        (("ぴよぴよひろば (子ども家庭支援センター)", EN_WIKIPEDIA), ("its offices, other offices", None)),
    ),
    "9F": FloorFacts("ward offices", (("福祉部 障害福祉課", "third-party guide text"), *OFFICE_FLOOR.parts)),
    "22F": FloorFacts("ward assembly: chamber", (("ward assembly", "city minutes"), ("chamber, secretariat", None))),
    "23F": FloorFacts(
        "ward assembly: gallery", (("ward assembly", "city minutes"), ("public gallery, members' rooms", None))
    ),
    "24F": FloorFacts(
        "ward assembly: committee rooms",
        (("ward assembly, committee rooms", "city minutes"), ("six committee rooms", None)),
    ),
    "25F": FloorFacts("observation lounge, restaurant", (("observation lounge, restaurant", "several sources"),)),
    "26F": FloorFacts("Sky Hall", (("Sky Hall", "a blog"), ("foyer", None))),
    "27F": FloorFacts("plant", (("plant", None),)),
}
#: Said of every floor in its provenance: no floor's plan is published.
PLAN_ILLUSTRATIVE = "the plan: where each use sits, the rooms and the desks"


def floor_use(name: str) -> str:
    """The ``use`` of a floor: a short everyday description ("ward offices", "Sky Hall")."""
    return FLOOR_FACTS.get(name, OFFICE_FLOOR).use


def floor_provenance(name: str) -> dict[str, list[Any]]:
    """Where the floor's use comes from: ``public`` facts with their sources, ``illustrative`` parts chosen for the
    demo (the floor's plan always among them)."""
    parts = FLOOR_FACTS.get(name, OFFICE_FLOOR).parts
    return {
        "public": [{"fact": text, "source": source} for text, source in parts if source],
        "illustrative": [*(text for text, source in parts if not source), PLAN_ILLUSTRATIVE],
    }


def building_metadata(floor_names: Sequence[str]) -> dict[str, Any]:
    """The demo's ``Building.metadata``: JSON-shaped, so that the GeoJSON writer can carry it. ``floors`` holds
    each floor's provenance (`floor_provenance`), by floor name."""
    return {
        "demo": True,
        "modelled_on": "文京シビックセンター (Bunkyo Civic Center), Tokyo",
        "sources": [{"fact": fact, "source": source} for fact, source in PUBLIC_FACTS],
        "illustrative": list(ILLUSTRATIVE),
        "not_modelled": list(NOT_MODELLED),
        "floors": {name: floor_provenance(name) for name in floor_names},
    }
