"""GET /openapi.json: a valid OpenAPI 3.1 document of every route, and the live server keeps to it.

The live tests run the real server (a subprocess) under schemathesis: every documented
operation the app registers, with positive and negative inputs, checked for 5xx,
undocumented status codes, content types, response bodies and response headers; then
the responses random inputs seldom reach (replay, 413, 415, PNG, 429, readiness 503).
"""

from __future__ import annotations

import json
import signal
import time
import urllib.request
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from service.app import create_app
from service.config import Settings
from service.openapi import build_document

DOCUMENT = build_document()
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
PENDING: set[tuple[str, str]] = set()
"""(METHOD, path) documented ahead of its route; the live run skips them until they land."""
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
MAX_EXAMPLES = 50


def registered_routes() -> set[tuple[str, str]]:
    """(METHOD, path template) of every route the app registers, without starting it."""
    app = create_app(Settings())
    return {(route.method, route.resource.canonical) for route in app.router.routes()}


def documented_operations() -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in DOCUMENT["paths"].items() for method in item
            if method in METHODS}


def test_document_is_valid_openapi_3_1():
    validation = pytest.importorskip("openapi_spec_validator",
                                     reason="openapi-spec-validator is not installed (test extra)")
    assert DOCUMENT["openapi"].startswith("3.1.")
    validation.validate(DOCUMENT, cls=validation.OpenAPIV31SpecValidator)
    assert DOCUMENT["info"]["title"] == "citizen-card" and DOCUMENT["info"]["version"]


def test_every_registered_route_is_documented():
    documented = documented_operations()
    undocumented = []
    for method, path in sorted(registered_routes()):
        if method == "HEAD" and ("GET", path) in documented:
            continue  # aiohttp adds HEAD to every GET route
        if method == "*" and any(p == path for _, p in documented):
            continue
        if (method, path) not in documented:
            undocumented.append(f"{method} {path}")
    assert not undocumented, f"routes missing from service/openapi.py: {undocumented}"


def test_every_documented_operation_exists_or_is_pending():
    stale = documented_operations() - registered_routes() - PENDING
    assert not stale, f"documented in service/openapi.py but not registered: {sorted(stale)}"


def inputs(operation) -> bool:
    """Whether the operation takes any input a negative case could break."""
    return any(len(group) for group in (operation.path_parameters, operation.headers, operation.cookies,
                                        operation.query, operation.body))


def check_explicit_cases(schema) -> None:
    """Responses random inputs seldom reach: a replay, a reused key, 413, 415, the PNG, its share page."""
    issue, image = schema["/citizen-card"]["POST"], schema["/cards/{id}.png"]["GET"]
    body, key = {"nameOnCard": "Conformance Cookie", "language": "en", "seed": 7}, {"Idempotency-Key": "openapi"}

    def call(case, status: int):
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == status, case.as_curl_command()
        return response

    card = call(issue.Case(body=body, headers=key), 201).json()
    replay = call(issue.Case(body=body, headers=key), 201)
    assert replay.json()["id"] == card["id"] and replay.headers["idempotent-replayed"] == ["true"]
    call(issue.Case(body={**body, "seed": 8}, headers=key), 422)
    call(issue.Case(body={"nameOnCard": "x" * 5000, "language": "en"}), 413)
    call(issue.Case(body="nameOnCard=x&language=en", media_type="application/x-www-form-urlencoded"), 415)
    assert call(image.Case(path_parameters={"id": card["id"]}), 200).content.startswith(b"\x89PNG")
    assert card["id"] in call(schema["/c/{id}"]["GET"].Case(path_parameters={"id": card["id"]}), 200).text
    call(image.Case(path_parameters={"id": "A" * 22}), 404)


def test_live_server_conforms_to_the_document(start_server):
    """Schemathesis against the real server: every check must pass for every generated case.

    Its pytest plugin (`schemathesis.pytest.from_fixture`) fails under pytest 9.2 (it sets
    `Function._nodeid`), so the Python API drives Hypothesis here: each live operation, with
    positive and (where it takes input) negative data, MAX_EXAMPLES cases each.
    """
    server = start_server()
    with urllib.request.urlopen(server.url + "/openapi.json", timeout=5) as response:
        assert response.headers.get_content_type() == "application/json"
        assert response.headers["X-Request-Id"]
        assert json.loads(response.read()) == DOCUMENT
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json",
                                           config=schemathesis.Config.from_dict({"base-url": server.url}))
    live = {(method, path) for method, path in registered_routes() if method != "HEAD"}
    failures, statuses = [], {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in live:
            continue  # PENDING: documented ahead of its route
        for mode in GenerationMode if inputs(operation) else [GenerationMode.POSITIVE]:
            seen = statuses.setdefault(f"{operation.label} [{mode.value}]", Counter())

            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, print_blob=False,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def fuzz(case):
                seen[case.call_and_validate(checks=CHECKS).status_code] += 1

            try:
                fuzz()
            except FailureGroup as exc:  # every failed check, the response and a curl to replay it
                failures.append(f"{operation.label} [{mode.value}]: {exc.message}")
            except Exception as exc:
                failures.append(f"{operation.label} [{mode.value}]: {type(exc).__name__}: {exc}")
    print("\n".join(f"{label}: {dict(sorted(seen.items()))}" for label, seen in statuses.items()))
    assert not failures, "\n\n".join(failures)
    check_explicit_cases(schema)
    # schemathesis leaves out the operation that served the schema; GET /openapi.json is checked above
    assert {label.rsplit(" [", 1)[0] for label in statuses} == {f"{m} {p}" for m, p in live} - {"GET /openapi.json"}
    assert statuses["POST /citizen-card [positive]"][201], "no card was issued"


def test_rate_limited_and_draining_responses_conform(start_server):
    """429 and readiness 503 carry Retry-After as documented (the fuzzing server never rate-limits)."""
    server = start_server(env={"CITIZEN_RATE_LIMIT": "0.01", "CITIZEN_RATE_BURST": "1", "CITIZEN_DRAIN_GRACE": "2"},
                          workers=1)
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json",
                                           config=schemathesis.Config.from_dict({"base-url": server.url}))
    issue, ready = schema["/citizen-card"]["POST"], schema["/readyz"]["GET"]
    assert issue.Case(body={"nameOnCard": "", "language": "en"}).call_and_validate(checks=CHECKS).status_code == 422
    # A 422 spends no render token (issue 17 item 5): the first card takes the only one.
    assert issue.Case(body={"nameOnCard": "Cookie", "language": "en"}).call_and_validate(checks=CHECKS).status_code == 201
    limited = issue.Case(body={"nameOnCard": "Cookie", "language": "en"}).call_and_validate(checks=CHECKS)
    assert limited.status_code == 429 and int(limited.headers["retry-after"][0]) >= 1
    server.proc.send_signal(signal.SIGTERM)  # readiness turns 503 at once, for the drain grace
    deadline = time.monotonic() + 3
    documented_5xx = [check for check in CHECKS if check is not not_a_server_error]
    while (response := ready.Case().call_and_validate(checks=documented_5xx)).status_code == 200:
        assert time.monotonic() < deadline, "readyz stayed 200 after SIGTERM"
        time.sleep(0.05)
    assert response.status_code == 503 and response.json()["status"] == "unavailable"
