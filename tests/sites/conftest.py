from __future__ import annotations

from shared_fixtures import english_messages as english_messages
