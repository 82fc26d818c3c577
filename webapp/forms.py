"""The pages' forms and query strings as pydantic models: one model per form, one way to fail.

Like the JSON API's bodies (:mod:`webapp.api.models`), each form the pages post and each
query string they read is a model: the paste/upload form, the new-map form, the feed
form, the map page's and the embed's options, the embed builder's and oEmbed's, and the
account forms (sign-in, API token, password, the admin's new user, set-up). Each
field has one rule, written once here and shared by every form that has the field
(a language, a day, a zoom, a center, a yes/no flag, a size in pixels, a web address),
and :func:`parse_form` answers the model or raises :class:`webapp.errors.RequestError`
(a 400 in :data:`webapp.errors.STATUS`) with the first error's message. Messages name the
field first ("published: expected a date YYYY-MM-DD, got ..."): a form page shows them in
its language through :func:`webapp.form_errors.localize`, whose sentences are in the
gettext catalogs.

Form values are strings (or lists of strings, for ticked boxes); every field reads its
raw text through a before-validator, so the only errors are the house messages. Checks
that need the store (a layer the map has, a document that exists) stay with the views,
and the account rules the command line shares (a name's letters, that it is new, a
password's length) stay with the store (:mod:`webapp.store.users`): a model checks the
shape (a known role or scope, a password typed twice alike), the store the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Annotated, Any, ClassVar, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError
from werkzeug.datastructures import MultiDict

from geo.errors import InputError
from webapp.errors import RequestError
from webapp.feeds import check_source, parse_every
from webapp.i18n import LANGUAGES
from webapp.ingest import LANG_CHOICES, unknown_lang
from webapp.store.users import ROLES, SCOPES

MAX_ZOOM = 18
MAX_PIXELS = 10_000
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
Form = TypeVar("Form", bound="FormModel")


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("kharita", message)


def _text(raw: Any) -> str:
    """A form value as text (absent: empty)."""
    return "" if raw is None else str(raw)


def one_of(name: str, allowed: Sequence[str], *,
           required: bool = False) -> Callable[[Any], str | None]:
    """The rule of a choice among ``allowed`` (empty: None, or an error if ``required``)."""
    def check(raw: Any) -> str | None:
        value = _text(raw).strip()
        if (value or required) and value not in allowed:
            raise _refuse(f"{name}: expected one of {', '.join(allowed)}, got {value[:20]!r}")
        return value or None
    return check


def _stripped(raw: Any) -> str:
    """A name as typed, without the spaces around it."""
    return _text(raw).strip()


def day(name: str) -> Callable[[Any], date | None]:
    """The rule of a day ``YYYY-MM-DD`` (empty: None)."""
    def check(raw: Any) -> date | None:
        value = _text(raw).strip()
        if not value:
            return None
        try:
            if len(value) != 10:
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            raise _refuse(f"{name}: expected a date YYYY-MM-DD, got {value[:40]!r}") from None
    return check


def zoom(raw: Any) -> int | None:
    """The rule of a zoom level 0..18 (empty: None)."""
    value = _text(raw).strip()
    if not value:
        return None
    if value.isdigit() and 0 <= int(value) <= MAX_ZOOM:
        return int(value)
    raise _refuse(f"zoom: expected a whole number from 0 to {MAX_ZOOM}, got {value[:40]!r}")


def center(raw: Any) -> tuple[float, float] | None:
    """The rule of a ``lat,lon`` center in degrees (empty: None)."""
    value = _text(raw).strip()
    if not value:
        return None
    try:
        lat, lon = (float(part) for part in value.split(","))
    except ValueError:
        raise _refuse(f"center: expected 'lat,lon' in degrees, got {value[:60]!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also refuses nan and inf
        raise _refuse(f"center: latitude or longitude out of range in {value[:60]!r}")
    return lat, lon


def flag(name: str, default: bool) -> Callable[[Any], bool]:
    """The rule of a yes/no option, 1/0 or true/false (empty: ``default``)."""
    def check(raw: Any) -> bool:
        value = _text(raw).lower()
        if not value:
            return default
        if value in TRUE | FALSE:
            return value in TRUE
        raise _refuse(f"{name}: expected 1/0 (or true/false), got {value[:40]!r}")
    return check


def pixels(name: str) -> Callable[[Any], int | None]:
    """The rule of a size in pixels, 1..10000 (empty: None)."""
    def check(raw: Any) -> int | None:
        value = _text(raw)
        if not value:
            return None
        if value.isdigit() and 0 < int(value) <= MAX_PIXELS:
            return int(value)
        raise _refuse(f"{name}: expected a positive whole number of pixels, got {value[:40]!r}")
    return check


def web_address(raw: Any) -> str | None:
    """The rule of a report's http(s) address (empty: None)."""
    value = _text(raw).strip()
    if value and urlsplit(value).scheme not in ("http", "https"):
        raise _refuse(f"source_url: expected an http(s) address, got {value[:80]!r}")
    return value or None


