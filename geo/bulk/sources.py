"""Inputs of a bulk run: numbered partitions and the items they hold.

A source is a JSON-lines file (``.jsonl``, ``.ndjson``), a CSV file, a Parquet
file, or a folder of ``.txt``, ``.md`` and ``.html`` files; a local path or any
fsspec URL (``s3://``, ``https://``... when the matching fsspec backend is
installed). :func:`plan_partitions` cuts the sources into partitions of about
``partition_size`` bytes, numbered in input order, so that the same inputs and
arguments always give the same partitions: that is what lets an interrupted
run skip the partitions it finished.

* JSON lines are cut into byte ranges (a line belongs to the range where it
  starts), so planning reads nothing but the file's size.
* CSV records may hold line breaks inside quotes: planning reads the file once
  to find record boundaries.
* Parquet files are cut between row groups; folders between files.

:func:`read_items` yields a partition's items, and a :class:`Failure` with a
reason for each bad one (binary, invalid UTF-8, empty, too large, malformed
JSON, no text, unknown language) instead of stopping.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import IO, Any

from geo.errors import InputError
from geo.language import LANGUAGES
from geo.text import html_to_text, looks_like_html

#: Source kind by file name ending.
SUFFIX_KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
#: Files a folder source reads (others in the folder are left alone).
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
#: Item fields read besides ``text`` (JSON keys, CSV and Parquet columns).
META_FIELDS = ("id", "lang", "date", "title", "url")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True, slots=True)
class Partition:
    """One unit of work: a byte range, row groups or files of one source.

    ``start``/``stop`` are byte offsets (jsonl, csv) or row-group numbers
    (parquet); ``first_row`` numbers the first CSV record or Parquet row;
    ``size`` is the bytes it covers, for the progress bar.
    """

    index: int
    kind: str
    source: str
    start: int = 0
    stop: int = 0
    first_row: int = 1
    files: tuple[str, ...] = ()
    size: int = 0


@dataclass(frozen=True, slots=True)
class Item:
    """A document to geoparse, with where it came from."""

    source: str
    where: str
    doc_id: str
    text: str
    lang: str | None = None
    date: str | None = None
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """An item left out, why, and where to find it (``offset:N``, ``row:N``, ``file:P``)."""

    source: str
    item: str
    reason: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        """The failures-file line."""
        return asdict(self)


class BadItem(Exception):
    """An item that cannot be geoparsed; ``reason`` is a short stable code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def parse_size(value: str | int) -> int:
    """Bytes in ``value`` (``"64MB"``, ``"512KB"``, ``"1GB"``, ``4096``) or InputError."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]i?B?|B)?\s*", str(value), re.IGNORECASE)
    if not match:
        raise InputError(f"size should be a number of bytes like 64MB or 512KB, got {value!r}")
    unit = (match.group(2) or "B").upper().rstrip("B").rstrip("I")
    number = int(float(match.group(1)) * 1024 ** "_KMG".index(unit or "_"))
    if number < 1:
        raise InputError(f"size should be at least 1 byte, got {value!r}")
    return number


def source_kind(fs: Any, path: str, source: str) -> str:
    """``jsonl``, ``csv``, ``parquet`` or ``files`` (a folder), or InputError."""
    if not fs.exists(path):
        raise InputError(f"{source}: no such file or folder")
    if fs.isdir(path):
        return "files"
    for suffix, kind in SUFFIX_KINDS.items():
        if path.lower().endswith(suffix):
            return kind
    raise InputError(f"{source}: unknown source type; give a .jsonl, .ndjson, .csv or "
                     ".parquet file, or a folder of .txt/.html files")


def plan_partitions(sources: Iterable[str], partition_size: int) -> list[Partition]:
    """Every source's partitions, numbered from 0 in input order.

    Raises
    ------
    InputError
        For a missing source or one of unknown type.
    """
    planned: list[Partition] = []
    for source, fs, path in expand_sources(sources):
        kind = source_kind(fs, path, source)
        planner = {"jsonl": _plan_jsonl, "csv": _plan_csv, "parquet": _plan_parquet,
                   "files": _plan_files}[kind]
        for part in planner(fs, path, source, partition_size):
            planned.append(Partition(index=len(planned), kind=kind, source=source, **part))
    return planned


def expand_sources(sources: Iterable[str]) -> Iterator[tuple[str, Any, str]]:
    """``(source, filesystem, path)`` of each source, a glob (``data/*.jsonl``,
    ``s3://b/2023-*.parquet``) standing for its matches in sorted order.

    Raises
    ------
    InputError
        If a glob matches nothing.
    """
    import fsspec

    for source in sources:
        fs, path = fsspec.core.url_to_fs(source)
        if not any(ch in path for ch in "*?["):
            yield source, fs, path
            continue
        matches = sorted(fs.glob(path))
        if not matches:
            raise InputError(f"{source}: no file matches this pattern")
        for match in matches:
            yield (fs.unstrip_protocol(match) if "://" in source else match), fs, match


def _plan_jsonl(fs: Any, path: str, source: str, size: int) -> Iterator[dict[str, Any]]:
    total = fs.size(path)
    for start in range(0, total, size):
        yield {"start": start, "stop": min(start + size, total),
               "size": min(size, total - start)}


def _plan_csv(fs: Any, path: str, source: str, size: int) -> Iterator[dict[str, Any]]:
    total = fs.size(path)
    with fs.open(path, "rb") as f:
        first = _csv_header_end(f)
        begin, row = first, 1
        for offset, n, _ in _csv_records(f, first, total, first_row=1):
            if offset - begin >= size:
                yield {"start": begin, "stop": offset, "first_row": row, "size": offset - begin}
                begin, row = offset, n
    if begin < total:
        yield {"start": begin, "stop": total, "first_row": row, "size": total - begin}


def _plan_parquet(fs: Any, path: str, source: str, size: int) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    with fs.open(path, "rb") as f:
        meta = pq.ParquetFile(f).metadata
    groups = [meta.row_group(i) for i in range(meta.num_row_groups)]
    start, row, taken = 0, 1, 0
    for i, group in enumerate(groups):
        taken += group.total_byte_size
        if taken >= size or i == len(groups) - 1:
            yield {"start": start, "stop": i + 1, "first_row": row, "size": taken}
            row += sum(g.num_rows for g in groups[start:i + 1])
            start, taken = i + 1, 0


def _plan_files(fs: Any, path: str, source: str, size: int) -> Iterator[dict[str, Any]]:
    found = fs.find(path, detail=True)
    names = sorted(p for p, info in found.items()
                   if info.get("type") == "file" and p.lower().endswith(TEXT_SUFFIXES))
    batch: list[str] = []
    taken = 0
    for name in names:
        batch.append(name)
        taken += int(found[name].get("size") or 0)
        if taken >= size:
            yield {"files": tuple(batch), "size": taken}
            batch, taken = [], 0
    if batch:
        yield {"files": tuple(batch), "size": taken}


def read_items(part: Partition, *, lang: str | None = None,
               max_bytes: int = 5 * 1024 * 1024) -> Iterator[Item | Failure]:
    """The items of ``part`` in order, a :class:`Failure` in place of each bad one.

    Parameters
    ----------
    part : Partition
        As planned by :func:`plan_partitions`.
    lang : {"ar", "fr", "en"}, optional
        Language of items that name none (detected when neither says).
    max_bytes : int
        Items with a longer text (in UTF-8) are failures (``too_large``).
    """
    import fsspec

    fs, path = fsspec.core.url_to_fs(part.source)
    reader = {"jsonl": _jsonl_items, "csv": _csv_items, "parquet": _parquet_items,
              "files": _file_items}[part.kind]
    for where, fields in reader(fs, path, part, max_bytes):
        try:
            yield _item(part.source, where, fields, lang, max_bytes)
        except BadItem as bad:
            yield Failure(part.source, where, bad.reason, bad.detail)


def _item(source: str, where: str, fields: dict[str, Any] | BadItem, lang: str | None,
          max_bytes: int) -> Item:
    """Check one item's fields (or raise the failure its reader found)."""
    if isinstance(fields, BadItem):
        raise fields
    text = fields.get("text")
    if not isinstance(text, str):
        raise BadItem("no_text", "no 'text' string")
    check_text(text, max_bytes)
    meta = {k: _clean(fields.get(k)) for k in META_FIELDS}
    item_lang = meta["lang"] or lang
    if item_lang is not None and item_lang not in LANGUAGES:
        raise BadItem("bad_lang", f"'lang' should be one of {', '.join(LANGUAGES)}, "
                                  f"got {item_lang!r}")
    return Item(source=source, where=where, doc_id=meta["id"] or where, text=text,
                lang=item_lang, date=meta["date"], title=meta["title"], url=meta["url"])


def check_text(text: str, max_bytes: int) -> None:
    """Raise :class:`BadItem` for a text too large, not encodable, binary or blank."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise BadItem("invalid_utf8", "text holds unpaired surrogates") from None
    if size > max_bytes:
        raise BadItem("too_large", f"{size} bytes, over the {max_bytes}-byte limit")
    sample = text[:8192]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise BadItem("binary", "control characters: not text")
    if not text.strip():
        raise BadItem("empty", "blank text")


def decode_bytes(data: bytes) -> str:
    """UTF-8 ``data`` as text, or :class:`BadItem` (``binary``, ``invalid_utf8``)."""
    if b"\x00" in data[:8192]:
        raise BadItem("binary", "NUL bytes: not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadItem("invalid_utf8", f"byte {exc.start} is not UTF-8") from None


def _clean(value: Any) -> str | None:
    """A metadata value as text fit for Parquet (None for missing or NaN)."""
    if value is None or value != value:  # NaN from CSV/Parquet gaps
        return None
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    return text or None


Read = Iterator[tuple[str, "dict[str, Any] | BadItem"]]


def _jsonl_items(fs: Any, path: str, part: Partition, max_bytes: int) -> Read:
    with fs.open(path, "rb") as f:
        if part.start > 0:
            f.seek(part.start - 1)
            f.readline()  # the end of a line that started in the previous range
        while (offset := f.tell()) < part.stop:
            line = f.readline()
            if not line:
                return
            if line.strip():
                yield f"offset:{offset}", _json_fields(line, max_bytes)


def _json_fields(line: bytes, max_bytes: int) -> dict[str, Any] | BadItem:
    if len(line) > max_bytes + 4096:  # not worth parsing: the text alone is too large
        return BadItem("too_large", f"line of {len(line)} bytes, over the "
                                    f"{max_bytes}-byte limit")
    try:
        doc = json.loads(decode_bytes(line))
    except BadItem as bad:
        return bad
    except json.JSONDecodeError as exc:
        return BadItem("malformed_json", exc.msg)
    if not isinstance(doc, dict):
        return BadItem("malformed_json", "the line is not a JSON object")
    return doc


def _csv_header_end(f: IO[bytes]) -> int:
    """Offset of the first data record (after the header)."""
    f.seek(0)
    for _, _, _ in _csv_records(f, 0, 1, first_row=0):
        break
    return f.tell()


def _csv_records(f: IO[bytes], start: int, stop: int, *,
                 first_row: int) -> Iterator[tuple[int, int, list[str]]]:
    """``(offset, row number, fields)`` of records starting in ``[start, stop)``.

    ``start`` must be a record boundary. Lines are decoded with
    ``surrogateescape`` so that a bad byte spoils its record only.
    """
    f.seek(start)
    position = start

    def lines() -> Iterator[str]:
        nonlocal position
        while line := f.readline():
            position += len(line)
            yield line.decode("utf-8", "surrogateescape")

    begin, row = start, first_row
    for record in csv.reader(lines()):
        yield begin, row, record
        begin, row = position, row + 1
        if begin >= stop:
            return


def _csv_items(fs: Any, path: str, part: Partition, max_bytes: int) -> Read:
    with fs.open(path, "rb") as f:
        f.seek(0)
        header = next(csv.reader([f.readline().decode("utf-8-sig", "replace")]), [])
        for _, row, record in _csv_records(f, part.start, part.stop, first_row=part.first_row):
            if record:
                yield f"row:{row}", dict(zip(header, record, strict=False))


def _parquet_items(fs: Any, path: str, part: Partition, max_bytes: int) -> Read:
    import pyarrow.parquet as pq

    with fs.open(path, "rb") as f:
        pfile = pq.ParquetFile(f)
        columns = [c for c in ("text", *META_FIELDS) if c in pfile.schema_arrow.names]
        row = part.first_row
        for group in range(part.start, part.stop):
            for fields in pfile.read_row_group(group, columns=columns).to_pylist():
                yield f"row:{row}", fields
                row += 1


def _file_items(fs: Any, path: str, part: Partition, max_bytes: int) -> Read:
    root = path.rstrip("/") + "/"
    for name in part.files:
        relative = name[len(root):] if name.startswith(root) else name
        if fs.size(name) > max_bytes:
            yield f"file:{relative}", BadItem("too_large", f"over the {max_bytes}-byte limit")
            continue
        try:
            text = decode_bytes(fs.cat_file(name))
        except BadItem as bad:
            yield f"file:{relative}", bad
            continue
        if name.lower().endswith((".html", ".htm")) or looks_like_html(text):
            text = html_to_text(text)
        yield f"file:{relative}", {"text": text, "id": relative}
