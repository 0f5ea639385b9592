"""Times and text as the store writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from archive_browser.core.store.errors import UserStoreError

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def now_utc() -> str:
    """The current time as the store writes it (ISO-8601 UTC, milliseconds)."""
    return _format_time(datetime.now(UTC))


def _format_time(moment: datetime) -> str:
    return moment.strftime(_TIME_FORMAT)[:-4] + "Z"  # microseconds -> milliseconds


def days_ago(days: float) -> str:
    """The time `days` days before now, as the store writes times (they sort as text)."""
    return _format_time(datetime.now(UTC) - timedelta(days=days))


def seconds_since(stamp: str) -> float:
    """Seconds from a stored time to now (infinite for a time that cannot be read)."""
    try:
        return (datetime.now(UTC) - datetime.fromisoformat(stamp)).total_seconds()
    except ValueError:
        return float("inf")


def later_than(previous: str) -> str:
    """Now, or 1 ms after `previous` if the clock has not moved on (so edits always show)."""
    now = datetime.now(UTC)
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # the stored precision
    try:
        before = datetime.fromisoformat(previous)
    except ValueError:
        return _format_time(now)
    if now <= before:
        now = before + timedelta(milliseconds=1)
    return _format_time(now)


def storable(text: str) -> str:
    # NUL is never meaningful in a note, and SQLite's string functions stop at it.
    if "\x00" in text:
        text = text.replace("\x00", "")
    # Lone surrogates (possible from a clipboard) cannot be encoded as UTF-8; keep the rest.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Joins surrogate pairs, replaces lone surrogates with U+FFFD.
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def require_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UserStoreError(f"Cannot save: the {what} is missing.")
    return value
