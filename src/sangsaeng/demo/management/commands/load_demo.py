"""``load_demo [--seed S] [--scale X] [--reset]``: load the Seongnam demo cluster."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sangsaeng.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the Seongnam AI and fabless demo cluster: the real organisations and agreements, "
        "fictional companies, experts and students generated from --seed, and one demo account "
        "per role (printed at the end). Idempotent: when the demo is loaded it returns at once; "
        "--reset removes the demo's records and loads them again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=20261125, help="seed of the fictional data")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="size of the fictional part (1 = 64 companies, 200 experts, 300 students)",
        )
        parser.add_argument(
            "--reset", action="store_true", help="remove the demo's records and load them again"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["scale"] <= 1.5:
            from django.core.management.base import CommandError

            raise CommandError("--scale must be above 0 and at most 1.5.")
        result = load_demo(seed=options["seed"], scale=options["scale"], reset=options["reset"])
        if result.already_loaded:
            self.stdout.write(f"The demo is already loaded (checked in {result.seconds:.1f} s).")
        else:
            self.stdout.write(f"Loaded the demo in {result.seconds:.1f} s.")
        for name, count in result.counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write("Demo accounts (log in with the e-mail address):")
        for account in result.accounts:
            note = f"  ({account.note})" if account.note else ""
            self.stdout.write(f"  {account.role:<34} {account.email:<40} {account.password}{note}")
