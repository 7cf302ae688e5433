"""The list parameters every list path shares: a default page of 20, a bad cursor named."""

from __future__ import annotations

from tests.support.factories import sign_up
from tests.support.lambda_api import LambdaApi


def test_a_list_without_a_limit_answers_20(api: LambdaApi) -> None:
    user = sign_up(api)
    for i in range(21):
        made = api.post("/api/v1/campaigns", {"name": f"C{i}"}, token=user.token)
        assert made.status == 201
    page = api.get("/api/v1/campaigns", token=user.token).json
    assert len(page["items"]) == 20
    assert page["next_cursor"] is not None
    rest = api.get("/api/v1/campaigns", token=user.token, query={"cursor": page["next_cursor"]})
    assert [c["name"] for c in rest.json["items"]] == ["C0"]


def test_a_foreign_cursor_is_a_422_that_names_the_cursor(api: LambdaApi) -> None:
    user = sign_up(api)
    answer = api.get("/api/v1/credits/ledger", token=user.token, query={"cursor": "not-ours"})
    assert (answer.status, answer.error_code) == (422, "validation_error")
    assert answer.json["error"]["details"] == [
        {"loc": ["query", "cursor"], "msg": "cursor is not one this API gave out"}
    ]
