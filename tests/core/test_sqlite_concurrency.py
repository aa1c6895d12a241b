"""SQLite under ordinary concurrency: several processes posting at once lose nothing.

SQLite allows one writer at a time. A transaction that starts by reading and then writes
cannot wait for the write lock (it would read a stale snapshot) and fails at once with
"database is locked"; transactions that take the write lock when they begin (IMMEDIATE)
simply queue behind each other for up to the busy timeout. Each poster here is its own
process, as web workers and the task worker are.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

POSTERS = 6
POSTS_EACH = 25

SETUP = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0, interactive=False)
    from sangsaeng.accounts.models import Membership, User
    from sangsaeng.accounts.services import api_token_create
    from sangsaeng.directory.models import Organisation
    organisation = Organisation.objects.create(
        slug="fab", kind="company", name_ko="팹", name_en="Fab", status="approved"
    )
    user = User.objects.create_user(username="poster", email="poster@example.org")
    Membership.objects.create(user=user, organisation=organisation, role="member")
    print(api_token_create(actor=user, name="load")[1])
    """
)

POSTER = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.test import Client
    token, poster, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    client = Client(raise_request_exception=False)
    codes = []
    for number in range(count):
        response = client.post(
            "/api/needs/",
            {
                "organisation": "fab",
                "kind": "technology_request",
                "title": f"Poster {poster} need {number}",
                "description": "An NPU verification partner for a RISC-V core.",
            },
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        codes.append(response.status_code)
    print(json.dumps(codes))
    """
)


def _environment(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SANGSAENG_ENV"}}
    env.update(
        DJANGO_SETTINGS_MODULE="sangsaeng.settings",
        SANGSAENG_ENV="development",
        DEBUG="false",
        SANGSAENG_VAR=str(database.parent),
        DATABASE_URL=f"sqlite:///{database}",
        # The posts are what is measured; their matching runs would only queue.
        TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
    )
    return env


def test_concurrent_api_posters_on_sqlite_lose_nothing(tmp_path):
    database = tmp_path / "concurrency.sqlite3"
    env = _environment(database)
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, timeout=300
    )
    assert setup.returncode == 0, setup.stderr
    token = setup.stdout.strip().splitlines()[-1]

    posters = [
        subprocess.Popen(
            [sys.executable, "-c", POSTER, token, str(number), str(POSTS_EACH)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(POSTERS)
    ]
    codes: list[int] = []
    for poster in posters:
        out, err = poster.communicate(timeout=600)
        assert poster.returncode == 0, err[-3000:]
        codes += json.loads(out.strip().splitlines()[-1])

    assert codes.count(201) == POSTERS * POSTS_EACH, sorted(set(codes))
    count = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from sangsaeng.matching.models import Need; "
            "print(Need.objects.count())",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert count.stdout.strip().splitlines()[-1] == str(POSTERS * POSTS_EACH)
