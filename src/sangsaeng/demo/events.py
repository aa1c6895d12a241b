"""Demo matchmaking days: a past one with its whole story, and one the demo accounts can join.

- "판교 AI·팹리스 매칭데이" (Pangyo AI·Fabless Matchmaking Day), seven months ago: about 120
  fictional participants (the demo's generated experts, each with a fictional account),
  their offers and wishes in Korean or English, some 400 meeting requests, the schedule the
  platform's scheduler made (its run is kept), check-ins, held meetings and no-shows, and both
  rounds of ratings (right after, and six months on). The demo organisation admin took part
  too: their agenda and ratings show, and their six-month rating is still open.
- "판교 AI 반도체 파트너링 데이" (Pangyo AI Semiconductor Partnering Day), in three weeks,
  open for registration: 40 fictional participants with requests among them; the demo
  accounts register and ask for meetings as anyone would.

Everything is marked fictional and written in bulk (the demo's load time is measured); the
search index learns of the participants from the change log like of any other change.
``load(seed)`` is idempotent: a second call finds the events and returns at once.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from sangsaeng.accounts.models import Membership, User
from sangsaeng.demo.vocabulary import AFFINITY, BY_CODE
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.events.models import (
    AgendaEntry,
    Event,
    EventReminder,
    Location,
    MarketplaceItem,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    ParticipantType,
    RegistrationQuestion,
    SchedulingRun,
    Session,
    Slot,
)
from sangsaeng.events.scheduling import run_scheduler
from sangsaeng.events.search import PARTICIPANT
from sangsaeng.notifications.models import NotificationPreference
from sangsaeng.search.index import search_index
from sangsaeng.search.models import IndexChange

PAST_SLUG = "pangyo-ai-fabless-matchmaking-day"
UPCOMING_SLUG = "pangyo-ai-semiconductor-partnering-day"
DEMO_ADMIN_EMAIL = "orgadmin@sangsaeng.demo.example"
PAST_PARTICIPANTS = 120
UPCOMING_PARTICIPANTS = 40
# Shares of the ratings, right after the event and six months on (b2match-like outcomes).
FIRST_ROUND = {
    "no_further_contact": 0.27,
    "valuable_contact": 0.48,
    "negotiation_started": 0.18,
    "agreement_reached": 0.07,
}
SECOND_ROUND = {
    "no_further_contact": 0.38,
    "valuable_contact": 0.30,
    "negotiation_started": 0.18,
    "agreement_reached": 0.14,
}
REQUESTS_OF = (
    "{name}의 {topic} 역량에 관심이 있습니다. 공동 과제 가능성을 이야기하고 싶습니다.",
    "We would like to discuss {topic} with you: we are looking for a partner for a pilot.",
    "{topic} 관련 협력 방안을 논의하고 싶습니다.",
    "Your work on {topic} fits our roadmap. Could we meet for 20 minutes?",
)
SEOUL = timezone.get_fixed_timezone(9 * 60)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SEOUL)


def _korean(text: str) -> bool:
    return any("가" <= character <= "힣" for character in text)


def _event(
    *,
    slug: str,
    title_ko: str,
    title_en: str,
    description_ko: str,
    description_en: str,
    day: datetime.date,
    deadlines: tuple[datetime.datetime, datetime.datetime, datetime.datetime],
    operator: User | None,
) -> Event:
    return Event.objects.create(
        slug=slug,
        title_ko=title_ko,
        title_en=title_en,
        description_ko=description_ko,
        description_en=description_en,
        venue_ko="판교 스타트업캠퍼스 1동 다목적홀",
        venue_en="Pangyo Startup Campus, Building 1, main hall",
        starts_on=day,
        ends_on=day,
        registration_deadline=deadlines[0],
        request_deadline=deadlines[1],
        schedule_deadline=deadlines[2],
        capacity=200,
        is_published=True,
        is_fictional=True,
        created_by=operator,
    )


def _slots(
    event: Event, sessions: list[tuple[str, str, datetime.datetime, int]], breaks: set[int]
) -> list[Slot]:
    """Sessions of 20-minute meetings; ``breaks`` are 1-based positions in the event."""
    slots: list[Slot] = []
    for title_ko, title_en, start, count in sessions:
        session = Session.objects.create(
            event=event,
            title_ko=title_ko,
            title_en=title_en,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=20 * count),
            meeting_minutes=20,
        )
        for number in range(count):
            begins = start + datetime.timedelta(minutes=20 * number)
            slots.append(
                Slot(
                    event=event,
                    session=session,
                    starts_at=begins,
                    ends_at=begins + datetime.timedelta(minutes=20),
                    position=len(slots) + 1,
                    is_break=len(slots) + 1 in breaks,
                )
            )
    return Slot.objects.bulk_create(slots)


def _types(event: Event) -> dict[str, ParticipantType]:
    return {
        kind: ParticipantType.objects.create(event=event, name_ko=ko, name_en=en, order=order)
        for order, (kind, ko, en) in enumerate(
            [
                ("company", "기업", "Company"),
                ("research", "대학·연구기관", "University or institute"),
                ("support", "지원기관·투자사", "Support agency or investor"),
            ]
        )
    }


def _type_of(organisation: Organisation | None) -> str:
    if organisation is None:
        return "support"
    if organisation.kind == Organisation.Kind.COMPANY:
        return "company"
    if organisation.kind in (Organisation.Kind.UNIVERSITY, Organisation.Kind.RESEARCH_INSTITUTE):
        return "research"
    return "support"


def _accounts(people: list[Person]) -> dict[int, User]:
    """A fictional account per generated expert (they cannot log in and are never mailed)."""
    emails = {person.pk: f"event-{person.slug}@demo.sangsaeng.invalid" for person in people}
    existing = {user.email: user for user in User.objects.filter(email__in=emails.values())}
    new = [
        User(
            username=f"demo-event-{person.slug}"[:150],
            email=emails[person.pk],
            display_name=person.name_ko,
            password="!demo-event-account",
        )
        for person in people
        if emails[person.pk] not in existing
    ]
    for user in User.objects.bulk_create(new):
        existing[user.email] = user
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(
                user=user, email_new_match=False, email_contact_request=False, email_answer=False
            )
            for user in existing.values()
        ],
        ignore_conflicts=True,
    )
    return {pk: existing[email] for pk, email in emails.items()}


def _items_for(person: Person, rng: random.Random) -> list[tuple[str, str, str]]:
    """What a generated expert offers (their own capability) and looks for (a neighbour's)."""
    codes = [tag.code for tag in person.tags.all() if tag.code in BY_CODE]
    primary = BY_CODE[codes[0]] if codes else BY_CODE["npu"]
    korean = _korean(person.profile_text)
    keywords = [k for k in primary.keywords if _korean(k) == korean] or list(primary.keywords)
    wanted = BY_CODE[rng.choice(AFFINITY[primary.code])]
    want_words = [k for k in wanted.keywords if _korean(k) == korean] or list(wanted.keywords)
    if korean:
        offer = (f"{keywords[0]} 기술 협력", primary.company_ko)
        wish = (
            f"{want_words[0]} 파트너",
            f"{', '.join(want_words[:3])} 분야의 협력 파트너를 찾습니다. {wanted.problem_ko}",
        )
    else:
        offer = (f"{keywords[0]} expertise", primary.company_en.capitalize())
        wish = (
            f"Partner for {want_words[0]}",
            f"We look for a partner in {', '.join(want_words[:3])}. {wanted.problem_en}",
        )
    return [("offer", *offer), ("looking_for", *wish)]


def _participants(
    event: Event,
    people: list[Person],
    users: dict[int, User],
    types: dict[str, ParticipantType],
    rng: random.Random,
    consented: datetime.datetime,
    slots: list[Slot],
    sparse: float = 0.2,
) -> tuple[list[Participant], dict[int, str]]:
    """The participants, and each one's main field (a capability code) by id."""
    participants = Participant.objects.bulk_create(
        [
            Participant(
                event=event,
                user=users[person.pk],
                organisation=person.organisation,
                participant_type=types[_type_of(person.organisation)],
                name=person.name_ko
                if _korean(person.profile_text)
                else person.name_en or person.name_ko,
                position=person.position_ko if _korean(person.profile_text) else person.position_en,
                profile=person.profile_text,
                consented_at=consented,
                is_fictional=True,
            )
            for person in people
        ]
    )
    items = []
    for participant, person in zip(participants, people, strict=True):
        for order, (kind, title, description) in enumerate(_items_for(person, rng)):
            items.append(
                MarketplaceItem(
                    participant=participant,
                    kind=kind,
                    title=title,
                    description=description,
                    order=order,
                )
            )
    MarketplaceItem.objects.bulk_create(items)
    # Some leave early or come late: they chose the slots they are free in.
    open_slots = [slot for slot in slots if not slot.is_break]
    through = Participant.available_slots.through
    rows = []
    for participant in participants:
        if rng.random() < sparse:
            cut = rng.randint(len(open_slots) // 3, 2 * len(open_slots) // 3)
            chosen = open_slots[:cut] if rng.random() < 0.5 else open_slots[cut:]
        else:
            chosen = open_slots
        rows += [through(participant_id=participant.pk, slot_id=slot.pk) for slot in chosen]
    through.objects.bulk_create(rows)
    codes = {
        participant.pk: next((t.code for t in person.tags.all() if t.code in BY_CODE), "npu")
        for participant, person in zip(participants, people, strict=True)
    }
    return participants, codes


def _requests(
    event: Event,
    participants: list[Participant],
    tag_of: dict[int, str],
    per_person: tuple[int, int],
    rng: random.Random,
    answered: datetime.datetime,
    accept_share: float = 0.85,
    decline_share: float = 0.1,
) -> list[MeetingRequest]:
    """Each participant asks a few others of other organisations, related fields first."""
    by_tag: dict[str, list[Participant]] = {}
    for participant in participants:
        by_tag.setdefault(tag_of[participant.pk], []).append(participant)
    pairs: set[frozenset[int]] = set()
    made = []
    for participant in participants:
        near = [
            other
            for code in AFFINITY.get(tag_of[participant.pk], ())
            for other in by_tag.get(code, [])
        ]
        for _ in range(rng.randint(*per_person)):
            pool = near if near and rng.random() < 0.7 else participants
            other = rng.choice(pool)
            pair = frozenset((participant.pk, other.pk))
            if other.pk == participant.pk or other.organisation_id == participant.organisation_id:
                continue
            if pair in pairs:
                continue
            pairs.add(pair)
            roll = rng.random()
            status = (
                MeetingRequest.Status.ACCEPTED
                if roll < accept_share
                else MeetingRequest.Status.DECLINED
                if roll < accept_share + decline_share
                else MeetingRequest.Status.PENDING
            )
            topic = BY_CODE[tag_of[other.pk]].keywords[0] if tag_of[other.pk] in BY_CODE else "AI"
            made.append(
                MeetingRequest(
                    event=event,
                    requester=participant,
                    requested=other,
                    message=rng.choice(REQUESTS_OF).format(name=other.name, topic=topic),
                    requester_priority="must" if rng.random() < 0.25 else "like",
                    requested_priority=("must" if rng.random() < 0.2 else "like")
                    if status == MeetingRequest.Status.ACCEPTED
                    else "",
                    status=status,
                    answered_at=answered if status != MeetingRequest.Status.PENDING else None,
                )
            )
    return MeetingRequest.objects.bulk_create(made)


def _index(participants: list[Participant]) -> None:
    """Tell the search index of participants written in bulk (no signals fire for those)."""
    IndexChange.objects.bulk_create(
        IndexChange(subject=PARTICIPANT, object_id=participant.pk) for participant in participants
    )


def _demo_admin_joins(
    event: Event, types: dict[str, ParticipantType], consented: datetime.datetime
) -> Participant | None:
    admin = User.objects.filter(email=DEMO_ADMIN_EMAIL).first()
    membership = (
        Membership.objects.filter(user=admin, role=Membership.Role.ADMIN)
        .select_related("organisation")
        .first()
        if admin
        else None
    )
    if admin is None or membership is None:
        return None
    organisation = membership.organisation
    participant = Participant.objects.create(
        event=event,
        user=admin,
        organisation=organisation,
        participant_type=types["company"],
        name="데모 조직 관리자",
        position="사업개발 이사",
        profile=organisation.description_ko,
        consented_at=consented,
        is_fictional=True,
    )
    MarketplaceItem.objects.bulk_create(
        [
            MarketplaceItem(
                participant=participant,
                kind="offer",
                title="온디바이스 AI 칩 설계 역량",
                description=organisation.description_ko,
            ),
            MarketplaceItem(
                participant=participant,
                kind="looking_for",
                title="Verification and DFT partners",
                description="We look for UVM verification and DFT partners for our next tape-out.",
            ),
        ]
    )
    return participant


def _past_event(seed: int, operator: User | None, people: list[Person]) -> int:
    rng = random.Random(seed)
    day = timezone.localdate() - datetime.timedelta(days=214)
    event = _event(
        slug=PAST_SLUG,
        title_ko="판교 AI·팹리스 매칭데이",
        title_en="Pangyo AI·Fabless Matchmaking Day",
        description_ko=(
            "판교의 AI·팹리스 기업과 대학·연구기관이 20분씩 1:1로 만나는 매칭데이입니다. "
            "참가자는 서로 미팅을 신청하고, 주최 측이 최적 일정을 배정했습니다. (가상 데모 행사)"
        ),
        description_en=(
            "AI and fabless companies, universities and institutes of Pangyo meet one to one in "
            "20-minute meetings; participants asked each other and the organiser scheduled the "
            "day. (A fictional demo event.)"
        ),
        day=day,
        deadlines=(
            _at(day - datetime.timedelta(days=14), 18),
            _at(day - datetime.timedelta(days=7), 18),
            _at(day - datetime.timedelta(days=3), 18),
        ),
        operator=operator,
    )
    slots = _slots(
        event,
        [("오후 미팅", "Afternoon meetings", _at(day, 13, 30), 12)],
        breaks={7},
    )
    Location.objects.bulk_create(
        [Location(event=event, kind="table", number=number) for number in range(1, 31)]
    )
    RegistrationQuestion.objects.create(
        event=event,
        text_ko="주차권이 필요하신가요?",
        text_en="Do you need a parking ticket?",
        kind="yes_no",
    )
    types = _types(event)
    chosen = rng.sample(people, min(PAST_PARTICIPANTS, len(people)))
    registered = _at(day - datetime.timedelta(days=20), 10)
    participants, codes = _participants(
        event, chosen, _accounts(chosen), types, rng, registered, slots
    )
    admin = _demo_admin_joins(event, types, registered)
    everyone = participants + ([admin] if admin else [])
    if admin is not None:
        codes[admin.pk] = "soc-architecture"
    requests = _requests(
        event, everyone, codes, (2, 5), rng, registered + datetime.timedelta(days=5)
    )
    if admin is not None:  # make sure the demo admin has meetings to show and rate
        asked = {r.requested_id for r in requests if r.requester_id == admin.pk}
        asked |= {r.requester_id for r in requests if r.requested_id == admin.pk}
        extra = [
            p
            for p in participants
            if p.pk not in asked and p.organisation_id != admin.organisation_id
        ][:4]
        requests += MeetingRequest.objects.bulk_create(
            MeetingRequest(
                event=event,
                requester=admin if number % 2 else other,
                requested=other if number % 2 else admin,
                message="온디바이스 AI 칩 검증 협력을 논의하고 싶습니다.",
                requester_priority="must" if number == 0 else "like",
                requested_priority="like",
                status=MeetingRequest.Status.ACCEPTED,
                answered_at=registered + datetime.timedelta(days=6),
            )
            for number, other in enumerate(extra)
        )
    run = SchedulingRun.objects.create(event=event, created_by=operator)
    run_scheduler(run)
    Meeting.objects.filter(event=event).update(status=Meeting.Status.SCHEDULED)
    Event.objects.filter(pk=event.pk).update(
        schedule_status=Event.ScheduleStatus.FINAL,
        schedule_published_at=_at(day - datetime.timedelta(days=3), 17),
    )
    # The day: nearly everyone came; a few did not, and their meetings were no-shows.
    absent = {p.pk for p in participants if rng.random() < 0.05}
    arrived = [p for p in everyone if p.pk not in absent]
    for participant in arrived:
        participant.checked_in_at = _at(day, 13, rng.randint(0, 40))
    Participant.objects.bulk_update(arrived, ["checked_in_at"])
    meetings = list(Meeting.objects.filter(event=event))
    for meeting in meetings:
        missing = [p for p in (meeting.first_id, meeting.second_id) if p in absent]
        if missing:
            meeting.status = Meeting.Status.NO_SHOW
            meeting.absent_id = missing[0]
        else:
            meeting.status = Meeting.Status.HELD
    Meeting.objects.bulk_update(meetings, ["status", "absent"])
    AgendaEntry.objects.filter(
        meeting__event=event, meeting__status=Meeting.Status.NO_SHOW
    ).delete()
    _feedback(event, meetings, everyone, admin, rng, day)
    last = slots[-1].ends_at
    Event.objects.filter(pk=event.pk).update(finished_at=last + datetime.timedelta(minutes=30))
    EventReminder.objects.bulk_create(
        EventReminder(event=event, kind=kind, recipients=len(arrived))
        for kind in (
            EventReminder.Kind.DAY_BEFORE,
            EventReminder.Kind.FEEDBACK,
            EventReminder.Kind.FOLLOW_UP,
        )
    )
    _index(everyone)
    return len(everyone)


def _pick(shares: dict[str, float], rng: random.Random) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _feedback(
    event: Event,
    meetings: list[Meeting],
    everyone: list[Participant],
    admin: Participant | None,
    rng: random.Random,
    day: datetime.date,
) -> None:
    """Three in four rate right after the event; under half again six months on, when the
    outcomes have moved (some contacts went quiet, more agreements were reached)."""
    first_raters = {p.pk for p in everyone if rng.random() < 0.75}
    second_raters = {p.pk for p in everyone if p.pk in first_raters and rng.random() < 0.6}
    if admin is not None:
        first_raters.add(admin.pk)
        second_raters.discard(admin.pk)  # left for the demo account to give
    ratings = []
    for meeting in meetings:
        if meeting.status != Meeting.Status.HELD:
            continue
        for participant_id in (meeting.first_id, meeting.second_id):
            if participant_id in first_raters:
                first = _pick(FIRST_ROUND, rng)
                ratings.append(
                    MeetingFeedback(
                        meeting=meeting, participant_id=participant_id, round=1, outcome=first
                    )
                )
            if participant_id in second_raters:
                ratings.append(
                    MeetingFeedback(
                        meeting=meeting,
                        participant_id=participant_id,
                        round=2,
                        outcome=_pick(SECOND_ROUND, rng),
                    )
                )
    MeetingFeedback.objects.bulk_create(ratings)


def _upcoming_event(seed: int, operator: User | None, people: list[Person]) -> int:
    rng = random.Random(seed + 1)
    day = timezone.localdate() + datetime.timedelta(days=24)
    event = _event(
        slug=UPCOMING_SLUG,
        title_ko="판교 AI 반도체 파트너링 데이",
        title_en="Pangyo AI Semiconductor Partnering Day",
        description_ko=(
            "AI 반도체 설계, 검증, 패키징 분야의 기업과 연구자가 만나는 파트너링 데이입니다. "
            "등록하고 추천 파트너에게 미팅을 신청하세요. 온라인 참가도 가능합니다. (가상 데모 행사)"
        ),
        description_en=(
            "Companies and researchers in AI chip design, verification and packaging meet. "
            "Register, see your recommended partners and ask them for meetings; you can also "
            "join online. (A fictional demo event.)"
        ),
        day=day,
        deadlines=(
            _at(day - datetime.timedelta(days=10), 18),
            _at(day - datetime.timedelta(days=6), 18),
            _at(day - datetime.timedelta(days=3), 18),
        ),
        operator=operator,
    )
    slots = _slots(
        event,
        [
            ("오전 미팅", "Morning meetings", _at(day, 10), 6),
            ("오후 미팅", "Afternoon meetings", _at(day, 14), 6),
        ],
        breaks=set(),
    )
    Location.objects.bulk_create(
        [Location(event=event, kind="table", number=number) for number in range(1, 21)]
        + [
            Location(
                event=event,
                kind="online",
                number=number,
                link=f"https://meet.demo.example/pangyo-partnering-{number}",
            )
            for number in (1, 2)
        ]
    )
    RegistrationQuestion.objects.create(
        event=event,
        text_ko="관심 분야",
        text_en="Main interest",
        kind="choice",
        choices=["AI 반도체 / AI chips", "검증·DFT / Verification", "패키징 / Packaging"],
    )
    types = _types(event)
    # Some of the past event's participants come again, as in any cluster.
    chosen = rng.sample(people, min(UPCOMING_PARTICIPANTS, len(people)))
    participants, codes = _participants(
        event, chosen, _accounts(chosen), types, rng, timezone.now(), slots, sparse=0.3
    )
    _requests(
        event,
        participants,
        codes,
        (0, 3),
        rng,
        timezone.now(),
        accept_share=0.5,
        decline_share=0.05,
    )
    _index(participants)
    return len(participants)


@transaction.atomic
def load(seed: int) -> int:
    """Load both demo events (or find them loaded); returns the participants added."""
    demo_events = Event.objects.filter(slug__in=[PAST_SLUG, UPCOMING_SLUG])
    if demo_events.filter(participants__isnull=False).exists():
        return 0
    demo_events.delete()  # left empty by a reset of the directory's demo records
    people = list(
        Person.objects.filter(is_fictional=True, kind=Person.Kind.EXPERT, user__isnull=True)
        .select_related("organisation")
        .prefetch_related("tags")
        .order_by("pk")
    )
    people = [p for p in people if p.organisation is not None and p.organisation.is_approved]
    if len(people) < 10:
        return 0
    operator = User.objects.filter(
        is_operator=True, email__endswith="@sangsaeng.demo.example"
    ).first()
    added = _past_event(seed, operator, people)
    added += _upcoming_event(seed, operator, people)
    # Embed the new participants now, so that the snapshot the loader writes holds them.
    search_index().current()
    return added
