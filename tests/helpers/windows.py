"""Waiting on the program's window in tests (the `window` fixtures live in conftest.py)."""

from __future__ import annotations

from typing import Any, TypeVar

import pytest

FeatureT = TypeVar("FeatureT")

# The offscreen platform warns about any dialog it shows (and a completer's popup); tests that
# open one ignore exactly these, nothing else.
OFFSCREEN_DIALOG = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)


def wait_loaded(qtbot: Any, window: Any) -> None:
    """Until every tab has its first rows and no query of a tab is running."""
    qtbot.waitUntil(
        lambda: all(t.model.loaded and not t.model.busy for t in window.entity_tabs.values()),
        timeout=10_000,
    )


def feature_of(window: Any, kind: type[FeatureT]) -> FeatureT:
    """The window's installed feature of class `kind` (found through its hooks)."""
    from archive_browser.ui.hooks import hooks_of

    hooks = hooks_of(window)
    feature = hooks.feature(kind) if hooks is not None else None
    assert isinstance(feature, kind), kind
    return feature


def show_notes(window: Any, record_id: str) -> Any:
    """Open `record_id` and return the notes panel under its record."""
    from archive_browser.ui.features.notes import NotesController

    assert window.open_record(record_id)
    panel = feature_of(window, NotesController).panel_for(record_id)
    assert panel is not None and panel.record_id == record_id
    return panel
