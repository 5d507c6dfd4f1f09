"""The staff screen of one HCP profile (360°), for the roles that work with identified HCPs.

Medical reviewers, drug safety and admins may read it; marketers never do (they see de-identified aggregates
only, in api/insights). Every read is audited, as the profile API's is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.audit import service as audit
from api.auth.models import StaffUser
from api.auth.roles import Role
from api.auth.screens import render
from api.deps import Access, RuntimeDep, SessionDep
from api.hcp_profiles import privacy
from api.hcp_profiles.view import profile_view

PROFILE_SCREENS = "/staff/hcps"
# Who reads identified profiles; the same action name as the admin API's read, so one query finds every read.
PROFILE_ROLES = (Role.MEDICAL_REVIEWER, Role.PV_SPECIALIST, Role.ADMIN)
READ_ACTION = "profile.read"
ProfileReader = Annotated[StaffUser, Depends(Access(*PROFILE_ROLES))]

router = APIRouter(prefix=PROFILE_SCREENS, include_in_schema=False)


def profile_path(profile_id: str) -> str:
    """The address of a profile's screen."""
    return f"{PROFILE_SCREENS}/{profile_id}"


@router.get("/{profile_id}", response_class=HTMLResponse)
def profile_screen(
    request: Request, profile_id: str, user: ProfileReader, session: SessionDep, runtime: RuntimeDep
) -> HTMLResponse:
    """One HCP: identity, consents with versions, journey, affinities, recent engagement, next best content."""
    profile = privacy.get_profile(session, profile_id)
    view = profile_view(session, runtime.content.library, profile)
    audit.record(session, audit.Actor(user.id, user.email), READ_ACTION, "hcp_profile", profile.id)
    session.commit()
    return render(request, "hcp_profile.html", {"view": view, "profile": view.profile})
