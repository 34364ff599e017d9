"""service.api_models: the request is validated as it always was (codes, fields, messages, the
order problems are reported in), and the answers the handlers write as dicts (orjson, the fast
path) have exactly the shape of the models the OpenAPI document is generated from."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import BaseModel

from service import api_models
from service.api_models import parse_issue_request
from service.atlas.catalog import load_atlas_info
from service.errors import BadRequest, InvalidName, RateLimited, ServiceError, ValidationFailed
from service.odds import Odds
from service.recipe import MAX_SEED, make_recipe
from service.routes import card_body

OK = {"nameOnCard": "Gingerbrave", "language": "en"}


@pytest.fixture(scope="module")
def atlas(atlas_dir):
    return load_atlas_info(atlas_dir)


def wire_names(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def body(**fields) -> bytes:
    return json.dumps({**OK, **fields}, ensure_ascii=True).encode()


@pytest.mark.parametrize("raw, status, code, field", [
    (b"{not json", 400, "malformed_json", None),
    (b"", 400, "malformed_json", None),
    (b"[" * 100_000, 400, "malformed_json", None),  # past orjson's depth, then the stdlib's stack
    (b'{"nameOnCard": "\xff", "language": "en"}', 400, "malformed_json", None),
    (b"[1, 2]", 422, "invalid_body", None),
    (b"null", 422, "invalid_body", None),
    (body(admin=True), 422, "unknown_field", "admin"),
    (b'{"zz": 1, "b": 2, "language": "fr"}', 422, "unknown_field", "b"),  # the first in sorted order, first of all
    (b'{"\\ud800": 1, "nameOnCard": "a", "language": "en"}', 422, "unknown_field", "\ud800"),
    (b'{"language": "fr", "seed": "x"}', 422, "missing_field", "nameOnCard"),
    (body(nameOnCard=None, language="fr"), 422, "invalid_type", "nameOnCard"),
    (body(nameOnCard=["a"]), 422, "invalid_type", "nameOnCard"),
    (body(language="EN", seed=-1), 422, "unsupported_language", "language"),
    (json.dumps({"nameOnCard": "a"}).encode(), 422, "unsupported_language", "language"),
    (body(language=None), 422, "unsupported_language", "language"),
    *[(body(seed=seed), 422, "invalid_seed", "seed") for seed in (-1, MAX_SEED + 1, 10**40, 1.5, 7.0, True, "42", [1])],
    (b'{"nameOnCard": "a", "language": "en", "seed": NaN}', 422, "invalid_seed", "seed"),
    (body(nameOnCard="", seed=1.5), 422, "invalid_seed", "seed"),  # the fields' types before the name rules
    (body(nameOnCard=""), 422, "name_empty", "nameOnCard"),
    (body(nameOnCard="a\u202eb"), 422, "name_forbidden_character", "nameOnCard"),
    (b'{"nameOnCard": "ab\\ud800c", "language": "en"}', 422, "name_forbidden_character", "nameOnCard"),
    (body(nameOnCard="\u2e3b" * 24), 422, "name_too_long", "nameOnCard"),  # too wide for the atlas's name slot
])
def test_a_bad_body_gets_the_code_and_field_it_always_got(atlas, raw, status, code, field):
    with pytest.raises(ServiceError) as caught:
        parse_issue_request(raw, atlas)
    error = caught.value
    assert (error.status, error.code, error.field) == (status, code, field)
    assert type(error) in (BadRequest, ValidationFailed, InvalidName) and error.message.endswith(".")


def test_messages_are_the_ones_clients_already_show():
    def message(raw: bytes) -> str:
        with pytest.raises(ServiceError) as caught:
            parse_issue_request(raw)
        return caught.value.message

    assert message(b"[]") == "The body must be a JSON object."
    assert message(body(x=1)) == "Unknown field 'x'; accepted fields are nameOnCard, language and seed."
    assert message(b"{}") == "nameOnCard is required."
    assert message(body(nameOnCard=1)) == "nameOnCard must be a string."
    assert message(body(language="fr")) == "language must be one of ko, en, ja, zh-TW."
    assert message(body(seed=-1)) == f"seed must be an integer from 0 to {MAX_SEED}."
    assert message(b"[" * 2000 + b"]" * 2000) == "The body is not valid JSON: it is nested too deeply."


def test_a_good_body_comes_back_with_its_name_normalised(atlas):
    request = parse_issue_request(body(nameOnCard="  Ginger\u3000\u3000brave ", seed=MAX_SEED), atlas)
    assert (request.name_on_card, request.language, request.seed) == ("Ginger brave", "en", MAX_SEED)
    assert parse_issue_request(b'{"nameOnCard": "a", "nameOnCard": "b", "language": "ko"}').seed is None
    assert parse_issue_request(b'{"nameOnCard": "b", "language": "ko", "seed": null}').name_on_card == "b"


def test_the_name_rules_are_those_of_names_py(monkeypatch):
    """The model holds no name rule of its own: it asks service.names for every name."""
    asked = []
    monkeypatch.setattr(api_models, "validate_name", lambda name, language, **_: asked.append(name) or "ruled")
    assert parse_issue_request(body(nameOnCard="")).name_on_card == "ruled" and asked == [""]


@pytest.mark.parametrize("variants, created_at", [((), "2026-11-30T03:00:00.123Z"), (("webp", "og", "thumb"), None)])
def test_the_card_answer_has_the_card_models_shape(atlas, variants, created_at):
    language = "ko"
    recipe = make_recipe(atlas.catalog, atlas.texts[language], name="준성맛 쿠키",
                         language=language, seed=7, atlas_version=atlas.version, issued=dt.date(2026, 11, 30),
                         name_fit=atlas.name_fit(language, "준성맛 쿠키").as_recipe())
    urls = {name: f"https://cards.example/{name}" for name in ("png", *variants)}
    answer = card_body("A" * 22, urls, recipe, atlas.describer.describe(recipe), created_at)
    card = api_models.Card.model_validate(answer)
    assert set(answer) == wire_names(api_models.Card)
    assert set(answer["recipe"]) == wire_names(api_models.Recipe)
    assert card.recipe.model_dump(mode="json", by_alias=True) == answer["recipe"] == recipe.to_json()
    assert card.urls.model_dump(exclude_unset=True) == urls


def test_errors_have_the_error_models_shape():
    for error in (ValidationFailed("Bad.", code="unknown_field", field="x"), RateLimited("Slow down."),
                  InvalidName("Not \u202e.", character="\u202e"), InvalidName("Lone.", character="\ud800")):
        api_models.Error.model_validate(error.to_json())  # forbids keys the model does not have
    with_character = InvalidName("Not \u202e.", character="\u202e").to_json()["error"]
    assert set(with_character) == wire_names(api_models.ErrorDetail)


def test_the_odds_answer_has_the_odds_models_shape(atlas):
    answer = {"atlasVersion": atlas.version, **Odds.of(atlas.catalog).published()}
    odds = api_models.Odds.model_validate(answer)
    assert set(answer) == wire_names(api_models.Odds)
    assert set(answer["categories"][0]) == wire_names(api_models.OddsCategory)
    assert set(answer["rules"][0]) == wire_names(api_models.OddsRule) and odds.rules
