"""The action server, callable only by Rasa: a shared token on every route but /health, loopback by default.

Run as `python -m bot.action_server --actions bot.actions --port 5055` with ACTION_SERVER_TOKEN set (Rasa sends
it as `Authorization: Bearer ...`, see bot/endpoints.yml). SANIC_HOST picks the interface (127.0.0.1 unless set).
"""

from __future__ import annotations

import logging
import os
import sys

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.tokens import token_matches

TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
# A liveness probe that reveals nothing; every other route (webhook, action list) needs the token.
OPEN_PATHS = frozenset({"/health"})


def require_token(app: Sanic, token: str) -> None:
    """Refuse (401) any request to a guarded route without `Authorization: Bearer <token>`."""

    async def check(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or token_matches(request.headers.get("Authorization"), token):
            return None
        return response.json({"error": "unauthorized"}, status=401)

    app.register_middleware(check, "request")


def main(argv: list[str] | None = None) -> None:
    """Parse rasa_sdk's own arguments, then serve the actions behind the token."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        sys.exit(f"{TOKEN_VARIABLE} is not set: refusing to start an action server anyone could call")
    args = create_argument_parser().parse_args(argv)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel, args.logging_config_file
    )
    utils.update_sanic_log_level()
    # Server to server only: no CORS origins unless asked for.
    app = create_app(args.actions, cors_origins=args.cors or "")
    require_token(app, token)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    logging.getLogger(__name__).info("Action server on http://%s:%s (token required)", host, args.port)
    app.run(host, args.port, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
