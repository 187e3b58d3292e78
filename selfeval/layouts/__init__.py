"""Layouts: the shapes of the form, described once as data (``*.toml``) for writer and reader."""
