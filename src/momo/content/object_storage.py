"""S3-compatible object storage for images: the scale path for media.

By default images stay in the database (see ``content/media.py`` for why not in
files). With ``MOMO_MEDIA_S3_BUCKET`` set, an image moves to the bucket when its
note's time bucket is published, with the rest of that bucket and in shuffled
order: an object's own timestamp then tells no more than the bucket already
does publicly, instead of the second of the upload. Objects are written with
no metadata of their own, and readers never fetch them from the bucket
directly: Momo serves them, so no client address reaches the storage provider.

Credentials come from the usual ``AWS_*`` environment variables (or the
instance's role), never from the database.
"""

from __future__ import annotations

from typing import Any, Protocol


class ObjectStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def delete(self, key: str) -> None: ...


class S3Objects:
    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        prefix: str = "momo/",
    ) -> None:
        import boto3  # only on the scale path: pip install 'momo[s3]'

        self._bucket = bucket
        self._prefix = prefix
        self._client: Any = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)

    def put(self, key: str, data: bytes) -> None:
        self._client.put_object(Bucket=self._bucket, Key=self._prefix + key, Body=data)

    def get(self, key: str) -> bytes | None:
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=self._prefix + key)
        except self._client.exceptions.NoSuchKey:
            return None
        body: bytes = answer["Body"].read()
        return body

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self._bucket, Key=self._prefix + key)
