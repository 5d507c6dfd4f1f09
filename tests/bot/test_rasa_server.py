"""The wrapper that starts `rasa run` passes any token, including one that looks like an option."""

import argparse

import pytest

from bot.rasa_server import rasa_run_argv


def rasa_run_parser() -> argparse.ArgumentParser:
    """The part of `rasa run`'s parser that reads the token (rasa/cli/arguments/run.py: `-t/--auth-token`)."""
    parser = argparse.ArgumentParser(prog="rasa run")
    parser.add_argument("-t", "--auth-token", type=str)
    parser.add_argument("--enable-api", action="store_true")
    parser.add_argument("--port", type=int)
    return parser


@pytest.mark.parametrize("token", ["-Ab3_x9", "--looks-like-an-option", "plain_token", "-t"])
def test_any_token_reaches_rasa_as_the_auth_token(token: str) -> None:
    argv = rasa_run_argv(["--enable-api", "--port", "5005"], token)

    assert argv[:2] == ["rasa", "run"]
    parsed = rasa_run_parser().parse_args(argv[2:])
    assert parsed.auth_token == token
    assert parsed.enable_api and parsed.port == 5005
