"""Media and thumbnails are served by content hash only, never by a path from the request."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from storage.models import MediaRow
from storage.timeutil import utcnow
from tests.review.conftest import Site


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/media/..%2F..%2F..%2Fetc%2Fpasswd", 404),
        ("/media/%2e%2e", 400),
        ("/media/" + "g" * 64, 400),
        ("/media/" + "A" * 64, 400),
        ("/media/" + "a" * 63, 400),
        ("/media/" + "a" * 64 + ".mp4", 400),
        ("/media/" + "a" * 64 + "%0A", 400),
        ("/media/" + "a" * 64, 404),
        ("/thumbs/" + "a" * 64 + "/1", 404),
        ("/thumbs/..%2F..%2Fetc/1", 404),
        ("/thumbs/" + "z" * 64 + "/1", 400),
    ],
)
def test_anything_but_a_known_hash_is_refused(reader: TestClient, path: str, status: int) -> None:
    response = reader.get(path)
    assert response.status_code == status
    assert b"root:" not in response.content


def test_an_archived_video_is_served_with_its_type_and_a_sandbox(
    reader: TestClient, site: Site
) -> None:
    sha = site.seeded.first_sha
    response = reader.get(f"/media/{sha}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "video/mp4"
    assert response.headers["content-disposition"] == f'inline; filename="{sha}.mp4"'
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.content == site.store.media.get(sha).path.read_bytes()  # type: ignore[union-attr]


def test_a_file_of_unknown_type_is_only_downloaded(reader: TestClient, site: Site) -> None:
    sha = "b" * 64
    stored = site.store.files.root / "bb" / "bb" / f"{sha}.html"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_text("<script>alert(1)</script>")
    with site.store.sessions.begin() as session:
        session.add(
            MediaRow(
                sha256=sha,
                kind="document",
                mime="text/html",
                size=25,
                path=f"bb/bb/{sha}.html",
                status="skipped",
                created_at=utcnow(),
            )
        )
    response = reader.get(f"/media/{sha}")
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_thumbnails_come_from_the_cache_folder(reader: TestClient, site: Site) -> None:
    sha = site.seeded.first_sha
    response = reader.get(f"/thumbs/{sha}/2.5")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.content[:3] == b"\xff\xd8\xff"
    assert (site.store.data_dir / "thumbs" / sha[:2] / f"{sha}-2.5.jpg").is_file()


@pytest.mark.parametrize("second", ["abc", "1e5", "-1", "1.23456", "nan", "1%0A"])
def test_a_bad_second_is_refused(reader: TestClient, site: Site, second: str) -> None:
    response = reader.get(f"/thumbs/{site.seeded.first_sha}/{second}")
    assert response.status_code == 400
    assert "number like 12" in response.text


def test_an_undecodable_file_gives_422_and_an_operator_sees_why(
    reader: TestClient, site: Site
) -> None:
    sha = "c" * 64
    stored = site.store.files.root / "cc" / "cc" / f"{sha}.mp4"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"not a video" * 100)
    with site.store.sessions.begin() as session:
        session.add(
            MediaRow(
                sha256=sha,
                kind="video",
                mime="video/mp4",
                size=1100,
                path=f"cc/cc/{sha}.mp4",
                status="failed",
                created_at=utcnow(),
            )
        )
    response = reader.get(f"/thumbs/{sha}/1")
    assert response.status_code == 422
    assert "cannot decode video" in response.text
    health = {(h.source, h.channel): h for h in site.store.status.all()}
    assert sha in (health[("review", "thumbnails")].last_error or "")


def test_a_recorded_path_outside_the_store_is_not_served(reader: TestClient, site: Site) -> None:
    sha = "d" * 64
    outside = site.store.files.root.parent / "dd" / f"{sha}.mp4"
    outside.parent.mkdir()
    outside.write_bytes(b"secret")
    with site.store.sessions.begin() as session:
        session.add(
            MediaRow(
                sha256=sha,
                kind="video",
                mime="video/mp4",
                size=6,
                path=f"../dd/{sha}.mp4",
                status="done",
                created_at=utcnow(),
            )
        )
    response = reader.get(f"/media/{sha}")
    assert response.status_code == 404 and b"secret" not in response.content
    assert "not in the store" in response.text
