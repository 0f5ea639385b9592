"""The composition root: display check, QApplication, settings, archive errors, and the
window with its features installed.

The window (`ui/widgets/main_window.py`) knows no feature; `create_window` builds it and hands
each feature (`ui/features/*`) the window's hooks (`ui/hooks.py`), the only way the features
see it. Entry points (`cli`, `self_test`) import this module, never the reverse.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from archive_browser.core import paths

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from archive_browser.core.archive import Archive
    from archive_browser.ui.widgets.main_window import MainWindow

SETTINGS_ENV = "ARCHIVE_BROWSER_SETTINGS"
# `light` or `dark` overrides the desktop's colour scheme (a desktop without a settings
# portal, or a user who wants the other one); `system` or unset follows the desktop.
COLOR_SCHEME_ENV = "ARCHIVE_BROWSER_COLOR_SCHEME"
# Measuring start-up: print the time of the window's first paint and of the first paint with
# its records, then quit.
EXIT_AFTER_PAINT_ENV = "ARCHIVE_BROWSER_EXIT_AFTER_PAINT"
NO_DISPLAY_EXIT = 3
ARCHIVE_ERROR_EXIT = 2
NO_DISPLAY_MESSAGE = (
    "archive-browser: no display is available (neither DISPLAY nor WAYLAND_DISPLAY is set); "
    "run it on a desktop, on a virtual screen (xvfb-run archive-browser) "
    "or with QT_QPA_PLATFORM=offscreen."
)


def has_display() -> bool:
    """False on Linux with no X11/Wayland display and no Qt platform chosen by the user."""
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def settings_path() -> Path:
    """The window's settings file (size, splitters, columns, last tab and record).

    `$ARCHIVE_BROWSER_SETTINGS` names it; else it lives in `$ARCHIVE_BROWSER_DATA_DIR`
    when that is set (tests, portable use), else in the user's config folder.
    """
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return Path(override)
    if os.environ.get(paths.DATA_DIR_ENV):
        return paths.user_data_dir() / "window.ini"
    return paths.user_config_dir() / "window.ini"


def make_settings():  # -> QSettings
    from PySide6.QtCore import QSettings

    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


# How long a worker thread may hold the interpreter lock while the GUI thread waits for it
# (Python's default is 5 ms). Painting calls into Python once per cell, and each call waits
# for the lock afresh: at 5 ms a filter query running in a worker stalls a frame for 40 ms.
GIL_SWITCH_INTERVAL_S = 0.0005


def ensure_application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    if not isinstance(app, QApplication):
        raise RuntimeError("A Qt application without widgets is running; the window needs one.")
    app.setApplicationName("Archive Browser")
    app.setOrganizationName(paths.APP_NAME)
    app.setDesktopFileName(paths.APP_NAME)
    apply_color_scheme_override(app)
    return app


def apply_color_scheme_override(app: QApplication) -> None:
    """Honour `$ARCHIVE_BROWSER_COLOR_SCHEME` (light, dark, system); otherwise Qt follows
    the desktop itself (the portal or GTK theme plugin reports its colour scheme, and the
    palette changes with it while the program runs). A value Qt cannot apply is reported in
    one line and the desktop's scheme stays."""
    wanted = os.environ.get(COLOR_SCHEME_ENV, "").strip().lower()
    if wanted in ("", "system"):
        return  # Qt follows the desktop; and the `Qt` namespace (20 ms) waits for later
    from PySide6.QtCore import Qt

    schemes = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
    scheme = schemes.get(wanted)
    if scheme is None:
        print(
            f"archive-browser: {COLOR_SCHEME_ENV} must be light, dark or system, not "
            f"{wanted!r}; the desktop's colour scheme is used.",
            file=sys.stderr,
        )
        return
    app.styleHints().setColorScheme(scheme)


class WindowCheckError(Exception):
    """The window check of the self-test failed; the message says how, in one sentence."""


def install_features(window: MainWindow) -> None:
    """Attach every feature to `window` through one `WindowHooks` (called by the window once
    its tabs exist, after the first paint when it paints its shell first)."""
    from archive_browser.ui.features.citations import install_citations
    from archive_browser.ui.features.guide import install_guide
    from archive_browser.ui.features.library import install_archive_actions
    from archive_browser.ui.features.notes import install_notes
    from archive_browser.ui.features.pictures import install_pictures
    from archive_browser.ui.features.printing import install_printing
    from archive_browser.ui.hooks import WindowHooks

    hooks = WindowHooks(window)
    install_notes(hooks)  # first: it opens the user store and reports on it
    install_archive_actions(hooks)
    install_citations(hooks)
    install_pictures(hooks)
    install_printing(hooks)
    install_guide(hooks)


def create_window(
    archive: Archive, settings: QSettings | None = None, *, contents_after_first_paint: bool = False
) -> MainWindow:
    """The program's window on `archive`, with every feature installed (see `MainWindow`)."""
    from archive_browser.ui.widgets.main_window import MainWindow

    return MainWindow(
        archive,
        settings,
        contents_after_first_paint=contents_after_first_paint,
        install_features=install_features,
    )


def _interactive_platform() -> bool:
    return os.environ.get("QT_QPA_PLATFORM", "") not in ("offscreen", "minimal")


def run_gui(archive_path: Path | None) -> int:
    """Open the window on the archive (the bundled one if None); the program's exit code."""
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return NO_DISPLAY_EXIT
    from archive_browser.core.archive import Archive, ArchiveError

    app = ensure_application()
    try:
        archive = Archive.open(archive_path)
    except ArchiveError as exc:
        print(f"archive-browser: {exc}", file=sys.stderr)
        if _interactive_platform():
            from archive_browser.ui.widgets import messages

            messages.plain_box(
                None,
                messages.Icon.Critical,
                "Archive Browser",
                f"The archive cannot be opened.\n\n{exc}",
            ).exec()
        return ARCHIVE_ERROR_EXIT
    window = create_window(archive, make_settings(), contents_after_first_paint=True)
    if os.environ.get(EXIT_AFTER_PAINT_ENV) == "1":
        _quit_after_first_paint(app, window)
    window.show()
    try:
        return run_window(app, window)
    finally:
        archive.close()


