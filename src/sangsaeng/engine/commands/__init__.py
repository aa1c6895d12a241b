"""Batch command-line forms of the engine's capabilities (JSON Lines in, JSON Lines out).

Each module here exposes ``register(subparsers)``, adding one ``sangsaeng engine <name>``
subcommand whose handler returns a process exit code.
"""
