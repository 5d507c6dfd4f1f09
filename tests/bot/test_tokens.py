"""The shared-secret check used by the REST channel and the action server."""

from __future__ import annotations

from bot.tokens import bearer_token, token_matches


def test_only_the_exact_bearer_token_matches() -> None:
    assert token_matches("Bearer s3cret-token", "s3cret-token")
    assert token_matches("bearer   s3cret-token ", "s3cret-token")
    for header in (None, "", "Bearer", "Bearer ", "Basic s3cret-token", "Bearer s3cret-token2", "s3cret-token"):
        assert not token_matches(header, "s3cret-token"), header


def test_an_unset_expected_token_never_matches() -> None:
    assert not token_matches("Bearer ", "")
    assert not token_matches(None, "")
    assert bearer_token("Bearer abc") == "abc"
