"""Loads a model into running Rasa replicas through Rasa's HTTP API (`PUT /model`, token-guarded)."""

from __future__ import annotations

from pathlib import Path

import httpx

LOAD_TIMEOUT_SECONDS = 300.0


def load_model(rasa_url: str, token: str, model: Path) -> None:
    """Replace a replica's model; Rasa keeps answering with the old one until the new one is loaded."""
    response = httpx.put(
        f"{rasa_url}/model",
        params={"token": token},
        json={"model_file": str(model)},
        timeout=LOAD_TIMEOUT_SECONDS,
    )
    response.raise_for_status()


def loaded_model(rasa_url: str, token: str) -> str:
    """The model file a replica serves now."""
    response = httpx.get(f"{rasa_url}/status", params={"token": token}, timeout=10)
    response.raise_for_status()
    return str(response.json().get("model_file", ""))
