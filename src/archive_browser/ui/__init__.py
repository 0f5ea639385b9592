"""Qt widgets and models over the core."""
