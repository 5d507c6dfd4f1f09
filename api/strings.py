"""Every sentence the API itself says to a caller (error details). HCP-facing text never lives here:
it comes from the approved content library."""

BLANK_TEXT = "text must not be blank"
TEXT_TOO_LONG = "text is longer than {limit} characters"
BODY_TOO_LARGE = "request body larger than {limit} bytes"
NOT_FOUND = "{noun} {identifier!r} does not exist"
SERVICE_TOKEN_REQUIRED = "a valid service token is required"
TRANSITION_REFUSED = "cannot {action} an item that is {state}"
SIGN_IN_REQUIRED = "sign in required"
ROLE_REQUIRED = "your role does not allow this"
CSRF_FAILED = "the form has expired or did not come from this site: reload the page and try again"
SIGN_IN_FAILED = "e-mail or password not recognised, or the account is locked; try again later"
SIGNATURE_PASSWORD = "the password did not match: the signature was not applied"
BAD_EMAIL = "not an e-mail address"
USER_EXISTS = "a user with e-mail {email} already exists"
CONVERSATION_SECRET_REQUIRED = "this conversation's secret (X-Conversation-Secret) or a staff session is required"
CLAIMED_BY_OTHER = "this item is claimed by {name}"
ANSWER_REQUIRED = "an answer must not be blank"
REASON_REQUIRED = "a reason is required"

# Staff screens (medical review queue); HTML chrome lives in api/web/templates/staff/.
STAFF_NOTHING_FOR_ROLE = "there is nothing for your role here yet"
STAFF_FILTER_INVALID = "{field}: {value!r} is not a valid choice, so it was ignored"
STAFF_PAGE_INVALID = "page must be a whole number from 1"
REVIEW_KIND_LABELS = {
    "novel_question": "Novel question",
    "compliance_hold": "Compliance hold",
    "medical_information": "Medical Information request (unsolicited)",
}
REVIEW_STATUS_LABELS = {
    "open": "Open",
    "claimed": "Claimed",
    "answered": "Answered (draft)",
    "returned": "Returned",
    "approved": "Approved",
    "closed": "Closed",
}
CLOSE_REASON_LABELS = {
    "duplicate": "Duplicate",
    "not_a_medical_question": "Not a medical question",
    "spam": "Spam",
}
# Age filter of the queue: hours -> label.
QUEUE_AGE_LABELS = {
    "1": "Older than 1 hour",
    "4": "Older than 4 hours",
    "24": "Older than 1 day",
    "72": "Older than 3 days",
    "168": "Older than 1 week",
}
REVIEW_DONE = {
    "claim": "You claimed this item.",
    "release": "The item is back in the queue.",
    "answer": "Draft answer saved.",
    "approve": "Answer approved and signed.",
    "return": "The answer was returned for rework.",
    "close": "The item is closed.",
}
PASSWORDS_DIFFER = "the two passwords do not match"
DEMO_USERS_DEV_ONLY = "demo users have known passwords: refused unless ENVIRONMENT=dev (it is {environment})"
