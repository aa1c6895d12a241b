"""Matchmaking events (매칭데이): the records of the events app.

An operator sets up an :class:`Event` with its :class:`Session` s (cut into meeting
:class:`Slot` s), its :class:`Location` s (numbered tables, rooms, online rooms with a link),
:class:`ParticipantType` s and :class:`RegistrationQuestion` s. People register as a
:class:`Participant` for one of their organisations, with a short profile,
:class:`MarketplaceItem` s (what they offer and look for) and the slots they are free in. They
send each other :class:`MeetingRequest` s; accepted ones become :class:`Meeting` s, booked by
the participants or placed by the scheduler (a :class:`SchedulingRun`). Each participant's
place in a meeting is an :class:`AgendaEntry`, so the database itself refuses anybody in two
meetings in one slot, as it refuses two meetings at one table in one slot. After the event each
participant rates each meeting twice (:class:`MeetingFeedback`: right after, six months on);
:class:`EventReminder` records which reminder mails went out.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from sangsaeng.core.i18n import localized
from sangsaeng.core.models import TimeStampedModel
from sangsaeng.directory.models import Organisation
from sangsaeng.matching.models import Match, Need


class Event(TimeStampedModel):
    """A matchmaking day: its page, dates, deadlines, and how its meetings are scheduled."""

    class SchedulingMode(models.TextChoices):
        SELF_BOOKING = "self_booking", _("participants book free slots themselves")
        ORGANISER = "organiser", _("the organiser runs the scheduler")

    class ParticipantList(models.TextChoices):
        PUBLIC = "public", _("public")
        MEMBERS = "members", _("cluster members and participants only")

    class ScheduleStatus(models.TextChoices):
        NONE = "none", _("no schedule yet")
        PROVISIONAL = "provisional", _("provisional schedule")
        FINAL = "final", _("final schedule")

    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    venue_ko = models.CharField(_("venue (Korean)"), max_length=300, blank=True)
    venue_en = models.CharField(_("venue (English)"), max_length=300, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    registration_deadline = models.DateTimeField(_("registration deadline"))
    request_deadline = models.DateTimeField(_("deadline for meeting requests"))
    schedule_deadline = models.DateTimeField(_("final schedule by"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    scheduling_mode = models.CharField(
        _("scheduling"),
        max_length=16,
        choices=SchedulingMode.choices,
        default=SchedulingMode.ORGANISER,
    )
    participant_list = models.CharField(
        _("participant list"),
        max_length=16,
        choices=ParticipantList.choices,
        default=ParticipantList.PUBLIC,
    )
    is_published = models.BooleanField(_("published"), default=False)
    schedule_status = models.CharField(
        _("schedule"), max_length=16, choices=ScheduleStatus.choices, default=ScheduleStatus.NONE
    )
    schedule_published_at = models.DateTimeField(
        _("final schedule published at"), null=True, blank=True
    )
    finished_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("matchmaking event")
        verbose_name_plural = _("matchmaking events")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scheduling_mode__in=["self_booking", "organiser"]),
                name="event_scheduling_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(participant_list__in=["public", "members"]),
                name="event_participant_list_valid",
            ),
            models.CheckConstraint(
                condition=Q(schedule_status__in=["none", "provisional", "final"]),
                name="event_schedule_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="event_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(request_deadline__lte=F("schedule_deadline")),
                name="event_requests_close_before_the_schedule",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.title_ko, self.title_en)

    @property
    def description(self) -> str:
        return localized(self.description_ko, self.description_en)

    @property
    def venue(self) -> str:
        return localized(self.venue_ko, self.venue_en)

    @property
    def is_self_booking(self) -> bool:
        return self.scheduling_mode == self.SchedulingMode.SELF_BOOKING

    @property
    def schedule_is_final(self) -> bool:
        return self.schedule_status == self.ScheduleStatus.FINAL

    @property
    def is_members_only(self) -> bool:
        return self.participant_list == self.ParticipantList.MEMBERS

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.slug])


class Session(models.Model):
    """A block of meetings (a morning, an afternoon), cut into slots of ``meeting_minutes``."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    title_ko = models.CharField(_("title (Korean)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=20)
    pause_minutes = models.PositiveSmallIntegerField(
        _("pause between meetings (minutes)"), default=0
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=5) & Q(meeting_minutes__lte=240),
                name="session_meeting_length_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.title_ko, self.title_en)


