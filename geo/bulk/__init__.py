"""Bulk ingestion: corpora of many documents to partitioned GeoParquet.

``sources`` cuts the inputs (JSON lines, CSV, Parquet, folders of text and
HTML files, local or on any fsspec URL) into numbered partitions and reads
their items; ``tables`` turns one partition's results into GeoParquet files
partitioned by date and country; ``run`` processes partitions on a local
process pool or a Dask cluster, resumably; ``command`` is ``kharita ingest``.

Each partition runs :func:`geo.pipeline.map_text` over its items, with the
gazetteer the worker process loaded once (:func:`geo.gazetteer.get_gazetteer`).
"""
