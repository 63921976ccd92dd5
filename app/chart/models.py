"""What the charts can show."""

from enum import StrEnum


class InsightMetric(StrEnum):
    """Which part of a seeker's insights to chart."""

    REJECTIONS_BY_WEEK = "rejections_by_week"
    FUNNEL = "funnel"
