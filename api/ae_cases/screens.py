"""Web screens for drug-safety (PV) specialists: the case queue, one case with its actions and history,
the verbatim source on an audited click, and the reconciliation report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api import strings
from api.ae_cases import reconcile, service, submission, triage
from api.ae_cases.e2b import reported_terms
from api.ae_cases.models import (
    ACTIVE_STATUSES,
    AE_CASE_WORKFLOW,
    SERIOUSNESS_CRITERIA,
    SPECIAL_SITUATIONS,
    AeCase,
    AeCaseStatus,
    AgeGroup,
    CloseReason,
    ContactChannel,
    Qualification,
    Sex,
)
from api.ae_cases.router import me
from api.ae_cases.schemas import CaseCorrection, allowed_actions, day_of
from api.ae_cases.service import VerbatimSource
from api.audit import service as audit
from api.auth.models import StaffUser
from api.auth.screens import render
from api.auth.service import actor_of
from api.db import utcnow
from api.deps import PvUser, RuntimeDep, SessionDep
from api.errors import DomainError, InvalidInput, Unauthenticated
from api.review_queue.screens import countdown

router = APIRouter(prefix="/staff/pv", include_in_schema=False)
PAGE_SIZE = 50
MAX_PAGE = 1_000_000
CODING_LABEL = "MedDRA LLT/PT (as coded in the safety database)"
# The status filter: empty means the active statuses, ANY_STATUS means every status.
ANY_STATUS = "any"
BOOLEAN_FIELDS = ("patient_identified", "reporter_identified", "product_identified", "event_identified")
Operation = Callable[[Session, AeCase, StaffUser], object]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _choice(value: str) -> str | None:
    return value.strip() or None


@router.get("", response_class=HTMLResponse)
def home(_: PvUser) -> Response:
    """The PV start page is the case queue."""
    return RedirectResponse("/staff/pv/cases", status_code=303)


@router.get("/cases", response_class=HTMLResponse)
def queue(
    request: Request, _: PvUser, session: SessionDep, status: str = "", serious: str = "", page: str = "1"
) -> HTMLResponse:
    """Cases by regulatory due time, soonest first, 50 a page, with the clock and what is missing."""
    errors: list[str] = []
    if status and status != ANY_STATUS and status not in AeCaseStatus._value2member_map_:
        errors.append(strings.STAFF_FILTER_INVALID.format(field="status", value=status[:40]))
        status = ""
    if serious not in ("", "yes", "no"):
        errors.append(strings.STAFF_FILTER_INVALID.format(field="serious", value=serious[:40]))
        serious = ""
    number = int(page) if page.isdigit() and 1 <= int(page) <= MAX_PAGE else 1
    if page and str(number) != page.strip():
        errors.append(strings.STAFF_PAGE_INVALID)
    case_filter = service.CaseFilter(
        status=AeCaseStatus(status) if status and status != ANY_STATUS else None,
        serious={"yes": True, "no": False}.get(serious),
        active_only=status != ANY_STATUS,
    )
    cases, total = service.queue_page(session, case_filter, (number - 1) * PAGE_SIZE, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    now = utcnow()
    filters = {k: v for k, v in {"status": status, "serious": serious}.items() if v}

    def url(p: int) -> str:
        return "/staff/pv/cases?" + urlencode({**filters, "page": p})

    context: dict[str, Any] = {
        "rows": [(c, day_of(c, now), countdown(c.due_at, now), c.status in ACTIVE_STATUSES) for c in cases],
        "total": total,
        "page": number,
        "pages": pages,
        "prev_url": url(number - 1) if number > 1 else None,
        "next_url": url(number + 1) if number < pages else None,
        "status": status,
        "serious": serious,
        "errors": errors,
        "any_status": ANY_STATUS,
        "status_labels": strings.AE_CASE_STATUS_LABELS,
        "criterion_labels": strings.AE_CRITERION_LABELS,
    }
    return render(request, "pv_queue.html", context, status_code=422 if errors else 200)


def case_page(
    request: Request,
    session: Session,
    case: AeCase,
    *,
    done: str | None = None,
    error: str | None = None,
    error_action: str | None = None,
    verbatim: list[VerbatimSource] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """One case: clock, criteria, seriousness, the redacted narrative and conversation, actions and history."""
    session.expire(case)
    now = utcnow()
    followups = service.followups_of(session, case)
    parts = {case.exchange_id: "report"} | {f.exchange_id: "follow-up answer" for f in followups}
    actions = allowed_actions(case)
    context: dict[str, Any] = {
        "case": case,
        "status_label": strings.AE_CASE_STATUS_LABELS[case.status.value],
        "active": case.status in ACTIVE_STATUSES,
        "day": day_of(case, now),
        "left": countdown(case.due_at, now),
        "criteria": [
            (name, strings.AE_CRITERION_LABELS[name], present) for name, present in case.criteria.items()
        ],
        "followups": followups,
        "conversation": [(e, parts.get(e.id)) for e in service.conversation_of(session, case)],
        "exports": service.exports_of(session, case),
        "merged_into": session.get(AeCase, case.merged_into_id) if case.merged_into_id else None,
        "merged_cases": service.merged_cases(session, case),
        "duplicates": service.possible_duplicates(session, case) if "merge" in actions else [],
        "history": audit.history(session, AE_CASE_WORKFLOW.entity_type, case.id),
        "actions": actions,
        "editable": case.status in ACTIVE_STATUSES,
        "reported_terms": reported_terms(case),
        "verbatim": verbatim,
        "done": done,
        "error": error,
        "error_action": error_action,
        "coding_label": CODING_LABEL,
        "seriousness_criteria": SERIOUSNESS_CRITERIA,
        "special_situations": SPECIAL_SITUATIONS,
        "age_groups": [g.value for g in AgeGroup],
        "sexes": [s.value for s in Sex],
        "qualifications": [q.value for q in Qualification],
        "channels": [c.value for c in ContactChannel],
        "close_reasons": strings.AE_CLOSE_REASON_LABELS,
        "status_labels": strings.AE_CASE_STATUS_LABELS,
        "meaning": submission.SUBMIT_MEANING,
    }
    return render(request, "pv_case.html", context, status_code=status_code)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_detail(request: Request, case_id: str, _: PvUser, session: SessionDep, done: str = "") -> Response:
    """One case and what can be done with it."""
    return case_page(request, session, service.get_case(session, case_id), done=strings.AE_CASE_DONE.get(done))


@router.post("/cases/{case_id}/verbatim", response_class=HTMLResponse)
def verbatim_source(
    request: Request,
    case_id: str,
    user: PvUser,
    session: SessionDep,
    runtime: RuntimeDep,
    reason: Annotated[str, Form()] = "case assessment",
) -> Response:
    """Show the verbatim source of the case: each read is audited and committed before the page is sent."""
    case = service.get_case(session, case_id)
    sources = service.read_verbatim(
        session, runtime.settings, actor_of(user), case, reason.strip()[:200] or "case"
    )
    session.commit()
    return case_page(request, session, case, verbatim=sources)


def _act(
    request: Request,
    session: Session,
    user: StaffUser,
    case_id: str,
    action: str,
    operation: Operation,
    after: Callable[[], None] | None = None,
) -> Response:
    """Apply one action and go back to the case; a refused action shows the case with why."""
    staff_user = me(session, user)
    case = service.get_case(session, case_id, for_update=True)
    try:
        operation(session, case, staff_user)
    except DomainError as exc:
        if isinstance(exc, Unauthenticated):
            session.commit()  # a wrong signature password counts toward lockout and stays audited
        else:
            session.rollback()
        case = service.get_case(session, case_id)
        return case_page(
            request, session, case, error=exc.detail, error_action=action, status_code=exc.status_code
        )
    session.commit()
    if after is not None:
        after()
    return RedirectResponse(f"/staff/pv/cases/{case.id}?done={action}", status_code=303)


@router.post("/cases/{case_id}/triage")
def start_triage(request: Request, case_id: str, user: PvUser, session: SessionDep) -> Response:
    """new → in_triage."""
    return _act(request, session, user, case_id, "triage", triage.triage)


@router.post("/cases/{case_id}/ready")
def mark_ready(request: Request, case_id: str, user: PvUser, session: SessionDep) -> Response:
    """→ ready (a valid case only)."""
    return _act(request, session, user, case_id, "mark_ready", triage.mark_ready)


@router.post("/cases/{case_id}/request-follow-up")
def request_follow_up(
    request: Request, case_id: str, user: PvUser, session: SessionDep, note: Annotated[str, Form()] = ""
) -> Response:
    """→ follow_up_requested, saying what was asked."""
    return _act(
        request,
        session,
        user,
        case_id,
        "request_follow_up",
        lambda s, c, u: triage.request_follow_up(s, c, u, note),
    )


@router.post("/cases/{case_id}/reopen")
def reopen(
    request: Request, case_id: str, user: PvUser, session: SessionDep, note: Annotated[str, Form()] = ""
) -> Response:
    """submitted → in_triage, for follow-up information."""
    return _act(request, session, user, case_id, "reopen", lambda s, c, u: triage.reopen(s, c, u, note))


@router.post("/cases/{case_id}/close")
def close(
    request: Request,
    case_id: str,
    user: PvUser,
    session: SessionDep,
    reason: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Close as not a case, with a reason."""

    def shut(s: Session, c: AeCase, u: StaffUser) -> None:
        if reason not in CloseReason._value2member_map_:
            raise InvalidInput(strings.REASON_REQUIRED)
        triage.close(s, c, u, CloseReason(reason), note)

    return _act(request, session, user, case_id, "close", shut)


