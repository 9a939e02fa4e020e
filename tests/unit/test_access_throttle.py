"""access.throttle: failed sign-ins per address, refusal for the window, on a moved clock."""

from __future__ import annotations

from access.throttle import SigninThrottle


class Clock:
    now = 5_000.0

    def __call__(self) -> float:
        return self.now


def test_ten_failures_lock_the_address_for_ten_minutes(tmp_path):
    clock = Clock()
    throttle = SigninThrottle(tmp_path / "s.sqlite3", max_failures=10, window=600, clock=clock)
    for _ in range(9):
        assert throttle.failed("10.0.0.1") is None
        clock.now += 1
    assert throttle.retry_after("10.0.0.1") is None
    assert throttle.failed("10.0.0.1") == 600
    assert throttle.retry_after("10.0.0.1") == 600
    assert throttle.retry_after("10.0.0.2") is None  # per address
    clock.now += 599.5
    assert throttle.retry_after("10.0.0.1") == 1
    clock.now += 1
    assert throttle.retry_after("10.0.0.1") is None


def test_failures_older_than_the_window_do_not_count(tmp_path):
    clock = Clock()
    throttle = SigninThrottle(tmp_path / "s.sqlite3", max_failures=3, window=600, clock=clock)
    throttle.failed("a")
    throttle.failed("a")
    clock.now += 601
    assert throttle.failed("a") is None
    assert throttle.failed("a") is None
    assert throttle.failed("a") == 600


def test_a_success_clears_the_failures(tmp_path):
    throttle = SigninThrottle(tmp_path / "s.sqlite3", max_failures=2, window=600)
    throttle.failed("a")
    throttle.succeeded("a")
    assert throttle.failed("a") is None


def test_workers_share_the_count(tmp_path):
    path = tmp_path / "s.sqlite3"
    one = SigninThrottle(path, max_failures=4)
    other = SigninThrottle(path, max_failures=4)
    one.failed("a")
    other.failed("a")
    one.failed("a")
    assert other.failed("a") is not None
    assert one.retry_after("a") is not None
