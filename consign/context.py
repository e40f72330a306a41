"""Who is acting and when: decided at the edge (CLI, web) and passed into every service."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from consign import fields
from consign.periods import zone
from consign.policy import FULL, Role


@dataclass(frozen=True)
class Context:
    actor: str
    now: datetime
    tz: tzinfo
    role: Role = FULL  # what the actor may do (SPEC section 6); full without a user record

    @classmethod
    def make(cls, actor: str, now: datetime | None = None, tz: str | tzinfo | None = None,
             role: Role = FULL):
        """The context of one request; ``actor`` must be a person's name (1 to 120
        printable characters), an unknown time zone is a malformed setting."""
        if tz is None or isinstance(tz, str):
            tz = zone(tz)
        return cls(actor=fields.actor(actor), now=(now or datetime.now(UTC)).astimezone(UTC),
                   tz=tz, role=role)

    @property
    def today(self) -> date:
        """Today's date in the business time zone."""
        return self.now.astimezone(self.tz).date()
