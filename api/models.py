"""Imports every model so that metadata (Alembic, tests) sees all tables."""

from api.conversations.models import Conversation, Exchange, Reply
from api.db import Base
from api.hcp_profiles.models import HcpProfile
from api.review_queue.models import ReviewItem

__all__ = ["Base", "Conversation", "Exchange", "HcpProfile", "Reply", "ReviewItem"]
