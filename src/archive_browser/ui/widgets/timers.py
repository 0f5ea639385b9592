"""The one kind of timer the window uses: a single shot that runs a slot a moment after the
last start(), so that typing (or a burst of zoom steps) leads to one search, save or redraw."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def single_shot_timer(parent: QObject, msecs: int, slot: Callable[[], object]) -> QTimer:
    """A timer that runs `slot` once, `msecs` after its latest start(); not started yet."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(msecs)
    timer.timeout.connect(slot)
    return timer
