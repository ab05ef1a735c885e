"""Wagtail's own test suite, run with and without the add-on installed (see ``suite``)."""
