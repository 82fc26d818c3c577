"""The gazetteer's name file on disk: where it lives, what replaces it, what a broken one says."""

from __future__ import annotations

import pytest

from geo.errors import GazetteerError
from geo.gazetteer.cache import remove_stale
from geo.gazetteer.namedb import NameDB, name_db_path


def test_a_broken_name_file_is_a_gazetteer_error_that_says_how_to_fix_it(tmp_path):
    path = name_db_path(tmp_path, "0123456789abcdef")
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GazetteerError, match="kharita index --rebuild"):
        NameDB(path)


def test_a_name_file_without_its_tables_is_refused(tmp_path):
    import sqlite3

    path = name_db_path(tmp_path, "0123456789abcdef")
    sqlite3.connect(path).close()  # an empty database
    with pytest.raises(GazetteerError, match="unreadable"):
        NameDB(path)


def test_name_files_of_other_indexes_are_removed_with_their_index(tmp_path):
    current = name_db_path(tmp_path, "aaaaaaaaaaaaaaaa")
    stale = name_db_path(tmp_path, "bbbbbbbbbbbbbbbb")
    for path in (current, stale, tmp_path / "index-aaaaaaaaaaaaaaaa.pkl"):
        path.write_bytes(b"x")
    remove_stale(tmp_path, "aaaaaaaaaaaaaaaa")
    assert current.exists() and not stale.exists()
    assert (tmp_path / "index-aaaaaaaaaaaaaaaa.pkl").exists()
