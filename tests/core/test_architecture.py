"""The layers the code promises (docs/architecture.md), checked on the sources themselves.

import-linter (run by ``make test``) checks which package imports which; these tests check
what sits inside the modules: pages and API endpoints read through selectors and write
through services, and every service keeps the one contract.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import sangsaeng

SOURCE = Path(sangsaeng.__file__).parent
APPS = sorted(
    path.parent.name
    for path in SOURCE.glob("*/apps.py")
    if path.parent.name not in {"core", "demo", "engine"}
)
# The modules that answer requests: they parse input, call one selector or service, render.
REQUEST_MODULES = sorted(
    path
    for app in APPS
    for pattern in ("views.py", "*_views.py", "api.py", "views/*.py", "api/*.py")
    for path in (SOURCE / app).glob(pattern)
)
# A queryset method or the policy's filter called in a view is a query the selectors lost.
QUERY_CALLS = {
    "restrict",
    "filter",
    "exclude",
    "select_related",
    "prefetch_related",
    "order_by",
    "annotate",
    "aggregate",
    "values_list",
    "in_bulk",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "create",
    "exists",
    "count",
}
# ``request.POST.filter``-like calls on these are dictionaries' or forms', not querysets'.
DICTIONARIES = {"GET", "POST", "FILES", "cleaned_data", "data", "headers", "META", "COOKIES"}


def _query_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{path.name}:{node.lineno} .objects")
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id == "restrict":
            found.append(f"{path.name}:{node.lineno} restrict()")
        if isinstance(function, ast.Attribute) and function.attr in QUERY_CALLS:
            owner = function.value
            if isinstance(owner, ast.Attribute) and owner.attr in DICTIONARIES:
                continue
            if isinstance(owner, ast.Name) and owner.id in {"router", "messages", "fields"}:
                continue
            found.append(f"{path.name}:{node.lineno} .{function.attr}()")
    return found


def test_the_request_modules_are_found():
    assert {path.name for path in REQUEST_MODULES} >= {"views.py", "api.py"}
    assert len(REQUEST_MODULES) >= 8


@pytest.mark.parametrize("path", REQUEST_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_views_and_api_hold_no_query(path: Path):
    assert _query_calls(path) == [], "read through the app's selectors instead"


def test_the_check_finds_a_query_in_a_view(tmp_path: Path):
    view = tmp_path / "views.py"
    view.write_text(
        "def page(request):\n"
        "    name = request.GET.get('q')\n"
        "    needs = restrict(Need.objects.all(), request.user)\n"
        "    return needs.filter(title=name)\n"
    )
    assert sorted(_query_calls(view)) == [
        "views.py:3 .objects",
        "views.py:3 restrict()",
        "views.py:4 .filter()",
    ]


SERVICE_MODULES = [
    f"sangsaeng.{app}.services" for app in APPS if (SOURCE / app / "services.py").exists()
]


@pytest.mark.parametrize("module_name", SERVICE_MODULES)
def test_every_service_keeps_the_contract(module_name: str):
    """Public functions of a services module are services: keyword-only, an actor, atomic."""
    module = importlib.import_module(module_name)
    public = [
        (name, function)
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module_name and not name.startswith("_")
    ]
    assert public
    plain = [name for name, function in public if not getattr(function, "is_service", False)]
    # notify() is the one helper other apps' services call inside their own transaction.
    assert plain in ([], ["notify"]), f"decorate with @service or make private: {plain}"


def test_a_function_that_breaks_the_contract_is_refused_at_import():
    from sangsaeng.core.services import service

    with pytest.raises(TypeError, match="keyword-only"):

        @service
        def positional(actor, need):  # pragma: no cover - never called
            return need

    with pytest.raises(TypeError, match="actor"):

        @service
        def anonymous(*, need):  # pragma: no cover - never called
            return need
