"""The assessment JSON contract the evaluations read: written once, in its order."""

ASSESSMENT_KEYS = (
    "adverse_event",
    "special_situations",
    "ae_criteria",
    "seriousness",
    "products",
    "events",
    "off_label",
    "abusive",
    "pii",
    "redacted_text",
    "route",
    "findings",
)
