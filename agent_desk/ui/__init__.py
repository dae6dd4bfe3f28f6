"""Widgets and Qt models only. Thin: everything below ``ui`` is reached through signals."""
