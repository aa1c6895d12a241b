"""`sangsaeng engine schedule`: not written yet (placeholder so the command list is stable)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("schedule", help="(not available yet)")
    parser.set_defaults(handler=lambda args: parser.error("not available yet"))
