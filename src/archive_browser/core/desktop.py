"""Desktop integration on Linux: the `.desktop` entry and icon that put the program in the
applications menu, written for one user (`archive-browser install-desktop-entry`).

Plain functions of paths and text, so the entry's content and where it goes are tested on any
system; only `install_desktop_entry` writes.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath

APP_ID = "archive-browser"
DESKTOP_FILE = f"{APP_ID}.desktop"
ICON_FILE = f"{APP_ID}.svg"


class DesktopEntryError(Exception):
    """The entry cannot be installed; the message says why in one sentence."""


@dataclass(frozen=True)
class DesktopPaths:
    entry: Path
    icon: Path


def data_home(environ: dict[str, str] | None = None, home: PurePath | None = None) -> Path:
    """`$XDG_DATA_HOME`, else `~/.local/share` (the XDG base directory rule: relative values
    are invalid and ignored)."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path(home if home is not None else Path.home()) / ".local" / "share"


def desktop_paths(base: Path) -> DesktopPaths:
    return DesktopPaths(
        entry=base / "applications" / DESKTOP_FILE,
        icon=base / "icons" / "hicolor" / "scalable" / "apps" / ICON_FILE,
    )


def program_command(executable: str | None = None, frozen: bool | None = None) -> list[str]:
    """The command that starts the program as this process was started: the frozen program
    itself, or this Python running the package."""
    is_frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    exe = executable or sys.executable
    return [exe] if is_frozen else [exe, "-m", "archive_browser"]


def _exec_quote(argument: str) -> str:
    # The Desktop Entry spec's Exec quoting: double quotes around an argument with reserved
    # characters, and backslash before ", `, $ and \ inside them.
    if argument and not any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`"):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'


def desktop_entry_text(command: list[str], icon: Path) -> str:
    # The string-value escape (a backslash written twice) applies on top of the Exec quoting.
    exec_line = " ".join(_exec_quote(part) for part in command).replace("\\", "\\\\")
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.5",
            "Name=Archive Browser",
            "Name[de]=Archiv-Browser",
            "Name[ru]=Обозреватель архива",
            "GenericName=Archive research tool",
            "Comment=Browse an archive of interwar Soviet-German military cooperation",
            f"Exec={exec_line}",
            f"Icon={icon}",
            "Terminal=false",
            "Categories=Education;Humanities;Office;",
            "Keywords=archive;history;citation;fond;opis;delo;",
            "StartupWMClass=archive-browser",
            "",
        ]
    )


def install_desktop_entry(icon_svg: bytes, base: Path | None = None) -> DesktopPaths:
    """Write the entry and icon for this user; existing ones of ours are replaced."""
    if not sys.platform.startswith("linux"):
        raise DesktopEntryError("desktop entries are a Linux desktop feature.")
    target = desktop_paths(base if base is not None else data_home())
    text = desktop_entry_text(program_command(), target.icon)
    try:
        for path, data in ((target.icon, icon_svg), (target.entry, text.encode())):
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".tmp")
            partial.write_bytes(data)
            partial.replace(path)
    except OSError as exc:
        raise DesktopEntryError(
            f"cannot write the desktop entry ({exc.strerror or exc}): {exc.filename}"
        ) from None
    return target
