from __future__ import annotations

import pytest

from robustness.common import copy_sample


@pytest.fixture
def records(tmp_path, monkeypatch):
    """A copy of the sample records in a fresh working folder: messages say «records/…»."""
    monkeypatch.chdir(tmp_path)
    return copy_sample(tmp_path / "records")


def _kills(item) -> bool:
    return "robustness/test_kill.py" in item.nodeid and item.name.startswith("test_kill_")


def pytest_collection_modifyitems(session, config, items):
    """The kill tests last: their drivers, started when collection ends, run beside everything else."""
    kill = [item for item in items if _kills(item)]
    if kill:
        items[:] = [item for item in items if item not in kill] + kill


def pytest_collection_finish(session):
    """The kill drivers take ~25 s of one core: start them now so that they run beside the other tests."""
    if any(_kills(item) for item in session.items):
        from robustness import kill_runner

        kill_runner.start(session.config)


def pytest_sessionfinish(session):
    from robustness import kill_runner

    kill_runner.stop()
