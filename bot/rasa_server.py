"""`rasa run` with its HTTP API token from RASA_TOKEN (never on a command line) and telemetry off.

Run as `python -m bot.rasa_server --enable-api --port 5005 --model ... --endpoints ... --credentials ...`.
"""

from __future__ import annotations

import os
import sys
from typing import Any

TOKEN_VARIABLE = "RASA_TOKEN"


def validate_action_results_with_one_validator() -> None:
    """Rasa checks every action server answer against its schema with one validator built once, not per answer.

    Rasa 3.6 calls `jsonschema.validate` on each answer, which first checks the (constant) schema itself against
    the JSON Schema metaschema: measured with py-spy, that alone was about half of Rasa's CPU per message. The
    answer is still validated every time, against the same schema, raising the same error (best match first).
    """
    from jsonschema import ValidationError, validators
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def validate_action_result(_: RemoteAction, result: dict[str, Any]) -> bool:
        error: ValidationError | None = best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def rasa_run_argv(arguments: list[str], token: str) -> list[str]:
    """`rasa run` with the caller's arguments and the token as one argument.

    `--auth-token=...`, never two arguments: a token may begin with "-" (token_urlsafe does, 1 time in 64), which
    argparse would take for an option and refuse to start.
    """
    return ["rasa", "run", *arguments, f"--auth-token={token}"]


def main() -> None:
    """Start `rasa run` with the caller's arguments plus `--auth-token`."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        sys.exit(f"{TOKEN_VARIABLE} is not set: refusing to start Rasa with an open HTTP API")
    # No data leaves the deployment: no usage telemetry, no error reports to Rasa's Sentry.
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    validate_action_results_with_one_validator()
    # Argument lists are visible to every local user (ps); this one is only in this process's memory.
    sys.argv = rasa_run_argv(sys.argv[1:], token)
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