class Slot(models.Model):
    """One meeting time of a session; ``position`` orders the event's slots in time."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="slots", verbose_name=_("event")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="slots", verbose_name=_("session")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    position = models.PositiveIntegerField(_("position"))
    is_break = models.BooleanField(_("break"), default=False)

    class Meta:
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="one_slot_per_start"),
            models.UniqueConstraint(fields=["event", "position"], name="one_slot_per_position"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.starts_at:%Y-%m-%d %H:%M}"


class Location(models.Model):
    """Where a meeting takes place: a numbered table, a room, or an online room by link."""

    class Kind(models.TextChoices):
        TABLE = "table", _("table")
        ROOM = "room", _("room")
        ONLINE = "online", _("online room")

    ON_SITE = (Kind.TABLE, Kind.ROOM)

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="locations", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TABLE)
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    link = models.URLField(_("meeting link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("table or room")
        verbose_name_plural = _("tables and rooms")
        ordering = ["kind", "number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["table", "room", "online"]), name="location_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["event", "kind", "number"], name="one_location_per_number"
            ),
            # An online room is nothing without its link.
            models.CheckConstraint(
                condition=~Q(kind="online") | ~Q(link=""), name="online_location_has_link"
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def is_online(self) -> bool:
        return self.kind == self.Kind.ONLINE

    @property
    def venue(self) -> str:
        """The scheduler's kind of place: ``online``, or ``table`` for tables and rooms."""
        return "online" if self.is_online else "table"

    @property
    def label(self) -> str:
        """ "Table 12" ("12번 테이블"), "Room 3", "Online room 2", or the name given."""
        if self.name:
            return self.name
        if self.kind == self.Kind.TABLE:
            return pgettext("place", "Table %(number)s") % {"number": self.number}
        if self.kind == self.Kind.ROOM:
            return pgettext("place", "Room %(number)s") % {"number": self.number}
        return pgettext("place", "Online room %(number)s") % {"number": self.number}


