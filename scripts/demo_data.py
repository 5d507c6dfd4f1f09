"""`make demo-data`: realistic HCP traffic sent through the real chat API, so the insights can be tried.

Many HCPs of several specialties identify themselves (or not), give or refuse consent, ask questions that
fit where they are in their journey (and some the assistant cannot answer, some off-label), rate answers and
come back. Everything goes through the running service's public API (`make run`), exactly as the widget
sends it. The API stamps every record with the time it was received, so the run would all fall on one day:
afterwards the script spreads each conversation over the past weeks by moving its timestamps in the
development database (and only there). Development only (ENVIRONMENT=dev). The default abuse limits
pace a large run (the script waits out each 429); `CONVERSATIONS_PER_IP=1000/minute REVIEW_ITEMS_PER_IP=1000/day
make run` makes it quick.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from dataclasses import dataclass

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.conversations.models import Conversation, Exchange
from api.db import session_factory
from api.hcp_profiles.identity import npi_check_digit
from api.hcp_profiles.models import ConsentEvent, EngagementEvent, HcpProfile
from api.insights.models import InsightEvent, InsightHcp, InsightQuestion
from api.insights.projection import week_of
from api.settings import get_settings
from content_library import ContentLibrary

FIRST = tuple(
    [
        "Amara",
        "Bram",
        "Chloe",
        "Dev",
        "Elena",
        "Farid",
        "Greta",
        "Hugo",
        "Ines",
        "Jonas",
        "Kaia",
        "Luca",
        "Maren",
        "Nico",
        "Olga",
        "Pavel",
        "Quinn",
        "Rosa",
        "Sven",
        "Tara",
        "Umar",
        "Vera",
        "Wren",
        "Yara",
    ]
)
LAST = tuple(
    [
        "Abbott",
        "Brennan",
        "Castellano",
        "Draper",
        "Eklund",
        "Fairbanks",
        "Galloway",
        "Hargrove",
        "Ibsen",
        "Jablonski",
        "Kowalczyk",
        "Lindqvist",
        "Moreau",
        "Novak",
        "Okafor",
        "Prescott",
        "Quintero",
        "Rasmussen",
    ]
)
SPECIALTIES = (("dermatology", 8), ("rheumatology", 3), ("primary care", 3), ("nurse practitioner", 2),
               ("physician assistant", 2), ("pharmacy", 2))  # fmt: skip
STAGE_TOPICS = {
    "awareness": ("indication", "mechanism", "efficacy_week16", "onset"),
    "consideration": (
        "efficacy_long_term",
        "adverse_reactions",
        "contraindications",
        "infections",
        "vaccines",
        "drug_interactions",
        "pregnancy",
    ),
    "trial": ("dosing", "administration", "samples", "self_injection", "storage", "how_supplied"),
    "adoption": ("copay", "ordering", "patient_support"),
}
JOURNEYS = (("awareness", 4), ("consideration", 4), ("trial", 4), ("adoption", 3), ("advocacy", 2))
# Questions with no approved answer yet: the themes the dashboard should surface.
UNANSWERED = {
    "travel": ("can my patients take the quelvanti pen on a plane in hand luggage",
               "is the quelvanti pen allowed through airport security", "flying with quelvanti pens abroad"),
    "tattoo": ("can a patient get a tattoo while on quelvanti", "is tattooing ok during quelvanti treatment",
               "tattoo appointment and quelvanti injections"),
    "sauna": ("can patients use a sauna on the day of the quelvanti injection",
              "is hot yoga or sauna fine after injecting quelvanti"),
}  # fmt: skip
OFF_LABEL = ("can quelvanti be used for psoriatic arthritis", "is quelvanti approved for crohn's disease")


@dataclass(frozen=True)
class DemoHcp:
    """One simulated HCP: identity (maybe withheld), consents, journey and when they first came."""

    n: int
    name: str
    npi: str
    email: str
    specialty: str
    identifies: bool
    consents: dict[str, bool]
    journey: str
    days_ago: int
    returns: bool


def demo_hcps(count: int, seed: int = 12, weeks: int = 8) -> list[DemoHcp]:
    """The simulated HCPs (deterministic for a seed): the known names, NPIs and e-mails of the demo."""
    rng = random.Random(seed)
    hcps = []
    for n in range(count):
        first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
        first_nine = f"1{rng.randrange(10**8):08d}"
        hcps.append(
            DemoHcp(
                n=n,
                name=f"Dr {first} {last}",
                npi=first_nine + npi_check_digit(first_nine),
                email=f"{first}.{last}{n}@clinic{n % 5}.example".lower(),
                specialty=rng.choices([s for s, _ in SPECIALTIES], [w for _, w in SPECIALTIES])[0],
                identifies=rng.random() < 0.8,
                consents={
                    "insights": rng.random() < 0.85,
                    "marketing": rng.random() < 0.4,
                    "mi_contact": rng.random() < 0.3,
                },
                journey=rng.choices([j for j, _ in JOURNEYS], [w for _, w in JOURNEYS])[0],
                days_ago=rng.randrange(1, weeks * 7),
                returns=rng.random() < 0.3,
            )
        )
    return hcps


class DemoClient:
    """The widget's calls, with 429s waited out (the abuse limits stay on)."""

    def __init__(self, api_url: str) -> None:
        self.http = httpx.Client(base_url=api_url, timeout=60)

    def send(self, method: str, url: str, secret: str | None = None, body: object = None) -> httpx.Response:
        """One call; a 429 is retried after its Retry-After."""
        headers = {"X-Conversation-Secret": secret} if secret else {}
        for _ in range(30):
            response = self.http.request(method, url, json=body, headers=headers)
            if response.status_code != 429:
                return response
            time.sleep(min(float(response.headers.get("retry-after", "5")), 60))
        return response

    def start(self) -> tuple[str, str]:
        """A new conversation (id, secret)."""
        body = self.send("POST", "/api/v1/conversations", body={}).json()
        return body["id"], body["secret"]


