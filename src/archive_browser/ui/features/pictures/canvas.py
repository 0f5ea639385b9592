"""What the timeline and the map share: one zoom step and its keys, and the one highlighted
item among a picture's items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, TypeVar

from PySide6.QtCore import Qt

ZOOM_STEP = 1.25
_ZOOM_KEYS: dict[int, float] = {
    Qt.Key.Key_Plus: ZOOM_STEP,
    Qt.Key.Key_Equal: ZOOM_STEP,  # "+" without Shift on most layouts
    Qt.Key.Key_Minus: 1 / ZOOM_STEP,
    Qt.Key.Key_Underscore: 1 / ZOOM_STEP,
}


def zoom_factor_for_key(key: int) -> float | None:
    """The zoom factor a key asks for (+ and - step in and out), None for any other key."""
    return _ZOOM_KEYS.get(key)  # Qt.Key is an IntEnum: event.key()'s plain int finds it


class Selectable(Protocol):
    def set_selected(self, selected: bool) -> None: ...


SelectableT = TypeVar("SelectableT", bound=Selectable)


def move_selection(
    items: Mapping[str, SelectableT], previous_id: str | None, record_id: str | None
) -> SelectableT | None:
    """Unhighlight `previous_id`'s item and highlight `record_id`'s: that item, or None when
    the picture does not show it."""
    previous = items.get(previous_id or "")
    if previous is not None:
        previous.set_selected(False)
    item = items.get(record_id or "")
    if item is not None:
        item.set_selected(True)
    return item
