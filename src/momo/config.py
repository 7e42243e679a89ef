"""One configuration shared by the CLI and the web app.

Every setting comes from an environment variable with the prefix ``MOMO_``
(``MOMO_DATA_DIR``, ``MOMO_DATABASE_URL`` …), so an operator configures the
server the same way whether they run ``momo serve``, ``momo demo`` or
``momo export``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from momo.wellbeing.regions import CrisisRegion


class RegistrationPolicy(StrEnum):
    open = "open"
    invite = "invite"
    closed = "closed"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOMO_", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"),
        description="Folder for the SQLite database and the secrets file (kept 0700).",
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL. Empty means SQLite inside the data folder."
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis for shared rate limits and the feed cache when several workers run.",
    )

    persona_name: str = "Momo"
    persona_avatar: str = "/static/momo-avatar.svg"

    # Fractions of a minute are allowed for tests and demos; below a minute the
    # bucket no longer hides much (docs/threat-model.md).
    time_granularity_minutes: float = Field(
        default=5,
        ge=0.05,
        le=24 * 60,
        description="Size of a time bucket: notes are stored with it and published when it ends.",
    )
    comment_granularity_minutes: float = Field(
        default=1, ge=0.05, le=24 * 60, description="The (shorter) bucket for comments."
    )
    publish_jitter: int = Field(
        default=0, ge=0, le=24 * 3600, description="Maximum random publish delay in seconds."
    )

    registration: RegistrationPolicy = RegistrationPolicy.open
    pow_difficulty: int = Field(
        default=16,
        ge=0,
        le=32,
        description="Leading zero bits the sign-up proof-of-work needs in open registration.",
    )
    probation_days: float = Field(default=3.0, ge=0)
    signups_per_hour: int = Field(default=10, ge=1, description="New accounts per client address.")

    surge_window_seconds: int = Field(default=600, ge=60, description="Pile-on detection window.")
    surge_min_voices: int = Field(default=8, ge=2, description="Distinct voices that make a surge.")
    surge_ratio: float = Field(
        default=4.0, ge=1.0, description="Surge rate over the thread baseline."
    )
    surge_slow_mode_seconds: int = Field(default=120, ge=0)
    report_surge_min: int = Field(default=5, ge=2, description="Reporters in a window that damp.")
    surge_reply_likes: int = Field(
        default=15, ge=2, description="Distinct people liking a thread's replies in a window."
    )

    discover_daily_notes: int = Field(
        default=100,
        ge=0,
        description="Notes Discover shows before 'all caught up for today' (0: no end).",
    )
    context_epoch_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Days a context-note rater keeps one pseudonym; two epochs are fitted.",
    )
    crisis_region: CrisisRegion = Field(
        default=CrisisRegion.international,
        description="Whose crisis lines the care card lists: cn, hk, tw or intl.",
    )
    crisis_lines_file: Path | None = Field(
        default=None, description="TOML with the instance's own crisis lines (region 'custom')."
    )
    crisis_phrases_file: Path | None = Field(
        default=None, description="TOML replacing the reviewed crisis phrase list."
    )

    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Addresses whose X-Forwarded-For header is believed."
    )
    media_s3_bucket: str | None = Field(
        default=None,
        description="S3-compatible bucket for published images (credentials from AWS_*).",
    )
    media_s3_endpoint: str | None = Field(default=None, description="e.g. a MinIO URL.")
    media_s3_region: str | None = None
    media_s3_prefix: str = "momo/"
    # Cached pages are keyed by the release moment (which moves when a bucket ends)
    # and every change bumps the version, so the TTL only bounds memory and the odd
    # relative time ("3 hours ago") crossing its boundary between two releases.
    feed_cache_seconds: float = Field(default=30.0, ge=0)
    write_lanes: int = Field(
        default=0,
        ge=0,
        description="Writing requests handled at once per worker, once their bodies are in "
        "(0: 1 on SQLite, 2 on PostgreSQL; see momo/web/write_lane.py).",
    )
    requests_per_minute: int = Field(
        default=900, ge=1, description="Requests per client address and minute, any kind."
    )
    rate_key_rotation_seconds: int = Field(default=3600, ge=60)
    session_days: int = Field(default=30, ge=1)
    cookie_secure: bool = False

    header_timeout_seconds: float = Field(
        default=10.0, gt=0, description="A request's headers must arrive within this time."
    )
    body_timeout_seconds: float = Field(
        default=60.0, gt=0, description="A request body must arrive within this many seconds."
    )
    max_image_bytes: int = Field(default=12 * 1024 * 1024, ge=1024)
    max_image_pixels: int = Field(
        default=30_000_000,
        ge=1024,
        description="Pixels an upload may decode to (a JPEG decodes at a reduced scale).",
    )
    max_images_per_note: int = Field(default=9, ge=0, le=9)
    scrub_workers: int = Field(
        default=1,
        ge=1,
        description="Threads that decode images. Each can hold one decoded image (up to "
        "about 4 bytes per pixel) at a time; more threads, more peak memory.",
    )
    scrub_pixel_budget: int = Field(
        default=60_000_000,
        ge=1024,
        description="Decoded pixels in memory at once across all uploads (about 4 bytes each).",
    )

    index_build_memory: str = Field(
        default="2GB",
        pattern=r"^[1-9][0-9]{0,6}(kB|MB|GB)$",
        description="PostgreSQL: memory the search index may take to build in one pass "
        "(bulk loads, migration 0018), about 2 KB per note; with less it comes out larger.",
    )

    default_locale: str = "zh-CN"

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def sqlite_file(self) -> Path:
        return (self.data_dir / "momo.sqlite3").resolve()

    @property
    def default_database_url(self) -> str:
        return f"sqlite:///{self.sqlite_file}"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or self.default_database_url

    @property
    def secrets_file(self) -> Path:
        return self.data_dir / "secrets.json"

    @property
    def time_granularity_seconds(self) -> int:
        return round(self.time_granularity_minutes * 60)

    @property
    def comment_granularity_seconds(self) -> int:
        return round(min(self.comment_granularity_minutes, self.time_granularity_minutes) * 60)
