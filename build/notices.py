"""THIRD-PARTY-NOTICES for the release folder, generated from the installed distributions.

    python build/notices.py [OUT]      (stdout without OUT)

Every distribution the frozen build holds (build/package.py passes the top-level names the
spec collected; without them, as from the command line, the closure of `archive-browser`'s
own requirements, without extras) is listed with its version, licence and home page,
followed by the licence texts its wheel carries. Python itself and the PyInstaller boot
loader ship inside the frozen program too, so they are listed as well. Qt and PySide6 are
LGPL-3.0: the notice says how to relink them, and the LGPL and GPL texts (which their
wheels do not carry) come from build/licenses/.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LICENCE_TEXTS = HERE / "licenses"
ROOT_DISTRIBUTION = "archive-browser"
LICENCE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$", re.IGNORECASE)
LGPL_DISTRIBUTIONS = {"pyside6-essentials", "shiboken6"}

QT_RELINKING = """\
Qt and PySide6 (LGPL-3.0)
-------------------------
This program uses Qt 6 and PySide6 (Qt for Python) under the GNU Lesser General Public
License version 3, whose text follows at the end of this file with the GNU GPL version 3 it
refers to. Their source code is published by the Qt Project at https://code.qt.io/ (Qt) and
https://code.qt.io/cgit/pyside/pyside-setup.git/ (PySide6); the exact versions are listed
above.

Relinking: Qt and PySide6 are not linked statically. They ship as separate shared libraries
and Python extension modules inside the program folder, under
  _internal/PySide6/        (the PySide6 modules and Qt/lib, Qt/plugins)
  _internal/shiboken6/
You may replace these files with your own builds of the same versions (or compatible
modified ones) and the program will load them on its next start; nothing in the program
prevents this or checks their integrity. The program's own source code is available under
the MIT licence (LICENSE), so you may also rebuild the whole program against them with
PyInstaller, following build/archive_browser.spec in its repository.
"""


@dataclass(frozen=True)
class Notice:
    name: str
    version: str
    licence: str
    home: str
    texts: tuple[tuple[str, str], ...]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str | None:
    """The distribution a requirement names, or None for an extra's or a foreign platform's."""
    spec, _, marker = requirement.partition(";")
    if "extra" in marker:
        return None
    if marker.strip() and not _marker_holds(marker):
        return None
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    return _normal(match.group(1)) if match else None


def _marker_holds(marker: str) -> bool:
    try:
        from packaging.markers import Marker
    except ImportError:  # packaging comes with pip and PyInstaller; assume the marker holds
        return True
    return bool(Marker(marker.strip()).evaluate())


def runtime_closure(root: str = ROOT_DISTRIBUTION) -> list[metadata.Distribution]:
    """`root`'s run-time requirements and theirs, each once, in name order."""
    seen: dict[str, metadata.Distribution] = {}
    pending = [_normal(root)]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise SystemExit(f"notices: {name} is required but not installed") from None
        seen[name] = distribution
        for requirement in distribution.requires or []:
            child = _requirement_name(requirement)
            if child:
                pending.append(child)
    seen.pop(_normal(root))
    return [seen[name] for name in sorted(seen)]


def _licence(distribution: metadata.Distribution) -> str:
    meta = distribution.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    if classifiers:
        return "; ".join(classifiers)
    text = (meta.get("License") or "").strip()
    return text.splitlines()[0] if text else "not stated in its metadata"


def _home(distribution: metadata.Distribution) -> str:
    meta = distribution.metadata
    if meta.get("Home-page"):
        return str(meta["Home-page"])
    for url in meta.get_all("Project-URL") or []:
        label, _, address = url.partition(",")
        if label.strip().lower() in {"homepage", "home", "source", "repository"}:
            return address.strip()
    return ""


def _texts(distribution: metadata.Distribution) -> tuple[tuple[str, str], ...]:
    found = []
    for file in distribution.files or []:
        if LICENCE_FILE.search(str(file)) and ".dist-info" in str(file):
            path = Path(str(distribution.locate_file(file)))
            if path.is_file():
                found.append((str(file), path.read_text(encoding="utf-8", errors="replace")))
    return tuple(found)


def notice_of(distribution: metadata.Distribution) -> Notice:
    return Notice(
        name=str(distribution.metadata["Name"]),
        version=distribution.version,
        licence=_licence(distribution),
        home=_home(distribution),
        texts=_texts(distribution),
    )


def python_notice() -> Notice:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    text = stdlib / "LICENSE.txt"
    texts = (("Python LICENSE.txt", text.read_text(encoding="utf-8")),) if text.is_file() else ()
    version = ".".join(map(str, sys.version_info[:3]))
    return Notice("Python", version, "PSF-2.0", "https://www.python.org/", texts)


def pyinstaller_notice() -> Notice | None:
    try:
        distribution = metadata.distribution("pyinstaller")
    except metadata.PackageNotFoundError:
        return None
    return Notice(
        "PyInstaller boot loader",
        distribution.version,
        "GPL-2.0-or-later WITH Bootloader-exception (the boot loader may be used in programs "
        "of any licence)",
        "https://pyinstaller.org/",
        (),
    )


def render(notices: list[Notice]) -> str:
    lines = [
        "THIRD-PARTY NOTICES",
        "===================",
        "",
        "Archive Browser (MIT, see LICENSE) ships with the following software.",
        "",
    ]
    width = max(len(n.name) for n in notices)
    for n in notices:
        lines.append(f"  {n.name.ljust(width)}  {n.version:<10}  {n.licence}  {n.home}".rstrip())
    lines += ["", QT_RELINKING]
    for n in notices:
        for file, text in n.texts:
            lines += [f"{n.name} {n.version}: {file}", "-" * 72, text.rstrip(), ""]
    for name in ("LGPL-3.0.txt", "GPL-3.0.txt"):
        lines += [f"Qt and PySide6: {name}", "-" * 72]
        lines += [(LICENCE_TEXTS / name).read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines) + "\n"


def shipped_distributions(shipped: set[str]) -> list[metadata.Distribution]:
    """The installed distributions whose top-level modules are among `shipped` (the names in
    a frozen build): what the build really holds, whether a requirement named it or a module
    imported it optionally (typing_extensions), and nothing it leaves out (sqlite-utils
    requires pip, which the program never imports)."""
    by_module = metadata.packages_distributions()
    names = {_normal(d) for module in shipped for d in by_module.get(module, [])}
    names -= {_normal(ROOT_DISTRIBUTION), "pyinstaller", "pyinstaller-hooks-contrib"}
    return [metadata.distribution(name) for name in sorted(names)]


def third_party_notices(shipped: set[str] | None = None) -> str:
    """The notices of the run-time closure of `archive-browser`'s requirements; with
    `shipped` (the top-level names in a frozen build, written by the spec), of what it holds."""
    closure = runtime_closure() if shipped is None else shipped_distributions(shipped)
    notices = [python_notice(), *(notice_of(d) for d in closure)]
    loader = pyinstaller_notice()
    if loader is not None:
        notices.append(loader)
    return render(notices)


def main(argv: list[str]) -> int:
    text = third_party_notices()
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
