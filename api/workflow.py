"""Workflows: each record type declares its states and allowed transitions once, and every change of
state goes through `transition()`, which checks it and writes the audit event in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from sqlalchemy.orm import Session

from api import strings
from api.audit import service as audit
from api.audit.service import Actor
from api.errors import Conflict

S = TypeVar("S", bound=StrEnum)


class Stateful(Protocol[S]):
    """A record with an id and a status."""

    id: str
    status: S


@dataclass(frozen=True)
class Step(Generic[S]):
    """One named action: the states it may start from and the state it leads to."""

    sources: frozenset[S]
    target: S


@dataclass(frozen=True)
class Workflow(Generic[S]):
    """The states of one record type and the actions that move between them."""

    entity_type: str
    steps: Mapping[str, Step[S]]

    def allowed(self, state: S) -> list[str]:
        """The actions possible from a state."""
        return [name for name, step in self.steps.items() if state in step.sources]


def transition(
    session: Session,
    workflow: Workflow[S],
    record: Stateful[S],
    action: str,
    actor: Actor,
    reason: str | None = None,
) -> S:
    """Apply an action to a record: check it is allowed, change state, audit it (caller commits)."""
    step = workflow.steps.get(action)
    current = record.status
    if step is None or current not in step.sources:
        raise Conflict(strings.TRANSITION_REFUSED.format(action=action, state=current.value))
    record.status = step.target
    audit.record(
        session,
        actor,
        f"{workflow.entity_type}.{action}",
        workflow.entity_type,
        record.id,
        from_state=current.value,
        to_state=step.target.value,
        reason=reason,
    )
    return step.target
