"""The window follows the desktop's light or dark colour scheme (issue 23, release folder).

Qt reports the desktop's scheme through `QStyleHints.colorScheme` (the portal or GTK theme
plugin tells it) and changes the palette with it; `ARCHIVE_BROWSER_COLOR_SCHEME` asks for
one. The offscreen platform ignores colour schemes, so the real check runs the program's own
code on an X display (Xvfb) with the xcb platform, as on a desktop.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

from archive_browser.ui import app as app_module
from archive_browser.ui.widgets.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]

# Runs in a fresh process on Xvfb: the window on the test archive, its palette and the
# lightness of its icons' ink under the scheme asked for, then after the desktop (here
# QStyleHints, as the theme plugin does) switches to the other scheme.
PROBE = r"""
import json, sys
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from archive_browser.core.archive import Archive
from archive_browser.ui.app import create_window, ensure_application

def ink(icon):
    image = icon.pixmap(32, 32).toImage()
    colours = [image.pixelColor(x, y) for x in range(32) for y in range(32)]
    solid = [c for c in colours if c.alpha() > 200]
    return sum(c.lightnessF() for c in solid) / len(solid)

def state(window):
    return {
        "scheme": QGuiApplication.styleHints().colorScheme().name,
        "window": QGuiApplication.palette().color(QPalette.ColorRole.Window).lightnessF(),
        "toolbar_icon": ink(window._action_icons[0][0].icon()),
        "tab_icon": ink(window.tabs.tabIcon(0)),
    }

app = ensure_application()
archive = Archive.open(None)
window = create_window(archive)
window.show()
while not window.contents_built:
    app.processEvents()
# The theme applies a requested scheme from the event loop, after the window drew its icons.
for _ in range(20):
    app.processEvents()
first = state(window)
other = Qt.ColorScheme.Light if first["scheme"] == "Dark" else Qt.ColorScheme.Dark
app.styleHints().setColorScheme(other)
for _ in range(20):
    app.processEvents()
print(json.dumps({"first": first, "switched": state(window)}))
window.close()
archive.close()
"""


def run_on_x_display(tmp_path: Path, archive: Path, scheme: str) -> dict[str, dict]:
    if shutil.which("xvfb-run") is None:
        pytest.fail("xvfb-run is not installed: ./dev installs xvfb (docs/platform.md)")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(runtime),
        "PYTHONPATH": str(REPO / "src"),
        "QT_QPA_PLATFORM": "xcb",
        # A desktop session names itself; Qt then loads that desktop's theme (GTK3, or its
        # built-in GNOME-style theme where GTK is missing), which applies colour schemes.
        # Qt's generic theme for a bare window manager ignores them (docs/packaging.md).
        "XDG_CURRENT_DESKTOP": "XFCE",
        "ARCHIVE_BROWSER_ARCHIVE": str(archive),
        "ARCHIVE_BROWSER_DATA_DIR": str(tmp_path / "notes"),
        "ARCHIVE_BROWSER_COLOR_SCHEME": scheme,
    }
    result = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-c", PROBE],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_dark_scheme_gives_a_dark_window_and_light_icons(
    tmp_path: Path, built_archive: Path
) -> None:
    seen = run_on_x_display(tmp_path, built_archive, "dark")
    dark, light = seen["first"], seen["switched"]
    assert dark["scheme"] == "Dark"
    assert dark["window"] < 0.5
    assert dark["toolbar_icon"] > 0.5 and dark["tab_icon"] > 0.5  # drawn light on dark
    # The desktop turns light while the program runs: palette and icons follow.
    assert light["scheme"] == "Light"
    assert light["window"] > 0.5
    assert light["toolbar_icon"] < 0.5 and light["tab_icon"] < 0.5


def test_light_scheme_follows_a_switch_to_dark(tmp_path: Path, built_archive: Path) -> None:
    seen = run_on_x_display(tmp_path, built_archive, "light")
    assert seen["first"]["window"] > 0.5
    assert seen["switched"]["scheme"] == "Dark"
    assert seen["switched"]["window"] < 0.5
    assert seen["switched"]["toolbar_icon"] > 0.5


def icon_ink(icon: QIcon) -> float:
    image = icon.pixmap(32, 32).toImage()
    solid = [
        image.pixelColor(x, y)
        for x in range(32)
        for y in range(32)
        if image.pixelColor(x, y).alpha() > 200
    ]
    return sum(c.lightnessF() for c in solid) / len(solid)


def test_a_palette_change_redraws_the_windows_icons(window: MainWindow, qtbot) -> None:
    """What the theme plugin does on a desktop switch, done offscreen: a new application
    palette reaches the window, which tints its icons for it."""
    original = QGuiApplication.palette()
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#181818"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#f0f0f0"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#f0f0f0"))
    assert icon_ink(window.tabs.tabIcon(0)) < 0.5
    try:
        QGuiApplication.setPalette(dark)
        qtbot.waitUntil(lambda: icon_ink(window.tabs.tabIcon(0)) > 0.5, timeout=2000)
        assert icon_ink(window._action_icons[0][0].icon()) > 0.5
        assert icon_ink(window.search_field._search_icon.icon()) > 0.5
    finally:
        QGuiApplication.setPalette(original)
    qtbot.waitUntil(lambda: icon_ink(window.tabs.tabIcon(0)) < 0.5, timeout=2000)


def test_a_wrong_scheme_name_is_said_in_one_line_and_changes_nothing(
    qtbot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    application = app_module.ensure_application()
    before = application.styleHints().colorScheme()
    monkeypatch.setenv(app_module.COLOR_SCHEME_ENV, "purple")
    app_module.apply_color_scheme_override(application)
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "light, dark or system" in lines[0] and "'purple'" in lines[0]
    assert application.styleHints().colorScheme() == before
    monkeypatch.setenv(app_module.COLOR_SCHEME_ENV, "system")
    app_module.apply_color_scheme_override(application)
    assert capsys.readouterr().err == ""
    assert application.styleHints().colorScheme() == before
