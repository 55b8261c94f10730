"""The embedded run stays alive: migrate, seed_demo and the main pages on SQLite."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PAGES_SCRIPT = """
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
for username in ["admin", "officer", "officer2", "liaison", "cadre", "leader"]:
    assert client.login(username=username, password="demo-pass-2026"), username
    for url in SMOKE_URLS:
        status = client.get(url).status_code
        assert status in (200, 403), (username, url, status)
        print(username, url, status)
    client.logout()
print("SMOKE OK")
"""


def test_migrate_seed_and_pages_on_sqlite(tmp_path):
    from integrity.smoke import SMOKE_URLS

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="integrity.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'smoke.sqlite3'}",
        CELERY_BROKER_URL="memory://",
        EMAIL_URL="consolemail://",
    )

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    manage("migrate", "--noinput")
    manage("seed_demo")
    output = manage("shell", "-c", f"SMOKE_URLS = {SMOKE_URLS!r}\n" + PAGES_SCRIPT)
    assert "SMOKE OK" in output
    assert output.count(" 200") >= len(SMOKE_URLS)