@router.post("/cases/{case_id}/merge")
def merge(
    request: Request,
    case_id: str,
    user: PvUser,
    session: SessionDep,
    into: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Merge this duplicate into another case (named by case number)."""

    def join(s: Session, c: AeCase, u: StaffUser) -> None:
        if not into.strip():
            raise InvalidInput(
                strings.AE_FIELD_INVALID.format(field="into", problem="name the case to merge into")
            )
        target = service.get_case(s, service.find_case(s, into).id, for_update=True)
        triage.merge(s, c, target, u, note)

    return _act(request, session, user, case_id, "merge", join)


@router.post("/cases/{case_id}/submit")
def submit(
    request: Request,
    case_id: str,
    user: PvUser,
    session: SessionDep,
    runtime: RuntimeDep,
    password: Annotated[str, Form()] = "",
) -> Response:
    """Sign (password re-entered) and export the ICSR; the file is dropped after the commit."""
    exported: list[str] = []

    def sign(s: Session, c: AeCase, u: StaffUser) -> None:
        exported.append(submission.submit(s, c, u, password, runtime.settings).id)

    def drop() -> None:
        submission.deliver_committed(session, exported, runtime.settings)

    return _act(request, session, user, case_id, "submit", sign, after=drop)


def _correction(form: Any) -> CaseCorrection:
    """PV's correction form as the API's body (every field is on the form, so every field is given)."""

    def text(name: str) -> str:
        value = form.get(name, "")
        return value if isinstance(value, str) else ""

    consent = {"yes": True, "no": False}.get(text("contact_consent"))
    values: dict[str, Any] = {name: text(name) == "on" for name in BOOLEAN_FIELDS}
    values |= {
        "seriousness": [v for v in form.getlist("seriousness") if isinstance(v, str)],
        "special_situations": [v for v in form.getlist("special_situations") if isinstance(v, str)],
        "events": _lines(text("events")),
        "products": _lines(text("products")),
        "narrative": text("narrative").strip(),
        "patient_initials": _choice(text("patient_initials").upper()),
        "patient_age_group": _choice(text("patient_age_group")),
        "patient_sex": _choice(text("patient_sex")),
        "reporter_qualification": _choice(text("reporter_qualification")),
        "event_coding": _choice(text("event_coding")),
        "contact_consent": consent,
        "contact_channel": _choice(text("contact_channel")),
    }
    try:
        return CaseCorrection(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "form"
        raise InvalidInput(strings.AE_FIELD_INVALID.format(field=field, problem=first["msg"])) from None


@router.post("/cases/{case_id}/correct")
async def correct(request: Request, case_id: str, user: PvUser, session: SessionDep) -> Response:
    """Save PV's corrections of the extracted fields (each change audited from → to)."""
    form = await request.form()

    def save(s: Session, c: AeCase, u: StaffUser) -> None:
        triage.correct(s, c, u, _correction(form).changes())

    return await run_in_threadpool(_act, request, session, user, case_id, "correct", save)


@router.get("/cases/{case_id}/exports/{version}")
def export_xml(case_id: str, version: int, _: PvUser, session: SessionDep) -> Response:
    """The ICSR of one version, exactly as signed and exported."""
    export = submission.get_export(session, service.get_case(session, case_id), version)
    headers = {"Content-Disposition": f'attachment; filename="{export.filename}"', "Cache-Control": "no-store"}
    return Response(export.xml, media_type="application/xml", headers=headers)


@router.get("/reconciliation", response_class=HTMLResponse)
def reconciliation(request: Request, _: PvUser, session: SessionDep, since: str = "") -> HTMLResponse:
    """The reconciliation report from a day (default: 30 days ago)."""
    now = utcnow()
    error = None
    try:
        day = dt.date.fromisoformat(since) if since else (now - dt.timedelta(days=30)).date()
    except ValueError:
        error, day = strings.AE_DATE_INVALID, (now - dt.timedelta(days=30)).date()
    report = reconcile.run(session, day, now)
    context = {"report": report, "since": day.isoformat(), "error": error}
    return render(request, "pv_reconcile.html", context, status_code=422 if error else 200)
