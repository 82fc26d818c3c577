"""``Idempotency-Key`` on API writes: a client retrying after a lost answer gets the first
answer again instead of a duplicate document or map.

The key (1-255 printable ASCII characters, a UUID in practice) is reserved in
the store before the write runs (:meth:`webapp.store.Store.reserve_key`), so two
requests racing with one key cannot both write. Then:

* same key, same body, first request done: its answer again (status, body,
  ``Location``), with ``Idempotent-Replayed: true``;
* same key, first request still running: 409, retry later;
* same key, another body: 422 (a key names one intended write);
* the first request failed (4xx/5xx): the key is released, a retry runs again.

Keys are kept 24 hours, per endpoint (the rules of Stripe's API, which clients know).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

from flask import Response, make_response, request
from werkzeug.exceptions import Conflict, UnprocessableEntity

from geo.errors import InputError
from webapp.store import get_store

HEADER = "Idempotency-Key"
KEEP = timedelta(hours=24)
_KEY = re.compile(r"[\x21-\x7e]{1,255}")


def _check_key(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise InputError(f"'{HEADER}' should be 1 to 255 printable ASCII characters (a UUID), "
                         f"got {key[:40]!r}")
    return key


def _replay(status: int, body: str, location: str | None) -> Response:
    response = make_response(body, status)
    response.mimetype = "application/json"
    if location:
        response.headers["Location"] = location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate an API write so that an ``Idempotency-Key`` header makes retries safe."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        raw = request.headers.get(HEADER)
        if raw is None:
            return view(*args, **kwargs)
        key, endpoint = _check_key(raw), str(request.endpoint)
        digest = hashlib.sha256(request.get_data(cache=True)).hexdigest()
        store = get_store()
        expire = datetime.now(UTC).replace(tzinfo=None) - KEEP
        earlier = store.reserve_key(key, endpoint, digest, expire_before=expire)
        if earlier is not None:
            if earlier.body_hash != digest:
                raise UnprocessableEntity(f"'{HEADER}' {key[:40]!r} was used with another "
                                          "body; use a new key for a new write")
            if earlier.status is None or earlier.response is None:
                raise Conflict(f"a request with '{HEADER}' {key[:40]!r} is still running; "
                               "retry in a moment")
            return _replay(earlier.status, earlier.response, earlier.location)
        try:
            response = make_response(view(*args, **kwargs))
        except BaseException:
            store.release_key(key, endpoint)
            raise
        if response.status_code >= 400:
            store.release_key(key, endpoint)
        else:
            store.record_key(key, endpoint, status=response.status_code,
                             response=response.get_data(as_text=True),
                             location=response.headers.get("Location"))
        return response

    return guarded
