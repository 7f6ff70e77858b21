"""The platform's served OpenAPI document checked against its real behaviour.

schemathesis reads /api/v1/openapi.json from the real server on loopback,
generates valid and invalid requests for every operation, sends them over HTTP
and checks the answers: never a server error (5xx), status codes, headers and
bodies as documented.
"""

from __future__ import annotations

import base64

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from schemathesis.specs.openapi.checks import positive_data_acceptance

from bizsync_tui.engine.contract import make_verifier
from bizsync_tui.platform.guard import Limits
from tests.platform_server import run_platform

MAX_EXAMPLES = 15


@pytest.fixture(scope="module")
def fuzzed_platform(tmp_path_factory):
    # The fuzzer sends hundreds of wrong credentials from one address: throttling (tested in
    # test_platform_protection.py) would answer its auth checks 429 instead of the 401 they expect.
    p = run_platform(tmp_path_factory.mktemp("fuzz"), client_code="FUZZ",
                     limits=Limits(mobile_account=10**6, mobile_address=10**6, publisher_account=10**6,
                                   publisher_address=10**6))
    verifier = make_verifier("phone-pw")
    requests.put(f"{p.api}/users", auth=p.auth, timeout=10, json={"users": [
        {"login": "marie", "name": "Marie", "password_verifier": verifier, "grants": {"BIJOU": ["sales_revenue"]}}
    ]}).raise_for_status()
    token = requests.post(f"{p.api}/mobile/login", timeout=10, json={
        "client_code": "FUZZ", "company_code": "BIJOU", "login": "marie", "password": "phone-pw"}).json()["token"]
    p.token = token
    try:
        yield p
    finally:
        p.stop()


@pytest.fixture(scope="module")
def served_schema(fuzzed_platform):
    loaded = schemathesis.openapi.from_url(f"{fuzzed_platform.api}/openapi.json")
    # Bounded run: examples + random fuzzing (max_examples below); the exhaustive
    # "coverage" phase sends hundreds of boundary requests per operation and takes minutes.
    loaded.config.phases.coverage.enabled = False
    return loaded


schema = schemathesis.pytest.from_fixture("served_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_answers_as_documented(case, fuzzed_platform):
    p = fuzzed_platform
    basic = base64.b64encode(f"{p.client_code}:{p.password}".encode()).decode()
    auth = {"Authorization": f"Bearer {p.token}"} if case.path.startswith("/api/v1/mobile/") \
        else {"Authorization": f"Basic {basic}"}
    if case.path == "/api/v1/mobile/login":
        auth = {}
    # Every check runs but one: "schema-valid data must be accepted" cannot hold for rules
    # a JSON schema cannot state (the body's short_code equals the address's, a period's
    # 'from' is not after its 'to', ranks are 1..n, a verifier is scrypt$N$r$p$SALT$KEY).
    # Those refusals are 422s with a field path, tested in test_platform_service.py.
    case.call_and_validate(base_url=p.url, headers=auth, timeout=10,
                           excluded_checks=[positive_data_acceptance])
