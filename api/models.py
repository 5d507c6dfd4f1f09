"""Imports every model so that metadata (Alembic, tests) sees all tables."""

from api.ae_cases.models import AeCase
from api.conversations.models import Conversation, Exchange, Reply
from api.db import Base
from api.hcp_profiles.models import HcpProfile
from api.medical_requests.models import MedicalRequest
from api.review_queue.models import ReviewItem

__all__ = [
    "AeCase",
    "Base",
    "Conversation",
    "Exchange",
    "HcpProfile",
    "MedicalRequest",
    "Reply",
    "ReviewItem",
]
