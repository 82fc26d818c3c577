"""geo is a framework-free library: it never imports flask, folium or webapp."""

from __future__ import annotations

import subprocess
import sys


def test_geo_imports_no_web_framework() -> None:
    code = (
        "import sys, pkgutil, importlib, geo\n"
        "for m in pkgutil.iter_modules(geo.__path__):\n"
        "    importlib.import_module('geo.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in {'flask', 'folium', 'webapp'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"geo pulled in: {out.stdout.strip()}"
