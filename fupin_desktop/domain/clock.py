"""Local time for people: China Standard Time (UTC+8, no daylight saving), so no tz database is needed."""

from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def today() -> date:
    """Today's date in China, whatever the PC's time zone setting."""
    return datetime.now(CHINA).date()
