"""Tests of the public-participation apps (minsheng.participation.*), one folder per app."""
