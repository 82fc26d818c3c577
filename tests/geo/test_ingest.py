"""`kharita ingest`: sources, partitions, GeoParquet output, failures, resuming, engines."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from geo.bulk.sources import Failure, parse_size, plan_partitions, read_items
from webapp.cli import cli

DOCS = [
    {"id": "ml-1", "lang": "en", "date": "2024-03-05",
     "text": "Fighters of the JNIM took control of Menaka in northern Mali on 3 March 2024 "
             "and clashed with the army near Gao."},
    {"id": "mr-1", "lang": "fr", "date": "2023-11-02",
     "text": "Les réfugiés ont quitté Gao pour la Mauritanie."},
    {"id": "mr-2", "text": "وصلوا إلى موريتانيا"},
]
SENTENCES = [
    "Refugees fled from Kidal to Mauritania.",
    "Les combattants ont attaqué Tombouctou et Gao.",
    "The army deployed troops to Niamey in Niger.",
    "اشتبك الجيش مع المسلحين قرب كيدال في شمال مالي.",
    "Nothing happened in this sentence.",
]


def ingest(*args: str) -> dict:
    """Run `kharita ingest` in process; return the summary's JSON line."""
    result = CliRunner().invoke(cli, ["ingest", "--no-progress", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs),
                    encoding="utf-8")
    return path


def corpus(n: int) -> list[dict]:
    """``n`` generated documents over several months and three languages."""
    return [{"id": f"g{i:04d}", "date": f"2024-{1 + i % 3:02d}-1{i % 9}",
             "text": f"{SENTENCES[i % len(SENTENCES)]} {SENTENCES[(i * 7 + 2) % len(SENTENCES)]}"}
            for i in range(n)]


def rows(out: Path, dataset: str) -> pd.DataFrame:
    """A dataset's rows as text, sorted: comparable across runs."""
    frame = gpd.read_parquet(out / dataset)
    table = pd.DataFrame(frame.drop(columns="geometry")).astype(str)
    table["geometry"] = frame.geometry.to_wkt().tolist()
    return table.sort_values(list(table.columns)).reset_index(drop=True)


def datasets(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("_"))


@pytest.mark.parametrize(("text", "expected"), [
    ("64MB", 64 * 1024 ** 2), ("512kb", 512 * 1024), ("1GB", 1024 ** 3), ("4096", 4096),
    ("1.5KiB", 1536), ("2 MB", 2 * 1024 ** 2),
])
def test_parse_size(text: str, expected: int) -> None:
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "MB", "-1MB", "0", "64 parsecs"])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(Exception, match="size should be"):
        parse_size(text)


def _csv(path: Path, docs: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "lang", "date", "text"])
        writer.writeheader()
        writer.writerows(docs)
    return path


def _parquet(path: Path, docs: list[dict]) -> Path:
    table = pa.Table.from_pylist([{k: d.get(k) for k in ("id", "lang", "date", "text")}
                                  for d in docs])
    pq.write_table(table, path, row_group_size=2)
    return path


def _folder(path: Path, docs: list[dict]) -> Path:
    path.mkdir()
    for doc in docs:
        body = f"<html><head><script>var x = 'Niamey';</script></head><body><p>{doc['text']}</p>"
        if doc["id"].startswith("mr"):
            (path / f"{doc['id']}.html").write_text(body + "</body></html>", encoding="utf-8")
        else:
            (path / f"{doc['id']}.txt").write_text(doc["text"], encoding="utf-8")
    (path / "notes.json").write_text("{}", encoding="utf-8")  # not a text file: left alone
    return path


@pytest.mark.parametrize("kind", ["jsonl", "csv", "parquet", "folder"])
def test_each_source_kind_gives_the_same_mentions(tmp_path: Path, kind: str) -> None:
    make = {"jsonl": lambda p: write_jsonl(p / "in.jsonl", DOCS), "csv": lambda p: _csv(
        p / "in.csv", DOCS), "parquet": lambda p: _parquet(p / "in.parquet", DOCS),
        "folder": lambda p: _folder(p / "docs", DOCS)}[kind]
    totals = ingest(str(make(tmp_path)), "-o", str(tmp_path / "out"), "--workers", "1")
    mentions = gpd.read_parquet(tmp_path / "out" / "mentions")
    ids = {"ml-1", "mr-1", "mr-2"}
    if kind == "folder":  # ids are file names, texts carry no dates
        ids = {"ml-1.txt", "mr-1.html", "mr-2.html"}
    assert set(mentions["doc_id"]) == ids
    assert totals["documents"] == 3 and totals["failures"] == {}
    assert {"Menaka", "Gao", "Mauritanie", "موريتانيا"} <= set(mentions["surface"])
    assert "Niamey" not in set(mentions["surface"])  # the HTML script is not text


