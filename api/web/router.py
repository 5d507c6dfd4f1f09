"""The demo brand page with the chat widget, the embeddable widget (loader, panel), and the ISI page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from api.deps import PUBLIC, RuntimeDep
from api.hcp_profiles.models import ConsentPurpose
from api.hcp_profiles.schemas import SPECIALTIES
from api.runtime import Runtime

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
STATIC_DIR = Path(__file__).parent / "static"
# The approved sentences the widget shows with a reviewer's answer, by answer kind.
REVIEWER_ANSWER_TOPIC = "reviewer_answer"
UNSOLICITED_RESPONSE_TOPIC = "unsolicited_response"
# The approved sentences profile.js shows, by system topic.
PROFILE_TOPICS = ("rating_prompt", "rating_thanks", "suggestion_intro", "consent_saved", "profile_not_saved")
LAUNCHER_TOPIC = "widget_launcher"

# The brand pages are public by design: HCPs read them without an account.
router = APIRouter(include_in_schema=False, dependencies=[PUBLIC])


def chat_context(runtime: Runtime) -> dict[str, Any]:
    """What the chat panel renders: greeting, labels, consent texts and prompts (all approved items)."""
    content = runtime.content
    return {
        "greeting": content.system("greeting"),
        "answer_labels": {
            "reviewer": content.system(REVIEWER_ANSWER_TOPIC),
            "unsolicited": content.system(UNSOLICITED_RESPONSE_TOPIC),
        },
        "profile_texts": {topic: content.system(topic) for topic in PROFILE_TOPICS},
        "identity_prompt": content.system("identity_prompt"),
        "consent_texts": {p.value: content.system(f"consent_{p.value}") for p in ConsentPurpose},
        "specialties": SPECIALTIES,
        "launcher": content.system(LAUNCHER_TOPIC),
    }


@router.get("/", response_class=HTMLResponse)
def brand_page(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    """The brand page: approved indication and ISI, plus the chat widget and its reviewer-answer labels."""
    content = runtime.content
    context = {"indication": content.for_topic("indication"), "isi": content.for_topic("isi")}
    return TEMPLATES.TemplateResponse(request, "index.html", {**context, **chat_context(runtime)})


@router.get("/widget", response_class=HTMLResponse)
def widget_panel(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    """The chat panel the embed loader opens in a frame (framing allowed only by FRAME_ANCESTORS)."""
    return TEMPLATES.TemplateResponse(request, "widget.html", chat_context(runtime))


def embedding_origins(runtime: Runtime) -> frozenset[str]:
    """The brand sites allowed to embed the widget: the origins of the FRAME_ANCESTORS setting."""
    return frozenset(s for s in runtime.settings.frame_ancestors if s.startswith(("http://", "https://")))


@router.get("/widget/launcher")
def widget_launcher(request: Request, runtime: RuntimeDep) -> JSONResponse:
    """The loader's configuration (approved launcher label, panel address), readable only by allowed origins."""
    item = runtime.content.system(LAUNCHER_TOPIC)
    origin = request.headers.get("origin")
    body = {
        "label": item.body if item else None,
        "content_id": item.id if item else None,
        "panel": str(request.url_for("widget_panel")),
    }
    response = JSONResponse(body, headers={"vary": "Origin", "cache-control": "no-store"})
    if origin and origin in embedding_origins(runtime):
        response.headers["access-control-allow-origin"] = origin
    return response


@router.get("/isi", response_class=HTMLResponse)
def isi_page(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    """The Important Safety Information every efficacy answer links to."""
    return TEMPLATES.TemplateResponse(request, "isi.html", {"isi": runtime.content.for_topic("isi")})
