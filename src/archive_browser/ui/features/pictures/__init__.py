"""The pictures: the drawn timeline in Chronology, the map in Sites, and File > Export View….

`install_pictures(window)` is the one call the main window makes. It puts a `TimelineView`
above the Chronology table and a `MapView` above the Sites table (each built only when first
shown), and keeps them and the tabs in step:

- a click on an event or a site opens it (`window.open_record`): its row is selected and
  its detail shown; a record shown in the tab (from the table, a link, history) is
  highlighted and centred in the picture;
- the timeline's date range narrows the Chronology table as well (through the table
  model's `set_extra_where`, see docs/pictures.md);
- File > Export View… saves the picture of the current tab as PNG or SVG.

Tabs re-created by `window.set_archive` get their pictures at once (`archive_changed`).
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QImage, QKeySequence, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QMessageBox, QSplitter, QWidget

from archive_browser.ui.features.pictures.map_view import MapView
from archive_browser.ui.features.pictures.timeline import DateRange, TimelineView

if TYPE_CHECKING:
    from archive_browser.ui.widgets.entity_tab import EntityTab
    from archive_browser.ui.widgets.main_window import MainWindow

MAX_EXPORT_SIDE = 12000  # pixels; a timeline zoomed to days may be wider than any PNG wants
PNG_SCALE = 2  # exported PNGs at twice the screen's pixels: sharp on a projector
PICTURE_SHARE = (1, 1)  # how the picture and the table share a taller window


class Picture(Protocol):
    def picture_rect(self) -> QRectF: ...
    def render_picture(self, painter: QPainter, target: QRectF) -> None: ...
    def palette(self) -> QPalette: ...


# The pictures installed on each tab, so that installing twice changes nothing.
_installed: weakref.WeakKeyDictionary[QWidget, QWidget] = weakref.WeakKeyDictionary()


# ------------------------------------------------------------------------- export


def _export_size(picture: Picture) -> tuple[QSize, float]:
    rect = picture.picture_rect()
    width, height = max(rect.width(), 1.0), max(rect.height(), 1.0)
    shrink = min(1.0, MAX_EXPORT_SIDE / (width * PNG_SCALE), MAX_EXPORT_SIDE / (height * PNG_SCALE))
    return QSize(round(width), round(height)), shrink


def export_png(picture: Picture, path: Path) -> None:
    """Save the picture as a PNG at twice its size on screen; OSError if it cannot be written."""
    size, shrink = _export_size(picture)
    scale = PNG_SCALE * shrink
    image = QImage(
        max(1, round(size.width() * scale)),
        max(1, round(size.height() * scale)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(picture.palette().color(QPalette.ColorRole.Base))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    picture.render_picture(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"The picture could not be written to {path}.")


def export_svg(picture: Picture, path: Path, title: str = "Archive Browser") -> None:
    """Save the picture as an SVG drawing (text stays text); OSError if it cannot be written."""
    size, _shrink = _export_size(picture)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("Exported from Archive Browser")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(f"The drawing could not be written to {path}.")
    painter.fillRect(
        QRectF(0, 0, size.width(), size.height()), picture.palette().color(QPalette.ColorRole.Base)
    )
    picture.render_picture(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"The drawing could not be written to {path}.")


def export_picture(picture: Picture, path: Path, title: str = "Archive Browser") -> None:
    """PNG or SVG by the file's suffix (PNG when it has neither)."""
    if path.suffix.casefold() == ".svg":
        export_svg(picture, path, title)
    else:
        export_png(picture, path)


# ------------------------------------------------------------------------- installing


def install_pictures(window: MainWindow) -> None:
    """Add the timeline, the map and File > Export View… to the window (once)."""
    if getattr(window, "export_view_action", None) is not None:
        return
    action = QAction("&Export View…", window)
    action.setShortcut(QKeySequence("Ctrl+Shift+E"))
    action.setStatusTip("Save the timeline or the map shown now as a PNG picture or SVG drawing")
    action.triggered.connect(lambda: _export_current(window))
    window.addAction(action)
    first = window.file_menu.actions()[0] if window.file_menu.actions() else None
    window.file_menu.insertAction(first, action)
    window.file_menu.insertSeparator(first)
    window.export_view_action = action  # type: ignore[attr-defined]
    window.record_shown.connect(lambda record_id: _on_record_shown(window, record_id))
    window.tabs.currentChanged.connect(lambda _index: _ensure_installed(window))
    archive_changed = getattr(window, "archive_changed", None)
    if archive_changed is not None:  # set_archive re-makes the tabs
        archive_changed.connect(lambda _archive: _ensure_installed(window))
    _ensure_installed(window)


