"""Icons come from the package's own resources, whether run from a checkout or a wheel."""

from __future__ import annotations

from archive_browser.core.paths import resources_dir
from archive_browser.ui.widgets import style


def test_every_icon_file_in_the_package_draws(qtbot) -> None:
    names = sorted(
        entry.name.removesuffix(".svg")
        for entry in (resources_dir() / "icons").iterdir()
        if entry.name.endswith(".svg")
    )
    assert {"app", "back", "forward", "search", *style.TYPE_ICONS.values()} <= set(names)
    for name in names:
        drawn = style.icon(name)
        assert not drawn.isNull(), name
        image = drawn.pixmap(32, 32).toImage()
        inked = [(x, y) for x in range(32) for y in range(32) if image.pixelColor(x, y).alpha()]
        assert inked, f"the icon {name} draws nothing"


def test_a_missing_icon_is_empty_not_an_error(qtbot) -> None:
    assert style.icon("no-such-icon").isNull()
