"""Staff roles: what each kind of staff user may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A staff role; a user may hold several."""

    MEDICAL_REVIEWER = "medical_reviewer"
    PV_SPECIALIST = "pv_specialist"
    MLR_APPROVER = "mlr_approver"
    MARKETER = "marketer"
    ADMIN = "admin"


# Who may work the medical review queue (novel questions, holds, Medical Information requests).
REVIEW_ROLES = frozenset({Role.MEDICAL_REVIEWER})
# Who may read verbatim (unredacted) HCP text: drug safety only, every read audited.
VERBATIM_ROLES = frozenset({Role.PV_SPECIALIST})
# Who may read an HCP's redacted transcript.
TRANSCRIPT_ROLES = frozenset({Role.MEDICAL_REVIEWER, Role.PV_SPECIALIST, Role.ADMIN})
# Who may read the audit trail as a whole and verify it.
AUDIT_ROLES = frozenset({Role.ADMIN})
ALL_ROLES = frozenset(Role)
