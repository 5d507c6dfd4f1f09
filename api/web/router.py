"""The demo brand page with the chat widget, and the ISI page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.deps import PUBLIC, RuntimeDep

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
STATIC_DIR = Path(__file__).parent / "static"
# The approved sentences the widget shows with a reviewer's answer, by answer kind.
REVIEWER_ANSWER_TOPIC = "reviewer_answer"
UNSOLICITED_RESPONSE_TOPIC = "unsolicited_response"

# The brand pages are public by design: HCPs read them without an account.
router = APIRouter(include_in_schema=False, dependencies=[PUBLIC])


@router.get("/", response_class=HTMLResponse)
def brand_page(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    """The brand page: approved indication and ISI, plus the chat widget and its reviewer-answer labels."""
    content = runtime.content
    return TEMPLATES.TemplateResponse(
        request,
        "index.html",
        {
            "indication": content.for_topic("indication"),
            "isi": content.for_topic("isi"),
            "greeting": content.system("greeting"),
            "answer_labels": {
                "reviewer": content.system(REVIEWER_ANSWER_TOPIC),
                "unsolicited": content.system(UNSOLICITED_RESPONSE_TOPIC),
            },
        },
    )


@router.get("/isi", response_class=HTMLResponse)
def isi_page(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    """The Important Safety Information every efficacy answer links to."""
    return TEMPLATES.TemplateResponse(request, "isi.html", {"isi": runtime.content.for_topic("isi")})
