"""The pictures: the drawn timeline in Chronology, the map in Sites, and File > Export View….

`install_pictures(hooks)` is the one call the composition root makes. It puts a `TimelineView`
above the Chronology table and a `MapView` above the Sites table (each built only when first
shown), and keeps them and the tabs in step:

- a click on an event or a site opens it (`hooks.open_record`): its row is selected and
  its detail shown; a record shown in the tab (from the table, a link, history) is
  highlighted and centred in the picture;
- the timeline's date range narrows the Chronology table as well (a typed `DateSpan` given
  to the table model's `set_narrow`, see docs/pictures.md);
- File > Export View… saves the picture of the current tab as PNG or SVG.

Tabs re-created for another archive get their pictures at once (`hooks.each_entity_tab`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QByteArray, QObject, QRectF, QSize
from PySide6.QtGui import QAction, QImage, QKeySequence, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QMessageBox, QSplitter, QWidget

from archive_browser.core.chronology import DateRange
from archive_browser.core.paths import default_file_folder
from archive_browser.ui.features.pictures.map_view import MapView
from archive_browser.ui.features.pictures.timeline import TimelineView
from archive_browser.ui.hooks import WindowHooks
from archive_browser.ui.widgets import messages

if TYPE_CHECKING:
    from archive_browser.ui.widgets.entity_tab import EntityTab

MAX_EXPORT_SIDE = 12000  # pixels; a timeline zoomed to days may be wider than any PNG wants
PICTURE_SHARE = (1, 1)  # how the picture and the table share a taller window


class Picture(Protocol):
    def picture_rect(self) -> QRectF: ...
    def export_scale(self) -> float: ...
    def render_picture(self, painter: QPainter, target: QRectF) -> None: ...
    def palette(self) -> QPalette: ...


# ------------------------------------------------------------------------- export


def _export_size(picture: Picture, scale: float = 1.0) -> tuple[QSize, float]:
    rect = picture.picture_rect()
    width, height = max(rect.width(), 1.0), max(rect.height(), 1.0)
    shrink = min(1.0, MAX_EXPORT_SIDE / (width * scale), MAX_EXPORT_SIDE / (height * scale))
    return QSize(round(width), round(height)), shrink


def export_png(picture: Picture, path: Path) -> None:
    """Save the picture as a PNG at its export scale (the map: what is shown, at the screen's
    resolution; the timeline: whole, at twice); OSError if it cannot be written."""
    size, shrink = _export_size(picture, picture.export_scale())
    scale = picture.export_scale() * shrink
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
    # PySide6 6.11's stubs want `format` as bytes, but the binding takes only a str (bytes
    # raise ValueError); the format is named so a path without ".png" still gets a PNG.
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]
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


class PicturesFeature(QObject):
    """The timeline of the Chronology tab, the map of the Sites tab, File > Export View…."""

    def __init__(self, hooks: WindowHooks) -> None:
        super().__init__(hooks.parent_widget)
        self.hooks = hooks
        # The picture of each record tab by type name, and the tab it was made for (tabs are
        # re-made when another archive is opened).
        self._pictures: dict[str, TimelineView | MapView] = {}
        self._tabs: dict[str, EntityTab] = {}
        action = QAction("&Export View…", hooks.parent_widget)
        action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        action.setStatusTip(
            "Save the timeline or the map shown now as a PNG picture or SVG drawing"
        )
        action.triggered.connect(lambda: _export_current(self))
        hooks.add_menu_items("file", [action, None], where="top")
        self.export_view_action = action
        hooks.record_shown.connect(self._on_record_shown)
        hooks.each_entity_tab(self._install_on)

    def _install_on(self, type_name: str, tab: EntityTab) -> None:
        if self._tabs.get(type_name) is tab:
            return
        if type_name == "event":
            picture: TimelineView | MapView = _install_timeline(self.hooks, tab)
        elif type_name == "site":
            picture = _install_map(self.hooks, tab)
        else:
            return
        self._pictures[type_name] = picture
        self._tabs[type_name] = tab

    def picture_of(self, tab: EntityTab) -> TimelineView | MapView | None:
        """The timeline or map drawn above `tab`, if it has one."""
        type_name = tab.record_type.name
        return self._pictures.get(type_name) if self._tabs.get(type_name) is tab else None

    def timeline_of(self, tab: EntityTab) -> TimelineView | None:
        picture = self.picture_of(tab)
        return picture if isinstance(picture, TimelineView) else None

    def splitter_of(self, tab: EntityTab) -> QSplitter | None:
        """The splitter between the picture and the rest of `tab`."""
        picture = self.picture_of(tab)
        parent = picture.parentWidget() if picture is not None else None
        return parent if isinstance(parent, QSplitter) else None

    def map_of(self, tab: EntityTab) -> MapView | None:
        picture = self.picture_of(tab)
        return picture if isinstance(picture, MapView) else None

    def _on_record_shown(self, record_id: str) -> None:
        tab = self.hooks.entity_tabs().get(record_id.partition("/")[0])
        picture = self.picture_of(tab) if tab is not None else None
        if picture is not None:
            picture.select_record(record_id)

    def current_picture(self) -> TimelineView | MapView | None:
        tab = self.hooks.current_entity_tab()
        picture = self.picture_of(tab) if tab is not None else None
        if picture is not None and picture.isVisible():
            return picture
        return None


def install_pictures(hooks: WindowHooks) -> PicturesFeature:
    """Add the timeline, the map and File > Export View… to the window (once); the feature
    is `hooks.feature(PicturesFeature)`."""
    return hooks.install_once(PicturesFeature, lambda: PicturesFeature(hooks))


def _put_above_table(hooks: WindowHooks, tab: EntityTab, picture: QWidget) -> None:
    """The picture above the tab's table, beside the detail pane, in a splitter.

    The splitter's position is remembered in the window's settings as the user drags it.
    """
    column = hooks.put_above_table(tab, picture)
    column.setStretchFactor(0, PICTURE_SHARE[0])
    column.setStretchFactor(1, PICTURE_SHARE[1])
    column.setSizes([380, 320])
    key = f"tabs/{tab.record_type.name}/picture_splitter"
    settings = hooks.settings
    saved = settings.value(key)
    if isinstance(saved, QByteArray) and not saved.isEmpty():
        column.restoreState(saved)
    column.splitterMoved.connect(lambda *_: settings.setValue(key, column.saveState()))


def _install_timeline(hooks: WindowHooks, tab: EntityTab) -> TimelineView:
    timeline = TimelineView(tab.archive, tab)
    _put_above_table(hooks, tab, timeline)
    timeline.event_activated.connect(hooks.open_record)
    timeline.range_changed.connect(lambda date_range: apply_table_range(tab, date_range))
    timeline.loaded.connect(lambda *_: _select_shown(timeline, tab))
    return timeline


def _install_map(hooks: WindowHooks, tab: EntityTab) -> MapView:
    map_view = MapView(tab.archive, tab)
    _put_above_table(hooks, tab, map_view)
    map_view.site_activated.connect(hooks.open_record)
    map_view.loaded.connect(lambda *_: _select_shown(map_view, tab))
    return map_view


def _select_shown(picture: TimelineView | MapView, tab: EntityTab) -> None:
    if tab.detail.record_id:
        picture.select_record(tab.detail.record_id)


def apply_table_range(tab: EntityTab, date_range: DateRange) -> bool:
    """Narrow the Chronology table to the timeline's dates."""
    tab.model.set_narrow(date_range.span())
    return True


# ------------------------------------------------------------------------- the menu action


def _export_current(feature: PicturesFeature) -> None:
    window = feature.hooks.parent_widget
    picture = feature.current_picture()
    if picture is None:
        QMessageBox.information(
            window, "Export View", "Show the timeline (Chronology) or the map (Sites) first."
        )
        return
    name = "timeline" if isinstance(picture, TimelineView) else "map"
    path_text, chosen_filter = QFileDialog.getSaveFileName(
        window,
        "Export View",
        str(default_file_folder() / f"{name}.png"),
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
        messages.warn(window, "Export View", str(error))
        return
    feature.hooks.show_status(f"Saved the {name} to {path}.", 5000)
