"""Bodies of the chat endpoints that tie conversations to the review queue."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from api.conversations.schemas import TranscriptOut
from api.esign.models import Signature
from api.review_queue.models import ReviewItem, ReviewKind


class ReviewerAnswerOut(BaseModel):
    """A medical reviewer's answer, approved by electronic signature, delivered into the chat."""

    id: str
    kind: ReviewKind
    question_text: str
    text: str
    reviewer: str
    signature_reference: str
    signature_meaning: str
    signed_at: dt.datetime
    # Medical Information answers are labelled as responses to an unsolicited request.
    unsolicited_request: bool

    @classmethod
    def of(cls, item: ReviewItem, signature: Signature) -> ReviewerAnswerOut:
        """From a review item and its (valid) signature."""
        return cls(
            id=item.id,
            kind=item.kind,
            question_text=item.question_text,
            text=item.answer_text or "",
            reviewer=signature.signer_name,
            signature_reference=signature.reference,
            signature_meaning=signature.meaning,
            signed_at=signature.signed_at,
            unsolicited_request=item.kind is ReviewKind.MEDICAL_INFORMATION,
        )


class TranscriptWithAnswersOut(TranscriptOut):
    """The transcript plus the reviewers' signed answers."""

    reviewer_answers: list[ReviewerAnswerOut]


class ReviewerAnswersOut(BaseModel):
    """What the widget polls for: signed reviewer answers, and the labels to show with them."""

    answers: list[ReviewerAnswerOut]
