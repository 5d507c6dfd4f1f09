"""Imports every model so that metadata (Alembic, tests) sees all tables."""

from api.ae_cases.models import AeCase, AeCaseExport, AeCaseFollowUp
from api.audit.models import AuditEvent, AuditHead
from api.auth.models import StaffSession, StaffUser
from api.content.models import ContentProposal, ContentRelease, ContentVersion
from api.conversations.models import Conversation, Exchange, Reply
from api.db import Base
from api.esign.models import Signature
from api.hcp_profiles.models import ConsentEvent, EngagementEvent, HcpProfile
from api.insights.models import InsightEvent, InsightHcp, InsightQuestion
from api.review_queue.models import ReviewItem
from api.verbatim.models import VerbatimText

__all__ = [
    "AeCase",
    "AeCaseExport",
    "AeCaseFollowUp",
    "AuditEvent",
    "AuditHead",
    "Base",
    "ConsentEvent",
    "ContentProposal",
    "ContentRelease",
    "ContentVersion",
    "Conversation",
    "EngagementEvent",
    "Exchange",
    "HcpProfile",
    "InsightEvent",
    "InsightHcp",
    "InsightQuestion",
    "Reply",
    "ReviewItem",
    "Signature",
    "StaffSession",
    "StaffUser",
    "VerbatimText",
]
