"""The base of the widgets that show and edit the user's data about one record in a detail pane."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from archive_browser.core.store import UserStore

# Getters, not values: the window may open another archive or user store while a panel lives.
StoreGetter = Callable[[], UserStore | None]
ArchiveIdGetter = Callable[[], str]


class RecordPanel(QWidget):
    """Knows where the user's store is, which archive is open and which record it shows."""

    def __init__(
        self, store: StoreGetter, archive_id: ArchiveIdGetter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._archive_id = archive_id
        self.record_id: str | None = None
