"""Settings from the environment (prefix ``FLOORWISE_``), read once by whoever composes the application."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The key used where FLOORWISE_SECRET_KEY is unset: fine on a laptop, refused by nothing, warned about by `serve`.
DEVELOPMENT_SECRET_KEY = "floorwise-development-key-change-me"


class Settings(BaseSettings):
    """What the application needs to know about its surroundings.

    ``database_url`` is any SQLAlchemy URL; ``postgresql://`` and ``postgres://`` are read as psycopg 3
    (``postgresql+psycopg://``), so a URL copied from a hosting panel works as it is.
    """

    model_config = SettingsConfigDict(env_prefix="FLOORWISE_", extra="ignore")

    database_url: str = Field(default="sqlite:///floorwise.db", description="SQLAlchemy URL of the database.")
    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET_KEY), description="Key of the HMAC that token digests are made with."
    )
    sqlite_busy_timeout_ms: int = Field(default=10_000, ge=0, description="How long a SQLite writer waits its turn.")
    token_lifetime_hours: int = Field(default=24 * 30, ge=1, description="Lifetime of an API bearer token.")
    session_lifetime_hours: int = Field(default=12, ge=1, description="Lifetime of a page session cookie.")
    session_cookie_name: str = "floorwise_session"
    session_cookie_secure: bool = Field(default=False, description="Send the session cookie over HTTPS only.")
    idempotency_hours: int = Field(default=24, ge=1, description="How long an Idempotency-Key is remembered.")
    db_max_connections: int = Field(
        default=20,
        ge=1,
        le=10_000,
        description="Database connections this server may hold at once, shared by its worker processes "
        "(`serve --workers N` gives each N-th of it). Keep the sum over every app server below the database's own "
        "limit (PostgreSQL: max_connections, 100 by default, less what other clients need).",
    )
    db_pool_timeout_s: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description="How long a request waits for a free connection before it is answered 503 with Retry-After.",
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=1_000,
        description="Worker processes sharing db_max_connections; `floorwise serve --workers N` sets it.",
    )
    data_dir: Path = Field(
        default=Path("floorwise-data"),
        description="Where older versions kept files beside the database (building plans, the planners' scenario "
        "workspaces): `floorwise db upgrade` brings them into the database. Nothing new is written here.",
    )
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="The largest request body taken, uploads aside (JSON, forms): a larger one is answered 413 "
        "before it is read.",
    )
    max_upload_bytes: int = Field(
        default=50 * 1024 * 1024,
        ge=1024,
        description="The largest multipart upload a page takes (a building file, a scenario, a people CSV); only "
        "read from a request with valid credentials (else the login page).",
    )
    max_unpacked_bytes: int = Field(
        default=200 * 1024 * 1024,
        ge=1024,
        description="The most a zip archive (an IMDF .zip, a COBie .xlsx) may unpack to, all members together; "
        "past it the file is refused (413) before it is read.",
    )
    job_workers: int = Field(
        default=2,
        ge=0,
        le=64,
        description="Optimiser jobs run at once on the SQLite default, in worker processes of `floorwise serve` "
        "(shared by its --workers; 0: none). On PostgreSQL `floorwise worker --concurrency N` runs them instead.",
    )
    lang_cookie_name: str = "floorwise_lang"
    relations_scenario: Path | None = Field(
        default=None,
        description="A scenario YAML whose relations weigh desk suggestions (else co-attendance of recent weeks).",
    )
    login_window_minutes: int = Field(
        default=15, ge=1, le=24 * 60, description="The window failed logins are counted in (per account, per address)."
    )
    login_failures_per_account: int = Field(
        default=5,
        ge=1,
        le=10_000,
        description="Failed logins of one login name (id or e-mail, known or not) in a window before 429.",
    )
    login_failures_per_address: int = Field(
        default=20,
        ge=1,
        le=1_000_000,
        description="Failed logins from one client address in a window before 429 (behind a reverse proxy the "
        "address is the one uvicorn takes from the proxy's headers: `--forwarded-allow-ips`).",
    )
    login_refusal_delay_ms: int = Field(
        default=1000,
        ge=0,
        le=60_000,
        description="How long a throttled login waits before its 429: a client that waits for each answer (as "
        "password-guessing tools do) then asks at most once a second, so a throttled flood costs next to nothing.",
    )
    login_hash_threads: int = Field(
        default_factory=lambda: max(1, (os.cpu_count() or 2) // 2),
        ge=1,
        le=64,
        description="Password checks one server process runs at once (argon2: about 0.2 s of one core and 64 MiB "
        "each); logins beyond wait their turn without holding a worker thread or a database connection. Default: "
        "half the CPU cores (at least one), so that a flood of logins leaves the other half to everything else.",
    )
    log_format: Literal["json", "text"] = Field(
        default="json",
        description="How `floorwise serve` writes its logs to standard error: one JSON object per line (a request's "
        "method, path, status, duration_ms and request_id among its fields), or lines of text.",
    )

    @property
    def connections_per_process(self) -> int:
        """This process's share of ``db_max_connections`` (at least one)."""
        return max(1, self.db_max_connections // self.workers)

    @property
    def is_development_key(self) -> bool:
        return self.secret_key.get_secret_value() == DEVELOPMENT_SECRET_KEY
