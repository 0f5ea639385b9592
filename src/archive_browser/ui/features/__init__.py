"""The features, each a package of its own: notes, citations, pictures, library.

Each exports one `install_*(hooks)` function taking the window's `WindowHooks`
(`ui/hooks.py`); the composition root (`ui/app.py`) calls them. Features never import each
other (an import-linter contract) and share services only through the hooks.
"""
