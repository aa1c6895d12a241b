"""``sangsaeng engine ...``: the engine's batch commands, usable without Django."""

from __future__ import annotations

import argparse
import importlib

# One module per capability; each exposes ``register(subparsers)``.
COMMAND_MODULES = (
    "sangsaeng.engine.commands.score",
    "sangsaeng.engine.commands.assign",
    "sangsaeng.engine.commands.match_students",
    "sangsaeng.engine.commands.schedule",
    "sangsaeng.engine.commands.allocate_mpw",
    "sangsaeng.engine.commands.select_awards",
)


def add_engine_parser(subparsers: argparse._SubParsersAction) -> None:
    engine = subparsers.add_parser(
        "engine",
        help="run the engine in batch on JSON Lines files (scoring, assignment, scheduling)",
        description="Batch forms of the engine's capabilities. Every command reads and "
        "writes JSON Lines, so it can be measured on data the platform never saw.",
    )
    engine_commands = engine.add_subparsers(dest="engine_command", metavar="COMMAND")
    engine_commands.required = True
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(engine_commands)
