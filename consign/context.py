"""Who is acting and when: decided at the edge (CLI, web) and passed into every service."""

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from consign.periods import zone


@dataclass(frozen=True)
class Context:
    actor: str
    now: datetime
    tz: tzinfo

    @classmethod
    def make(cls, actor: str, now: datetime | None = None, tz: str | tzinfo | None = None):
        if tz is None or isinstance(tz, str):
            tz = zone(tz)
        return cls(actor=actor, now=(now or datetime.now(UTC)).astimezone(UTC), tz=tz)
