"""Browser-like Back/Forward history of the records a window showed (pure Python)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class _Entry:
    record_id: str
    browsing: bool  # reached by moving through a table, not by following a link


class History:
    """One history for a window: a list of record ids and a cursor into it.

    Moving through a table with the arrow keys would otherwise fill the history with every
    row passed over, so consecutive *browsing* visits replace each other; a followed link or
    a search result always adds an entry.
    """

    def __init__(self, limit: int = 500) -> None:
        self._entries: list[_Entry] = []
        self._index = -1
        self._limit = limit

    def visit(self, record_id: str, browsing: bool = False) -> None:
        current = self.current
        if current == record_id:
            return
        del self._entries[self._index + 1 :]
        if browsing and self._entries and self._entries[-1].browsing:
            self._entries[-1] = _Entry(record_id, True)
        else:
            self._entries.append(_Entry(record_id, browsing))
        if len(self._entries) > self._limit:
            del self._entries[0]
        self._index = len(self._entries) - 1

    def keep_current(self) -> None:
        """The current entry stays when the next browsing visit comes (the user opened it)."""
        if self._index >= 0:
            self._entries[self._index].browsing = False

    @property
    def current(self) -> str | None:
        return self._entries[self._index].record_id if self._index >= 0 else None

    def can_go_back(self) -> bool:
        return self._index > 0

    def can_go_forward(self) -> bool:
        return self._index < len(self._entries) - 1

    def back(self) -> str | None:
        if not self.can_go_back():
            return None
        self._index -= 1
        self._entries[self._index].browsing = False  # coming back here must not be overwritten
        return self.current

    def forward(self) -> str | None:
        if not self.can_go_forward():
            return None
        self._index += 1
        self._entries[self._index].browsing = False
        return self.current

    def clear(self) -> None:
        self._entries.clear()
        self._index = -1

    def __len__(self) -> int:
        return len(self._entries)
