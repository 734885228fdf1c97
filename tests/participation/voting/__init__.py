"""Tests of minsheng.participation.voting."""