def layer_names(raw: Any) -> tuple[str, ...] | None:
    """Layer ids from ``a,b`` or from ticked boxes, in the order given, blanks and repeats
    dropped (none: None)."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw or ())
    asked = dict.fromkeys(str(part).strip() for part in parts if str(part).strip())
    return tuple(asked) or None


def _sorted(value: tuple[str, ...] | None) -> tuple[str, ...] | None:
    return tuple(sorted(value)) if value else None


def check_layers(asked: Iterable[str] | None, available: Sequence[str]) -> None:
    """Raise RequestError for a layer ``available`` does not hold (the store knows which)."""
    unknown = [layer for layer in asked or () if layer not in available]
    if unknown:
        raise RequestError(
            f"layers: unknown layer(s) {', '.join(unknown)[:200]}; "
            f"this map has {', '.join(available) or 'no layers'}"
        )


def whole(name: str) -> Callable[[Any], int | None]:
    """The rule of a whole number, maybe negative (empty: None)."""
    def check(raw: Any) -> int | None:
        value = _text(raw).strip()
        if not value:
            return None
        if not value.lstrip("-").isdigit():
            raise _refuse(f"{name}: expected a whole number, got {value[:20]!r}")
        return int(value)
    return check


def _revision(raw: Any) -> int:
    value = _text(raw)
    if not value.isdigit():
        raise _refuse("revision: missing; reload the page and try again")
    return int(value)


def _feed_address(raw: Any) -> str:
    try:
        return check_source(_text(raw), folders=False)
    except InputError as error:
        raise _refuse(str(error)) from None


def _every(raw: Any) -> int:
    try:
        return parse_every(_text(raw) or "15m")
    except InputError as error:
        raise _refuse(str(error)) from None


def _ticked(raw: Any) -> bool:
    return bool(_text(raw))


def _cut(limit: int) -> Callable[[Any], str]:
    return lambda raw: _text(raw)[:limit]


def _some(name: str, message: str, limit: int = 2000) -> Callable[[Any], Any]:
    """The rule of a field that must not be empty (a title, ticked documents); a text is
    stripped and cut to ``limit`` characters."""
    def check(raw: Any) -> Any:
        value = [v for v in raw if v] if isinstance(raw, list) else _text(raw).strip()[:limit]
        if not value:
            raise _refuse(f"{name}: {message}")
        return value
    return check


class FormModel(BaseModel):
    """A form or query string, checked: its errors are the house 400s (:func:`parse_form`)."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)
    #: Fields sent as several values of one name (ticked boxes).
    lists: ClassVar[tuple[str, ...]] = ()


def parse_form(model: type[Form], values: MultiDict[str, Any]) -> Form:
    """Return the form or query ``values`` as ``model``, or RequestError naming the first
    field at fault (fields are checked in the order the model declares them)."""
    data: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key in values:
            data[key] = values.getlist(key) if name in model.lists else values.get(key)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise RequestError(first["msg"] if first["type"] == "kharita"
                           else f"{first['loc'][0]}: {first['msg']}") from None


def language(raw: Any) -> str | None:
    """The rule of a text's language: one of :data:`~webapp.ingest.LANG_CHOICES`, the JSON
    API's rule too (empty: None)."""
    value = _text(raw).strip()
    if value and value not in LANG_CHOICES:
        raise _refuse(unknown_lang(value))
    return value or None


Lang = Annotated[str | None, BeforeValidator(language)]
MAX_DOCUMENT_OFFSET = 10**7
Zoom = Annotated[int | None, BeforeValidator(zoom)]
Center = Annotated[tuple[float, float] | None, BeforeValidator(center)]
Layers = Annotated[tuple[str, ...] | None, BeforeValidator(layer_names)]
Ticked = Annotated[bool, BeforeValidator(_ticked)]