def test_csv_records_with_line_breaks_stay_whole(tmp_path: Path) -> None:
    docs = [{"id": f"c{i}", "text": f"Line one of {i},\nline \"two\"\n\nand three."}
            for i in range(40)]
    source = _csv(tmp_path / "in.csv", docs)
    for size in (1, 50, 333, 10_000):
        parts = plan_partitions([str(source)], size)
        items = [i for p in parts for i in read_items(p)]
        assert [i.doc_id for i in items] == [d["id"] for d in docs]
        assert [i.text for i in items] == [d["text"] for d in docs]
        assert [i.where for i in items] == [f"row:{n}" for n in range(1, 41)]


@pytest.mark.parametrize("size", [1, 7, 64, 100, 1000, 10**6])
def test_jsonl_ranges_read_every_line_once(tmp_path: Path, size: int) -> None:
    docs = corpus(30)
    source = write_jsonl(tmp_path / "in.jsonl", docs)
    parts = plan_partitions([str(source)], size)
    assert [p.index for p in parts] == list(range(len(parts)))
    assert [i.doc_id for p in parts for i in read_items(p)] == [d["id"] for d in docs]


def test_a_glob_stands_for_its_matches_in_order(tmp_path: Path) -> None:
    for name, docs in (("b.jsonl", DOCS[1:]), ("a.jsonl", DOCS[:1]), ("c.csv", DOCS)):
        write_jsonl(tmp_path / name, docs)
    parts = plan_partitions([str(tmp_path / "*.jsonl")], 10**6)
    assert [Path(p.source).name for p in parts] == ["a.jsonl", "b.jsonl"]
    assert [i.doc_id for p in parts for i in read_items(p)] == ["ml-1", "mr-1", "mr-2"]
    with pytest.raises(Exception, match="no file matches"):
        plan_partitions([str(tmp_path / "*.parquet")], 10**6)


def test_parquet_partitions_follow_row_groups(tmp_path: Path) -> None:
    docs = corpus(9)
    parts = plan_partitions([str(_parquet(tmp_path / "in.parquet", docs))], 1)
    assert len(parts) == 5  # row groups of 2 rows
    items = [i for p in parts for i in read_items(p)]
    assert [i.doc_id for i in items] == [d["id"] for d in docs]
    assert items[-1].where == "row:9"


def test_outputs_are_geoparquet_partitioned_by_date_and_country(tmp_path: Path) -> None:
    out = tmp_path / "out"
    totals = ingest(str(write_jsonl(tmp_path / "in.jsonl", DOCS + corpus(12))), "-o", str(out),
                    "--partition-size", "600B", "--workers", "1")
    assert totals["documents"] == 15 and totals["mentions"] > 15
    assert "mentions" in datasets(out) and len(datasets(out)) >= 3
    files = sorted(out.glob("*/date=*/country=*/part-*.parquet"))
    assert {f.parent.parent.name for f in files} >= {"date=2024-03", "date=2023-11",
                                                     "date=undated", "date=2024-01"}
    mentions = gpd.read_parquet(out / "mentions")
    assert mentions.crs.to_epsg() == 4326
    arabic = mentions[mentions["doc_id"] == "mr-2"]
    assert set(arabic["date"]) == {"undated"} and set(arabic["country"]) == {"MR"}
    gao = mentions[(mentions["doc_id"] == "ml-1") & (mentions["surface"] == "Gao")].iloc[0]
    assert (gao["date"], gao["country"]) == ("2024-03", "ML")
    assert gao["start"] == DOCS[0]["text"].index("Gao") and gao["end"] == gao["start"] + 3
    assert gao.geometry.x == pytest.approx(gao["lon"]) and gao["published"] == "2024-03-05"
    for layer in set(datasets(out)) - {"mentions"}:
        features = gpd.read_parquet(out / layer)
        assert features["layer"].eq(layer).all()
        assert {"doc_id", "evidence_start", "evidence_end", "event_date", "date", "country"} \
            <= set(features.columns)
        assert features.geometry.notna().all()
    zone = gpd.read_parquet(out / "control_zones").query("doc_id == 'ml-1'").iloc[0]
    assert "took control of Menaka" in DOCS[0]["text"][zone["evidence_start"]:
                                                       zone["evidence_end"]]