def _questions(hcp: DemoHcp, library: ContentLibrary, rng: random.Random) -> list[tuple[str, str | None]]:
    stages = list(STAGE_TOPICS)
    # An advocate has come all the way: their questions are those of adoption.
    reached = stages[: (stages.index(hcp.journey) if hcp.journey in stages else len(stages) - 1) + 1]
    asked: list[tuple[str, str | None]] = []
    for stage in reached[-2:]:
        topics = STAGE_TOPICS[stage]
        # Interest is uneven, as in life: the first topics of a stage are asked most.
        picked = rng.choices(topics, weights=[len(topics) - i for i in range(len(topics))], k=2)
        for topic in dict.fromkeys(picked):
            item = library.for_topic(topic)
            if item is not None and item.examples:
                asked.append((rng.choice(item.examples), topic))
    if rng.random() < 0.45:
        asked.append((rng.choice(UNANSWERED[rng.choice(sorted(UNANSWERED))]), None))
    if rng.random() < 0.08:
        asked.append((rng.choice(OFF_LABEL), None))
    return asked


def _converse(
    client: DemoClient, hcp: DemoHcp, visitor: str | None, rng: random.Random, library: ContentLibrary
) -> tuple[str, str]:
    conversation_id, secret = client.start()
    base = f"/api/v1/conversations/{conversation_id}"
    token = client.send("PUT", f"{base}/visitor", secret, {"token": visitor} if visitor else {}).json()["token"]
    if hcp.identifies:
        details = {"name": hcp.name, "npi": hcp.npi, "email": hcp.email, "specialty": hcp.specialty}
        client.send("PUT", f"{base}/hcp", secret, details)
    else:
        client.send("PUT", f"{base}/hcp", secret, {"specialty": hcp.specialty})
    for purpose, granted in hcp.consents.items():
        consent_text = library.system(f"consent_{purpose}")
        if granted and consent_text is not None:
            body = {"granted": True, "content_id": consent_text.id, "version": consent_text.version}
            client.send("PUT", f"{base}/consents/{purpose}", secret, body)
    helpful_bias = 0.9 if hcp.journey == "advocacy" else 0.7
    for text, _topic in _questions(hcp, library, rng):
        answer = client.send("POST", f"{base}/messages", secret, {"text": text})
        if answer.status_code == 200 and answer.json()["route"] == "answered" and rng.random() < 0.6:
            sequence = client.send("GET", base, secret).json()["exchanges"][-1]["sequence"]
            client.send(
                "PUT", f"{base}/exchanges/{sequence}/rating", secret, {"helpful": rng.random() < helpful_bias}
            )
    return conversation_id, token


