"""Settings for bench/portal_bench.py only: the project settings plus a switch for the
portal's page cache (PORTAL_PAGE_CACHE=0 measures uncached rendering)."""

import os

from gongkai.settings import *  # noqa: F403

PORTAL_PAGE_CACHE = os.environ.get("PORTAL_PAGE_CACHE", "1") == "1"
