"""The long-lived collaborators of one API process, built once from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from celery import Celery
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from api.assistant.rasa_client import RasaClient
from api.celery_app import configure_celery
from api.content.service import ApprovedContent
from api.db import engine_for, session_factory, side_session_factory
from api.settings import Settings
from content_library import DEFAULT_DIRECTORY, ContentLibrary


@dataclass
class Runtime:
    """Settings plus the clients built from them; stored on app.state."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Any]
    assistant: RasaClient
    content: ApprovedContent
    celery: Celery

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        """Create the clients; nothing connects until first used."""
        url = settings.sqlalchemy_url
        return cls(
            settings=settings,
            engine=engine_for(url),
            sessions=session_factory(url),
            assistant=RasaClient.from_settings(settings),
            content=ApprovedContent(
                ContentLibrary(settings.content_dir or DEFAULT_DIRECTORY),
                side_session_factory(url),  # re-checked mid-turn: never from the turns' own pool
                grace_seconds=settings.content_swap_grace_seconds,
            ),
            celery=configure_celery(settings),
        )

    def close(self) -> None:
        """Release network clients."""
        self.assistant.close()
