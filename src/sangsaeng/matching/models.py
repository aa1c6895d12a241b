"""Needs and offers, the matches the engine suggests for them, and the contact workflow.

A :class:`Need` is what an organisation posts: a technology request or an R&D partner search
(needs), or a capability or equipment to share (offers). The engine suggests :class:`Match`
records for it (experts or organisations); each match walks one small workflow

    suggested → requested → accepted | declined | lapsed,  accepted → project

A request reaches whoever answers for the party (:class:`Match.Route`) and lapses on
``lapses_at`` if nobody answers by then.

recorded step by step in :class:`MatchEvent`. An accepted match has a conversation
(:class:`ConversationMessage`) and may become a :class:`JointProject`. A
:class:`MatchingRun` reports a background matching job's progress to the page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.i18n import interpolate
from sangsaeng.core.limits import MEDIUM_TEXT, BoundedTextField
from sangsaeng.core.models import TimeStampedModel
from sangsaeng.directory.models import Organisation, Person, TaxonomyTerm
from sangsaeng.matching.parties import Party

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class Need(TimeStampedModel):
    """A need or an offer posted by an organisation."""

    class Kind(models.TextChoices):
        TECHNOLOGY_REQUEST = "technology_request", _("technology request")
        PARTNER_SEARCH = "partner_search", _("R&D partner search")
        CAPABILITY_OFFER = "capability_offer", _("capability offer")
        EQUIPMENT_OFFER = "equipment_offer", _("equipment to share")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        MEMBERS = "members", _("cluster members only")
        CONFIDENTIAL = "confidential", _("confidential")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    OFFER_KINDS = (Kind.CAPABILITY_OFFER, Kind.EQUIPMENT_OFFER)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="needs", verbose_name=_("organisation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="needs",
        verbose_name=_("posted by"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = BoundedTextField(_("description"), help_text=_("In Korean or English."))
    summary = models.CharField(
        _("public summary"),
        max_length=500,
        blank=True,
        help_text=_("What matched experts see of a confidential need."),
    )
    tags = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="needs", verbose_name=_("capabilities")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    attachment = models.FileField(
        _("attachment"), upload_to="needs/%Y/%m/", blank=True, max_length=300
    )
    for_students = models.BooleanField(
        _("for students"),
        default=False,
        help_text=_(
            "Students of the cluster's universities may read it and tell you of their "
            "interest, even when it is for cluster members only."
        ),
    )
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    class Meta:
        verbose_name = _("need or offer")
        verbose_name_plural = _("needs and offers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "technology_request",
                        "partner_search",
                        "capability_offer",
                        "equipment_offer",
                    ]
                ),
                name="need_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members", "confidential"]),
                name="need_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="need_status_valid"
            ),
            # A confidential need is only ever shown to others through its summary.
            models.CheckConstraint(
                condition=~Q(visibility="confidential") | ~Q(summary=""),
                name="confidential_need_has_summary",
            ),
        ]
        indexes = [models.Index(fields=["status", "visibility"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_offer(self) -> bool:
        return self.kind in self.OFFER_KINDS

    @property
    def is_confidential(self) -> bool:
        return self.visibility == self.Visibility.CONFIDENTIAL

    @property
    def label_for_others(self) -> str:
        """What may be said of this need to someone who may not read its text."""
        return self.summary if self.is_confidential else self.title

    def get_absolute_url(self) -> str:
        return reverse("matching:need_detail", args=[self.pk])


class MatchingRun(models.Model):
    """One background computation of a need's suggested matches, polled by its page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="runs", verbose_name=_("need")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    suggestions = models.PositiveIntegerField(_("suggestions found"), default=0)
    error = models.TextField(_("error"), blank=True)
    # The change-log entry the index had applied: later directory changes call for a new run.
    index_position = models.BigIntegerField(_("index position"), default=0)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="matching_run_status_valid",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="matching_run_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id}: {self.status} {self.progress}%"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Match(TimeStampedModel):
    """A suggested partner for a need: an expert or an organisation, and where contact stands."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("suggested")
        REQUESTED = "requested", _("contact requested")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        LAPSED = "lapsed", _("lapsed")
        PROJECT = "project", _("joint project")

    class Route(models.TextChoices):
        """Who a contact request reached: the party never goes unanswered for lack of an account."""

        ACCOUNT = "account", _("the expert's own account")
        CLAIM_INVITATION = "claim_invitation", _("an invitation by e-mail to claim their profile")
        ORGANISATION_ADMINS = "organisation_admins", _("their organisation's admins")
        CLUSTER_OFFICE = "cluster_office", _("the cluster office, which passes it on")

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="matches", verbose_name=_("need")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("expert"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("organisation"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SUGGESTED
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    request_message = BoundedTextField(_("message"), max_length=MEDIUM_TEXT, blank=True)
    interest_expressed_at = models.DateTimeField(_("interest expressed at"), null=True, blank=True)
    routed_to = models.CharField(
        _("request sent to"), max_length=24, choices=Route.choices, blank=True
    )
    lapses_at = models.DateTimeField(_("lapses at"), null=True, blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["need", "rank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "suggested",
                        "requested",
                        "accepted",
                        "declined",
                        "lapsed",
                        "project",
                    ]
                ),
                name="match_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    routed_to__in=[
                        "",
                        "account",
                        "claim_invitation",
                        "organisation_admins",
                        "cluster_office",
                    ]
                ),
                name="match_route_valid",
            ),
            # A request waiting for an answer always says when it lapses.
            models.CheckConstraint(
                condition=~Q(state="requested") | Q(lapses_at__isnull=False),
                name="requested_match_lapses",
            ),
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organisation__isnull=True))
                | (Q(person__isnull=True) & Q(organisation__isnull=False)),
                name="match_has_one_party",
            ),
            models.UniqueConstraint(
                fields=["need", "person"],
                condition=Q(person__isnull=False),
                name="one_match_per_need_and_person",
            ),
            models.UniqueConstraint(
                fields=["need", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_match_per_need_and_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} → {self.party.name}"

    @property
    def party(self) -> Party:
        """The expert or organisation this match is with."""
        return Party.from_match(self)

    @property
    def has_conversation(self) -> bool:
        return self.state in (self.State.ACCEPTED, self.State.PROJECT)

    def get_absolute_url(self) -> str:
        return reverse("matching:match_detail", args=[self.pk])

    @property
    def route_sentence(self) -> str:
        """Where the request went, for its sender (never an address: only who answers)."""
        sentences = {
            self.Route.ACCOUNT: gettext("Your request went to %(party)s."),
            self.Route.CLAIM_INVITATION: gettext(
                "%(party)s has no account yet: your request went to them by e-mail, with an "
                "invitation to claim their profile and answer."
            ),
            self.Route.ORGANISATION_ADMINS: gettext(
                "%(party)s cannot be reached directly: your request went to the admins of "
                "their organisation, who answer for them."
            ),
            self.Route.CLUSTER_OFFICE: gettext(
                "Nobody answers for %(party)s on the platform yet: your request went to the "
                "cluster office, which passes it on."
            ),
        }
        sentence = sentences.get(self.routed_to)  # type: ignore[call-overload]
        return interpolate(sentence, {"party": self.party.name}) if sentence else ""

    @property
    def answer_note(self) -> str:
        """The note the party gave with its answer ("" if none; the events are prefetched)."""
        for event in self.events.all():
            if event.to_state in (self.State.ACCEPTED, self.State.DECLINED) and event.note:
                return event.note
        return ""


class MatchEvent(models.Model):
    """One step of a match's workflow: who moved it from which state to which, and when."""

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="events", verbose_name=_("match")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_state = models.CharField(_("from"), max_length=16, blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=Match.State.choices)
    note = BoundedTextField(_("note"), max_length=MEDIUM_TEXT, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("match event")
        verbose_name_plural = _("match events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.from_state} → {self.to_state}"


class ConversationMessage(models.Model):
    """A message in the conversation an accepted match opens between the two sides."""

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="messages", verbose_name=_("match")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = BoundedTextField(_("message"), max_length=MEDIUM_TEXT)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.body[:40]}"


class JointProject(TimeStampedModel):
    """The collaboration an accepted match turned into."""

    match = models.OneToOneField(
        Match, on_delete=models.CASCADE, related_name="project", verbose_name=_("match")
    )
    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("start date"))
    outcome = BoundedTextField(_("outcome"), max_length=MEDIUM_TEXT, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="joint_projects",
        verbose_name=_("participants"),
    )

    class Meta:
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matching:project_detail", args=[self.pk])
