"""Local time for people: China Standard Time (UTC+8, no daylight saving), so no tz database is needed."""

from datetime import UTC, date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def today() -> date:
    """Today's date in China, whatever the PC's time zone setting."""
    return datetime.now(CHINA).date()


TIME_FORMAT = "%Y-%m-%d %H:%M"  # every time shown to a person, on screen and in the CLI


def shown(moment: datetime | None, empty: str = "—") -> str:
    """A moment as people read it: China time, TIME_FORMAT. Stored times are UTC (a naive one is
    taken as UTC); UTC stays inside files."""
    if moment is None:
        return empty
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA).strftime(TIME_FORMAT)
