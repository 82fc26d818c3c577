"""Write the geoparser's full output on every eval document, to compare two builds.

One line per document of every corpus of ``../shared/eval``: the exact repr of
its language, mentions (places, offsets, confidences, reasons) and sentences,
as ``tests/geo/test_compiled.py`` compares them on slices. A speed change must
leave this file byte-identical, on the compiled and on the pure path::

    .venv/bin/python bench/mention_output.py /tmp/new.txt
    KHARITA_PURE_PYTHON=1 .venv/bin/python bench/mention_output.py /tmp/pure.txt
    cmp /tmp/new.txt /tmp/pure.txt
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ("anercorp_train", "idrisi_d_ar", "lgl", "tr_news", "hipe2020_fr")


def main() -> None:
    """Parse every eval document and write one repr line per document."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    from geo import geoparse

    lines = []
    for name in CORPORA:
        with (args.eval_dir / f"{name}.jsonl").open(encoding="utf-8") as fh:
            for row in (json.loads(line) for line in fh if line.strip()):
                result = geoparse(row["text"], lang=row.get("lang"))
                lines.append(repr((result.lang, result.mentions, result.sentences)))
    data = "\n".join(lines) + "\n"
    args.output.write_text(data, encoding="utf-8")
    digest = hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]
    print(f"{len(lines)} documents, {data.count('Mention(')} mentions, sha256 {digest}")


if __name__ == "__main__":
    main()
