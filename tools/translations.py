#!/usr/bin/env python3
"""Extract, compile and check Agent Desk's translations (Qt Linguist tools from PySide6).

    python tools/translations.py update   # sources -> resources/translations/agent_desk_zh_CN.ts
    python tools/translations.py build    # .ts -> resources/translations/agent_desk_zh_CN.qm
    python tools/translations.py check    # exit 1 if the .ts/.qm are stale or incomplete
    python tools/translations.py todo     # the unfinished entries as JSON (to translate)
    python tools/translations.py fill F   # F: that JSON with "translation" filled in

``update`` runs ``pyside6-lupdate`` over every ``agent_desk/ui/*.py``: new strings are added
as unfinished, existing translations are kept, strings no longer in the code are dropped.
No source locations are stored, so moving code around does not change the .ts. Translate
the unfinished entries (Qt Linguist: ``pyside6-linguist FILE.ts``, or any editor), then
``build``. Both the .ts and the compiled .qm are committed: a fresh checkout runs in
Chinese without building anything.

``check`` (also run by the test suite) fails when the code has strings the .ts lacks (or
the .ts has strings the code no longer uses), when an entry is unfinished or empty, when a
translation lost a placeholder (``%1``, ``%n``) or when the .qm was not built from the
current .ts.

Run it with the project's interpreter (``.venv/bin/python tools/translations.py ...``):
the tools are taken from next to that interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = ROOT / "agent_desk" / "ui"
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN",)
SOURCE_LANGUAGE = "en"
#: Placeholders a translation must keep: ``%1`` … ``%99`` and ``%n`` (plural count).
_PLACEHOLDER = re.compile(r"%(?:\d{1,2}|n)")


class ToolError(Exception):
    """A Qt tool is missing or failed; the message is for the user."""


def tool(name: str) -> Path:
    """``pyside6-lupdate``/``pyside6-lrelease`` installed next to the running interpreter."""
    exe = Path(sys.executable).parent / (name + (".exe" if os.name == "nt" else ""))
    if not exe.is_file():
        raise ToolError(
            f"{exe.name} was not found next to the Python interpreter ({sys.executable}).\n"
            "Run this script with the project's virtual environment, e.g. "
            "'.venv/bin/python tools/translations.py ...' ('.venv\\Scripts\\python.exe' on "
            "Windows), or install PySide6 into the interpreter you use (pip install pyside6).")
    return exe


def sources() -> list[Path]:
    """Every module whose strings are translated (sorted, so runs are reproducible)."""
    return sorted(SOURCES_DIR.glob("*.py"))


def ts_file(lang: str) -> Path:
    return TRANSLATIONS_DIR / f"agent_desk_{lang}.ts"


def qm_file(lang: str) -> Path:
    return TRANSLATIONS_DIR / f"agent_desk_{lang}.qm"


def _run(cmd: list[str | Path]) -> str:
    proc = subprocess.run([str(c) for c in cmd], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", check=False)
    out = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        raise ToolError(f"{Path(str(cmd[0])).name} failed ({proc.returncode}):\n{out}")
    return out


def _rel(path: Path) -> Path:
    """``path`` as shown in messages (relative to the checkout when inside it)."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _lupdate(ts: Path, lang: str) -> str:
    return _run([tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete",
                 "-source-language", SOURCE_LANGUAGE, "-target-language", lang,
                 *sources(), "-ts", ts])


def _lrelease(ts: Path, qm: Path) -> str:
    return _run([tool("pyside6-lrelease"), ts, "-qm", qm])


# ---- commands -------------------------------------------------------------------------------

def update(langs: tuple[str, ...] = LANGUAGES) -> None:
    """Extract the strings into each .ts (keeping what is translated)."""
    TRANSLATIONS_DIR.mkdir(parents=True, exist_ok=True)
    for lang in langs:
        print(_lupdate(ts_file(lang), lang))
        _drop_code_comments(ts_file(lang))


def _drop_code_comments(ts: Path) -> None:
    """lupdate takes Python ``#:`` comments (attribute docs, not notes for translators) as
    translator comments; they only confuse translators, so they are not kept."""
    text = ts.read_text("utf-8")
    kept = re.sub(r"\n[ \t]*<extracomment>.*?</extracomment>", "", text, flags=re.S)
    if kept != text:
        ts.write_text(kept, "utf-8")


def build(langs: tuple[str, ...] = LANGUAGES) -> None:
    """Compile each .ts into the .qm the application loads."""
    for lang in langs:
        print(_lrelease(ts_file(lang), qm_file(lang)))


def messages(ts: Path) -> list[dict[str, object]]:
    """Each message of ``ts``: context, source, comment, numerus, type, translations."""
    out: list[dict[str, object]] = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            forms: list[str] = []
            kind = ""
            if tr is not None:
                kind = tr.get("type", "")
                nf = tr.findall("numerusform")
                forms = [f.text or "" for f in nf] if nf else [tr.text or ""]
            out.append({"context": name, "source": msg.findtext("source") or "",
                        "comment": msg.findtext("comment") or "",
                        "numerus": msg.get("numerus") == "yes", "type": kind,
                        "translations": forms})
    return out


