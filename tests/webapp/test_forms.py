"""The pages' forms and query strings: one model each, one rule per field, one error type."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from geo.errors import InputError
from webapp.errors import RequestError
from webapp.forms import (
    CorrectionForm,
    DocumentForm,
    EmbedArgs,
    EmbedCodeArgs,
    FeedForm,
    LayersArgs,
    MapArgs,
    MapForm,
    OembedArgs,
    PasswordForm,
    RevisionForm,
    SetupArgs,
    SetupForm,
    SignInForm,
    TimeArgs,
    TokenForm,
    UserForm,
    parse_form,
    typed,
)
from webapp.ingest import Submission, prepare


@pytest.mark.parametrize(("model", "values", "message"), [
    (DocumentForm, {"source_url": "ftp://x"}, "source_url: expected an http(s) address, got "
                                              "'ftp://x'"),
    (DocumentForm, {"published": "2024-13-01"}, "published: expected a date YYYY-MM-DD, got "
                                                "'2024-13-01'"),
    (DocumentForm, {"published": "20240501"}, "published: expected a date YYYY-MM-DD"),
    (DocumentForm, {"lang": "de"}, "lang: expected one of ar, fr, en, auto, got 'de'"),
    (MapForm, {"documents": "d1"}, "title: empty; give the map a name"),
    (MapForm, {"title": " ", "documents": "d1"}, "title: empty"),
    (MapForm, {"title": "T"}, "documents: none chosen; tick at least one document"),
    (MapForm, {"title": "T", "documents": "d1", "zoom": "19"},
     "zoom: expected a whole number from 0 to 18, got '19'"),
    (MapForm, {"title": "T", "documents": "d1", "center": "95,10"},
     "center: latitude or longitude out of range in '95,10'"),
    (MapForm, {"title": "T", "documents": "d1", "center": "north"},
     "center: expected 'lat,lon' in degrees, got 'north'"),
    (FeedForm, {"url": "feed.xml"}, "url: expected an http(s) address of a feed"),
    (FeedForm, {"url": "https://x.example/feed", "every": "5s"}, "every: at least 10s"),
    (TimeArgs, {"at": "2024-5-1"}, "at: expected a date YYYY-MM-DD, got '2024-5-1'"),
    (TimeArgs, {"from": "2024-01-01"}, "from/to: give both days"),
    (TimeArgs, {"from": "2024-02-01", "to": "2024-01-01"}, "from: 2024-02-01 is after to: "
                                                                 "2024-01-01; swap them"),
    (TimeArgs, {"at": "2024-01-01", "from": "2024-01-01", "to": "2024-01-02"},
     "at: give either at=YYYY-MM-DD or from/to, not both"),
    (EmbedArgs, {"lang": "de"}, "lang: expected one of en, fr, ar, got 'de'"),
    (EmbedArgs, {"legend": "maybe"}, "legend: expected 1/0 (or true/false), got 'maybe'"),
    (EmbedArgs, {"to": "someday"}, "to: expected a date YYYY-MM-DD"),
    (EmbedCodeArgs, {"height": "0"}, "height: expected a positive whole number of pixels"),
    (RevisionForm, {"revision": ""}, "revision: missing; reload the page and try again"),
    (CorrectionForm, {"revision": "3", "start": "x"}, "start: expected a whole number, got 'x'"),
    (CorrectionForm, {"start": "1"}, "revision: missing"),  # the revision is told first
    (OembedArgs, {"url": " "}, "url: missing; pass the address of a Kharita map"),
    (OembedArgs, {"url": "https://x", "maxwidth": "wide"}, "maxwidth: expected a positive"),
    (TokenForm, {"scope": "admin"}, "scope: expected one of read, write, got 'admin'"),
    (TokenForm, {"scope": ""}, "scope: expected one of read, write, got ''"),
    (UserForm, {"name": "nour", "password": "x" * 9}, "role: expected one of admin, editor, "
                                                      "viewer, got ''"),
    (UserForm, {"name": "nour", "role": "root"}, "role: expected one of admin, editor, viewer, "
                                                 "got 'root'"),
    (SetupForm, {"token": "t", "name": "root", "password": "a" * 9, "password2": "b" * 9},
     "password: the two passwords differ; type the same one twice."),
    (SetupForm, {"token": "t", "name": "root", "password": "a" * 9},
     "password: the two passwords differ"),
])
def test_a_bad_field_is_a_request_error_naming_it(model, values, message):
    with pytest.raises(RequestError) as caught:
        parse_form(model, MultiDict(values))
    assert not isinstance(caught.value, InputError)  # one error type for every form
    assert str(caught.value).startswith(message)


def test_forms_read_what_the_pages_send():
    document = parse_form(DocumentForm, MultiDict({
        "text": "Kidal", "title": "x" * 600, "source_url": " https://a.example/r ",
        "published": "2024-05-31", "lang": "auto", "private": "on"}))
    assert (document.text, len(document.title), document.source_url) == (
        "Kidal", 500, "https://a.example/r")
    assert (document.published, document.language, document.private) == (
        date(2024, 5, 31), None, True)
    assert parse_form(DocumentForm, MultiDict({"lang": "fr"})).language == "fr"
    ticked = MultiDict([("title", " Sahel "), ("documents", "d1"), ("documents", ""),
                        ("documents", "d2"), ("layers", "strikes"), ("layers", "attacks"),
                        ("layers", ""), ("zoom", "5"), ("center", "17,-3")])
    new_map = parse_form(MapForm, ticked)
    assert (new_map.title, new_map.documents, new_map.layers) == (
        "Sahel", ["d1", "d2"], ("strikes", "attacks"))  # the order ticked
    assert new_map.view() == {"center": [17.0, -3.0], "zoom": 5} and not new_map.private
    assert parse_form(FeedForm, MultiDict({"url": "https://x.example/f"})).every == 15 * 60
    correction = parse_form(CorrectionForm, MultiDict({"revision": "4", "mention": "2",
                                                       "start": "-1", "end": ""}))
    assert (correction.revision, correction.mention, correction.start, correction.end) == (
        4, 2, -1, None)


def test_account_forms_read_what_the_pages_send():
    signin = parse_form(SignInForm, MultiDict({"name": "  amina ", "password": " pass word ",
                                               "next": "/maps"}))
    assert (signin.name, signin.password, signin.next, signin.token) == (
        "amina", " pass word ", "/maps", None)  # a password is kept as typed
    assert parse_form(SignInForm, MultiDict({"token": ""})).token == ""  # the token form
    assert parse_form(TokenForm, MultiDict({"label": "<b>ci</b>"})) == TokenForm(
        scope="read", label="<b>ci</b>")  # the label is escaped where shown, not here
    user = parse_form(UserForm, MultiDict({"name": " nour\t", "role": " viewer ",
                                           "password": "secret  "}))
    assert (user.name, user.role, user.password) == ("nour", "viewer", "secret  ")
    assert parse_form(PasswordForm, MultiDict({"new": " x"})) == PasswordForm(current="",
                                                                              new=" x")
    assert parse_form(SetupArgs, MultiDict()).token == ""
    setup = parse_form(SetupForm, MultiDict({"token": "t", "name": " root ",
                                             "password": "p" * 9, "password2": "p" * 9}))
    assert (setup.token, setup.name, setup.password) == ("t", "root", "p" * 9)
    assert typed(MultiDict({"name": " nour ", "password": "x"}), "name", "role") == {
        "name": "nour", "role": ""}  # shown again beside an error: never the password


def test_query_options_read_as_before():
    assert parse_form(LayersArgs, MultiDict({"layers": " a, ,b,a"})).layers == ("a", "b")
    assert parse_form(LayersArgs, MultiDict({"layers": " "})).layers is None
    window = parse_form(MapArgs, MultiDict({"from": "2024-01-01", "to": "2024-01-31"}))
    assert window.args() == {"from": "2024-01-01", "to": "2024-01-31"}
    assert parse_form(TimeArgs, MultiDict({"at": "2024-03-01"})).args() == {"at": "2024-03-01"}
    embed = parse_form(EmbedArgs, MultiDict({"layers": "strikes,attacks", "legend": "0",
                                             "center": "1,2", "at": "2024-03-01"}))
    assert embed.layers == ("attacks", "strikes") and embed.legend is False
    # the page does not depend on the timeline's options: one rendering for every moment
    assert embed.page_key() == parse_form(EmbedArgs, MultiDict({
        "layers": "attacks,strikes", "legend": "no", "center": "1,2"})).page_key()
    assert parse_form(EmbedArgs, MultiDict()).legend is True


def test_one_rule_gives_one_message_wherever_the_field_is(client, ids):
    # a day in the paste form and in a map's timeline: one rule, one wording
    posted = client.post("/documents", data={"text": "Kidal", "published": "2024-5-1"})
    assert posted.status_code == 400
    shown = client.get(f"/maps/{ids['public']}?at=2024-5-1")
    assert shown.status_code == 400
    assert "at: expected a date YYYY-MM-DD, got &#39;2024-5-1&#39;" in shown.text


def test_an_unknown_language_has_one_message_in_the_forms_the_api_and_ingest(client):
    said = "lang: expected one of ar, fr, en, auto, got 'de'"
    with pytest.raises(RequestError, match=f"^{said}$"):
        parse_form(DocumentForm, MultiDict({"text": "Kidal", "lang": "de"}))
    with pytest.raises(InputError, match=f"^{said}$"):
        prepare(Submission(text="Kidal", lang="de"))
    api = client.post("/api/v1/documents", json={"text": "Kidal", "lang": "de"})
    assert (api.status_code, api.json["error"]) == (400, said)


@pytest.mark.parametrize(("field", "value", "sentence"), [
    ("lang", "de", "Choisissez la langue dans la liste (reçu : &#39;de&#39;)."),
    ("published", "31/05/2024", "La date de publication doit être une date comme 2024-05-31"),
    ("source_url", "ftp://x", "L&#39;adresse de la source doit commencer par http://"),
])
def test_the_paste_form_still_tells_its_errors_in_the_page_language(client, field, value,
                                                                   sentence):
    response = client.post("/documents?lang=fr", data={"text": "Kidal", field: value})
    assert response.status_code == 400 and sentence in response.text
