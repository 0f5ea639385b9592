"""A column chooser for any table: right-click the header for a checkable list of columns.

Hiding is the header's own (`QHeaderView.hideSection`), so a header state saved with
`saveState()` (the entity tabs' settings, the Notebook's) remembers the hidden columns too.
The last visible column cannot be hidden: a table without columns cannot be given one back.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu


def column_menu(header: QHeaderView) -> QMenu:
    """The header's menu: one checkable action per column (in the order shown)."""
    menu = QMenu(header)
    model = header.model()
    visible = [i for i in range(header.count()) if not header.isSectionHidden(i)]
    for visual in range(header.count()):
        section = header.logicalIndex(visual)
        title = model.headerData(section, Qt.Orientation.Horizontal) if model else None
        action = menu.addAction(str(title or f"Column {section + 1}"))
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(section))
        # Keep at least one column: the last one shown cannot be unticked.
        action.setEnabled(visible != [section])
        action.toggled.connect(
            lambda shown, section=section: header.setSectionHidden(section, not shown)
        )
    return menu


def install_column_chooser(header: QHeaderView) -> None:
    """Right-click on `header` opens its column menu."""
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(position: QPoint) -> None:
        column_menu(header).exec(header.mapToGlobal(position))

    header.customContextMenuRequested.connect(show)
