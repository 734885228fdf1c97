"""Settings for `make loadtest`: the product's, plus a trivial view to compare every page with."""

from minsheng.settings import *  # noqa: F403

ROOT_URLCONF = "loadtest_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
