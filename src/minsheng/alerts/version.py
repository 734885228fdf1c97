"""The change stamp now lives in `core.changes` (so apps below alerts may key caches on it); these names
stay for the apps that import them from here."""

from minsheng.core.changes import (  # noqa: F401
    UNREAD_MARK,
    VERSION_KEY,
    changes_bump,
    changes_bump_on_commit,
    changes_version,
)
