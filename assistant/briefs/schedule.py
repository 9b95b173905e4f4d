"""A posting schedule: the topics spread evenly over the campaign's dates, in order."""

from __future__ import annotations

from datetime import date, timedelta

from assistant.briefs.models import ScheduleSlot, Topic

#: a campaign without an end date runs this many days
DEFAULT_DAYS = 14


def schedule(topics: list[Topic], start: date, end: date | None) -> list[ScheduleSlot]:
    end = end or start + timedelta(days=DEFAULT_DAYS - 1)
    span = (end - start).days
    n = len(topics)
    return [ScheduleSlot(date=start + timedelta(days=round(i * span / (n - 1)) if n > 1 else 0), topic=i + 1,
                         title=t.title) for i, t in enumerate(topics)]
