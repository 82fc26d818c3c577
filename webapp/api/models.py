"""Request bodies and query options of the JSON API as pydantic models: one per body.

A model declares each field's type, default and limits; pydantic checks them all, and
:func:`parse` turns its first error into the house 400 (:class:`webapp.errors.RequestError`)
with the message the API has always given, naming the field and what was received. Rules
pydantic has no word for (a language code, a date, an http address) raise their own message
from a validator. JSON has no NUL-free string type, so text fields refuse U+0000 here.
Models are strict: ``"true"`` is not a boolean and ``42`` is not a string. A field also
says what the OpenAPI description tells clients of the rules its validators keep (a pattern,
``nullable``); :mod:`webapp.api.schemas` makes the description's request schemas of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from webapp.errors import RequestError
from webapp.ingest import LANG_CHOICES, unknown_lang
from webapp.inputs import blank
from webapp.ogc.query import BBox, read_bbox
from webapp.store.users import SCOPES

LAYER_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
MAX_PAGE = 100
Model = TypeVar("Model", bound="Checked")


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("kharita", message)


def _absent_is_empty(value: Any) -> Any:
    """JSON null reads as an empty string, as an absent field does."""
    return "" if value is None else value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise _refuse("contains a NUL character (U+0000), which is not text; remove it")
    return value


def _no_nul_or_null(value: str | None) -> str | None:
    return None if value is None else _no_nul(value)


def _not_blank(value: str) -> str:
    if blank(value):
        raise _refuse("should not be empty")
    return value


def _lang(value: str | None) -> str | None:
    if value is None or value == "auto":
        return None
    if value not in LANG_CHOICES:
        raise _refuse(unknown_lang(value))  # the forms' message: it names its field
    return value


def _date(value: Any) -> date | None:
    """A date YYYY-MM-DD, or empty for none (a string of at most 32 characters)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _refuse(f"should be a string, got {type(value).__name__}")
    if len(value) > 32:
        raise _refuse(f"should be at most 32 characters, got {len(value)}")
    value = _no_nul(value).strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _refuse(f"should be a date YYYY-MM-DD, got {value!r}") from None


def _web_address(value: str) -> str | None:
    value = value.strip()
    if value and not value.startswith(("http://", "https://")):
        raise _refuse(f"should start with http:// or https://, got {value!r:.80}")
    return value or None


def _strings(value: Any) -> Any:
    if value is not None and not (isinstance(value, list)
                                  and all(isinstance(v, str) for v in value)):
        raise _refuse(f"should be a list of strings, got {value!r:.80}")
    return value


def _layer_ids(value: list[str] | None) -> list[str] | None:
    for layer in value or ():
        if not LAYER_ID.fullmatch(layer):
            raise _refuse(
                f"should hold layer ids such as mentions,control_zones; got {layer!r:.80}")
    return value or None


def _at_least_one(value: list[str] | None) -> list[str]:
    if not value:
        raise _refuse("should list at least one stored document id")
    return value


def _scope(value: str) -> str:
    if value not in SCOPES:
        raise _refuse(f"should be one of {', '.join(SCOPES)}, got {value!r}")
    return value


def _not_null(value: Any) -> Any:
    # null is refused where a field has a default of its own (public: the caller's default)
    if value is None:
        raise _refuse("should be true or false, got None")
    return value


def _degrees(value: list[int | float] | None) -> list[int | float] | None:
    if value is not None and not (len(value) == 2 and -90 <= value[0] <= 90
                                  and -180 <= value[1] <= 180):
        raise _refuse("should be [lat, lon] in degrees")
    return value


# What the OpenAPI description says of the rules validators keep (JSON Schema patterns).
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"
LAYER_IDS = {"type": "array", "items": {"type": "string", "pattern": f"^{LAYER_ID.pattern}$"},
             "nullable": True}

# Strings: optional ones read JSON null or an absent field as empty; required ones must be
# present and not blank. Each names its limit in characters.
Title = Annotated[str, BeforeValidator(_absent_is_empty),
                  Field(max_length=500, json_schema_extra={"pattern": NO_NUL, "nullable": True}),
                  AfterValidator(_no_nul)]
Description = Annotated[str, BeforeValidator(_absent_is_empty),
                        Field(max_length=5000, json_schema_extra={"pattern": NO_NUL}),
                        AfterValidator(_no_nul)]
Label = Annotated[str, BeforeValidator(_absent_is_empty),
                  Field(max_length=100, description="What the token is for"),
                  AfterValidator(_no_nul)]
Every = Annotated[str, BeforeValidator(_absent_is_empty), Field(
    max_length=16, json_schema_extra={"pattern": r"^\s*[0-9]+\s*[smhd]?\s*$"},
    description="Time between runs: 30s, 15m, 1h, 1d (a bare number is minutes; at least "
                "10 s). Default 15m."), AfterValidator(_no_nul)]
