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
    "answered_by_content": "Answered by approved content",
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
# 429s: the HCP sees the approved 'please wait' item; this detail is for developers. Keyed by limit scope.
RATE_LIMITED = {
    "conversations_per_ip": "too many new conversations from this address: try again in {seconds} s",
    "messages_per_conversation": "too many messages in this conversation: try again in {seconds} s",
    "review_items_per_conversation": "this conversation reached its review item limit: try again in {seconds} s",
    "review_items_per_ip": "this address reached its review item limit: try again in {seconds} s",
    "conversation_busy": "the previous message is still being answered: try again in {seconds} s",
}
VERBATIM_UNREADABLE = "verbatim text cannot be decrypted with the configured VERBATIM_KEYS"
# Hardening (issue 7): error answers never echo what the caller sent.
INTERNAL_ERROR = "the service could not handle this request; quote its request id when reporting it"
UNNAMED_FIELD = "(unexpected field)"
JSON_INVALID = "the body is not valid JSON: {error}"

# Drug safety (PV): AE cases, their screens and the E2B export (issue 10).
AE_CASE_NOT_EDITABLE = "a case that is {state} cannot be corrected: reopen it first"
AE_CASE_NOT_VALID = "not a valid case yet: missing {missing}"
AE_CASE_MERGE_SELF = "a case cannot be merged into itself"
AE_CASE_MERGE_TARGET = "cannot merge into a case that is {state}"
AE_EXPORT_INVALID = "the E2B export does not validate against the kept schema, so nothing was submitted: {problem}"
AE_FIELD_INVALID = "{field}: {problem}"
AE_DATE_INVALID = "since must be a date written YYYY-MM-DD"
AE_CASE_STATUS_LABELS = {
    "new": "New",
    "in_triage": "In triage",
    "follow_up_requested": "Follow-up requested",
    "ready": "Ready to submit",
    "submitted": "Submitted",
    "closed_not_a_case": "Closed: not a case",
    "merged": "Merged into another case",
}
AE_CLOSE_REASON_LABELS = {
    "not_an_adverse_event": "Not an adverse event or special situation",
    "not_our_product": "No Avendra Bio product involved",
    "test_or_spam": "Test message or spam",
    "other": "Other (say why in the note)",
}
AE_CRITERION_LABELS = {
    "patient": "Identifiable patient",
    "reporter": "Identifiable reporter",
    "product": "Suspect product",
    "event": "Adverse event or special situation",
}
AE_CASE_DONE = {
    "triage": "Triage started.",
    "correct": "Corrections saved; each change is in the history.",
    "request_follow_up": "Follow-up request recorded.",
    "mark_ready": "The case is ready to submit.",
    "submit": "Submitted: the E2B(R3) report was signed and exported.",
    "reopen": "The case is reopened; its next submission is a follow-up version.",
    "close": "The case is closed as not a case.",
    "merge": "The case was merged into the other case.",
}
NUL_REFUSED = "the request contains a NUL character (\\u0000 or %00), which no field accepts"

# HCP profiles and insights (issue 12).
NPI_INVALID = "not a valid NPI: 10 digits whose last is the check digit (Luhn with the 80840 prefix)"
CONSENT_TEXT_STALE = "that consent text is not the current approved version: reload and try again"
CONSENT_TEXT_MISSING = "no approved consent text for {purpose}"
EXCHANGE_NOT_RATEABLE = "only an answered exchange of this conversation can be rated"
PROFILE_ERASED = "this profile has been erased"
INSIGHTS_TABLE_UNKNOWN = "no insights table {name!r}"
INSIGHTS_FILTER_INVALID = "{field}: {value!r} is not valid"

# --- Content proposals and MLR approval (issue 11) ---
CONTENT_TOPIC_UNKNOWN = "{topic!r} is not an answer topic of the taxonomy"
CONTENT_TOPIC_FIXED = "a proposal's topic cannot change: propose again on the other topic"
CONTENT_EXAMPLE_TAKEN = "the example {example!r} already belongs to {item}"
CONTENT_NO_QUESTIONS = "choose at least one question from the review queue"
CONTENT_NOT_SEEDED = "the content library is not in the database yet: run `python -m api.content seed`"
CONTENT_DONE = {
    "propose": "Proposal submitted for MLR review.",
    "edit": "Proposal saved.",
    "return": "Proposal returned to the reviewer.",
    "approve": "Approved and signed: the item is published and the model is retraining.",
    "withdraw": "Withdrawn: it is no longer served.",
}
