"""Icons and small look-and-feel helpers that follow the system palette.

Icons are hand-written SVGs in `resources/icons/` drawn in `currentColor`; they are tinted
with the palette's text colour when loaded, so they stay visible in dark mode, and rendered
at several sizes so they are sharp on high-DPI screens.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from archive_browser.core.paths import resources_dir

ICON_SIZES = (16, 20, 24, 32, 48, 64)

# The record type -> the icon file drawn for it.
TYPE_ICONS = {"person": "person", "site": "site", "event": "event", "source": "source"}


def _svg_text(name: str) -> str | None:
    path = resources_dir() / "icons" / f"{name}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _text_colour() -> QColor:
    app = QGuiApplication.instance()
    if app is None:
        return QColor(Qt.GlobalColor.black)
    return QGuiApplication.palette().color(QPalette.ColorRole.WindowText)


@cache
def _icon_for(name: str, colour: str) -> QIcon:
    text = _svg_text(name)
    if text is None:
        return QIcon()
    renderer = QSvgRenderer(QByteArray(text.replace("currentColor", colour).encode("utf-8")))
    icon = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap(QSize(size, size))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def icon(name: str) -> QIcon:
    """The icon `resources/icons/<name>.svg`, tinted for the current palette (empty if absent)."""
    return _icon_for(name, _text_colour().name())


def type_icon(type_name: str) -> QIcon:
    return icon(TYPE_ICONS.get(type_name, "source"))


def muted_colour() -> str:
    """Secondary text (labels, notes) as `#rrggbb`: the palette's text colour faded toward
    its background, so it stays readable in light and dark themes alike."""
    palette = QGuiApplication.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    base = palette.color(QPalette.ColorRole.Base)
    mixed = QColor(
        round(text.red() * 0.6 + base.red() * 0.4),
        round(text.green() * 0.6 + base.green() * 0.4),
        round(text.blue() * 0.6 + base.blue() * 0.4),
    )
    return mixed.name()


def plural(type_name: str, count: int) -> str:
    """`person`, 12 -> `people`; `site`, 1 -> `site`: the word for a status-bar count."""
    words = {
        "person": ("person", "people"),
        "site": ("site", "sites"),
        "event": ("event", "events"),
        "source": ("source", "sources"),
    }
    one, many = words.get(type_name, (type_name, f"{type_name}s"))
    return one if count == 1 else many
