from __future__ import annotations

import pytest

from shared_fixtures import english_messages as english_messages


@pytest.fixture
def client(client):  # type: ignore[no-untyped-def]
    """Pages in English, as the messages are checked in English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
