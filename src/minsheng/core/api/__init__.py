"""Shared pieces of the REST API: error mapping, permission helpers."""
