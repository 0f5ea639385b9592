"""Waiting on the program's window in tests (the `window` fixtures live in conftest.py)."""

from __future__ import annotations

from typing import Any


def wait_loaded(qtbot: Any, window: Any) -> None:
    """Until every tab has its first rows and no query of a tab is running."""
    qtbot.waitUntil(
        lambda: all(t.model.loaded and not t.model.busy for t in window.entity_tabs.values()),
        timeout=10_000,
    )