class DocumentForm(FormModel):
    """The home page's paste/upload form (the uploaded file is read apart)."""

    text: Annotated[str, BeforeValidator(_text)] = ""
    title: Annotated[str, BeforeValidator(_cut(500))] = ""
    source_url: Annotated[str | None, BeforeValidator(web_address)] = None
    published: Annotated[date | None, BeforeValidator(day("published"))] = None
    lang: Lang = None
    private: Ticked = False

    @property
    def language(self) -> str | None:
        """The language asked for (None: detect it)."""
        return None if self.lang in (None, "auto") else self.lang


class MapForm(FormModel):
    """The new-map form: a title, ticked documents and layers, a starting view."""

    lists: ClassVar[tuple[str, ...]] = ("documents", "layers")

    title: Annotated[str, BeforeValidator(_some("title", "empty; give the map a name", 500))
                     ] = Field(default=None, validate_default=True)
    documents: Annotated[list[str], BeforeValidator(_some(
        "documents", "none chosen; tick at least one document"))
    ] = Field(default=None, validate_default=True)
    layers: Layers = None
    center: Center = None
    zoom: Zoom = None
    description: Annotated[str, BeforeValidator(_cut(2000))] = ""
    private: Ticked = False

    def view(self) -> dict[str, Any]:
        """The view settings to store (only the parts given)."""
        view: dict[str, Any] = {}
        if self.center is not None:
            view["center"] = list(self.center)
        if self.zoom is not None:
            view["zoom"] = self.zoom
        return view


class FeedForm(FormModel):
    """The map page's form that makes a map follow a feed."""

    url: Annotated[str, BeforeValidator(_feed_address)] = Field(default=None,
                                                                 validate_default=True)
    every: Annotated[int, BeforeValidator(_every)] = Field(default=None, validate_default=True)


class RevisionForm(FormModel):
    """A form of the document editor: the revision its page showed, which it changes."""

    revision: Annotated[int, BeforeValidator(_revision)] = Field(default=None,
                                                                 validate_default=True)


class CorrectionForm(RevisionForm):
    """A correction form's numbers: the mention it reads again, a span of the text."""

    mention: Annotated[int | None, BeforeValidator(whole("mention"))] = None
    start: Annotated[int | None, BeforeValidator(whole("start"))] = None
    end: Annotated[int | None, BeforeValidator(whole("end"))] = None


class TimeArgs(FormModel):
    """``?at=`` (the 30 days up to a day) or ``?from=&to=`` (a window) of a map or embed.

    The timeline filters in the browser; these are checked so that a malformed one is a
    400 naming it, not a silently ignored link.
    """

    at: Annotated[date | None, BeforeValidator(day("at"))] = None
    start: Annotated[date | None, BeforeValidator(day("from")), Field(alias="from")] = None
    end: Annotated[date | None, BeforeValidator(day("to")), Field(alias="to")] = None

    @model_validator(mode="after")
    def _one_choice(self) -> TimeArgs:
        if (self.start is None) != (self.end is None):
            raise _refuse("from/to: give both days of the window, or use at=YYYY-MM-DD")
        if self.start and self.end and self.start > self.end:
            raise _refuse(f"from: {self.start} is after to: {self.end}; swap them")
        if self.at and self.start:
            raise _refuse("at: give either at=YYYY-MM-DD or from/to, not both")
        return self

    def args(self) -> dict[str, str]:
        """The query arguments that reproduce this choice (empty when none was made)."""
        if self.start and self.end:
            return {"from": self.start.isoformat(), "to": self.end.isoformat()}
        return {"at": self.at.isoformat()} if self.at else {}


class LayersArgs(FormModel):
    """``?layers=a,b``: some of a map's layers (absent: all of them)."""

    layers: Layers = None


class MapArgs(LayersArgs, TimeArgs):
    """A map page's options: some of its layers, and a moment of its timeline."""


def _document_offset(raw: Any) -> int:
    value = _text(raw).strip() or "0"
    if not value.isdigit() or int(value) > MAX_DOCUMENT_OFFSET:
        raise _refuse(f"doc_offset: expected a whole number of documents, got {value[:20]!r}")
    return int(value)


