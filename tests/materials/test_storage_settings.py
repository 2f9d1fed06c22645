"""Uploads go to local disk by default and to S3-compatible storage when its bucket is set."""

from __future__ import annotations

import pytest

from tests.selvhjelp.test_settings import _production_env, _run

PRINT_STORAGE = [
    "shell",
    "-c",
    "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])",
]


@pytest.mark.django_db
def test_uploads_go_to_local_disk_by_default():
    result = _run(PRINT_STORAGE, **_production_env())
    assert result.returncode == 0, result.stderr
    assert "FileSystemStorage" in result.stdout


@pytest.mark.django_db
def test_a_bucket_uses_object_storage_and_needs_its_keys():
    missing = _run(PRINT_STORAGE, **_production_env(), STORAGE_S3_BUCKET="selvhjelp-media")
    assert missing.returncode != 0
    assert "STORAGE_S3_ACCESS_KEY_ID" in missing.stderr
    assert "STORAGE_S3_SECRET_ACCESS_KEY" in missing.stderr

    result = _run(
        PRINT_STORAGE,
        **_production_env(),
        STORAGE_S3_BUCKET="selvhjelp-media",
        STORAGE_S3_ACCESS_KEY_ID="key",
        STORAGE_S3_SECRET_ACCESS_KEY="secret",
        STORAGE_S3_ENDPOINT_URL="https://s3.example",
    )
    assert result.returncode == 0, result.stderr
    assert "storages.backends.s3.S3Storage" in result.stdout
