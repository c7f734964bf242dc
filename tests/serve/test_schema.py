"""Property-based calls of every operation in the OpenAPI schema (schemathesis): whatever the
input, no 5xx answer, anonymous or as a reviewer with a valid session and CSRF token."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from conftest import served_db as served_db  # noqa: F401 (the session-wide store)

@pytest.fixture(scope="module")
def reviewer_app(tmp_path_factory, served_db):  # noqa: F811
    import shutil

    from strikewatch.serve.app import Settings, create_app
    from strikewatch.store import accounts
    target = tmp_path_factory.mktemp("schema") / "served.db"
    shutil.copy(served_db, target)
    application = create_app(Settings(db=f"sqlite:///{target}", public="all"))
    user = accounts.authenticate(application.state.store, "rita", "correct horse battery")
    token, csrf = accounts.open_session(application.state.store, user)
    application.state.test_headers = {"Cookie": f"sw_session={token}", "X-CSRF-Token": csrf}
    yield application
    application.state.store.close()


def test_no_server_errors(reviewer_app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", reviewer_app)
    headers = reviewer_app.state.test_headers
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def call(case):
            case.call_and_validate(checks=[not_a_server_error])
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        call()
        tried += 1
    assert tried >= 15  # every operation of the API
