"""How many database queries the main pages make, as each demo role sees them.

    SANGSAENG_VAR=/tmp/sangsaeng-queries .venv/bin/python bench/queries/page_queries.py

Migrates and loads the demo into the SQLite database under SANGSAENG_VAR (reused when it
exists), then fetches each page once to warm the search index and once under Django's
``CaptureQueriesContext``, printing the query count per page and role.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
os.environ.setdefault("SANGSAENG_ENV", "development")


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sangsaeng.demo.loader import ACCOUNTS, DEMO_PASSWORD
    from sangsaeng.directory.models import Person
    from sangsaeng.matching.models import Need

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    expert = Person.objects.filter(kind="expert", is_public=True, publications__isnull=False)
    expert_slug = expert.order_by("pk").first().slug
    need_pk = Need.objects.filter(visibility="public").order_by("pk").first().pk
    pages = {
        "directory list": "/ko/directory/experts/",
        "directory search": "/ko/directory/experts/?q=RISC-V",
        "expert page": f"/ko/directory/experts/{expert_slug}/",
        "need page": f"/ko/needs/{need_pk}/",
    }
    roles = {"anonymous": None, **{a.role.split()[0]: a.email for a in ACCOUNTS}}
    print(f"{'page':<18} " + " ".join(f"{role:>10}" for role in roles))
    for label, url in pages.items():
        counts = []
        for email in roles.values():
            client = Client()
            if email:
                client.login(username=email, password=DEMO_PASSWORD)
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url).status_code
            counts.append(f"{len(queries)}" + ("" if status == 200 else f"({status})"))
        print(f"{label:<18} " + " ".join(f"{c:>10}" for c in counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
