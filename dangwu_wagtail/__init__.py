"""A Party-affairs disclosure column (党务公开专栏) for a school's existing Wagtail site."""

__version__ = "0.1.0"
