"""What an application holds for its whole life, built once by the composition root (`booking.app.create_app`).

Routes and middleware read these as attributes of Starlette's ``app.state`` (``request.app.state.clock``...);
`AppState` says which there are and of what type, and `install` puts them there. Nothing else creates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from starlette.applications import Starlette

from booking.analytics.suggestions import AnalyticsCache
from booking.clock import Clock
from booking.database import Database
from booking.services.availability import DeskLayoutCache
from booking.services.plan_cache import PlanCache
from booking.settings import Settings


@dataclass
class AppState:
    """The settings, the clock, the database and the per-process caches of one application."""

    settings: Settings
    clock: Clock
    #: Makes its engine at once; connects on first use.
    database: Database
    #: Floors' desks per building load, for availability (the API's and the booking pages').
    desk_layouts: DeskLayoutCache = field(default_factory=DeskLayoutCache)
    #: Travel matrices per building load, co-attendance per day, the relations scenario per file version.
    analytics: AnalyticsCache = field(default_factory=AnalyticsCache)
    #: Drawn plans per building load, for the floor maps and the suggestions.
    plans: PlanCache = field(default_factory=PlanCache)

    def install(self, app: Starlette) -> None:
        """Make every field an attribute of ``app.state``, where dependencies and routes read it."""
        for item in fields(self):
            setattr(app.state, item.name, getattr(self, item.name))
