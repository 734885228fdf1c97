"""Service messages are checked in English (the pages speak the default language, Chinese)."""

from shared_fixtures import english_messages as english_messages