RequiredText = Annotated[str, Field(
    max_length=10**8, json_schema_extra={"pattern": NOT_BLANK},
    description="Plain text with something other than white space, and no NUL character."),
    AfterValidator(_no_nul), AfterValidator(_not_blank)]
RequiredTitle = Annotated[str, Field(max_length=500,
                                     json_schema_extra={"minLength": 1, "pattern": NOT_BLANK}),
                          AfterValidator(_no_nul), AfterValidator(_not_blank)]
RequiredAddress = Annotated[str, Field(
    max_length=2000, json_schema_extra={"pattern": r"^\s*[hH][tT][tT][pP][sS]?://[^\s/]+"},
    description="RSS or Atom address"), AfterValidator(_no_nul), AfterValidator(_not_blank)]
Lang = Annotated[str | None, Field(max_length=8, json_schema_extra={"enum": list(LANG_CHOICES)}),
                 AfterValidator(_no_nul_or_null), AfterValidator(_lang)]
LayerIds = Annotated[list[str] | None, BeforeValidator(_strings), AfterValidator(_layer_ids),
                     WithJsonSchema(LAYER_IDS)]
# null is refused: absent means the caller's default (public unless the install says drafts)
Public = Annotated[bool | None, BeforeValidator(_not_null),
                   WithJsonSchema({"type": "boolean"}), Field(json_schema_extra={"default": True})]


class Checked(BaseModel):
    """What a request sends, checked: its errors are the house 400s (:func:`parse`)."""

    model_config = ConfigDict(frozen=True)
    #: The field whose error is told before the others' (then they go in declared order).
    checked_first: ClassVar[str] = ""


class Body(Checked):
    """A JSON object with known fields only, checked strictly."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ParseBody(Body):
    """``POST /api/v1/geoparse``: a text to geoparse without storing it."""

    text: RequiredText
    lang: Lang = None
    layers: LayerIds = None


#: A report's publication day, YYYY-MM-DD.
Published = Annotated[date | None, BeforeValidator(_date)]
#: A report's web address (http or https), empty for none.
ReportAddress = Annotated[str | None, BeforeValidator(_absent_is_empty), Field(
    max_length=2000, json_schema_extra={"pattern": r"^(https?://[^\x00]*)?$"},
    description="The report's address; empty for none."),
    AfterValidator(_no_nul), AfterValidator(_web_address)]


class DocumentBody(Body):
    """``POST /api/v1/documents``: a report to store and geoparse."""

    checked_first: ClassVar[str] = "source_url"

    text: RequiredText
    title: Title = ""
    source_url: ReportAddress = None
    published: Published = None
    lang: Lang = None
    public: Public = None


class ReportBody(Body):
    """One item of ``POST /api/v1/maps/<id>/reports``: a report sent onto a map."""

    checked_first: ClassVar[str] = "url"

    text: RequiredText
    title: Title = ""
    url: ReportAddress = None
    published: Published = None


class View(Body):
    """A map's starting view: center ``[lat, lon]`` and zoom (absent: fit to the layers)."""

    center: Annotated[list[int | float] | None, AfterValidator(_degrees), WithJsonSchema({
        "type": "array", "minItems": 2, "maxItems": 2,
        "items": {"type": "number", "minimum": -180, "maximum": 180},
        "description": "[lat, lon] in degrees: lat from -90 to 90, lon from -180 to 180"})] = None
    zoom: Annotated[int | None, Field(ge=0, le=18)] = None


class MapBody(Body):
    """``POST /api/v1/maps``: documents combined into a map."""

    checked_first: ClassVar[str] = "document_ids"
    model_config = ConfigDict(json_schema_extra={"required": ["title", "document_ids"]})

    title: RequiredTitle
    document_ids: Annotated[list[str] | None, BeforeValidator(_strings),
                            AfterValidator(_at_least_one), Field(validate_default=True),
                            WithJsonSchema({
                                "type": "array", "minItems": 1,
                                "description": "Ids of stored documents (an unknown id is a "
                                               "404 naming it).",
                                "items": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}})
                            ] = None
    layers: LayerIds = None
    view: View | None = None
    description: Description = ""
    public: Public = None


class FeedBody(Body):
    """``POST /api/v1/maps/<id>/feeds``: an RSS or Atom feed for the map to follow."""

    url: RequiredAddress
    every: Every = ""


class TokenBody(Body):
    """``POST /api/v1/tokens``: an API token to make."""

    scope: Annotated[str, Field(max_length=16, json_schema_extra={"enum": list(SCOPES)},
                                description="write: editors and admins only"),
                     AfterValidator(_no_nul),
                     AfterValidator(_not_blank), AfterValidator(_scope)]
    label: Label = ""


