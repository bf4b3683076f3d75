"""Background tasks: eager without a broker, a real worker process with Redis."""

import os
import subprocess
import sys
import time

import pytest
from celery import Celery
from django.conf import settings

from gongkai.console.tasks import ping


def test_it_runs_tasks_eagerly_without_a_broker() -> None:
    assert settings.CELERY_TASK_ALWAYS_EAGER
    assert ping.delay().get(timeout=5)["pid"] == os.getpid()


@pytest.mark.redis
def test_it_runs_a_task_in_a_real_worker(redis_url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.ConnectionError:
        from gongkai.lib.testing import require_system

        require_system("Redis on 127.0.0.1:6379", False, "start redis-server (.ci/run does this)")
    env = dict(os.environ, REDIS_URL=redis_url, DJANGO_SETTINGS_MODULE="gongkai.settings")
    env.pop("DATABASE_URL", None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "gongkai",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--loglevel=WARNING",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        client = Celery(broker=redis_url, backend=redis_url)
        deadline = time.monotonic() + 60
        result = client.send_task("gongkai.console.tasks.ping")
        value = result.get(timeout=max(1, deadline - time.monotonic()))
        assert value["pid"] != os.getpid()
        assert value["pid"] == worker.pid
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
