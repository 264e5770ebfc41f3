"""Failed-login counters shared by every app server (`booking.services.login_throttle` says how they are used)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from booking.models.base import Base


class LoginThrottleRow(Base):
    """Attempts counted against one key (an account's login or a client address) in its current window.

    ``key`` is a keyed digest, never the login or address itself: people type passwords into the login field.
    ``window_end`` is in whole seconds since the epoch (UTC), compared as integers on every backend; a row whose
    window has ended counts for nothing and is deleted by the next write (`ix_login_throttle_window_end`).
    """

    __tablename__ = "login_throttle"
    __table_args__ = (Index("ix_login_throttle_window_end", "window_end"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_end: Mapped[int] = mapped_column(BigInteger)
    attempts: Mapped[int]
