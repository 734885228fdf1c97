from __future__ import annotations

from typing import Any

import pytest

from shared_fixtures import fast_sign_in as fast_sign_in


@pytest.fixture(autouse=True)
def _local_robots(settings: Any) -> None:
    """The fake robot endpoints of these tests listen on 127.0.0.1 over plain http."""
    settings.MINSHENG_WEBHOOK_INSECURE_HOSTS = ["127.0.0.1"]