def _move_exchange(session: Session, exchange: Exchange, at: dt.datetime) -> None:
    exchange.received_at, exchange.replied_at = at, at + dt.timedelta(seconds=1)
    event = session.scalar(select(EngagementEvent).where(EngagementEvent.exchange_id == exchange.id))
    if event is None:
        return
    event.at = at
    session.execute(
        update(InsightEvent)
        .where(InsightEvent.source_id == event.id)
        .values(occurred_at=at, day=at.date(), week=week_of(at.date()))
    )
    session.execute(update(InsightQuestion).where(InsightQuestion.source_id == event.id).values(occurred_at=at))


def spread_over_weeks(session: Session, when: dict[str, dt.datetime]) -> None:
    """Move each demo conversation (and everything derived from it) to its simulated time."""
    seen: dict[str, list[dt.datetime]] = {}
    for conversation_id, start in when.items():
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            continue
        conversation.started_at = start
        for exchange in session.scalars(select(Exchange).where(Exchange.conversation_id == conversation_id)):
            _move_exchange(session, exchange, start + dt.timedelta(minutes=2 * exchange.sequence))
        seen.setdefault(conversation.hcp_profile_id, []).append(start)
    for profile_id, times in seen.items():
        session.execute(update(ConsentEvent).where(ConsentEvent.profile_id == profile_id).values(at=min(times)))
        profile = session.get(HcpProfile, profile_id)
        if profile is None:
            continue
        profile.last_seen_at = max(times) + dt.timedelta(minutes=30)
        row = session.get(InsightHcp, profile.insights_key)
        if row is not None:
            row.first_seen, row.last_seen = min(times), max(times) + dt.timedelta(minutes=30)
            row.changed_at = dt.datetime.now(dt.UTC)
    session.flush()


def run(api_url: str, database_url: str, count: int, seed: int = 12, weeks: int = 8) -> list[DemoHcp]:
    """Send the demo traffic, then spread it over the past weeks; returns the simulated HCPs."""
    rng = random.Random(seed)
    library = ContentLibrary()
    client = DemoClient(api_url)
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    when: dict[str, dt.datetime] = {}
    hcps = demo_hcps(count, seed, weeks)
    for hcp in hcps:
        start = now - dt.timedelta(days=hcp.days_ago, hours=rng.randrange(8, 18))
        conversation_id, token = _converse(client, hcp, None, rng, library)
        when[conversation_id] = start
        if hcp.returns:
            again, _token = _converse(client, hcp, token, rng, library)
            when[again] = min(start + dt.timedelta(days=rng.randrange(3, 6)), now - dt.timedelta(hours=1))
        print(f"HCP {hcp.n + 1}/{count}: {hcp.specialty}, {hcp.journey}", flush=True)
    with session_factory(database_url)() as session:
        spread_over_weeks(session, when)
        session.commit()
    return hcps


def main(argv: list[str] | None = None) -> int:
    """Fill the development database with demo traffic (ENVIRONMENT=dev only)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-url", default="http://127.0.0.1:8000")
    parser.add_argument("--hcps", type=int, default=120)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--weeks", type=int, default=8)
    args = parser.parse_args(argv)
    settings = get_settings()
    if settings.environment != "dev":
        print(f"demo data is for development only (ENVIRONMENT is {settings.environment})", file=sys.stderr)
        return 1
    run(args.api_url, settings.sqlalchemy_url, args.hcps, args.seed, args.weeks)
    print(f"Done: {args.hcps} HCPs. Sign in as a marketer (make demo-users) and open {args.api_url}/insights")
    return 0


if __name__ == "__main__":
    sys.exit(main())
