"""Every route declares who may call it: the whole route table is walked, and every guarded route answers
401 without a session and 403 to a signed-in user of a wrong role, for every HTTP method it has."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from fastapi import APIRouter, Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, _EffectiveRouteContext, _IncludedRouter
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import Mount
from starlette.routing import Route as StarletteRoute

from api.audit import service as audit
from api.auth.roles import ALL_ROLES, Role
from api.conversations.access import ConversationAccess
from api.db import session_factory
from api.deps import PUBLIC, Access, AdminUser, Public, require
from api.main import create_app
from api.moderation.router import require_service_token
from api.review_queue.models import ReviewItem, ReviewStatus
from api.settings import Settings
from api.verbatim import service as verbatim
from tests.api.conftest import make_review_item, make_user, sign_in

# Open to anyone, deliberately: the HCP's chat, the brand pages, health, and the staff sign-in itself.
EXPECTED_PUBLIC = {
    ("POST", "/api/v1/conversations"),
    ("POST", "/api/v1/conversations/{conversation_id}/messages"),
    ("GET", "/api/v1/conversations/{conversation_id}/reviewer-answers"),
    ("GET", "/"),
    ("GET", "/isi"),
    ("GET", "/healthz"),
    ("GET", "/livez"),
    ("GET", "/readyz"),
    ("GET", "/staff/login"),
    ("POST", "/staff/login"),
    ("POST", "/api/v1/auth/session"),
    ("POST", "/api/v1/auth/tokens"),
    # The widget's profile (the conversation's secret holder), the embeddable panel, the dashboard's short address.
    ("PUT", "/api/v1/conversations/{conversation_id}/visitor"),
    ("PUT", "/api/v1/conversations/{conversation_id}/hcp"),
    ("PUT", "/api/v1/conversations/{conversation_id}/consents/{purpose}"),
    ("PUT", "/api/v1/conversations/{conversation_id}/exchanges/{sequence}/rating"),
    ("GET", "/api/v1/conversations/{conversation_id}/profile"),
    ("GET", "/widget"),
    ("GET", "/widget/launcher"),
    ("GET", "/insights"),
}
# Internal callers with the service token (not staff): a staff session never opens them.
# The metrics scraper holds the service token too: /metrics is never public.
EXPECTED_SERVICE = {("POST", "/api/v1/moderation"), ("GET", "/metrics")}
# The medical review queue and verbatim text, API and screens: a marketer gets 403 on every one.
QUEUE_AND_VERBATIM = re.compile(r"^/(api/v1/review-items|staff/queue|api/v1/exchanges/[^/]+/verbatim)(/|$)")
DUMMY_ID = "00000000-0000-4000-8000-000000000000"
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True)
class Rule:
    """The declared access of one method of one route."""

    method: str
    path: str
    public: bool = False
    service: bool = False
    roles: frozenset[Role] = frozenset()

    @property
    def restricted(self) -> bool:
        """Guarded, and not every staff role may call it."""
        return not self.public and not self.service and self.roles != ALL_ROLES


@dataclass(frozen=True)
class _Entry:
    path: str
    methods: frozenset[str]
    dependant: Dependant | None


def _entries(routes: Iterable[object]) -> Iterator[_Entry | str]:
    """Every route with its full path and dependant (router-level dependencies included); a str if unknown."""
    for route in routes:
        if isinstance(route, _IncludedRouter):
            yield from _entries(route.effective_candidates())
            yield from _entries(route.effective_low_priority_routes())
        elif isinstance(route, _EffectiveRouteContext):
            if isinstance(route.original_route, APIRoute):
                yield _Entry(route.path, frozenset(route.methods), route.dependant)
            else:
                yield from _entries([route.starlette_route or route.original_route])
        elif isinstance(route, APIRoute):
            yield _Entry(route.path, frozenset(route.methods), route.dependant)
        elif isinstance(route, Mount):
            continue  # static files: exempt
        elif isinstance(route, StarletteRoute):
            yield _Entry(route.path, frozenset(route.methods or ()), None)
        else:
            yield f"{type(route).__name__} {getattr(route, 'path', '?')}: a route type the checker cannot read"


def _markers(dependant: Dependant) -> Iterator[object]:
    for dependency in dependant.dependencies:
        call = dependency.call
        if isinstance(call, Public | Access | ConversationAccess) or call is require_service_token:
            yield call
        yield from _markers(dependency)


def route_table(app: FastAPI) -> tuple[list[Rule], list[str]]:
    """The access rule of every route and method, and the problems: routes that declare none, or both."""
    rules: list[Rule] = []
    problems: list[str] = []
    for entry in _entries(app.router.routes):
        if isinstance(entry, str):
            problems.append(entry)
            continue
        markers = list(_markers(entry.dependant)) if entry.dependant else []
        public = any(isinstance(m, Public) for m in markers)
        service = require_service_token in markers
        role_sets = [m.roles for m in markers if isinstance(m, Access | ConversationAccess) and m.roles]
        for method in sorted(entry.methods):
            name = f"{method} {entry.path}"
            if public and (role_sets or service):
                problems.append(f"{name}: both PUBLIC and a role or token: which is it?")
            elif public:
                rules.append(Rule(method, entry.path, public=True))
            elif service:
                rules.append(Rule(method, entry.path, service=True))
            elif role_sets:
                # Several guards must all pass: the roles allowed are those every guard allows.
                rules.append(Rule(method, entry.path, roles=frozenset.intersection(*role_sets)))
            else:
                problems.append(f"{name}: declares no access: add PUBLIC or an Access(...) dependency")
    return rules, problems


def test_the_checker_reports_routes_that_declare_no_access() -> None:
    app = FastAPI()

    @app.get("/bare")
    def bare() -> None: ...

    router = APIRouter(prefix="/x")

    @router.get("/undeclared")
    def undeclared() -> None: ...

    @router.get("/guarded", dependencies=[require(Role.ADMIN)])
    def guarded() -> None: ...

    @router.post("/both", dependencies=[PUBLIC, require(Role.ADMIN)])
    def both() -> None: ...

    def needs_admin(user: AdminUser) -> str:
        return user.id

    @router.put("/nested")
    def nested(_: str = Depends(needs_admin)) -> None: ...

    inner = APIRouter(prefix="/inner")

    @inner.get("/deep")
    def deep() -> None: ...

    @inner.get("/open", dependencies=[PUBLIC])
    def open_() -> None: ...

    router.include_router(inner)
    by_router = APIRouter()

    @by_router.get("/item", summary="guarded by the include")
    def item() -> None: ...

    app.include_router(router)
    app.include_router(by_router, prefix="/g", dependencies=[require(Role.MEDICAL_REVIEWER)])
    app.add_route("/plain", lambda request: None)

    rules, problems = route_table(app)
    reported = {p.split(":")[0] for p in problems}
    assert {"GET /bare", "GET /x/undeclared", "POST /x/both", "GET /x/inner/deep", "GET /plain"} <= reported
    # FastAPI's own schema and docs routes are undeclared too: the app turns them off and guards its own.
    assert {"GET /openapi.json", "GET /docs", "GET /redoc"} <= reported
    assert {p.split()[1] for p in reported} == {
        "/bare", "/x/undeclared", "/x/both", "/x/inner/deep", "/plain", "/openapi.json", "/docs",
        "/docs/oauth2-redirect", "/redoc",
    }  # fmt: skip
    by_name = {(r.method, r.path): r for r in rules}
    assert by_name["GET", "/x/guarded"].roles == {Role.ADMIN}
    assert by_name["PUT", "/x/nested"].roles == {Role.ADMIN}
    assert by_name["GET", "/g/item"].roles == {Role.MEDICAL_REVIEWER}
    assert by_name["GET", "/x/inner/open"].public


def test_every_route_of_the_app_declares_its_access(offline_settings: Settings) -> None:
    rules, problems = route_table(create_app(offline_settings))
    assert problems == []
    assert {(r.method, r.path) for r in rules if r.public} == EXPECTED_PUBLIC
    assert {(r.method, r.path) for r in rules if r.service} == EXPECTED_SERVICE
    assert len([r for r in rules if not r.public and not r.service]) >= 20


def _fill(path: str, ids: dict[str, str]) -> str:
    return PARAM.sub(lambda m: ids.get(m.group(1), DUMMY_ID), path)


def _real_ids(settings: Settings) -> dict[str, str]:
    item_id, conversation_id = make_review_item(settings)
    with session_factory(settings.sqlalchemy_url)() as session:
        exchange_id = session.scalar(select(ReviewItem.exchange_id).where(ReviewItem.id == item_id))
    assert exchange_id is not None
    # ConversationAccess looks the conversation up before it checks who asks: it needs a real one.
    return {"item_id": item_id, "conversation_id": conversation_id, "exchange_id": exchange_id}


def _call(client: TestClient, rule: Rule, ids: dict[str, str], csrf: str | None = None) -> int:
    # With the CSRF token sent, a 403 can only come from the role check.
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    return client.request(rule.method, _fill(rule.path, ids), headers=headers).status_code


def test_every_guarded_route_answers_401_without_a_session_and_403_to_a_wrong_role(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    rules, problems = route_table(staff_client.app)  # type: ignore[arg-type]
    assert problems == []
    guarded = [r for r in rules if not r.public]
    ids = _real_ids(offline_settings)
    staff_client.follow_redirects = False

    wrong = {r: _call(staff_client, r, ids) for r in guarded}
    assert {r: code for r, code in wrong.items() if code != 401} == {}

    csrf = sign_in(staff_client, make_user(offline_settings, email="nobody@staff.example"))
    no_roles = {r: _call(staff_client, r, ids, csrf) for r in guarded}
    # A staff session never opens a service route: those answer 401 to anyone without the token.
    assert {r: code for r, code in no_roles.items() if code != (401 if r.service else 403)} == {}

    for allowed in {r.roles for r in guarded if r.restricted}:
        others = sorted(ALL_ROLES - allowed)
        user = make_user(offline_settings, *others, email=f"not-{'-'.join(sorted(allowed))}@staff.example")
        staff_client.cookies.clear()
        csrf = sign_in(staff_client, user)
        refused = {r: _call(staff_client, r, ids, csrf) for r in guarded if r.restricted and r.roles == allowed}
        assert set(refused.values()) == {403}, refused


def test_a_marketer_gets_403_on_every_queue_and_verbatim_endpoint(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    rules, _ = route_table(staff_client.app)  # type: ignore[arg-type]
    targets = [r for r in rules if QUEUE_AND_VERBATIM.match(r.path)]
    assert len({r.path for r in targets if r.path.startswith("/api/v1/review-items")}) >= 8
    assert any(r.path.startswith("/staff/queue") for r in targets)
    assert any(r.path.endswith("/verbatim") for r in targets)
    ids = _real_ids(offline_settings)
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        verbatim.keep(session, offline_settings, ids["exchange_id"], "Dr Jane Roe, patient MRN 12345678")
        session.commit()
    csrf = sign_in(staff_client, make_user(offline_settings, Role.MARKETER))
    staff_client.follow_redirects = False

    answers = {(r.method, r.path): _call(staff_client, r, ids, csrf) for r in targets}

    assert set(answers.values()) == {403}, answers
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        item = session.get(ReviewItem, ids["item_id"])
        assert item is not None and item.status is ReviewStatus.OPEN and item.answer_text is None
        assert [e.action for e in audit.history(session, "exchange", ids["exchange_id"])] == []


def test_verbatim_text_is_for_pv_specialists_only_and_every_read_is_audited(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    ids = _real_ids(offline_settings)
    exchange_id = ids["exchange_id"]
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        verbatim.keep(session, offline_settings, exchange_id, "Dr Jane Roe, patient MRN 12345678")
        session.commit()
    url = f"/api/v1/exchanges/{exchange_id}/verbatim"

    sign_in(staff_client, make_user(offline_settings, Role.MEDICAL_REVIEWER))
    refused = staff_client.get(url)
    staff_client.cookies.clear()
    pv = make_user(offline_settings, Role.PV_SPECIALIST)
    sign_in(staff_client, pv)
    read = staff_client.get(url, params={"reason": "case AE-1 follow-up"})

    assert refused.status_code == 403
    assert "Jane Roe" not in refused.text
    assert read.status_code == 200, read.text
    assert read.json() == {"exchange_id": exchange_id, "text": "Dr Jane Roe, patient MRN 12345678"}
    assert read.headers["cache-control"] == "no-store"
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        events = audit.history(session, "exchange", exchange_id)
    assert [(e.action, e.actor_id, e.reason) for e in events] == [("verbatim.read", pv.id, "case AE-1 follow-up")]


def test_the_api_docs_are_for_signed_in_staff(staff_client: TestClient, offline_settings: Settings) -> None:
    for url in ("/openapi.json", "/docs", "/redoc"):
        assert staff_client.get(url).status_code == 404
    assert staff_client.get("/api/openapi.json").status_code == 401

    sign_in(staff_client, make_user(offline_settings, Role.MARKETER))
    schema = staff_client.get("/api/openapi.json")
    docs = staff_client.get("/api/docs")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert paths["/api/v1/review-items/{item_id}/approve"]["post"]["summary"]
    assert "ReviewItemDetail" in schema.json()["components"]["schemas"]
    assert docs.status_code == 200 and "/api/openapi.json" in docs.text
