"""`sangsaeng serve`: the production web server (gunicorn), prepared and warmed before it forks.

Why gunicorn with a preloaded application: the parent process loads Django, the embedding
model and the search index once, then forks its workers, which share that memory
copy-on-write (NumPy arrays are not touched by reference counting, so the model's weights
and the index's vectors stay shared). Gunicorn restarts a worker that dies or hangs past
its timeout, reloads gracefully on SIGHUP and stops gracefully on SIGTERM, which a
home-made pre-fork loop around waitress would have to reimplement.

Before forking, the parent makes a fresh install servable: it migrates the database,
creates the cache table (the shared rate-limit counters) and collects the static files
that whitenoise serves. The Korean analyser (Kiwi, about 500 MB) runs without threads
here, since its threads would not survive fork, and so is shared by the workers too. Each
worker analyses and embeds one query before it takes its first request, and from then on
leaves indexing to a thread of its own (``SearchIndex.follow_in_background``): a request
waits for it at most ``SEARCH_INDEX_WAIT_SECONDS``, so one long text being indexed never
holds every search behind the index lock.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication

logger = logging.getLogger("sangsaeng.server")


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    threads: int = 4
    timeout: int = 120
    prepare: bool = True


def default_workers() -> int:
    return int(os.environ.get("WEB_WORKERS", str(min(os.cpu_count() or 1, 4))))


def prepare() -> None:
    """Make a fresh install servable: database tables, cache table, static files."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not settings.DEBUG:
        # Fast when nothing changed; whitenoise serves the collected, hashed files.
        call_command("collectstatic", interactive=False, verbosity=0)


def warm_up() -> None:
    """Load the embedding model and the search index, and analyse and embed one query."""
    from sangsaeng.search.index import search_index

    index = search_index()
    index.current()
    index.analyzer.terms("반도체 설계 검증 semiconductor design verification")
    index.embedder.embed_queries(["반도체 설계 검증"])


def _post_fork(server: Any, worker: Any) -> None:
    from django.conf import settings
    from django.db import connections

    from sangsaeng.search.index import search_index

    connections.close_all()  # never share the parent's database connections
    warm_up()  # touch every model once before the first request
    # Requests never index: a thread of the worker applies the change log.
    search_index().follow_in_background(wait=settings.SEARCH_INDEX_WAIT_SECONDS)


class SangsaengServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        from django.conf import settings

        config = {
            "bind": f"{self.options.host}:{self.options.port}",
            "workers": self.options.workers,
            "worker_class": "gthread",
            "threads": self.options.threads,
            "timeout": self.options.timeout,
            "graceful_timeout": 30,
            # Longer than a reader's pause: an idle keep-alive connection closed by the server
            # just as the client reuses it is a failed request (held by the poller, no thread).
            "keepalive": 30,
            "preload_app": True,
            # X-Forwarded-Proto from these addresses only (sangsaeng.wsgi applies the rest).
            "forwarded_allow_ips": ",".join(settings.TRUSTED_PROXIES),
            "accesslog": "-",
            "errorlog": "-",
            "post_fork": _post_fork,
            "proc_name": "sangsaeng",
            # No control socket in $HOME: two servers on one machine would share its path.
            "control_socket_disable": True,
        }
        for key, value in config.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from django.db import connections

        if self.options.prepare:
            prepare()  # before the application exists: whitenoise lists the files it finds
        from sangsaeng.wsgi import application

        warm_up()
        connections.close_all()
        return application


def serve(options: ServerOptions) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    # One Korean analyser without threads, loaded here and shared by every worker.
    os.environ.setdefault("SANGSAENG_KIWI_THREADS", "0")
    import django

    django.setup()
    print(
        f"Sangsaeng serving on http://{options.host}:{options.port}/ "
        f"({options.workers} processes × {options.threads} threads)",
        flush=True,
    )
    SangsaengServer(options).run()
