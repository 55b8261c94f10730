"""A real Celery worker for tests: in a thread of the test process, consuming from real Redis."""

from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker

from integrity.celery import app


@contextmanager
def running_worker(**options):
    """Start a worker on a queue emptied of messages that earlier tests left behind."""
    app.conf.task_always_eager = False
    app.control.purge()
    options.setdefault("pool", "solo")
    with start_worker(app, perform_ping_check=False, loglevel="WARNING", **options) as worker:
        yield worker
