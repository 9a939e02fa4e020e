"""access.sessions: server-side sessions with idle and absolute timeouts, on a clock the test
moves (no waiting)."""

from __future__ import annotations

import stat

import pytest

from access.sessions import SessionStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def store(tmp_path, clock) -> SessionStore:
    return SessionStore(
        tmp_path / "api" / "sessions.sqlite3", idle=1800, max_age=12 * 3600, clock=clock
    )


def test_a_session_lives_while_used(store, clock):
    sid, record = store.create("t1", "10.0.0.1")
    assert len(sid) >= 43 and sid not in store.path.read_bytes().decode("latin-1")
    for _ in range(10):  # used every 20 minutes for over 3 hours
        clock.now += 1200
        found = store.check(sid)
        assert found is not None and found.active and found.token_id == "t1"
    assert found.public_id == record.public_id
    assert [r.public_id for r in store.active()] == [record.public_id]


def test_idle_timeout(store, clock):
    sid, _ = store.create("t1")
    clock.now += 1801
    found = store.check(sid)
    assert found is not None and not found.active and found.end_reason == "idle"
    clock.now -= 1000  # ended stays ended
    assert not store.check(sid).active
    assert store.active() == []


def test_absolute_timeout(store, clock):
    sid, _ = store.create("t1")
    for _ in range(12 * 4):
        clock.now += 900
        store.check(sid)
    clock.now += 901
    found = store.check(sid)
    assert not found.active and found.end_reason == "expired"


def test_sign_out_and_revocation_end_sessions(store):
    a, _ = store.create("t1")
    b, _ = store.create("t1")
    c, _ = store.create("t2")
    store.end(a, "signout")
    assert store.check(a).end_reason == "signout"
    assert store.end_token("t1") == 1
    assert store.check(b).end_reason == "revoked"
    assert store.check(c).active
    assert [r.token_id for r in store.active()] == ["t2"]


def test_an_unknown_id_is_no_session(store):
    assert store.check("forged") is None


def test_two_stores_on_one_file_see_the_same_sessions(tmp_path, clock):
    """As two gunicorn workers do."""
    path = tmp_path / "sessions.sqlite3"
    one, other = SessionStore(path, clock=clock), SessionStore(path, clock=clock)
    sid, _ = one.create("t1")
    assert other.check(sid).active
    other.end(sid)
    assert not one.check(sid).active


def test_the_file_is_private(store):
    store.create("t1")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700


def test_old_records_are_deleted(store, clock):
    sid, _ = store.create("t1")
    store.end(sid)
    clock.now += 13 * 3600
    store.create("t2")
    assert store.check(sid) is None
