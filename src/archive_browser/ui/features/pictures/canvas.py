"""What the timeline and the map share: loading on first sight, one zoom step and its keys,
and the one highlighted item among a picture's items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from archive_browser.ui.widgets.workers import QueryFunction, QueryRunner

if TYPE_CHECKING:
    from archive_browser.core.archive import Archive

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


class RecordItems(dict[str, SelectableT]):
    """A picture's items by record id, and the one highlighted: it stays highlighted when
    the items are drawn again, and a record the picture does not show may be selected."""

    selected_id: str | None = None

    def select(self, record_id: str | None) -> SelectableT | None:
        """Unhighlight the selected item and highlight `record_id`'s: that item, or None when
        the picture does not show it."""
        previous = self.get(self.selected_id or "")
        if previous is not None:
            previous.set_selected(False)
        self.selected_id = record_id
        return self.highlight_selected()

    def highlight_selected(self) -> SelectableT | None:
        item = self.get(self.selected_id or "")
        if item is not None:
            item.set_selected(True)
        return item


class PictureView(QWidget, Generic[SelectableT]):
    """A picture of the archive, queried the first time it is shown (never at start-up), on
    a worker's own reader: the window may close this archive before the result arrives.
    Its items are `record_items`, by record id."""

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive = archive
        self._requested = False
        self._runner = QueryRunner(archive, self)
        self._runner.finished.connect(self._on_loaded)
        self._runner.failed.connect(self._on_failed)
        self.record_items: RecordItems[SelectableT] = RecordItems()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._requested:
            self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    def _load(self, query: QueryFunction) -> None:
        self._requested = True
        self._runner.submit(query)

    def _on_loaded(self, generation: int, result: object) -> None:
        raise NotImplementedError

    def _on_failed(self, generation: int, message: str) -> None:
        raise NotImplementedError

    def wait(self, msecs: int = 5000) -> bool:
        return self._runner.wait(msecs)

    def shutdown(self) -> None:
        self._runner.cancel()

    @property
    def selected_id(self) -> str | None:
        return self.record_items.selected_id

    def item_for(self, record_id: str) -> SelectableT | None:
        return self.record_items.get(record_id)
