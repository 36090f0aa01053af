"""Fixtures for the review app: a seeded archive, the app, logged-in test clients.

Seeding an archive and hashing passwords take a while, so read-only tests share one
seeded SQLite archive per module (`site`, `reader`); tests that decide things get a fresh
archive on every backend (`fresh`, `writer`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from httpx import Response
from starlette.exceptions import StarletteDeprecationWarning

import config
from config.settings import Settings
from review.app import create_app
from review.passwords import hash_password
from storage import Store, open_store
from tests.review.archive import Seeded, seed

with warnings.catch_warnings():
    # starlette asks for its httpx fork; the installed httpx works the same for these tests.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient


ANALYST = "zainab"
PASSWORD = "correct horse battery"
BASE = "http://127.0.0.1"


@dataclass(frozen=True)
class Site:
    store: Store
    settings: Settings
    seeded: Seeded


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


def make_site(store: Store, folder: Path, password_hash: str) -> Site:
    settings = config.with_data_dir(Settings(), store.data_dir)
    seeded = seed(store, settings, folder / "clips")
    store.users.add(ANALYST, password_hash)
    return Site(store, settings, seeded)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, password_hash: str) -> Iterator[Site]:
    """A seeded archive on SQLite, shared by the read-only tests of one module."""
    folder = tmp_path_factory.mktemp("site")
    store = open_store(f"sqlite:///{folder / 'claimwatch.db'}", folder / "data", 50 * 2**20)
    yield make_site(store, folder, password_hash)
    store.close()


@pytest.fixture
def fresh(store: Store, tmp_path: Path, password_hash: str) -> Site:
    """A seeded archive of its own, on every backend, for tests that change it."""
    return make_site(store, tmp_path, password_hash)


def client_for(site: Site) -> TestClient:
    return TestClient(create_app(site.store, site.settings), base_url=BASE, follow_redirects=False)


@pytest.fixture
def client(site: Site) -> Iterator[TestClient]:
    with client_for(site) as c:
        yield c


@pytest.fixture
def logged_in(client: TestClient) -> TestClient:
    assert login(client, ANALYST, PASSWORD).status_code == 303
    return client


@pytest.fixture(scope="module")
def reader(site: Site) -> Iterator[TestClient]:
    """A logged-in client shared by a module's read-only tests."""
    with client_for(site) as c:
        assert login(c, ANALYST, PASSWORD).status_code == 303
        yield c


@pytest.fixture
def writer(fresh: Site) -> Iterator[TestClient]:
    with client_for(fresh) as c:
        assert login(c, ANALYST, PASSWORD).status_code == 303
        yield c


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def login(client: TestClient, name: str, password: str, next_page: str = "/") -> Response:
    token = csrf_from(client.get("/login").text)
    form = {"name": name, "password": password, "csrf_token": token, "next": next_page}
    return client.post("/login", data=form)


def page_token(client: TestClient, path: str = "/queue") -> str:
    return csrf_from(client.get(path).text)


def status_of(store: Store, match_id: int) -> str:
    match = store.matches.get(match_id)
    assert match is not None, f"match {match_id} is gone"
    return match.status
