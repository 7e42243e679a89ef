"""Images move to S3-compatible storage at publication, and are served from there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from moto import mock_aws
from sqlalchemy import select

from momo.config import Settings
from momo.content.tables import media
from momo.core import Momo
from momo.web.app import create_app
from tests.conftest import FakeClock, jpeg_bytes, publish, viewers

BUCKET = "momo-media"


@pytest.fixture
def with_objects(settings: Settings, clock: FakeClock) -> Iterator[tuple[Momo, Any]]:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        configured = settings.model_copy(
            update={"media_s3_bucket": BUCKET, "media_s3_region": "us-east-1"}
        )
        from tests.conftest import PG_URL, empty_postgres

        if PG_URL:
            empty_postgres(str(configured.database_url))
        momo = Momo(configured, clock=clock)
        if momo.redis is not None:
            momo.redis.flushdb()
        momo.migrate()
        yield momo, s3
        momo.close()


def _keys(s3: Any) -> set[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {item["Key"] for item in listed}


def test_images_leave_the_database_with_their_bucket(with_objects: tuple[Momo, Any]) -> None:
    momo, s3 = with_objects
    (author,) = viewers(momo, 1)
    note = momo.notes.create(author, "照片", "", [jpeg_bytes((800, 600)), jpeg_bytes((600, 800))])
    names = [image.url.rsplit("/", 1)[1] for image in momo.notes.page(note, author, "en").images]
    assert _keys(s3) == set(), "nothing leaves before the note is public"
    before = {name: momo.media.read(name) for name in names}
    assert all(before.values())

    publish(momo)
    assert _keys(s3) == {f"momo/{kind}/{name}" for name in names for kind in ("full", "thumb")}
    with momo.db.read() as conn:
        rows = conn.execute(select(media.c.location, media.c.full, media.c.thumb)).all()
    assert {row.location for row in rows} == {"objects"}
    assert all(bytes(row.full) == b"" and bytes(row.thumb) == b"" for row in rows)
    head = s3.head_object(Bucket=BUCKET, Key=f"momo/full/{names[0]}")
    assert head["Metadata"] == {}, "objects carry no metadata of their own"

    client = TestClient(create_app(momo))
    served = client.get(f"/media/{names[0]}")
    assert served.status_code == 200 and served.content == before[names[0]]
    assert client.get(f"/media/t/{names[1]}").content == momo.media.read(names[1], thumb=True)

    momo.notes.delete(author, note)
    assert _keys(s3) == set(), "deleting the note deletes its objects"
    assert client.get(f"/media/{names[0]}").status_code == 404


def test_without_a_bucket_images_stay_in_the_database(momo: Momo) -> None:
    (author,) = viewers(momo, 1)
    note = momo.notes.create(author, "照片", "", [jpeg_bytes()])
    publish(momo)
    (image,) = momo.notes.page(note, author, "en").images
    name = image.url.rsplit("/", 1)[1]
    with momo.db.read() as conn:
        row = conn.execute(select(media.c.location, media.c.full)).one()
    assert row.location == "database" and bytes(row.full) == momo.media.read(name)
