"""Property-based API fuzzing with schemathesis: whatever the input, no 5xx, and every
error is the API's JSON error shape."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conftest import new_client, sign_up


def test_no_input_makes_the_server_fail(app) -> None:  # type: ignore[no-untyped-def]
    client = new_client(app)
    sign_up(client)
    cookie = client.cookies.get("momo_session")
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    statuses: list[int] = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
        )
        def fuzz(case) -> None:  # type: ignore[no-untyped-def]
            # Alternate anonymous and signed-in calls so both paths are fuzzed.
            cookies = {"momo_session": cookie} if len(repr(case.body)) % 2 else None
            response = case.call(cookies=cookies)
            statuses.append(response.status_code)
            assert response.status_code < 500, (operation.label, response.text)
            if response.status_code >= 400:
                assert "error" in response.json(), (operation.label, response.text)

        fuzz()

    assert len(statuses) >= 4 * len(operations), "every operation was exercised"
    assert any(s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)