class MapPageArgs(MapArgs):
    """A map page's options and where its list of documents starts (``?doc_offset=``),
    with the words its titles must hold (``?doc_q=``)."""

    doc_offset: Annotated[int, BeforeValidator(_document_offset)] = 0
    doc_q: Annotated[str, BeforeValidator(lambda raw: _text(raw)[:200])] = ""


class EmbedArgs(MapArgs):
    """An embed's options (hashable: part of the rendered page's cache key)."""

    layers: Annotated[tuple[str, ...] | None, BeforeValidator(layer_names),
                      AfterValidator(_sorted)] = None
    lang: Annotated[str | None, BeforeValidator(one_of("lang", tuple(LANGUAGES)))] = None
    legend: Annotated[bool, BeforeValidator(flag("legend", True))] = True
    zoom: Zoom = None
    center: Center = None

    def page_key(self) -> tuple[Any, ...]:
        """What the embed page depends on (the timeline's options are read by its script)."""
        return (self.layers, self.lang, self.legend, self.zoom, self.center)


class EmbedCodeArgs(EmbedArgs):
    """The embed builder's choices: an embed's options and the frame's height."""

    height: Annotated[int | None, BeforeValidator(pixels("height"))] = None


class OembedArgs(FormModel):
    """``/oembed``: the address of a map, and the largest frame the consumer takes."""

    url: Annotated[str, BeforeValidator(_some(
        "url", "missing; pass the address of a Kharita map"))] = Field(default=None,
                                                                        validate_default=True)
    format: Annotated[str, BeforeValidator(_text)] = "json"
    maxwidth: Annotated[int | None, BeforeValidator(pixels("maxwidth"))] = None
    maxheight: Annotated[int | None, BeforeValidator(pixels("maxheight"))] = None


class FeatureArgs(FormModel):
    """``?feature=``: the id of one of a map's features (its popup's details)."""

    feature: Annotated[str, BeforeValidator(_some(
        "feature", "missing; pass the id of one of the map's features", 200))] = Field(
        default=None, validate_default=True)


Name = Annotated[str, BeforeValidator(_stripped)]
Secret = Annotated[str, BeforeValidator(_text)]  # a password or token: kept as typed


def typed(values: MultiDict[str, Any], *names: str) -> dict[str, str]:
    """The text of fields ``names`` as the form's models read a name (stripped), to show
    again beside the form's error (never a password: the page asks for it again)."""
    return {name: _stripped(values.get(name)) for name in names}


class SignInArgs(FormModel):
    """Where to go after signing in (:func:`webapp.access.safe_next` vets it)."""

    next: Annotated[str, BeforeValidator(_text)] = ""


class SignInForm(SignInArgs):
    """The sign-in form: a name and password, or (when ``token`` is sent) the deployment
    token."""

    token: Annotated[str | None, BeforeValidator(_text)] = None
    name: Name = ""
    password: Secret = ""


class TokenForm(FormModel):
    """The account page's form that makes an API token (which scopes the user's role
    allows, and the label's storable characters, are the store's and the view's)."""

    scope: Annotated[str, BeforeValidator(one_of("scope", SCOPES, required=True))] = "read"
    label: Annotated[str, BeforeValidator(_text)] = ""


class PasswordForm(FormModel):
    """The account page's form that changes the password (its length is
    :func:`webapp.accounts.change_password`'s rule, shared with the CLI)."""

    current: Secret = ""
    new: Secret = ""


class UserForm(FormModel):
    """The admin's form that adds a user (the name's letters and that it is new, and the
    password's length, are the store's rules, shared with ``kharita users add``)."""

    name: Name = ""
    role: Annotated[str, BeforeValidator(one_of("role", ROLES, required=True))] = Field(
        default=None, validate_default=True)
    password: Secret = ""


class SetupArgs(FormModel):
    """The set-up page's token, from the printed link or its form."""

    token: Secret = ""


class SetupForm(SetupArgs):
    """The set-up form: the first admin's name and their password typed twice."""

    name: Name = ""
    password: Secret = ""
    password2: Secret = ""

    @model_validator(mode="after")
    def _typed_twice(self) -> SetupForm:
        if self.password != self.password2:
            raise _refuse("password: the two passwords differ; type the same one twice.")
        return self
