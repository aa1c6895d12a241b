"""The ``sangsaeng`` console script: run the platform and its batch jobs.

``sangsaeng engine ...`` runs without Django; every other command sets Django up
first and delegates to a management command, so ``manage.py`` keeps working too.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from collections.abc import Sequence

from sangsaeng.engine.cli import add_engine_parser


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    import django

    django.setup()


def _call(name: str, *args: str, **options: object) -> int:
    _django_setup()
    from django.core.management import call_command

    call_command(name, *args, **options)
    return 0


def demo_environment(port: int) -> dict[str, str]:
    """What the demo sets before Django starts, unless the environment says otherwise.

    DEBUG off, so that a 404 shows the site's page, not the URL patterns; the site's
    address on the demo's port, so that links in mails open the demo.
    """
    return {
        "SANGSAENG_ENV": "development",
        "DEBUG": "false",
        "PORT": str(port),
        "SANGSAENG_SITE_URL": f"http://127.0.0.1:{port}",
    }


def _demo(args: argparse.Namespace) -> int:
    for name, value in demo_environment(args.port).items():
        os.environ.setdefault(name, value)
    _django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # With DEBUG off the static files are served by WhiteNoise from STATIC_ROOT.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", seed=args.seed)
    # Matching runs as background tasks: the demo starts one worker beside the server.
    worker = subprocess.Popen([sys.executable, "-m", "sangsaeng.cli", "worker"])
    # Stopping the demo (Ctrl-C or a plain kill) stops its worker too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from sangsaeng.server import ServerOptions, default_workers, serve

    serve(
        ServerOptions(
            host=args.host,
            port=args.port,
            workers=args.workers or default_workers(),
            threads=args.threads,
            timeout=args.timeout,
            prepare=not args.no_prepare,
        )
    )
    return 0


def _worker(args: argparse.Namespace) -> int:
    _django_setup()
    from django.core.management import call_command

    from sangsaeng.core.interrupted import mark_interrupted_work, worker_id

    # Work a dead worker of this host left "running" is marked failed, runs and all.
    mark_interrupted_work()
    call_command("db_worker", reload=False, worker_id=worker_id())
    return 0


def _manage(args: argparse.Namespace) -> int:
    _django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sangsaeng manage", *args.arguments])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sangsaeng",
        description="Sangsaeng (상생): run the cluster platform and its batch jobs.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser(
        "demo",
        help="migrate an SQLite database, load the demo cluster and serve it",
        description="Create or update the database, load the Seongnam demo cluster "
        "(idempotent: a second run reuses what exists) and serve it, with one background "
        "worker for matching runs.",
    )
    demo.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    demo.add_argument("--seed", type=int, default=20261125, help="seed of the fictional data")
    demo.set_defaults(handler=_demo)

    serve = commands.add_parser(
        "serve",
        help="serve the platform with a production web server (gunicorn, several processes)",
        description="Migrate the database, create the cache table, collect the static files, "
        "load the models and the search index, then serve with several processes that share "
        "them. Put a TLS-terminating reverse proxy in front (docs/deployment.md): forwarded "
        "headers are believed only from TRUSTED_PROXIES (loopback by default).",
    )
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes (default: WEB_WORKERS, else the CPU count up to 4)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("WEB_THREADS", "4")),
        help="threads per process (default: WEB_THREADS, else 4)",
    )
    serve.add_argument(
        "--timeout", type=int, default=120, help="seconds before a stuck worker is restarted"
    )
    serve.add_argument(
        "--no-prepare",
        action="store_true",
        help="skip migrate, createcachetable and collectstatic (when a deployment step did them)",
    )
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser(
        "worker",
        help="run background tasks (matching, mail, schedules); marks interrupted ones failed",
        description="Run the database task worker. At start, tasks that a worker of this "
        "machine left running when it died (killed, out of memory) are marked failed, and "
        "so are the runs they computed, which then say so on their pages.",
    )
    worker.set_defaults(handler=_worker)

    importer = commands.add_parser(
        "import",
        help="import organisations and people from a CSV or XLSX file",
        description="Import organisations or people. A file with any bad row imports "
        "nothing and lists every bad row with its line number and the reason.",
    )
    importer.add_argument("file", help="a .csv or .xlsx file")
    importer.add_argument(
        "--kind",
        choices=["organisations", "people"],
        help="what the file holds (default: guessed from its columns)",
    )
    importer.set_defaults(
        handler=lambda a: _call("import_directory", a.file, **({"kind": a.kind} if a.kind else {}))
    )

    exporter = commands.add_parser("export", help="export organisations or people as CSV or XLSX")
    exporter.add_argument("--kind", choices=["organisations", "people"], default="organisations")
    exporter.add_argument(
        "--out", default="-", help="output file (.csv or .xlsx); - for standard output"
    )
    exporter.set_defaults(handler=lambda a: _call("export_directory", kind=a.kind, out=a.out))

    reindex = commands.add_parser(
        "reindex",
        help="rebuild the search index from the database and snapshot it",
        description="Rebuild the engine's search index (experts, organisations, needs and "
        "offers) from the database and write a snapshot under ENGINE_INDEX_DIR that every "
        "process starts from. Safe while the site runs; processes catch up from the change log.",
    )
    reindex.add_argument("--folder", help="snapshot folder (default: ENGINE_INDEX_DIR)")
    reindex.add_argument("--keep-log", action="store_true", help="keep the change log")
    reindex.set_defaults(
        handler=lambda a: _call(
            "reindex", **({"folder": a.folder} if a.folder else {}), keep_log=a.keep_log
        )
    )

    manage = commands.add_parser("manage", help="run any Django management command", add_help=False)
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=_manage)

    add_engine_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
