"""``kharita`` command line: parse, export, eval, index, ingest.

The web server command (``kharita serve``) is added by :mod:`webapp.cli`, so
that :mod:`geo` never imports the web layer.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from geo.bulk.command import ingest_command
from geo.errors import KharitaError
from geo.formats import FORMATS
from geo.text import (
    decode_text,
    html_to_text,
    iter_documents,
    looks_like_html,
    read_text_file,
)


def _read_input(path: str) -> str:
    """Read a file (or ``-`` for standard input) as text, HTML reduced to text."""
    if path == "-":
        text = decode_text(sys.stdin.buffer.read(), name="<stdin>")
        return html_to_text(text) if looks_like_html(text) else text
    return read_text_file(path)


def _fail(exc: KharitaError) -> None:
    """Turn a library error into a clean CLI error (exit status 1)."""
    raise click.ClickException(str(exc)) from None


@click.group(help="Kharita: place mentions and conflict map layers from ar/fr/en text.")
def cli() -> None:
    """Command group; subcommands do the work."""


def fallback_options(command: Any) -> Any:
    """Options naming an optional online geocoder for names the gazetteer lacks."""
    options = [
        click.option("--geocoder-fallback", envvar="KHARITA_GEOCODER_FALLBACK", default=None,
                     help="geopy service asked about names the offline gazetteer lacks "
                          "(e.g. nominatim); off by default: nothing leaves the machine."),
        click.option("--geocoder-url", envvar="KHARITA_GEOCODER_URL", default=None,
                     help="Base URL of a self-hosted fallback service."),
        click.option("--geocoder-user-agent", envvar="KHARITA_GEOCODER_USER_AGENT",
                     default=None, help="User agent sent to the fallback service."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _geocoder(name: str | None, url: str | None, user_agent: str | None) -> Any:
    """The fallback geocoder the options describe, or None when off."""
    if not name:
        return None
    from geo.geocoder import make_geocoder

    return make_geocoder(fallback=name, fallback_url=url, user_agent=user_agent)


@cli.command("parse")
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "geojson"]),
              default="table", show_default=True, help="Output format.")
@click.option("--lang", type=click.Choice(["ar", "fr", "en"]), default=None,
              help="Language of the text (detected when omitted).")
@click.option("--layers", default=None, help="Comma-separated layer ids for --format geojson.")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Publication date (YYYY-MM-DD): the date of features whose sentence "
                   "gives none.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for --format jsonl (a corpus of many documents).")
@fallback_options
def parse_command(file: str, fmt: str, lang: str | None, layers: str | None,
                  published: datetime | None, jobs: int, geocoder_fallback: str | None,
                  geocoder_url: str | None, geocoder_user_agent: str | None) -> None:
    """Find place mentions in FILE (or - for standard input)."""
    from geo.pipeline import geoparse

    if jobs > 1 and fmt != "jsonl":
        raise click.UsageError("--jobs only applies to --format jsonl (one text is one job)")
    if jobs > 1 and geocoder_fallback:
        raise click.UsageError("--jobs cannot be used with --geocoder-fallback: the online "
                               "service's rate limit holds for one process only")
    try:
        geocoder = _geocoder(geocoder_fallback, geocoder_url, geocoder_user_agent)
        if fmt == "jsonl":
            _parse_jsonl(file, lang, geocoder, jobs)
            return
        text = _read_input(file)
        if fmt == "geojson":
            collection = _feature_collection(text, lang, geocoder, layers, published)
            click.echo(json.dumps(collection, ensure_ascii=False))
            return
        result = geoparse(text, lang=lang, geocoder=geocoder)
        if fmt == "json":
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            click.echo(_table(result))
    except KharitaError as exc:
        _fail(exc)


def _parse_jsonl(file: str, lang: str | None, geocoder: Any, jobs: int = 1) -> None:
    """One output line ``{"id", "lang", "mentions"}`` per input line, in input order."""
    from geo.pipeline import geoparse, geoparse_many

    docs = list(_jsonl_docs(file))  # validated whole first: a bad line fails before any work
    if jobs > 1:
        results = geoparse_many(((d["text"], d.get("lang") or lang) for d in docs), jobs=jobs)
    else:
        results = (geoparse(d["text"], lang=d.get("lang") or lang, geocoder=geocoder)
                   for d in docs)
    for doc, result in zip(docs, results, strict=True):
        line = {"id": doc.get("id"), **result.to_dict()}
        click.echo(json.dumps(line, ensure_ascii=False))


def _jsonl_docs(file: str) -> Iterator[dict[str, Any]]:
    """Documents of a JSON-lines input, validated line by line."""
    return iter_documents(_read_input(file), name=file)


def _feature_collection(text: str, lang: str | None, geocoder: Any, layers: str | None,
                        published: datetime | None) -> dict[str, Any]:
    """All layers of ``text`` (or the selected ones; an unknown id is an error naming the
    valid ones) as one FeatureCollection."""
    from geo.layers import to_feature_collection
    from geo.pipeline import map_text

    select = [s.strip() for s in layers.split(",") if s.strip()] if layers else None
    mapped = map_text(text, lang=lang, geocoder=geocoder, layers=select,
                      published=published.date() if published else None)
    return to_feature_collection(mapped.layers, select=select)


def _table(result: Any) -> str:
    """A readable fixed-width table of mentions."""
    rows = [f"{'start':>6} {'end':>6}  {'kind':<8} {'prec':>4} {'conf':>5}  surface -> place"]
    for m in result.mentions:
        place = f"{m.place.name} [{m.place.id}]" if m.place else f"(unresolved: {m.reason})"
        rows.append(f"{m.start:>6} {m.end:>6}  {m.kind:<8} {m.precision or '-':>4} "
                    f"{m.confidence:>5.2f}  {m.surface} -> {place}")
    rows.append(f"{len(result.mentions)} mention(s), language {result.lang}")
    return "\n".join(rows)


@cli.command("export")
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="geojson",
              show_default=True, help="Output format.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Where to write the layers.")
@click.option("--lang", type=click.Choice(["ar", "fr", "en"]), default=None)
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Publication date (YYYY-MM-DD): the date of features whose sentence "
                   "gives none.")
@fallback_options
def export_command(file: str, fmt: str, output: str, lang: str | None,
                   published: datetime | None, geocoder_fallback: str | None,
                   geocoder_url: str | None, geocoder_user_agent: str | None) -> None:
    """Parse FILE and write its map layers to OUTPUT."""
    from geo.export import write_layers
    from geo.pipeline import map_text

    try:
        geocoder = _geocoder(geocoder_fallback, geocoder_url, geocoder_user_agent)
        layers = map_text(_read_input(file), lang=lang, geocoder=geocoder,
                          published=published.date() if published else None).layers
        write_layers(layers, Path(output), fmt)
    except KharitaError as exc:
        _fail(exc)
    click.echo(f"wrote {len(layers)} layer(s) to {output}", err=True)


@cli.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--events", is_flag=True,
              help="Score map-layer features against the gold events (eval/events format; "
                   "rules in the README) instead of place mentions.")
@click.option("--demonyms/--no-demonyms", default=False, show_default=True,
              help="Count demonyms (e.g. 'Algerian') as predictions.")
@click.option("--limit", type=int, default=None, help="Score only the first N documents.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--errors", "list_errors", is_flag=True,
              help="After the table, list every error one line each: mention misses (MISS) and "
                   "false positives (FP) with their context; with --events, false positives, "
                   "misplaced features, misses, dateline and organisation participants.")
def eval_command(gold: tuple[str, ...], events: bool, demonyms: bool, limit: int | None,
                 as_json: bool, list_errors: bool) -> None:
    """Score recognition P/R/F1 and accuracy@161 km on GOLD JSON-lines files."""
    from itertools import islice

    from geo.evaluate import evaluate, read_gold
    from geo.gazetteer import get_gazetteer
    from geo.pipeline import geoparse

    if events and demonyms:
        raise click.UsageError("--demonyms applies to the mention scorer, not to --events")
    gazetteer = get_gazetteer()
    report: dict[str, Any] = {}
    errors: list[str] = []
    try:
        if events:
            _eval_events(gold, gazetteer, limit, as_json, list_errors)
            return
        for path in gold:
            docs = islice(read_gold(path), limit)
            scores = evaluate(docs, lambda t, lang: geoparse(t, lang=lang),
                              gazetteer=gazetteer, demonyms=demonyms, errors=list_errors)
            report[Path(path).name] = {lang: s.summary() for lang, s in scores.items()}
            errors += [f"{Path(path).name} {e}" for s in scores.values() for e in s.errors]
    except KharitaError as exc:
        _fail(exc)
    click.echo(json.dumps(report, indent=2) if as_json else _eval_table(report))
    if list_errors:
        click.echo("\n".join(errors))


def _eval_events(gold: tuple[str, ...], gazetteer: Any, limit: int | None,
                 as_json: bool, errors: bool) -> None:
    """Score the event layers on every gold file together (checked first, then parsed)."""
    from dataclasses import asdict
    from itertools import islice

    from geo.evaluate_events import evaluate_events
    from geo.event_gold import read_event_gold

    docs = [d for path in gold for d in islice(read_event_gold(path, gazetteer), limit)]
    report = evaluate_events(docs)
    summary = report.summary()
    summary["files"] = [Path(p).name for p in gold]
    if errors:
        summary["errors"] = [asdict(e) for e in report.errors]
    table = _events_table(summary)
    if errors:
        table += "\n" + "\n".join(e.line() for e in report.errors)
    click.echo(json.dumps(summary, indent=2, ensure_ascii=False) if as_json else table)


def _events_table(s: dict[str, Any]) -> str:
    """Event scores: one row per layer, per language, overall; then the extra counts."""
    head = f"{'':<20} {'gold':>5} {'pred':>5} {'TP':>5} {'P':>6} {'R':>6} {'F1':>6}"
    rows = [f"{s['docs']} document(s) from {', '.join(s['files'])}", head]

    def row(label: str, c: dict[str, Any]) -> str:
        return (f"{label:<20} {c['gold']:>5} {c['predicted']:>5} {c['tp']:>5} "
                f"{c['precision']:>6.3f} {c['recall']:>6.3f} {c['f1']:>6.3f}")

    rows += [row(layer, c) for layer, c in s["layers"].items()]
    rows += [row(f"lang {lang}", c) for lang, c in s["langs"].items()]
    rows.append(row("overall", s["overall"]))
    m, tc, roles = s["misplaced"], s["too_coarse"], s["roles"]
    d, o = s["datelines"], s["organisations"]
    rows += [
        f"drawn {s['drawn']} (dropped as past events: {s['ignored_past']})",
        f"misplaced {m['count']} of {s['drawn']} drawn ({m['share']:.1%})",
        f"too coarse {tc['count']} of {tc['judged']} matched features judged",
        f"roles: {roles['wrong']} of {roles['with_origin']} matched movements start "
        "away from their origin",
        f"datelines: {d['features']} drawn feature(s) from a dateline place "
        f"({d['docs']} document(s) mark datelines)",
        f"organisations: {o['features']} drawn feature(s) from a place in an organisation's "
        f"name ({o['docs']} document(s) mark organisations)",
    ]
    return "\n".join(rows)


def _eval_table(report: dict[str, Any]) -> str:
    """Eval results as one line per corpus and language."""
    rows = [f"{'corpus':<26} {'lang':<4} {'docs':>5} {'gold':>6} {'P':>6} {'R':>6} "
            f"{'F1':>6} {'acc161':>7} {'org':>12}"]
    for corpus, langs in report.items():
        for lang, s in langs.items():
            acc = "-" if s["acc161"] is None else f"{s['acc161']:.3f}"
            org = ("-" if s["org_share"] is None
                   else f"{s['org_predicted']} {s['org_share']:.1%}")
            rows.append(f"{corpus:<26} {lang:<4} {s['docs']:>5} {s['gold']:>6} "
                        f"{s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} {acc:>7} "
                        f"{org:>12}")
    return "\n".join(rows)


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Rebuild even if a cached index exists.")
def index_command(rebuild: bool) -> None:
    """Build (or check) the offline gazetteer name index."""
    import time

    from geo.gazetteer import Gazetteer
    from geo.gazetteer.namedb import NameDB
    from geo.matchindex import match_index

    started = time.perf_counter()
    try:
        gazetteer = Gazetteer.load(rebuild=rebuild)
        index = match_index(gazetteer)
        NameDB.open(gazetteer=gazetteer).close()  # what the web app's name search reads
    except KharitaError as exc:
        _fail(exc)
    click.echo(f"{len(gazetteer)} places, {len(index.keys)} names, "
               f"ready in {time.perf_counter() - started:.2f} s")


# ``kharita ingest`` lives in geo.bulk; Dask and Arrow are imported only when it runs.
cli.add_command(ingest_command)


def main() -> None:
    """Console entry point for the library-only command set."""
    cli()
