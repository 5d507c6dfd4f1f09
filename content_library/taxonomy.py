"""The topic taxonomy of the demo brand: every approved item carries exactly one topic."""

from __future__ import annotations

ANSWER_TOPICS: tuple[str, ...] = (
    "indication",
    "dosing",
    "administration",
    "missed_dose",
    "self_injection",
    "storage",
    "room_temperature",
    "excipients_latex",
    "contraindications",
    "infections",
    "tuberculosis",
    "hypersensitivity",
    "vaccines",
    "adverse_reactions",
    "efficacy_week16",
    "efficacy_long_term",
    "onset",
    "mechanism",
    "pharmacokinetics",
    "drug_interactions",
    "pregnancy",
    "lactation",
    "pediatric",
    "geriatric",
    "renal_hepatic",
    "how_supplied",
    "patient_support",
    "copay",
    "samples",
    "ordering",
    "rep_or_msl_request",
    "medical_information_contact",
    "safety_reporting_contact",
    "isi",
)

# System messages are approved too; their topics name the conversational situation.
SYSTEM_TOPICS: tuple[str, ...] = (
    "greeting",
    "goodbye",
    "thanks",
    "bot_identity",
    "out_of_scope",
    "review_followup",
    "unavailable",
    "ae_acknowledgement",
    "off_label_redirect",
    "declined",
    "reviewer_answer",
    "unsolicited_response",
    # Rate limits and one-message-at-a-time: the message was not received, send it again later.
    "please_wait",
    # AE follow-up in the chat: each missing minimum criterion, consent to contact and channel, thanks.
    "ae_followup_patient",
    "ae_followup_reporter",
    "ae_followup_product",
    "ae_followup_event",
    "ae_followup_consent",
    "ae_followup_channel",
    "ae_followup_complete",
    # Engagement profile (issue 12): consent texts per purpose, identity and rating prompts, suggestions, launcher.
    "consent_mi_contact",
    "consent_marketing",
    "consent_insights",
    "consent_saved",
    "identity_prompt",
    "rating_prompt",
    "rating_thanks",
    "suggestion_intro",
    "widget_launcher",
    "profile_not_saved",
)


def intent_for_topic(topic: str) -> str:
    """Name of the NLU intent that asks about an answer topic."""
    return f"ask_{topic}"


def topic_for_intent(intent: str) -> str | None:
    """Answer topic asked about by an NLU intent, or None for other intents."""
    if intent.startswith("ask_") and intent[4:] in ANSWER_TOPICS:
        return intent[4:]
    return None
