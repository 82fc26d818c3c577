"""Build a JSON-lines corpus of a given size for ``bench/bench_ingest.py``.

Half of the documents are the development corpora (``../shared/eval/*.jsonl``:
Arabic, French and English news), cycled with new ids; the other half are
generated reports made of sentences about places, armed groups and
displacement in the three languages. Every document gets a date between 2019
and 2024, so the output is spread over many ``date=`` partitions. The same
``--seed`` gives the same file.

Usage::

    .venv/bin/python bench/make_corpus.py corpus.jsonl              # 1 GB
    .venv/bin/python bench/make_corpus.py corpus.jsonl --size 50MB  # a quick run
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = {
    "en": ["Gao", "Kidal", "Menaka", "Timbuktu", "northern Mali", "Niamey", "Mauritania",
           "Burkina Faso", "Tillaberi", "Algeria", "Tessalit", "Mopti"],
    "fr": ["Gao", "Kidal", "Ménaka", "Tombouctou", "le nord du Mali", "Niamey", "la Mauritanie",
           "le Burkina Faso", "Tillabéri", "l'Algérie", "Tessalit", "Mopti"],
    "ar": ["غاو", "كيدال", "ميناكا", "تمبكتو", "شمال مالي", "نيامي", "موريتانيا",
           "بوركينا فاسو", "الجزائر", "تساليت", "موبتي"],
}
TEMPLATES = {
    "en": ["Fighters of the JNIM took control of {a} on Monday.",
           "The army clashed with armed men near {a}, residents said.",
           "Thousands of refugees fled from {a} to {b} this week.",
           "Troops were deployed to {a} after the attack on {b}.",
           "Officials from {a} and {b} met to discuss border security.",
           "Prices of rice rose again in the markets, traders said."],
    "fr": ["Les combattants du JNIM ont pris le contrôle de {a} lundi.",
           "L'armée a affronté des hommes armés près de {a}, selon des habitants.",
           "Des milliers de réfugiés ont fui {a} pour {b} cette semaine.",
           "Des soldats ont été déployés à {a} après l'attaque de {b}.",
           "La saison des pluies a commencé plus tôt que prévu."],
    "ar": ["سيطر مسلحو جماعة نصرة الإسلام والمسلمين على {a} يوم الاثنين.",
           "اشتبك الجيش مع مسلحين قرب {a} بحسب السكان.",
           "فر آلاف اللاجئين من {a} إلى {b} هذا الأسبوع.",
           "انتشرت قوات في {a} بعد الهجوم على {b}.",
           "ارتفعت أسعار الأرز في الأسواق مرة أخرى."],
}


def parse_size(text: str) -> int:
    """Bytes in ``1GB``, ``50MB``, ``512KB`` or a plain number."""
    units = {"KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}
    text = text.strip().upper()
    for unit, factor in units.items():
        if text.endswith(unit):
            return int(float(text[:-2]) * factor)
    return int(text)


def dev_documents(eval_dir: Path) -> list[dict]:
    """Texts of the development corpora (gold annotations dropped)."""
    docs = []
    for path in sorted(eval_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            docs += [{"id": d["id"], "lang": d.get("lang"), "text": d["text"]}
                     for d in map(json.loads, filter(str.strip, fh))]
    return docs


def generated(rng: random.Random, n: int) -> dict:
    """A report of a few generated sentences in one language."""
    lang = rng.choice(("en", "fr", "ar"))
    sentences = []
    for _ in range(rng.randint(3, 12)):
        a, b = rng.sample(PLACES[lang], 2)
        sentences.append(rng.choice(TEMPLATES[lang]).format(a=a, b=b))
    return {"id": f"gen-{n:08d}", "lang": lang, "text": " ".join(sentences)}


def documents(eval_dir: Path, seed: int) -> Iterator[dict]:
    """Endless documents: a development one, then a generated one, with dates."""
    rng = random.Random(seed)
    dev = dev_documents(eval_dir)
    for n in range(10**12):
        if n % 2 == 0 and dev:
            doc = dict(dev[(n // 2) % len(dev)])
            doc["id"] = f"{doc['id']}-{n // (2 * len(dev))}"
        else:
            doc = generated(rng, n)
        doc["date"] = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield doc


def main() -> None:
    """Write the corpus and say what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--size", default="1GB", help="Target size (default 1GB).")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    target, written, count = parse_size(args.size), 0, 0
    with args.output.open("wb") as out:
        for doc in documents(args.eval_dir, args.seed):
            if written >= target:
                break
            line = (json.dumps(doc, ensure_ascii=False) + "\n").encode("utf-8")
            out.write(line)
            written += len(line)
            count += 1
    print(f"wrote {count} documents, {written / 1024 ** 2:.1f} MB to {args.output}")


if __name__ == "__main__":
    main()
