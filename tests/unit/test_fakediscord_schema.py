"""The local Discord-compatible server refuses what Discord's OpenAPI description refuses."""

from __future__ import annotations

import pytest

from tests.fakediscord.schema import request_schemas


@pytest.mark.parametrize(
    ("method", "path", "body", "where"),
    [
        ("POST", "/channels/1/messages", {"embeds": [{"title": "x" * 257}]}, "embeds.0.title"),
        ("POST", "/channels/1/messages", {"content": 5}, "content"),
        (
            "POST",
            "/channels/1/messages",
            {"components": [{"type": 1, "components": [{"type": 2, "style": 99, "custom_id": "a"}]}]},
            "components.0",
        ),
        (
            "PATCH",
            "/webhooks/1/tok/messages/@original",
            {"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]},
            "embeds.0.fields.0.value",
        ),
        ("POST", "/interactions/1/tok/callback", {"type": 4, "data": {"flags": "sixty-four"}}, ""),
    ],
)
def test_bodies_discord_would_refuse_are_reported(method: str, path: str, body: dict, where: str) -> None:
    violation = request_schemas().check(method, path, body)
    assert violation is not None
    assert violation.where.startswith(where)


@pytest.mark.parametrize(
    ("method", "path", "body", "template"),
    [
        (
            "POST",
            "/channels/1/messages",
            {"content": "hi", "message_reference": {"message_id": 123}, "allowed_mentions": {"parse": []}},
            "/channels/{channel_id}/messages",
        ),
        (
            "PATCH",
            "/webhooks/1/tok/messages/@original",
            {"content": "x"},
            "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
        ),
        (
            "PATCH",
            "/webhooks/1/tok/messages/99",
            {"content": "x"},
            "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
        ),
        (
            "POST",
            "/interactions/1/tok/callback",
            {"type": 5, "data": {"flags": 64}},
            "/interactions/{interaction_id}/{interaction_token}/callback",
        ),
    ],
)
def test_valid_bodies_pass_and_routes_match_their_templates(
    method: str, path: str, body: dict, template: str
) -> None:
    schemas = request_schemas()
    found = schemas.template(method, path)
    assert found is not None and found[0] == template
    assert schemas.check(method, path, body) is None
