"""The compiled geoparser (``setup.py``, :mod:`geo.compiled`) gives exactly the
pure-Python geoparser's output, and ``KHARITA_PURE_PYTHON=1`` switches to the latter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo import geoparse
from geo.compiled import COMPILED_MODULES, PURE_ENV

EVAL_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
CORPORA = ("anercorp_train", "idrisi_d_ar", "lgl", "tr_news", "hipe2020_fr")
PER_CORPUS = 30  # documents spread over each corpus: every n-th one

# Run in a fresh process so that the environment decides which modules load.
# Prints which modules were compiled, then one line per document: the exact
# reprs of its mentions (places, offsets, confidences, reasons) and sentences.
RUN = """
import importlib, json, sys
from geo import geoparse
from geo.compiled import COMPILED_MODULES, is_compiled
docs = json.load(sys.stdin)
out = [repr((r.lang, r.mentions, r.sentences))
       for r in (geoparse(text, lang=lang) for text, lang in docs)]
compiled = [is_compiled(importlib.import_module(m)) for m in COMPILED_MODULES]
print(json.dumps({"compiled": compiled, "results": out}))
"""


def _slices() -> list[tuple[str, str | None]]:
    """Every n-th document of each eval corpus, ``PER_CORPUS`` of each."""
    docs: list[tuple[str, str | None]] = []
    for name in CORPORA:
        lines = (EVAL_DIR / f"{name}.jsonl").read_text(encoding="utf-8").split("\n")
        rows = [json.loads(line) for line in lines if line.strip()]
        step = max(1, len(rows) // PER_CORPUS)
        docs += [(r["text"], r.get("lang")) for r in rows[::step][:PER_CORPUS]]
    return docs


def _run(docs: list[tuple[str, str | None]], *, pure: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != PURE_ENV}
    if pure:
        env[PURE_ENV] = "1"
    out = subprocess.run([sys.executable, "-c", RUN], input=json.dumps(docs), env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.skipif(not EVAL_DIR.is_dir(), reason="../shared/eval is absent")
def test_compiled_and_pure_geoparsers_agree_on_eval_corpora() -> None:
    docs = _slices()
    pure, compiled = _run(docs, pure=True), _run(docs, pure=False)
    assert not any(pure["compiled"]), "KHARITA_PURE_PYTHON=1 still loaded extensions"
    if not all(compiled["compiled"]):
        built = dict(zip(COMPILED_MODULES, compiled["compiled"], strict=True))
        pytest.skip(f"compiled geoparser not built (pip install -e . builds it): {built}")
    assert len(pure["results"]) == len(docs) == 5 * PER_CORPUS
    assert sum(r.count("Mention(") for r in pure["results"]) > 200  # a real comparison
    for doc, a, b in zip(docs, pure["results"], compiled["results"], strict=True):
        assert a == b, f"outputs differ on {doc[0][:80]!r}"


@pytest.mark.parametrize(("value", "pure"), [("1", True), ("0", False), ("", False)])
def test_pure_python_switch(value: str, pure: bool) -> None:
    code = ("import importlib, geo.compiled as c\n"
            "print(c.pure_requested(), all(importlib.import_module(m).__file__.endswith('.py')"
            " for m in c.COMPILED_MODULES))")
    env = {**os.environ, PURE_ENV: value}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    requested, sources = out.stdout.split()
    assert requested == str(pure)
    if pure:
        assert sources == "True"  # every listed module imported from its .py file


def test_a_source_newer_than_its_extension_is_imported_from_source(tmp_path) -> None:
    from importlib.machinery import EXTENSION_SUFFIXES

    from geo.compiled import _stale

    source = tmp_path / "scan.py"
    source.write_text("")
    assert not _stale(source)  # never built: the usual import finds the .py anyway
    built = tmp_path / f"scan{EXTENSION_SUFFIXES[0]}"
    built.write_bytes(b"")
    os.utime(source, (1_000, 1_000))
    os.utime(built, (2_000, 2_000))
    assert not _stale(source)
    os.utime(source, (3_000, 3_000))  # edited after the build
    assert _stale(source)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_str_subclass_parses_like_its_str(lang: str) -> None:
    # The compiled scan types its text as exactly str; a subclass (markupsafe's
    # Markup, say) must still parse, into the same spans.
    class Text(str):
        pass

    text = {"en": "Clashes in Mali, near Gao and north of Kidal. " * 3,
            "ar": "اشتباكات في مالي قرب غاو وشمال كيدال. " * 3}[lang]
    plain = geoparse(text, lang=lang).mentions
    derived = geoparse(Text(text), lang=lang).mentions
    assert [(m.start, m.end, m.place) for m in derived] == [
        (m.start, m.end, m.place) for m in plain]
    assert len(plain) >= 6
