"""Minsheng (民生): software for a district's annual livelihood-projects programme."""

__version__ = "0.1.0"
