"""The import contract: handlers -> services -> storage, and Telegram only at the top.

- Nothing under bot/services, the outbox's plain parts (model, queue, split), bot/charts,
  bot/exports or storage imports `telegram`, not even through another module: a service is
  usable and testable without python-telegram-bot.
- A handler imports no storage module but the record dataclasses (`storage.records` and a
  feature's `storage.<feature>.records`): queries belong to the services.
- Storage imports neither `bot` nor `handlers`; services do not import `handlers`.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

NO_TELEGRAM = ["bot/services", "bot/outbox/model.py", "bot/outbox/queue.py",
               "bot/outbox/split.py", "bot/charts", "bot/exports", "bot/documents", "storage",
               "bot/buttons.py"]


def _files(*places: str) -> Iterator[Path]:
    for place in places:
        path = ROOT / place
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module an import statement in the file names (absolute imports; the project
    uses no relative ones), including imports inside functions and TYPE_CHECKING blocks."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _is(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def violations(places: list[str], forbidden: str, *,
               allowed: tuple[str, ...] = ()) -> list[str]:
    out = []
    for path in _files(*places):
        for name in sorted(imports_of(path)):
            if _is(name, forbidden) and not name.endswith(allowed) and name not in allowed:
                out.append(f"{path.relative_to(ROOT)} imports {name}")
    return out


def _record_module(name: str) -> bool:
    return name == "storage.records" or (name.startswith("storage.") and (
        name.endswith(".records") or ".records." in name))


def test_no_telegram_below_the_handlers() -> None:
    assert violations(NO_TELEGRAM, "telegram") == []


def test_no_telegram_below_the_handlers_even_indirectly() -> None:
    # Alembic's migration scripts run only inside Alembic's own context.
    modules = sorted({_module(p) for p in _files(*NO_TELEGRAM) if "migrations" not in p.parts})
    script = (
        "import importlib, json, sys\n"
        f"mods = {modules!r}\n"
        "pulled = []\n"
        "for m in mods:\n"
        "    importlib.import_module(m)\n"
        "    if 'telegram' in sys.modules:\n"
        "        pulled.append(m); break\n"
        "print(json.dumps(pulled))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert json.loads(done.stdout) == [], "importing this module loads python-telegram-bot"


def test_handlers_read_storage_through_services_only() -> None:
    bad = []
    for path in _files("handlers"):
        for name in sorted(imports_of(path)):
            if not _is(name, "storage"):
                continue
            # `from storage.records import Block` names storage.records and
            # storage.records.Block; `from storage import records` names storage too.
            if name == "storage" or _record_module(name):
                continue
            parent = name.rsplit(".", 1)[0]
            if _record_module(parent):
                continue
            bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert bad == []


def test_storage_knows_nothing_above_it() -> None:
    assert violations(["storage"], "bot") + violations(["storage"], "handlers") == []


def test_services_do_not_import_handlers() -> None:
    assert violations(["bot/services", "bot/outbox", "bot/charts", "bot/exports"],
                      "handlers") == []


@pytest.mark.parametrize(("source", "rule"), [
    ("from telegram import InlineKeyboardMarkup\n", "telegram"),
    ("def f():\n    import telegram.ext\n", "telegram"),
])
def test_the_contract_sees_an_import(tmp_path: Path, source: str, rule: str) -> None:
    """The checker itself: a forbidden import, even inside a function, is found."""
    module = tmp_path / "m.py"
    module.write_text(source)
    assert any(_is(name, rule) for name in imports_of(module))