def _ensure_installed(window: MainWindow) -> None:
    """Give every entity tab that lacks one its picture (tabs are re-made on set_archive)."""
    for type_name, tab in window.entity_tabs.items():
        if tab in _installed:
            continue
        if type_name == "event":
            _installed[tab] = _install_timeline(window, tab)
        elif type_name == "site":
            _installed[tab] = _install_map(window, tab)


def _put_above_table(window: MainWindow, tab: EntityTab, picture: QWidget) -> None:
    """The picture across the whole tab, above its table and detail pane, in a splitter.

    The splitter's position is remembered in the window's settings as the user drags it.
    """
    column = QSplitter(Qt.Orientation.Vertical, tab)
    column.setChildrenCollapsible(False)
    layout = tab.layout()
    layout.replaceWidget(tab.splitter, column)
    column.addWidget(picture)
    column.addWidget(tab.splitter)
    column.setStretchFactor(0, PICTURE_SHARE[0])
    column.setStretchFactor(1, PICTURE_SHARE[1])
    column.setSizes([380, 320])
    key = f"tabs/{tab.record_type.name}/picture_splitter"
    saved = window.settings.value(key)
    if isinstance(saved, QByteArray) and not saved.isEmpty():
        column.restoreState(saved)
    column.splitterMoved.connect(lambda *_: window.settings.setValue(key, column.saveState()))
    tab.picture_splitter = column  # type: ignore[attr-defined]


def _install_timeline(window: MainWindow, tab: EntityTab) -> TimelineView:
    timeline = TimelineView(tab.archive, tab)
    _put_above_table(window, tab, timeline)
    timeline.event_activated.connect(window.open_record)
    timeline.range_changed.connect(lambda date_range: apply_table_range(tab, date_range))
    timeline.loaded.connect(lambda *_: _select_shown(timeline, tab))
    tab.timeline = timeline  # type: ignore[attr-defined]
    return timeline


def _install_map(window: MainWindow, tab: EntityTab) -> MapView:
    map_view = MapView(tab.archive, tab)
    _put_above_table(window, tab, map_view)
    map_view.site_activated.connect(window.open_record)
    map_view.loaded.connect(lambda *_: _select_shown(map_view, tab))
    tab.map_view = map_view  # type: ignore[attr-defined]
    return map_view


def _select_shown(picture: TimelineView | MapView, tab: EntityTab) -> None:
    if tab.detail.record_id:
        picture.select_record(tab.detail.record_id)


def table_range_supported(tab: EntityTab) -> bool:
    return callable(getattr(tab.model, "set_extra_where", None))


def apply_table_range(tab: EntityTab, date_range: DateRange) -> bool:
    """Narrow the Chronology table to the timeline's dates; False if the model cannot yet."""
    if not table_range_supported(tab):
        return False
    tab.model.set_extra_where(date_range.where())  # type: ignore[attr-defined]
    return True


def _on_record_shown(window: MainWindow, record_id: str) -> None:
    type_name = record_id.partition("/")[0]
    tab = window.entity_tabs.get(type_name)
    picture = _installed.get(tab) if tab is not None else None
    if isinstance(picture, TimelineView | MapView):
        picture.select_record(record_id)


# ------------------------------------------------------------------------- the menu action


def current_picture(window: MainWindow) -> TimelineView | MapView | None:
    tab = window.current_entity_tab()
    picture = _installed.get(tab) if tab is not None else None
    if isinstance(picture, TimelineView | MapView) and picture.isVisible():
        return picture
    return None


def _export_current(window: MainWindow) -> None:
    picture = current_picture(window)
    if picture is None:
        QMessageBox.information(
            window, "Export View", "Show the timeline (Chronology) or the map (Sites) first."
        )
        return
    name = "timeline" if isinstance(picture, TimelineView) else "map"
    path_text, chosen_filter = QFileDialog.getSaveFileName(
        window,
        "Export View",
        str(Path.home() / f"{name}.png"),
        "PNG picture (*.png);;SVG drawing (*.svg)",
    )
    if not path_text:
        return
    path = Path(path_text)
    if not path.suffix:
        path = path.with_suffix(".svg" if "svg" in chosen_filter.casefold() else ".png")
    try:
        export_picture(picture, path, title=f"Archive Browser {name}")
    except OSError as error:
        QMessageBox.warning(window, "Export View", str(error))
        return
    window.statusBar().showMessage(f"Saved the {name} to {path}.", 5000)
