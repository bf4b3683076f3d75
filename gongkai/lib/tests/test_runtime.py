"""The WSGI start-up freezes its heap (no full-collection pauses on requests, issue 19)."""

from __future__ import annotations

import gc
import os
from unittest import mock

from django.test import SimpleTestCase

from gongkai.lib.runtime import freeze_startup_heap


class FreezeStartupHeapTest(SimpleTestCase):
    def tearDown(self) -> None:
        gc.unfreeze()

    def test_it_freezes_the_warmed_heap(self) -> None:
        gc.unfreeze()
        frozen = freeze_startup_heap()
        self.assertGreater(frozen, 100_000)  # jieba's dictionary alone is ≈350,000 entries
        # Frozen objects that die leave the permanent generation, so the count may only shrink.
        self.assertLessEqual(gc.get_freeze_count(), frozen)
        self.assertGreater(gc.get_freeze_count(), 100_000)

    def test_it_can_be_switched_off(self) -> None:
        gc.unfreeze()
        with mock.patch.dict(os.environ, {"GONGKAI_GC_FREEZE": "0"}):
            self.assertEqual(freeze_startup_heap(), 0)
        self.assertEqual(gc.get_freeze_count(), 0)

    def test_it_runs_when_the_wsgi_module_is_imported(self) -> None:
        import importlib

        import gongkai.wsgi

        gc.unfreeze()
        importlib.reload(gongkai.wsgi)
        self.assertGreater(gc.get_freeze_count(), 0)