def _keys(ts: Path) -> set[tuple[str, str, str, bool]]:
    """What identifies each message of ``ts``: context, source, comment, plural or not."""
    return {(str(m["context"]), str(m["source"]), str(m["comment"]), bool(m["numerus"]))
            for m in messages(ts)}


def problems(lang: str) -> list[str]:
    """What is wrong with the translation into ``lang`` (empty: current and complete)."""
    ts, qm = ts_file(lang), qm_file(lang)
    if not ts.is_file():
        return [f"{_rel(ts)} is missing: run 'tools/translations.py update'"]
    found: list[str] = []
    with tempfile.TemporaryDirectory(prefix="agent-desk-tr-") as tmp:
        fresh = Path(tmp) / ts.name
        shutil.copyfile(ts, fresh)
        _lupdate(fresh, lang)
        old, new = _keys(ts), _keys(fresh)  # by content: other lupdate versions may format
        if old != new:
            detail = [f"  new in the code: {k[0]}: {k[1]!r}" for k in sorted(new - old)]
            detail += [f"  no longer in the code: {k[0]}: {k[1]!r}" for k in sorted(old - new)]
            found.append(f"{_rel(ts)} is stale: run 'tools/translations.py update'\n"
                         + "\n".join(detail[:40]))
        for m in messages(ts):
            where = f"{m['context']}: {m['source']!r}"
            forms = [str(f) for f in m["translations"]]  # type: ignore[attr-defined]
            if m["type"] in ("unfinished", "vanished", "obsolete") or not forms \
                    or not all(f.strip() for f in forms):
                found.append(f"unfinished or empty translation: {where}")
                continue
            want = sorted(set(_PLACEHOLDER.findall(str(m["source"]))))
            for f in forms:
                have = sorted(set(_PLACEHOLDER.findall(f)))
                if have != want and not (m["numerus"] and set(have) == set(want) - {"%n"}):
                    found.append(f"placeholders {have} instead of {want}: {where} -> {f!r}")
        if not found:
            built = Path(tmp) / qm.name
            _lrelease(ts, built)
            if not qm.is_file() or qm.read_bytes() != built.read_bytes():
                found.append(f"{_rel(qm)} was not built from the current .ts: run "
                             "'tools/translations.py build'")
    return found


def check(langs: tuple[str, ...] = LANGUAGES) -> list[str]:
    """Every problem of every language (empty: all current and complete)."""
    return [p for lang in langs for p in problems(lang)]


def todo(lang: str = LANGUAGES[0]) -> list[dict[str, object]]:
    """The unfinished entries of ``lang``: context, source, numerus (to translate)."""
    return [{"context": m["context"], "source": m["source"], "numerus": m["numerus"],
             "translation": "" if not m["numerus"] else ["", ""]}
            for m in messages(ts_file(lang))
            if m["type"] == "unfinished" or not m["translations"]
            or not all(str(f).strip() for f in m["translations"])]  # type: ignore[attr-defined]


def fill(entries: list[dict[str, object]], lang: str = LANGUAGES[0]) -> int:
    """Write translations (``todo``'s entries with ``translation`` filled) into the .ts;
    an entry's translation is a string, or a list of forms for plural (``%n``) messages.
    Returns how many were filled; run ``update`` and ``build`` afterwards."""
    ts = ts_file(lang)
    text = ts.read_text("utf-8")
    tree = ET.ElementTree(ET.fromstring(text))
    wanted = {(str(e["context"]), str(e["source"])): e["translation"] for e in entries
              if e.get("translation")}
    done = 0
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            value = wanted.get((name, msg.findtext("source") or ""))
            tr = msg.find("translation")
            if value is None or tr is None:
                continue
            tr.attrib.pop("type", None)
            for child in list(tr):
                tr.remove(child)
            if isinstance(value, list):
                tr.text = None
                for form in value:
                    ET.SubElement(tr, "numerusform").text = str(form)
            else:
                tr.text = str(value)
            done += 1
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                  "utf-8")
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/translations.py",
                                     description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("command", choices=("update", "build", "check", "todo", "fill"))
    parser.add_argument("file", nargs="?", help="fill: the JSON file of translations")
    args = parser.parse_args(argv)
    try:
        if args.command == "update":
            update()
        elif args.command == "todo":
            print(json.dumps(todo(), ensure_ascii=False, indent=1))
        elif args.command == "fill":
            if not args.file:
                parser.error("fill needs the JSON file")
            entries = json.loads(Path(args.file).read_text("utf-8"))
            print(f"filled {fill(entries)} translation(s); now run update and build")
        elif args.command == "build":
            build()
        else:
            found = check()
            for p in found:
                print(p, file=sys.stderr)
            if found:
                return 1
            print("translations are current and complete: " + ", ".join(LANGUAGES))
    except ToolError as exc:
        print(f"tools/translations.py: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