def test_bad_items_are_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    good = json.dumps(DOCS[1], ensure_ascii=False).encode()
    lines = [good, b"{not json", json.dumps({"id": "e", "text": " \n "}).encode(),
             b'{"id": "u", "text": "caf\xe9"}', json.dumps({"id": "n", "title": "t"}).encode(),
             json.dumps({"id": "b", "text": "PK\x03\x04\x00\x00\x01"}).encode(),
             json.dumps({"id": "big", "text": "Gao " * 400}).encode(),
             json.dumps({"id": "l", "text": "Gao", "lang": "de"}).encode(), b"[1, 2]", good]
    source.write_bytes(b"\n".join(lines) + b"\n")
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (folder / "ok.txt").write_text("Refugees fled to Mauritania.", encoding="utf-8")
    out = tmp_path / "out"
    totals = ingest(str(source), str(folder), "-o", str(out), "--max-item-size", "1KB",
                    "--workers", "1")
    assert totals["documents"] == 3
    assert totals["failures"] == {"bad_lang": 1, "binary": 2, "empty": 1, "invalid_utf8": 1,
                                  "malformed_json": 2, "no_text": 1, "too_large": 1}
    failures = [json.loads(x) for x in (out / "failures.jsonl").read_text().splitlines()]
    by_item = {f["item"]: f for f in failures}
    assert by_item["file:blob.txt"]["reason"] == "binary"
    offset = len(good) + 1  # the second line starts after the first and its newline
    assert by_item[f"offset:{offset}"] == {"source": str(source), "item": f"offset:{offset}",
                                           "reason": "malformed_json",
                                           "detail": by_item[f"offset:{offset}"]["detail"]}
    assert source.read_bytes()[offset:].startswith(b"{not json")


def test_local_pool_gives_the_same_output_as_one_process(tmp_path: Path) -> None:
    source = str(write_jsonl(tmp_path / "in.jsonl", corpus(16)))
    one = ingest(source, "-o", str(tmp_path / "one"), "--partition-size", "400B",
                 "--workers", "1")
    two = ingest(source, "-o", str(tmp_path / "two"), "--partition-size", "400B",
                 "--workers", "2")
    assert one == two
    for dataset in datasets(tmp_path / "one"):
        pd.testing.assert_frame_equal(rows(tmp_path / "one", dataset),
                                      rows(tmp_path / "two", dataset))


def test_other_arguments_on_the_same_output_are_refused(tmp_path: Path) -> None:
    source = str(write_jsonl(tmp_path / "in.jsonl", DOCS))
    ingest(source, "-o", str(tmp_path / "out"), "--workers", "1")
    result = CliRunner().invoke(cli, ["ingest", "--no-progress", source, "-o",
                                      str(tmp_path / "out"), "--lang", "fr"])
    assert result.exit_code == 1
    assert "other inputs or arguments" in result.output


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


@pytest.mark.slow
def test_killed_run_resumes_to_the_uninterrupted_output(tmp_path: Path) -> None:
    source = str(write_jsonl(tmp_path / "in.jsonl", corpus(60)))
    args = [source, "--partition-size", "1KB", "--workers", "1"]
    whole = ingest(*args, "-o", str(tmp_path / "whole"))
    out = tmp_path / "out"
    command = [sys.executable, "-c", "from webapp.cli import main; main()", "ingest",
               "--no-progress", *args, "-o", str(out)]
    log = tmp_path / "killed.log"
    with log.open("wb") as stderr, subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                                    stderr=stderr) as process:
        deadline = time.monotonic() + 60
        while not (out / "_done" / "part-00000.json").exists():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "no partition finished within 60 s"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    done = len(list((out / "_done").glob("*.json")))
    planned = json.loads((out / "_ingest.json").read_text())["partitions"]
    assert 1 <= done < planned  # killed half way
    assert ingest(*args, "-o", str(out)) == whole
    for dataset in datasets(tmp_path / "whole"):
        pd.testing.assert_frame_equal(rows(out, dataset), rows(tmp_path / "whole", dataset))
    assert not (out / "_tmp").exists()
    before = _snapshot(out)
    assert ingest(*args, "-o", str(out)) == whole  # a rerun adds nothing
    assert _snapshot(out) == before


