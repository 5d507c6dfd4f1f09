"""A medical reviewer never sees a verbatim PII value: every queue screen and JSON view shows redacted text."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.auth.roles import Role
from api.db import session_factory
from api.review_queue.models import ReviewItem, ReviewKind
from api.settings import Settings
from api.verbatim import service as verbatim
from tests.api.conftest import make_review_item, make_user, sign_in

PII_VALUES = ("Jonathan Whitfield", "48213377", "617-555-0134", "jwhitfield@example.org")
MESSAGES = {
    ReviewKind.NOVEL_QUESTION: (
        "My patient Jonathan Whitfield (MRN 48213377, phone 617-555-0134, jwhitfield@example.org) asks "
        "whether the Quelvanti pen can go through airport security in hand luggage"
    ),
    ReviewKind.MEDICAL_INFORMATION: (
        "Can I use Quelvanti for psoriatic arthritis in my patient Jonathan Whitfield, MRN 48213377? "
        "Call me at 617-555-0134"
    ),
    ReviewKind.COMPLIANCE_HOLD: "Jonathan Whitfield MRN 48213377 617-555-0134 jwhitfield@example.org",
}


def test_reviewer_views_hold_no_verbatim_pii(staff_client: TestClient, offline_settings: Settings) -> None:
    items = {kind: make_review_item(offline_settings, text, kind)[0] for kind, text in MESSAGES.items()}
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        hold = session.get(ReviewItem, items[ReviewKind.COMPLIANCE_HOLD])
        assert hold is not None
        # As the chat flow does for a hold: the verbatim goes to its own table, the queue gets the placeholder.
        verbatim.keep(session, offline_settings, hold.exchange_id, MESSAGES[ReviewKind.COMPLIANCE_HOLD])
        hold.question_text = "[WITHHELD]"
        session.commit()
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    sign_in(staff_client, reviewer)

    pages = [staff_client.get("/staff/queue"), staff_client.get("/api/v1/review-items")]
    for item_id in items.values():
        pages += [
            staff_client.get(f"/staff/queue/{item_id}"),
            staff_client.get(f"/api/v1/review-items/{item_id}"),
            staff_client.get(f"/api/v1/review-items/{item_id}/history"),
        ]
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        exchange_ids = list(session.scalars(select(ReviewItem.exchange_id)))
    for exchange_id in exchange_ids:
        refused = staff_client.get(f"/api/v1/exchanges/{exchange_id}/verbatim")
        assert refused.status_code == 403
        pages.append(refused)
    for page in pages:
        assert page.status_code in (200, 403), (page.request.url, page.status_code)
        for value in PII_VALUES:
            assert value not in page.text, (page.request.url, value)
    # The redaction left the question readable for the reviewer.
    assert "airport security" in pages[0].text
