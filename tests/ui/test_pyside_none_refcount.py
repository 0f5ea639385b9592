"""Regression guard for PySide6 6.12.0 on Python 3.11 (docs/platform.md).

There every invalid QVariant handed back to Python as None loses a reference to None, and
the process eventually aborts with `Fatal Python error: none_dealloc`. Counting
`sys.getrefcount(None)` around a few thousand such calls shows the leak long before.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from archive_browser.core.record_types import RECORD_TYPES
from archive_browser.ui.widgets.table_model import RecordTableModel

CALLS = 3000
UNHANDLED = (
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.StatusTipRole,
    Qt.ItemDataRole.WhatsThisRole,
    Qt.ItemDataRole.SizeHintRole,
    Qt.ItemDataRole.FontRole,
)


def none_refs_lost(model) -> int:
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for i in range(CALLS):
        role = UNHANDLED[i % len(UNHANDLED)]
        model.data(index, role)
        model.headerData(0, Qt.Orientation.Horizontal, role)
        model.headerData(0, Qt.Orientation.Vertical, role)
    return before - sys.getrefcount(None)


def standard_model() -> QStandardItemModel:
    model = QStandardItemModel(3, 2)
    for row in range(3):
        for column in range(2):
            model.setItem(row, column, QStandardItem(f"{row},{column}"))
    return model


def test_our_table_model_keeps_none(qtbot, archive) -> None:
    model = RecordTableModel(archive, RECORD_TYPES["person"])
    with qtbot.waitSignal(model.query_finished, timeout=5000):
        model.set_query()
    assert model.rowCount() > 0
    assert none_refs_lost(model) <= 0


def test_qstandarditemmodel_keeps_none(qapp) -> None:
    assert none_refs_lost(standard_model()) <= 0


def test_sort_filter_proxy_keeps_none(qapp) -> None:
    source = standard_model()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    assert none_refs_lost(proxy) <= 0
