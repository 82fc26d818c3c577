"""The `kharita` command line (library commands)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from webapp.cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Les réfugiés ont quitté Gao pour la Mauritanie.", encoding="utf-8")
    return path


def test_parse_table(runner: CliRunner, article) -> None:
    result = runner.invoke(cli, ["parse", str(article)])
    assert result.exit_code == 0, result.output
    assert "Gao" in result.output and "Mauritanie" in result.output
    assert "language fr" in result.output


def test_parse_json_is_the_mention_contract(runner: CliRunner, article) -> None:
    result = runner.invoke(cli, ["parse", str(article), "--format", "json"])
    data = json.loads(result.output)
    assert data["lang"] == "fr"
    surfaces = {m["surface"]: m for m in data["mentions"]}
    assert surfaces["Mauritanie"]["place"]["country"] == "MR"


def test_parse_stdin(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["parse", "-", "--format", "json"], input="وصلوا إلى موريتانيا")
    assert result.exit_code == 0
    assert json.loads(result.output)["mentions"][0]["place"]["country"] == "MR"


def test_parse_jsonl(runner: CliRunner, tmp_path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "Kidal et Gao"}) + "\n\n"
        + json.dumps({"id": "b", "text": "وصلوا إلى مالي", "lang": "ar"}) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["parse", str(src), "--format", "jsonl"])
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert lines[1]["lang"] == "ar" and lines[1]["mentions"]


def test_parse_jsonl_with_workers_keeps_order_and_output(runner: CliRunner, tmp_path) -> None:
    texts = ["Kidal et Gao", "وصلوا إلى مالي", "Refugees fled to Mauritania.", "", "Rien ici."]
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n"
                           for i, t in enumerate(texts * 5)), encoding="utf-8")
    one = runner.invoke(cli, ["parse", str(src), "--format", "jsonl"])
    two = runner.invoke(cli, ["parse", str(src), "--format", "jsonl", "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0, two.output
    assert two.output == one.output
    assert [json.loads(x)["id"] for x in two.output.splitlines()] == [str(i) for i in range(25)]


@pytest.mark.parametrize(("args", "message"), [
    (["--jobs", "0"], "--jobs"),
    (["--jobs", "2"], "only applies to --format jsonl"),
    (["--jobs", "2", "--format", "jsonl", "--geocoder-fallback", "nominatim"], "rate limit"),
])
def test_jobs_misuse_is_a_clear_error(runner: CliRunner, article, args, message) -> None:
    result = runner.invoke(cli, ["parse", str(article), *args])
    assert result.exit_code == 2 and message in result.output


def test_parse_geojson(runner: CliRunner, article) -> None:
    result = runner.invoke(cli, ["parse", str(article), "--format", "geojson"])
    assert result.exit_code == 0, result.output
    collection = json.loads(result.output)
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["layer"] for f in collection["features"]} >= {"mentions"}


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x00\x01\x02binary", "binary"), (b"\xe9t\xe9", "UTF-8")],
)
def test_bad_files_are_clear_errors(runner: CliRunner, tmp_path, content, message) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = runner.invoke(cli, ["parse", str(path)])
    assert result.exit_code == 1
    assert message in result.output and "bad.txt" in result.output


def test_malformed_jsonl_names_the_line(runner: CliRunner, tmp_path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "text": "Mali"}\n{oops\n', encoding="utf-8")
    result = runner.invoke(cli, ["parse", str(path), "--format", "jsonl"])
    assert result.exit_code == 1
    assert "docs.jsonl:2" in result.output


def test_eval_scores_a_gold_file(runner: CliRunner, tmp_path) -> None:
    text = "Troops left Gao for Niamey. Nothing else."
    gold = {"id": "g1", "lang": "en", "text": text, "toponyms": [
        {"start": 12, "end": 15, "name": "Gao", "lat": 16.27, "lon": -0.04},
        {"start": 20, "end": 26, "name": "Niamey", "lat": 13.51, "lon": 2.11},
    ]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["eval", str(path), "--json"])
    assert result.exit_code == 0, result.output
    score = json.loads(result.output)["gold.jsonl"]["en"]
    assert score["recall"] == 1.0 and score["precision"] == 1.0 and score["acc161"] == 1.0


def test_eval_errors_lists_each_miss(runner: CliRunner, tmp_path) -> None:
    text = "Troops left Gao for Niamey."
    gold = {"id": "g1", "lang": "en", "text": text, "toponyms": [
        {"start": 12, "end": 15, "name": "Gao", "lat": 16.27, "lon": -0.04},
        {"start": 0, "end": 6, "name": "Troops", "lat": None, "lon": None},
    ], "organisations": []}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["eval", str(path), "--errors"])
    assert result.exit_code == 0, result.output
    assert "gold.jsonl MISS g1  [Troops] left Gao" in result.output
    assert "gold.jsonl FP   g1 Troops left Gao for [Niamey] . -> Niamey" in result.output
    assert "0 0.0%" in result.output  # no predicted place inside an organisation


def test_eval_rejects_malformed_gold(runner: CliRunner, tmp_path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(cli, ["eval", str(path)])
    assert result.exit_code == 1 and "gold.jsonl:1" in result.output


def test_published_dates_features(runner: CliRunner, tmp_path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Armed groups seized Kidal in northern Mali.", encoding="utf-8")
    result = runner.invoke(cli, ["parse", str(path), "--format", "geojson",
                                 "--layers", "control_zones", "--published", "2012-04-06"])
    assert result.exit_code == 0, result.output
    features = json.loads(result.output)["features"]
    assert features and {f["properties"]["date"] for f in features} == {"2012-04-06"}
    bad = runner.invoke(cli, ["parse", str(path), "--published", "6/4/2012"])
    assert bad.exit_code == 2 and "published" in bad.output


def test_parse_jsonl_keeps_a_raw_next_line_inside_a_document(runner: CliRunner,
                                                            tmp_path) -> None:
    # U+0085 is a line break to str.splitlines, not to JSON lines.
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "text": "Kidal\u0085Gao"}\n', encoding="utf-8")
    result = runner.invoke(cli, ["parse", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["id"] for x in result.output.strip().split("\n")] == ["a"]


def test_an_unknown_layer_is_an_error_naming_the_valid_ones(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["parse", "-", "--format", "geojson", "--layers", "nope"],
                           input="Jihadists attacked Gao.")
    assert result.exit_code != 0
    assert "nope" in result.output and "control_zones" in result.output


def test_selected_layers_only(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["parse", "-", "--format", "geojson", "--layers", "mentions"],
                           input="Jihadists attacked Gao.")
    assert result.exit_code == 0, result.output
    assert {f["properties"]["layer"] for f in json.loads(result.output)["features"]} == {
        "mentions"}
