"""Marketer insights: a de-identified projection of consented engagement, aggregates, charts and CSV."""
