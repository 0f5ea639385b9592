"""Running archive queries off the GUI thread, newest request wins.

A `QueryRunner` runs a function `fn(conn)` in the thread pool on its own read-only
connection (`archive.connect()`), then delivers the result on the GUI thread by the signal
`finished(generation, result)` — but only for the newest request: submitting a new one
interrupts the older queries still running (`conn.interrupt()`) and drops their results.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from archive_browser.core.archive import Archive

QueryFunction = Callable[[sqlite3.Connection], Any]


class _Relay(QObject):
    """Carries a worker's outcome across threads (queued to the GUI thread)."""

    done = Signal(int, object)
    failed = Signal(int, str)


class _Query(QRunnable):
    def __init__(self, runner: QueryRunner, generation: int, fn: QueryFunction) -> None:
        super().__init__()
        self._runner = runner
        self._relay = runner._relay
        self._generation = generation
        self._fn = fn

    def run(self) -> None:
        if not self._runner._is_current(self._generation):
            return
        try:
            conn = self._runner._open(self._generation)
        except sqlite3.Error as exc:
            self._emit_failure(str(exc))
            return
        try:
            result = self._fn(conn)
        except sqlite3.OperationalError as exc:
            if "interrupt" not in str(exc):
                self._emit_failure(str(exc))
            return
        except Exception as exc:  # a worker must never take the program down
            self._emit_failure(f"{type(exc).__name__}: {exc}")
            return
        finally:
            self._runner._close(self._generation, conn)
        try:
            self._relay.done.emit(self._generation, result)
        except RuntimeError:  # the window closed while the query ran
            pass

    def _emit_failure(self, message: str) -> None:
        try:
            self._relay.failed.emit(self._generation, message)
        except RuntimeError:
            pass


class QueryRunner(QObject):
    """Run `fn(conn)` off the GUI thread; `finished` only ever carries the newest result."""

    finished = Signal(int, object)
    failed = Signal(int, str)

    def __init__(
        self, archive: Archive, parent: QObject | None = None, pool: QThreadPool | None = None
    ) -> None:
        super().__init__(parent)
        self.archive = archive
        self._pool = pool or QThreadPool.globalInstance()
        self._lock = threading.Lock()
        self._generation = 0
        self._delivered = 0  # the newest generation whose outcome is in (or was dropped)
        self._connections: dict[int, sqlite3.Connection] = {}
        self._relay = _Relay()
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def busy(self) -> bool:
        """True from `submit` until its result (or failure) has been delivered."""
        return self._delivered != self._generation

    def submit(self, fn: QueryFunction) -> int:
        """Start `fn` in the pool; older queries are interrupted. Returns its generation."""
        with self._lock:
            self._generation += 1
            generation = self._generation
            for conn in self._connections.values():
                conn.interrupt()
        self._pool.start(_Query(self, generation, fn))
        return generation

    def cancel(self) -> None:
        """Interrupt everything running and drop any result still to come."""
        with self._lock:
            self._generation += 1
            self._delivered = self._generation
            for conn in self._connections.values():
                conn.interrupt()

    def wait(self, msecs: int = 5000) -> bool:
        """Block until no query of this runner is running (for closing and tests)."""
        return self._pool.waitForDone(msecs)

    # ---------------------------------------------------------------- worker side

    def _is_current(self, generation: int) -> bool:
        return generation == self._generation

    def _open(self, generation: int) -> sqlite3.Connection:
        conn = self.archive.connect()
        with self._lock:
            self._connections[generation] = conn
            if generation != self._generation:
                conn.interrupt()
        return conn

    def _close(self, generation: int, conn: sqlite3.Connection) -> None:
        with self._lock:
            self._connections.pop(generation, None)
        conn.close()

    # ---------------------------------------------------------------- GUI side

    @Slot(int, object)
    def _on_done(self, generation: int, result: object) -> None:
        if generation == self._generation:
            self._delivered = generation
            self.finished.emit(generation, result)

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._delivered = generation
            self.failed.emit(generation, message)