def _integer(value: Any) -> Any:
    # int() also takes "1_000"; a query option is digits, with a sign and spaces around
    if isinstance(value, str):
        if not value.strip().lstrip("+-").isdigit():
            raise _refuse(f"should be an integer, got {value!r}")
        try:
            return int(value)
        except ValueError:
            raise _refuse(f"should be an integer, got {value!r}") from None
    return value


def _comma_separated(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            raise _refuse("is empty; leave it out for every layer, or name layer ids such as "
                          "mentions,control_zones")
        return value.split(",")
    return value


class Query(Checked):
    """Options of a request's address (the others, such as ``lang``, are not the model's)."""

    model_config = ConfigDict(extra="ignore")


class PageQuery(Query):
    """``?limit=&offset=`` of a list: one page of it."""

    limit: Annotated[int, BeforeValidator(_integer), Field(ge=1, le=MAX_PAGE)] = 20
    offset: Annotated[int, BeforeValidator(_integer), Field(ge=0, le=1_000_000)] = 0


def _bbox(value: Any) -> Any:
    # the OGC API's rules and words (webapp.ogc.query), so both APIs answer one box alike
    if isinstance(value, str):
        try:
            return read_bbox(value)
        except ValueError as error:
            raise _refuse(str(error)) from None
    return value


class DocumentSearchQuery(PageQuery):
    """``?q=`` of a map's list of documents, with its page: titles holding ``q`` only."""

    q: Annotated[str, Field(max_length=200)] = ""


class LayersQuery(Query):
    """``?layers=a,b&bbox=w,s,e,n`` of a GeoJSON download (absent: every layer, everywhere)."""

    layers: Annotated[list[str] | None, BeforeValidator(_comma_separated),
                      AfterValidator(_layer_ids)] = None
    bbox: Annotated[BBox | None, BeforeValidator(_bbox)] = None


def parse(model: type[Model], body: Mapping[str, Any]) -> Model:
    """Return ``body`` as ``model``, or RequestError with the house message of its first error."""
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise RequestError(message(model, _first(model, error.errors()), body)) from None


def _first(model: type[Checked], errors: list[ErrorDetails]) -> ErrorDetails:
    # The order the API has always told errors in: an unknown field, the field the model
    # checks first, then the others as declared (min keeps pydantic's order among equals).
    return min(errors, key=lambda e: (not (e["type"] == "extra_forbidden" and len(e["loc"]) == 1),
                                      e["loc"][0] != model.checked_first))


def message(model: type[Checked], error: ErrorDetails, body: Mapping[str, Any]) -> str:
    """Return the house message of one pydantic ``error`` of ``model`` about ``body``."""
    loc = [str(part) for part in error["loc"] if not isinstance(part, int)]
    kind, value = error["type"], error.get("input")
    if loc[0] == "view" and model is MapBody:
        return _view_message(loc, body["view"])
    name = loc[0]
    if kind == "extra_forbidden":
        return f"unknown field {name!r}; this endpoint accepts {', '.join(model.model_fields)}"
    if kind == "missing" or (kind == "string_type" and value is None):
        return f"'{name}' is required"
    if kind == "string_type":
        return f"'{name}' should be a string, got {type(value).__name__}"
    if kind in ("string_too_long", "too_long") and isinstance(value, str):
        return (f"'{name}' should be at most {error['ctx']['max_length']} characters, "
                f"got {len(value)}")
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = _bounds(model, name)
        return f"'{name}' should be between {low} and {high}, got {value}"
    if kind == "bool_type":
        return f"'{name}' should be true or false, got {value!r:.40}"
    if error["msg"].startswith(f"{name}: "):  # a rule shared with the forms names its field
        return error["msg"]
    return f"'{name}' {error['msg']}"


def _bounds(model: type[Checked], name: str) -> tuple[Any, Any]:
    """The ``ge`` and ``le`` limits a field of ``model`` declares."""
    metadata = model.model_fields[name].metadata
    return (next(m.ge for m in metadata if hasattr(m, "ge")),
            next(m.le for m in metadata if hasattr(m, "le")))


def _view_message(loc: list[str], view: Any) -> str:
    """The message of a map's view that is not an object of center and zoom."""
    part = loc[1] if len(loc) > 1 and isinstance(view, dict) and set(view) <= {
        "center", "zoom"} else None
    if part == "center":
        return f"'view.center' should be [lat, lon] in degrees, got {view['center']!r:.80}"
    if part == "zoom":
        return f"'view.zoom' should be an integer 0..18, got {view['zoom']!r:.40}"
    return f"'view' should be an object with center [lat, lon] and zoom, got {view!r:.80}"

