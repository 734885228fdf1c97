"""Tests of minsheng.participation.solicitation."""