@pytest.mark.slow
def test_dask_cluster_of_two_workers(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    source = str(write_jsonl(tmp_path / "in.jsonl", corpus(24)))
    args = [source, "--partition-size", "500B"]
    local = ingest(*args, "-o", str(tmp_path / "local"), "--workers", "1")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        on_dask = ingest(*args, "-o", str(tmp_path / "dask"), "--engine", "dask",
                         "--scheduler", cluster.scheduler_address)

        def loads() -> int:
            from geo.gazetteer import get_gazetteer

            return get_gazetteer.cache_info().misses

        per_worker = client.run(loads)
    assert on_dask == local
    assert sorted(per_worker.values()) == [1, 1]  # each worker loaded the gazetteer once
    for dataset in datasets(tmp_path / "local"):
        pd.testing.assert_frame_equal(rows(tmp_path / "dask", dataset),
                                      rows(tmp_path / "local", dataset))


@pytest.mark.slow
def test_dask_engine_starts_its_own_cluster(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    source = str(write_jsonl(tmp_path / "in.jsonl", DOCS))
    local = ingest(source, "-o", str(tmp_path / "local"), "--workers", "1")
    assert ingest(source, "-o", str(tmp_path / "dask"), "--engine", "dask",
                  "--workers", "1") == local
    pd.testing.assert_frame_equal(rows(tmp_path / "dask", "mentions"),
                                  rows(tmp_path / "local", "mentions"))


def test_read_items_reports_failures_in_place(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [DOCS[0], {"id": "x"}, DOCS[1]])
    found = [i for p in plan_partitions([str(source)], 10**6) for i in read_items(p)]
    assert [type(i).__name__ for i in found] == ["Item", "Failure", "Item"]
    assert isinstance(found[1], Failure) and found[1].reason == "no_text"


def test_duckdb_reads_the_datasets_as_geoparquet(tmp_path: Path) -> None:
    import duckdb

    out = tmp_path / "out"
    ingest(str(write_jsonl(tmp_path / "in.jsonl", DOCS)), "-o", str(out), "--workers", "1")
    con = duckdb.connect()
    files = f"{out}/mentions/*/*/*.parquet"
    query = f"select * from read_parquet('{files}', hive_partitioning = true)"
    types = {row[0]: row[1] for row in con.sql(f"describe {query}").fetchall()}
    assert types["geometry"].startswith("GEOMETRY")  # the GeoParquet metadata was understood
    counts = con.sql(f"select country, count(*) from ({query}) group by all order by 1").fetchall()
    expected = gpd.read_parquet(out / "mentions")["country"].value_counts()
    assert counts == sorted((str(k), int(v)) for k, v in expected.items())


def test_the_cli_loads_dask_and_arrow_only_when_ingest_runs() -> None:
    code = ("import sys, webapp.cli\n"
            "print(','.join(m for m in ('dask', 'distributed', 'pyarrow', 'fsspec')"
            " if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_feature_extras_hold_only_what_each_feature_has(tmp_path: Path) -> None:
    # Two attacks in one report, one with a target and one without: the one without
    # used to get {"target": NaN} (not JSON) from the layer table's shared columns.
    text = ("انتشرت قوات في شمال مالي بعد الهجوم على غاو. "
            "اشتبك الجيش مع مسلحين قرب ميناكا بحسب السكان.")
    out = tmp_path / "out"
    ingest(str(write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "lang": "ar", "text": text}])),
           "-o", str(out), "--workers", "1")
    attacks = gpd.read_parquet(out / "attacks")
    assert len(attacks) == 2

    def strict(constant: str) -> None:
        raise AssertionError(f"{constant} in an extra")

    extras = [json.loads(e, parse_constant=strict) if isinstance(e, str) else {}
              for e in attacks["extra"]]
    assert sorted(e.get("target", "-") for e in extras) == ["-", "civilians"]


def test_a_partition_with_no_rows_finishes(tmp_path: Path) -> None:
    docs = [{"id": "quiet", "lang": "en", "text": "Nothing happened in this sentence."}, DOCS[0]]
    out = tmp_path / "out"
    source = write_jsonl(tmp_path / "in.jsonl", docs)
    totals = ingest(str(source), "-o", str(out), "--partition-size", "50B", "--workers", "1")
    assert totals["documents"] == 2
    assert set(gpd.read_parquet(out / "mentions")["doc_id"]) == {"ml-1"}


def test_batches_of_a_partition_make_one_file_per_date_and_country(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.bulk import run

    source = str(write_jsonl(tmp_path / "in.jsonl", DOCS + corpus(12)))
    ingest(source, "-o", str(tmp_path / "whole"), "--workers", "1")
    monkeypatch.setattr(run, "DOCS_PER_BATCH", 2)  # the inline engine runs in this process
    ingest(source, "-o", str(tmp_path / "batched"), "--workers", "1")
    files = sorted((tmp_path / "batched").glob("*/date=*/country=*/*.parquet"))
    assert len(files) > 10
    assert {f.name for f in files} == {"part-00000.parquet"}
    for dataset in datasets(tmp_path / "whole"):
        pd.testing.assert_frame_equal(rows(tmp_path / "batched", dataset),
                                      rows(tmp_path / "whole", dataset))
