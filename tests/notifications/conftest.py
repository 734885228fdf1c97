from __future__ import annotations

from shared_fixtures import fast_sign_in as fast_sign_in
