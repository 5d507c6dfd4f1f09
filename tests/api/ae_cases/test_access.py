"""Every PV route, API and screens, is for pv_specialist only: a marketer and a medical reviewer get 403 on
each one (and nothing is read or changed); without a session, 401."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.ae_cases.models import AeCaseStatus
from api.audit import service as audit
from api.auth.roles import Role
from api.db import session_factory
from api.settings import Settings
from tests.api.ae_cases.conftest import load, make_case
from tests.api.conftest import make_user, sign_in
from tests.api.test_route_access import PARAM, route_table

PV_ROUTES = re.compile(r"^/(api/v1/ae-cases|staff/pv)(/|$)")


def _fill(path: str, case_id: str) -> str:
    return PARAM.sub(lambda m: case_id if m.group(1) == "case_id" else "1", path)


@pytest.mark.parametrize("role", [Role.MARKETER, Role.MEDICAL_REVIEWER])
def test_other_roles_get_403_on_every_pv_route(pv_client: TestClient, pv_settings: Settings, role: Role) -> None:
    rules, problems = route_table(pv_client.app)  # type: ignore[arg-type]
    assert problems == []
    targets = [r for r in rules if PV_ROUTES.match(r.path)]
    assert len(targets) >= 20
    assert [r for r in targets if r.roles != {Role.PV_SPECIALIST}] == []
    case_id, exchange_id = make_case(pv_settings, "My patient Mary Jones developed a rash after Quelvanti")
    pv_client.follow_redirects = False

    anonymous = {
        (r.method, r.path): pv_client.request(r.method, _fill(r.path, case_id)).status_code for r in targets
    }
    csrf = sign_in(pv_client, make_user(pv_settings, role))
    signed_in = {
        (r.method, r.path): pv_client.request(
            r.method, _fill(r.path, case_id), headers={"X-CSRF-Token": csrf}
        ).status_code
        for r in targets
    }

    assert set(anonymous.values()) == {401}, anonymous
    assert set(signed_in.values()) == {403}, signed_in
    assert load(pv_settings, case_id).status is AeCaseStatus.NEW
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        assert audit.history(session, "exchange", exchange_id) == []
