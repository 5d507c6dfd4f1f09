"""SLA due times counted in business hours (Mon-Fri, a working day in the medical team's time zone)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from api.review_queue.models import ReviewKind
from api.settings import Settings


def add_business_hours(start: dt.datetime, hours: float, settings: Settings) -> dt.datetime:
    """The moment `hours` of business time after `start` (UTC in, UTC out)."""
    zone = ZoneInfo(settings.business_timezone)
    opens, closes = settings.business_day_start_hour, settings.business_day_end_hour
    remaining = dt.timedelta(hours=hours)
    cursor = start.astimezone(zone)
    for _ in range(3660):  # ten years of days: a bound, never reached with valid settings
        day_open = cursor.replace(hour=opens, minute=0, second=0, microsecond=0)
        day_close = cursor.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(hours=closes)
        if cursor.weekday() < 5 and cursor < day_close:
            begin = max(cursor, day_open)
            available = day_close - begin
            if remaining <= available:
                return (begin + remaining).astimezone(dt.UTC)
            remaining -= available
        next_day = (cursor + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        cursor = next_day.replace(tzinfo=zone)
    raise ValueError("business hours never open: check BUSINESS_DAY_START_HOUR and BUSINESS_DAY_END_HOUR")


def business_hours_per_day(settings: Settings) -> float:
    """The length of one business day, in hours."""
    return float(settings.business_day_end_hour - settings.business_day_start_hour)


def due_at(kind: ReviewKind, received_at: dt.datetime, settings: Settings) -> dt.datetime:
    """When an item of a kind received at a moment breaches its SLA."""
    if kind is ReviewKind.MEDICAL_INFORMATION:
        hours = settings.review_sla_medical_information_days * business_hours_per_day(settings)
    else:
        hours = settings.review_sla_novel_hours
    return add_business_hours(received_at, hours, settings)