# Exit status after a signal: 0 for a logout or shutdown (SIGTERM, SIGHUP), 130 for Ctrl+C.
QUIT_SIGNALS = {signal.SIGTERM: 0, signal.SIGHUP: 0, signal.SIGINT: 128 + signal.SIGINT}


def run_window(app, window) -> int:  # (QApplication, MainWindow)
    """Run the event loop for `window`; SIGTERM, SIGHUP and SIGINT close it as its Close
    does (unsaved notes are saved first) and end the program."""
    quitter = SignalQuit(app, window)
    try:
        status = app.exec()
    finally:
        quitter.uninstall()
    return quitter.status if quitter.status is not None else status


class SignalQuit:
    """Turns the quit signals into a clean close of the window.

    A Python signal handler runs only between bytecodes, never inside Qt's event loop, so
    the handler does nothing itself: `signal.set_wakeup_fd` writes the signal's number to a
    socket, a QSocketNotifier on the other end wakes the loop, and the window is closed from
    there, as its own Close does (unsaved notes saved; a failing save goes to a file).
    """

    def __init__(self, app, window) -> None:  # (QApplication, MainWindow)
        from PySide6.QtCore import QSocketNotifier

        self.app = app
        self.window = window
        self.status: int | None = None
        self._receiver, self._sender = socket.socketpair()
        self._receiver.setblocking(False)
        self._sender.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._sender.fileno())
        self._previous = {sig: signal.signal(sig, _ignore_in_python) for sig in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._receiver.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._on_wakeup)

    def _on_wakeup(self) -> None:
        try:
            received = self._receiver.recv(64)
        except OSError:
            return
        numbers = [n for n in received if n in {int(sig) for sig in QUIT_SIGNALS}]
        if not numbers or self.status is not None:
            return
        self.status = QUIT_SIGNALS[signal.Signals(numbers[0])]
        from archive_browser.ui.hooks import hooks_of

        hooks = hooks_of(self.window)
        if hooks is not None:
            hooks.leaving_unattended = True  # nobody may be there to answer a question
        self.window.close()
        self.app.exit(self.status)

    def uninstall(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._receiver.close()
        self._sender.close()


def _ignore_in_python(_signum: int, _frame: object) -> None:
    """The wakeup socket carries the signal to the event loop (SignalQuit)."""


def _quit_after_first_paint(app, window) -> None:  # (QApplication, MainWindow)
    """For start-up measurements: print when the window first painted (`first-paint`) and
    when it first painted with the current tab's records in (`records-painted`), then quit.

    Times are `time.monotonic()` seconds, the clock a parent process can read too. The
    filters watch the window and the table only: an application-wide one in Python would
    make PySide wrap every object that gets an event, which the program itself never does.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    paint = QEvent.Type.Paint

    def say(label: str) -> None:
        print(f"{label} {time.monotonic():.6f}", flush=True)

    def records_painted() -> None:
        say("records-painted")
        QTimer.singleShot(0, app.quit)

    class FirstPaint(QObject):
        def __init__(self, done: object) -> None:
            super().__init__(window)
            self.done = done

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == paint:
                watched.removeEventFilter(self)
                self.done()  # type: ignore[operator]
            return False

    def watch_records() -> None:
        tab = window.current_entity_tab()
        if tab is None:  # a remembered Notebook tab: no records to wait for
            records_painted()
            return
        viewport = tab.table_view.viewport()

        def arm() -> None:  # the first paint after the rows are in
            viewport.installEventFilter(FirstPaint(records_painted))

        if tab.model.loaded:
            arm()
        else:
            tab.model.query_finished.connect(lambda _shown: arm())

    window.installEventFilter(FirstPaint(lambda: say("first-paint")))
    if window.contents_built:
        watch_records()
    else:
        window.contents_ready.connect(watch_records)


def _wait(app: object, condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise WindowCheckError(f"the window did not {what} within {seconds:.0f} s")
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def build_window_for_self_test(archive_path: Path | None) -> None:
    """Build the window offscreen, let every tab load, run one global search, close it;
    `WindowCheckError` says what failed."""
    import tempfile

    from archive_browser.core.archive import Archive, ArchiveError

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = ensure_application()
    try:
        archive = Archive.open(archive_path)
    except ArchiveError as exc:
        raise WindowCheckError(str(exc)) from None
    from PySide6.QtCore import QSettings

    with tempfile.TemporaryDirectory(prefix="archive-browser-self-test-") as folder:
        settings = QSettings(str(Path(folder) / "window.ini"), QSettings.Format.IniFormat)
        window = create_window(archive, settings)
        try:
            window.show()
            tabs = list(window.entity_tabs.values())
            _wait(app, lambda: all(t.model.loaded for t in tabs), 20, "list the records")
            empty = [t.record_type.tab_title for t in tabs if t.model.rowCount() == 0]
            if empty:
                raise WindowCheckError(f"the tab(s) {', '.join(empty)} list no records")
            window.search_field.setText("Lipetsk")
            window.search_field.search_now()
            _wait(app, lambda: bool(window.search_field.results), 20, "find Lipetsk")
            if not any(r.record_id == "site/lipetsk" for r in window.search_field.results):
                raise WindowCheckError("the window's search for Lipetsk did not list the site")
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
            archive.close()
