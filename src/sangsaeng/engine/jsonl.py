"""Reading and writing the JSON Lines files that every engine batch command uses.

Errors name the file and line (``scores.jsonl:12: ...``) so that a person can fix the input;
commands turn :class:`JsonlError` (and any other ``ValueError`` about the input) into exit code 2.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Container, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

_MISSING: Any = object()


class JsonlError(ValueError):
    """A line of a JSON Lines file that cannot be used, with where it is and why."""

    def __init__(self, path: str | Path, line: int, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        super().__init__(f"{self.path}:{line}: {reason}")


@contextmanager
def _open_for_reading(path: str | Path) -> Iterator[IO[str]]:
    if str(path) == "-":
        yield sys.stdin
        return
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as error:
        raise JsonlError(path, 0, f"cannot open: {error.strerror or error}") from error
    with handle:
        yield handle


def read_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-blank line; every line must be a JSON object."""
    with _open_for_reading(path) as handle:
        line_number = 0
        try:
            for line_number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                except json.JSONDecodeError as error:
                    raise JsonlError(path, line_number, f"not valid JSON ({error.msg})") from None
                if not isinstance(record, dict):
                    raise JsonlError(
                        path, line_number, f"expected a JSON object, got {type(record).__name__}"
                    )
                yield line_number, record
        except UnicodeDecodeError as error:
            raise JsonlError(path, line_number + 1, f"not UTF-8 text ({error.reason})") from None


def write_jsonl(path: str | Path, records: Iterable[Mapping[str, Any]]) -> int:
    """Write one compact JSON object per line (UTF-8, Korean kept readable); return the count.

    ``-`` writes to standard output.
    """
    if str(path) == "-":
        return _write_records(sys.stdout, records)
    with open(path, "w", encoding="utf-8") as handle:
        return _write_records(handle, records)


def _write_records(handle: IO[str], records: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        handle.write("\n")
        count += 1
    handle.flush()
    return count


def field(
    record: Mapping[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    *,
    path: str | Path,
    line: int,
    default: Any = _MISSING,
) -> Any:
    """Return ``record[key]`` checked against ``kind``; raise :class:`JsonlError` if bad.

    ``bool`` is never accepted where a number is expected (JSON ``true`` is not a load of 1),
    and numbers must be finite.
    """
    if key not in record or record[key] is None:
        if default is _MISSING:
            raise JsonlError(path, line, f'missing "{key}"')
        return default
    value = record[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise JsonlError(path, line, f'"{key}" must be {_describe(kinds)}, got {value!r}')
    if float in kinds and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kinds):
        raise JsonlError(path, line, f'"{key}" must be {_describe(kinds)}, got {value!r}')
    if isinstance(value, float) and not math.isfinite(value):
        raise JsonlError(path, line, f'"{key}" must be a finite number, got {value!r}')
    return value


def identifier(record: Mapping[str, Any], key: str, *, path: str | Path, line: int) -> str:
    """An id field: a non-empty string, or an integer (kept as its decimal text)."""
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise JsonlError(path, line, f'"{key}" must be a non-empty string id, got {value!r}')
    return str(value)


def require_known(
    value: str,
    known: Container[str],
    *,
    noun: str,
    source: str,
    path: str | Path,
    line: int,
    role: str = "",
) -> str:
    """``value`` when another file defines it, else an error naming that file.

    The message reads "<noun> 'x' is not [<role>] in the <source> file".
    """
    if value not in known:
        as_role = f"{role} " if role else ""
        raise JsonlError(path, line, f"{noun} {value!r} is not {as_role}in the {source} file")
    return value


def _describe(kinds: tuple[type, ...]) -> str:
    names = {
        int: "an integer",
        float: "a number",
        str: "a string",
        bool: "true or false",
        list: "a list",
        dict: "an object",
    }
    names_list = [names.get(kind, kind.__name__) for kind in kinds]
    return " or ".join(names_list)
