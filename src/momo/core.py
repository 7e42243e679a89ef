"""The Momo object: every domain service wired to one configuration.

The CLI and the web app both build one of these from the same ``Settings``,
so they always agree on storage, secrets and policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from momo.config import Settings

if TYPE_CHECKING:
    from momo.audit.views import Exposure
from momo.content import legacy_media
from momo.content.comments import CommentService
from momo.content.media import ImageIntake, MediaStore
from momo.content.notes import NoteService
from momo.content.object_storage import ObjectStore
from momo.content.policy import PostingPolicy
from momo.content.publication import Publication
from momo.content.reactions import ReactionService
from momo.content.search_index import SearchIndex
from momo.context.service import ContextNoteService
from momo.feed.cache import ResponseCache
from momo.feed.feeds import FeedService
from momo.identity import persona
from momo.identity.accounts import AccountService, Viewer
from momo.identity.invites import InviteService
from momo.identity.proof_of_work import ProofOfWork, SpentChallenges
from momo.identity.registration import Registration
from momo.identity.standing import StandingService
from momo.identity.vault import Vault
from momo.keyring import Keyring, load_or_create
from momo.moderation.actions import ModerationService
from momo.moderation.appeals import AppealService
from momo.moderation.log import ModerationLog
from momo.moderation.reports import ReportService
from momo.moderation.surge import SurgeDetector
from momo.privacy.coarse_time import Clock, CoarseTime, system_clock
from momo.privacy.images import ScrubGate
from momo.privacy.ratelimit import CounterStore, MemoryCounters, RateLimiter, RedisCounters
from momo.privacy.seal import Sealer
from momo.storage import migrate
from momo.storage.database import Database
from momo.storage.files import private_file, private_folder
from momo.storage.inspect import holds_accounts
from momo.storage.maintenance import rewrite_in_key_order
from momo.wellbeing.crisis import CrisisCheck


class Momo:
    def __init__(self, settings: Settings, *, clock: Clock = system_clock) -> None:
        self.settings = settings
        private_folder(settings.data_dir)
        database_url = settings.resolved_database_url
        if database_url == settings.default_database_url:
            private_file(settings.sqlite_file)
        self.db = Database(database_url)
        self.keys: Keyring = load_or_create(
            settings.secrets_file, may_create=not holds_accounts(self.db)
        )
        self.redis = _redis(settings.redis_url)
        self.time = CoarseTime(
            settings.time_granularity_seconds,
            settings.publish_jitter,
            clock,
            settings.comment_granularity_seconds,
        )
        self.persona = persona.from_settings(settings)
        self.crisis = CrisisCheck(
            settings.crisis_region, settings.crisis_phrases_file, settings.crisis_lines_file
        )
        self.sealer = Sealer(self.keys.seal)
        counters: CounterStore = (
            RedisCounters(self.redis) if self.redis is not None else MemoryCounters()
        )
        self.limiter = RateLimiter(counters, settings.rate_key_rotation_seconds, clock)
        self.media = MediaStore(self.db, _object_store(settings))
        self.scrub_image = ImageIntake(
            settings.max_image_bytes,
            settings.max_image_pixels,
            ScrubGate(settings.scrub_workers, settings.scrub_pixel_budget),
        )
        self.feed_cache = ResponseCache(settings.feed_cache_seconds, self.redis)
        self.publication = Publication(
            self.db, self.time, self.feed_cache.invalidate, self.media.offload
        )

        self.policy = PostingPolicy(self.limiter, self.time)
        self.standing = StandingService(self.db, self.keys, self.sealer)
        self.vault = Vault(self.db)
        self.search_index = SearchIndex(settings.index_build_memory)
        self.accounts = AccountService(
            self.db, self.keys, settings, clock, self.vault, self.standing
        )
        self.surge = SurgeDetector(settings, self.time, self.limiter)
        self.invites = InviteService(self.db, self.limiter, self.time)
        self.registration = Registration(
            self.accounts,
            settings,
            self.limiter,
            ProofOfWork(
                self.keys.session,
                settings.pow_difficulty,
                clock,
                SpentChallenges(self.db, self.time).first_use,
            ),
            self.invites,
        )
        self.notes = NoteService(
            self.db,
            self.keys,
            self.sealer,
            self.accounts,
            self.media,
            self.scrub_image,
            settings.max_images_per_note,
            self.time,
            self.persona,
            self.policy,
            self.feed_cache.invalidate,
            self.surge.recent_voices,
            self.publication.catch_up,
        )
        self.comments = CommentService(
            self.db,
            self.keys,
            self.sealer,
            self.accounts,
            self.time,
            self.policy,
            self.feed_cache.invalidate,
            self.surge.after_comment,
        )
        self.reactions = ReactionService(
            self.db,
            self.keys,
            self.accounts,
            self.policy,
            self.time,
            self.feed_cache.invalidate,
            self.surge.after_reply_like,
            self.surge.after_hug,
        )
        self.feeds = FeedService(
            self.db, self.time, self.publication.catch_up, settings.discover_daily_notes
        )

        self.context_notes = ContextNoteService(
            self.db,
            self.keys,
            self.sealer,
            self.policy,
            self.time,
            epoch_days=settings.context_epoch_days,
            burst_window_seconds=settings.surge_window_seconds,
            changed=self.feed_cache.invalidate,
        )
        self.reports = ReportService(
            self.db, self.keys, self.policy, self.surge, self.time, self.feed_cache.invalidate
        )
        self.moderation = ModerationService(
            self.db,
            self.sealer,
            self.standing,
            self.time,
            self.persona.name,
            self.feed_cache.invalidate,
        )
        self.appeals = AppealService(
            self.db, self.sealer, self.standing, self.time, self.feed_cache.invalidate
        )
        self.modlog = ModerationLog(self.db, self.time)

    def migrate(self) -> None:
        migrate.upgrade(
            self.db.engine, keys=self.keys, index_build_memory=self.settings.index_build_memory
        )
        legacy_media.import_folder(self.settings.data_dir / "media", self.db, self.scrub_image)

    def style_exposure(self, viewer: Viewer, draft: str, locale: str = "en") -> Exposure:
        """How recognisable a draft is; computed in memory and forgotten."""
        from momo.audit.exposure import exposure  # scikit-learn loads only when asked

        index = self.accounts.read_vault(viewer)
        own = self.notes.own_texts(viewer)
        community = self.notes.community_sample(exclude=index.notes + index.comments)
        return exposure(draft, own, community, locale)

    def delete_account(self, viewer: Viewer, *, keep_notes: bool) -> None:
        """Delete an account; its notes and comments stay (still anonymous) or go with it,
        in one transaction."""
        index = self.accounts.read_vault(viewer)

        def remove_items(conn: Connection) -> None:
            for note_id in index.notes:
                self.notes.purge(conn, note_id)
            for comment_id in index.comments:
                self.comments.erase(conn, comment_id)

        self.accounts.delete(viewer, before_delete=None if keep_notes else remove_items)
        self.feed_cache.invalidate()
        self.db.checkpoint()

    def housekeeping(self) -> None:
        """What the server does on a timer: publish ended buckets, refit context
        notes rated since a large window's last fit, empty the WAL."""
        self.publication.publish_due()
        self.context_notes.refit_if_stale()
        self.db.checkpoint()

    def maintenance(self) -> int:
        """Merge the search index and rewrite every table in key order (``momo
        maintenance``); returns how many rows were rewritten."""
        with self.db.write() as conn:
            self.search_index.optimize(conn)
        return rewrite_in_key_order(self.db)

    def close(self) -> None:
        self.feed_cache.close()
        self.db.dispose()
        if self.redis is not None:
            self.redis.close()


def _object_store(settings: Settings) -> ObjectStore | None:
    if not settings.media_s3_bucket:
        return None
    from momo.content.object_storage import S3Objects

    return S3Objects(
        settings.media_s3_bucket,
        endpoint_url=settings.media_s3_endpoint,
        region=settings.media_s3_region,
        prefix=settings.media_s3_prefix,
    )


def _redis(url: str | None) -> Any | None:
    if not url:
        return None
    import redis  # imported only on the scale path

    return redis.Redis.from_url(url)
