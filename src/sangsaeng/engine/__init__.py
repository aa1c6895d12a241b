"""The engine: text analysis, indexes, scoring, assignment and scheduling.

It imports nothing from Django or the platform's apps (an import-linter contract
enforces this), so that it can be tested, benchmarked and run in batch on its own.
"""