class ParticipantType(models.Model):
    """A kind of participant the organiser expects (company, university, investor …)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participant_types", verbose_name=_("event")
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("participant type")
        verbose_name_plural = _("participant types")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name_ko"], name="one_participant_type_name"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="participant_type_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_ko, self.name_en)


class RegistrationQuestion(models.Model):
    """A question the organiser asks every registrant (text, a choice, or yes/no)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        CHOICE = "choice", _("one of several choices")
        YES_NO = "yes_no", _("yes or no")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="questions", verbose_name=_("event")
    )
    text_ko = models.CharField(_("question (Korean)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    is_required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["text", "choice", "yes_no"]),
                name="registration_question_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localized(self.text_ko, self.text_en)


def new_check_in_token() -> str:
    return secrets.token_urlsafe(16)


class Participant(TimeStampedModel):
    """A person registered for an event for one of their organisations."""

    class Attendance(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        ONLINE = "online", _("online")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_participations",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="event_participants",
        verbose_name=_("organisation"),
    )
    participant_type = models.ForeignKey(
        ParticipantType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("participant type"),
    )
    # The name shown to others: typed at registration, never the account's e-mail address.
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    profile = models.TextField(_("event profile"), blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=16, choices=Attendance.choices, default=Attendance.ON_SITE
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    available_slots = models.ManyToManyField(
        Slot, blank=True, related_name="available_participants", verbose_name=_("available in")
    )
    max_meetings = models.PositiveSmallIntegerField(_("at most meetings"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    consented_at = models.DateTimeField(_("agreed to be listed at"))
    check_in_token = models.CharField(
        max_length=40, unique=True, default=new_check_in_token, editable=False
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_user"),
            models.CheckConstraint(
                condition=Q(attendance__in=["on_site", "online"]),
                name="participant_attendance_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["registered", "cancelled"]), name="participant_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def is_registered(self) -> bool:
        return self.status == self.Status.REGISTERED

    @property
    def is_online(self) -> bool:
        return self.attendance == self.Attendance.ONLINE

    @property
    def is_checked_in(self) -> bool:
        return self.checked_in_at is not None

    def get_absolute_url(self) -> str:
        return reverse("events:participant_detail", args=[self.event.slug, self.pk])


class MarketplaceItem(models.Model):
    """What a participant offers or looks for at the event (possibly pulled in from a need)."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("offers")
        LOOKING_FOR = "looking_for", _("looks for")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="items", verbose_name=_("participant")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    need = models.ForeignKey(
        Need,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_items",
        verbose_name=_("from the need or offer"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("marketplace item")
        verbose_name_plural = _("marketplace items")
        ordering = ["-kind", "order", "id"]  # offers first
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["offer", "looking_for"]), name="marketplace_item_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["participant", "need"],
                condition=Q(need__isnull=False),
                name="one_item_per_pulled_need",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MeetingRequest(TimeStampedModel):
    """One participant asks another for a meeting; one request per pair, either way round."""

    class Priority(models.TextChoices):
        MUST = "must", _("must meet")
        LIKE = "like", _("would like to meet")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", _("withdrawn")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="requests", verbose_name=_("event")
    )
    requester = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="requests_sent",
        verbose_name=_("from"),
    )
    requested = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="requests_received",
        verbose_name=_("to"),
    )
    message = models.TextField(_("message"))
    requester_priority = models.CharField(
        _("priority of the sender"), max_length=8, choices=Priority.choices, default=Priority.LIKE
    )
    requested_priority = models.CharField(
        _("priority of the receiver"), max_length=8, choices=Priority.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    answer_note = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("requested")), name="meeting_request_not_to_oneself"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined", "cancelled"]),
                name="meeting_request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(requester_priority__in=["must", "like"]),
                name="meeting_request_priority_valid",
            ),
            models.CheckConstraint(
                condition=Q(requested_priority__in=["", "must", "like"]),
                name="meeting_request_answer_priority_valid",
            ),
            models.UniqueConstraint(
                Least("requester", "requested"),
                Greatest("requester", "requested"),
                name="one_meeting_request_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.requester_id} → {self.requested_id} ({self.status})"

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    def other_side(self, participant: Participant) -> Participant:
        return self.requested if participant.pk == self.requester_id else self.requester


class Meeting(TimeStampedModel):
    """A meeting of two participants in one slot at one table, room or online room."""

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("provisional")
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        NO_SHOW = "no_show", _("no-show")
        CANCELLED = "cancelled", _("cancelled")

    class Origin(models.TextChoices):
        SCHEDULER = "scheduler", _("placed by the scheduler")
        BOOKED = "booked", _("booked by a participant")
        REBOOKED = "rebooked", _("booked on the day in a freed slot")

    ACTIVE = (Status.PROVISIONAL, Status.SCHEDULED, Status.HELD)

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("event")
    )
    request = models.ForeignKey(
        MeetingRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("request"),
    )
    first = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    second = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    # The services refuse to remove a slot or a place that has meetings; an event's removal
    # takes everything with it.
    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("slot")
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("place")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    origin = models.CharField(
        _("origin"), max_length=16, choices=Origin.choices, default=Origin.SCHEDULER
    )
    absent = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("did not come"),
    )
    follow_up = models.ForeignKey(
        Match,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_meetings",
        verbose_name=_("carried on as a match"),
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot__position", "location__number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(first=F("second")), name="meeting_of_two_participants"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["provisional", "scheduled", "held", "no_show", "cancelled"]
                ),
                name="meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(origin__in=["scheduler", "booked", "rebooked"]),
                name="meeting_origin_valid",
            ),
            # The database refuses a double booking of a table in a slot.
            models.UniqueConstraint(
                fields=["slot", "location"],
                condition=Q(status__in=["provisional", "scheduled", "held"]),
                name="one_meeting_per_table_and_slot",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=["provisional", "scheduled", "held"]),
                name="one_active_meeting_per_request",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.first_id} & {self.second_id} @ {self.slot_id}/{self.location_id}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def partner_of(self, participant: Participant) -> Participant:
        return self.second if participant.pk == self.first_id else self.first

    def includes(self, participant: Participant) -> bool:
        return participant.pk in (self.first_id, self.second_id)


class AgendaEntry(models.Model):
    """A participant's place in an active meeting: at most one per participant and slot.

    Entries exist only while the meeting is active; a no-show or a cancellation deletes them,
    which frees both participants' slot.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="entries", verbose_name=_("meeting")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("participant")
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="+", verbose_name=_("slot")
    )

    class Meta:
        verbose_name = _("agenda entry")
        verbose_name_plural = _("agenda entries")
        ordering = ["slot__position", "id"]
        constraints = [
            # The database refuses a double booking of a participant in a slot.
            models.UniqueConstraint(
                fields=["participant", "slot"], name="one_meeting_per_participant_and_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.slot_id}"


class MeetingFeedback(models.Model):
    """A participant's rating of one meeting: right after the event, and six months on."""

    class Round(models.IntegerChoices):
        AFTER_EVENT = 1, _("right after the event")
        SIX_MONTHS = 2, _("six months later")

    class Outcome(models.TextChoices):
        NO_FURTHER_CONTACT = "no_further_contact", _("no further contact")
        VALUABLE_CONTACT = "valuable_contact", _("valuable contact")
        NEGOTIATION = "negotiation_started", _("negotiation started")
        AGREEMENT = "agreement_reached", _("agreement reached")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("meeting")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("participant"),
    )
    round = models.PositiveSmallIntegerField(_("round"), choices=Round.choices)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting feedback")
        verbose_name_plural = _("meeting feedback")
        ordering = ["meeting", "round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant", "round"], name="one_rating_per_round"
            ),
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="feedback_round_valid"),
            models.CheckConstraint(
                condition=Q(
                    outcome__in=[
                        "no_further_contact",
                        "valuable_contact",
                        "negotiation_started",
                        "agreement_reached",
                    ]
                ),
                name="feedback_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} by {self.participant_id}: {self.outcome} ({self.round})"


class SchedulingRun(models.Model):
    """One background run of the scheduler over an event, polled by the organiser's page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="runs", verbose_name=_("event")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=32, blank=True)
    requested = models.PositiveIntegerField(_("meetings requested"), default=0)
    scheduled = models.PositiveIntegerField(_("meetings scheduled"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduling run")
        verbose_name_plural = _("scheduling runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="scheduling_run_status_valid",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="scheduling_run_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.status} {self.progress}%"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def gap_percent(self) -> float | None:
        """How far the schedule's weight is below the LP bound, in per cent."""
        gap = (self.summary or {}).get("gap_to_lp_bound")
        return None if gap is None else 100 * float(gap)


class EventReminder(models.Model):
    """A reminder mail that went out for an event (each kind once)."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", _("the day before")
        FEEDBACK = "feedback", _("rate your meetings")
        FOLLOW_UP = "follow_up", _("six months on")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event reminder")
        verbose_name_plural = _("event reminders")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="one_reminder_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["day_before", "feedback", "follow_up"]),
                name="event_reminder_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.kind}"
