"""Qt-free core: usable from the command line, tests and scripts."""
