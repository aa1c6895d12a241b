"""Forms of the events pages: they parse input; the services validate the rules and save."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.i18n import localized
from sangsaeng.directory.models import Organisation
from sangsaeng.events.models import (
    Event,
    Location,
    MarketplaceItem,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    ParticipantType,
    RegistrationQuestion,
    Slot,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
ITEM_ROWS = 3


class DateTimeLocalField(forms.DateTimeField):
    """A date and time typed in Seoul time (``<input type="datetime-local">``)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
        super().__init__(**kwargs)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventForm(forms.Form):
    """Set up or change an event (the service checks dates against each other)."""

    slug = forms.SlugField(
        label=_("Short name (web address)"),
        max_length=100,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the English title when empty."),
    )
    title_ko = forms.CharField(label=_("Title (Korean)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_ko = forms.CharField(
        label=_("Description (Korean)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    venue_ko = forms.CharField(label=_("Venue (Korean)"), max_length=300, required=False)
    venue_en = forms.CharField(label=_("Venue (English)"), max_length=300, required=False)
    starts_on = forms.DateField(label=_("First day"), widget=_date_input(), required=False)
    ends_on = forms.DateField(label=_("Last day"), widget=_date_input(), required=False)
    registration_deadline = DateTimeLocalField(label=_("Registration deadline"), required=False)
    request_deadline = DateTimeLocalField(label=_("Deadline for meeting requests"), required=False)
    schedule_deadline = DateTimeLocalField(
        label=_("Final schedule by"),
        required=False,
        help_text=_("When participants book their own meetings, bookings close then."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )
    scheduling_mode = forms.ChoiceField(
        label=_("Scheduling"),
        choices=Event.SchedulingMode.choices,
        widget=forms.RadioSelect,
        initial=Event.SchedulingMode.ORGANISER,
    )
    participant_list = forms.ChoiceField(
        label=_("Participant list"),
        choices=Event.ParticipantList.choices,
        widget=forms.RadioSelect,
        initial=Event.ParticipantList.PUBLIC,
        help_text=_("Members-only lists stay members-only in search and in the API too."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["slug"]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("slug", None)
        for name in ("title_ko", "title_en", "description_ko", "description_en"):
            data[name] = data.get(name) or ""
        return data


class SessionForm(forms.Form):
    title_ko = forms.CharField(label=_("Title (Korean)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    day = forms.DateField(label=_("Day"), widget=_date_input())
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    meeting_minutes = forms.IntegerField(label=_("Meeting length (minutes)"), initial=20)
    pause_minutes = forms.IntegerField(
        label=_("Pause between meetings (minutes)"), initial=0, required=False
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()

        def moment(time: datetime.time) -> datetime.datetime:
            return datetime.datetime.combine(data["day"], time, tzinfo=zone)

        return {
            "title_ko": data.get("title_ko") or "",
            "title_en": data.get("title_en") or "",
            "starts_at": moment(data["starts"]),
            "ends_at": moment(data["ends"]),
            "meeting_minutes": data["meeting_minutes"],
            "pause_minutes": data.get("pause_minutes") or 0,
        }


class LocationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Location.Kind.choices)
    count = forms.IntegerField(label=_("How many"), initial=1, min_value=1, max_value=500)
    name = forms.CharField(
        label=_("Name (optional)"), max_length=100, required=False, help_text=_("For one room.")
    )
    link = forms.URLField(
        label=_("Meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("For an online room: the video-call address people join by."),
    )


class ParticipantTypeForm(forms.Form):
    name_ko = forms.CharField(label=_("Name (Korean)"), max_length=100, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, required=False)


class QuestionForm(forms.Form):
    text_ko = forms.CharField(label=_("Question (Korean)"), max_length=300, required=False)
    text_en = forms.CharField(label=_("Question (English)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Answer"), choices=RegistrationQuestion.Kind.choices)
    choices = forms.CharField(
        label=_("Choices, one per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    is_required = forms.BooleanField(label=_("An answer is required"), required=False)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = [line for line in (data.get("choices") or "").splitlines()]
        return data


class SlotChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, slot: Slot) -> str:  # type: ignore[override]
        start = timezone.localtime(slot.starts_at)
        end = timezone.localtime(slot.ends_at)
        return f"{start:%m-%d %H:%M}–{end:%H:%M}"


class NeedChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, need: Any) -> str:  # type: ignore[override]
        return f"{need.get_kind_display()}: {need.label_for_others}"


class RegistrationForm(forms.Form):
    """Register for an event, or change a registration: who, profile, items, availability,
    the organiser's questions. Fields for each question are added as ``question_<id>``."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    participant_type = forms.ModelChoiceField(
        label=_("Participant type"),
        queryset=ParticipantType.objects.none(),
        required=False,
        empty_label=_("Choose the one that fits (optional)"),
    )
    name = forms.CharField(label=_("Your name as others see it"), max_length=150, required=False)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    profile = forms.CharField(
        label=_("Event profile"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("A few sentences, in Korean or English: who you are and why you come."),
    )
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=Participant.Attendance.choices,
        widget=forms.RadioSelect,
        initial=Participant.Attendance.ON_SITE,
    )
    available_slots = SlotChoiceField(
        label=_("Slots you are free in"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )
    max_meetings = forms.IntegerField(
        label=_("At most this many meetings"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Empty: as many as fit."),
    )
    needs = NeedChoiceField(
        label=_("Pull in your needs and offers from the platform"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "List my name, organisation, profile, offers and wishes in the participant list "
            "(as the organiser chose: public or members only). My e-mail address is never shown."
        ),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        event: Event,
        slots: Iterable[Slot],
        types: Iterable[ParticipantType],
        questions: Iterable[RegistrationQuestion],
        organisations: Any = None,
        needs: Any = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        slot_ids = [slot.pk for slot in slots if not slot.is_break]
        self.fields["available_slots"].queryset = Slot.objects.filter(  # type: ignore[attr-defined]
            pk__in=slot_ids
        ).order_by("position")
        types = list(types)
        if types:
            self.fields["participant_type"].queryset = ParticipantType.objects.filter(  # type: ignore[attr-defined]
                pk__in=[t.pk for t in types]
            )
            self.fields["participant_type"].label_from_instance = lambda t: t.name  # type: ignore[attr-defined]
        else:
            del self.fields["participant_type"]
        if editing:
            del self.fields["organisation"]
            del self.fields["consent"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["needs"].queryset = needs  # type: ignore[attr-defined]
        if not needs:
            del self.fields["needs"]
        self.question_fields: list[str] = []
        for question in questions:
            name = f"question_{question.pk}"
            label = localized(question.text_ko, question.text_en)
            if question.kind == RegistrationQuestion.Kind.CHOICE:
                field: forms.Field = forms.ChoiceField(
                    label=label,
                    choices=[("", "—"), *[(c, c) for c in question.choices]],
                    required=False,
                )
            elif question.kind == RegistrationQuestion.Kind.YES_NO:
                field = forms.ChoiceField(
                    label=label,
                    choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
                    required=False,
                )
            else:
                field = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
            if question.is_required:
                field.label = f"{label} *"
            self.fields[name] = field
            self.question_fields.append(name)
        for kind in (MarketplaceItem.Kind.OFFER, MarketplaceItem.Kind.LOOKING_FOR):
            for row in range(1, ITEM_ROWS + 1):
                self.fields[f"{kind}_title_{row}"] = forms.CharField(
                    label=_("Title"), max_length=300, required=False
                )
                self.fields[f"{kind}_description_{row}"] = forms.CharField(
                    label=_("Details"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def item_rows(self, kind: str) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"{kind}_title_{row}"], self[f"{kind}_description_{row}"])
            for row in range(1, ITEM_ROWS + 1)
        ]

    @property
    def offer_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return self.item_rows(MarketplaceItem.Kind.OFFER)

    @property
    def wish_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return self.item_rows(MarketplaceItem.Kind.LOOKING_FOR)

    @property
    def questions(self) -> list[forms.BoundField]:
        return [self[name] for name in self.question_fields]

    @staticmethod
    def initial_for(participant: Participant) -> dict[str, Any]:
        """The form's values for an existing registration."""
        initial: dict[str, Any] = {
            "participant_type": participant.participant_type_id,
            "name": participant.name,
            "position": participant.position,
            "profile": participant.profile,
            "attendance": participant.attendance,
            "max_meetings": participant.max_meetings,
            "available_slots": [slot.pk for slot in participant.available_slots.all()],
            "needs": [item.need_id for item in participant.items.all() if item.need_id],
        }
        for key, value in (participant.answers or {}).items():
            initial[f"question_{key}"] = value
        rows: dict[str, int] = {}
        for item in participant.items.all():
            if item.need_id:
                continue
            row = rows[item.kind] = rows.get(item.kind, 0) + 1
            if row <= ITEM_ROWS:
                initial[f"{item.kind}_title_{row}"] = item.title
                initial[f"{item.kind}_description_{row}"] = item.description
        return initial

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        items = [
            {
                "kind": kind,
                "title": data.get(f"{kind}_title_{row}") or "",
                "description": data.get(f"{kind}_description_{row}") or "",
            }
            for kind in (MarketplaceItem.Kind.OFFER, MarketplaceItem.Kind.LOOKING_FOR)
            for row in range(1, ITEM_ROWS + 1)
        ]
        arguments = {
            "participant_type": data.get("participant_type"),
            "name": data.get("name") or "",
            "position": data.get("position") or "",
            "profile": data.get("profile") or "",
            "attendance": data.get("attendance") or "",
            "max_meetings": data.get("max_meetings"),
            "available_slots": list(data.get("available_slots") or []),
            "needs": list(data.get("needs") or []),
            "items": items,
            "answers": {name: data.get(name) or "" for name in self.question_fields},
        }
        if "organisation" in self.fields:
            arguments["organisation"] = data["organisation"]
            arguments["consent"] = bool(data.get("consent"))
        return arguments


class MeetingRequestForm(forms.Form):
    requested = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=MeetingRequest.Priority.choices,
        initial=MeetingRequest.Priority.LIKE,
        widget=forms.RadioSelect,
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=MeetingRequest.Priority.choices,
        initial=MeetingRequest.Priority.LIKE,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class SlotForm(forms.Form):
    slot = forms.IntegerField()


class MoveForm(forms.Form):
    slot = forms.IntegerField()
    location = forms.IntegerField(required=False)


class RebookForm(forms.Form):
    request = forms.IntegerField()
    slot = forms.IntegerField()


class AbsentForm(forms.Form):
    absent = forms.IntegerField()


class FollowUpForm(forms.Form):
    message = forms.CharField(
        label=_("What would you like to do together?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class FeedbackForm(forms.Form):
    """One outcome and comment per held meeting (``outcome_<id>``, ``comment_<id>``)."""

    def __init__(self, *args: Any, meeting_ids: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting_ids = list(meeting_ids)
        for meeting_id in self.meeting_ids:
            self.fields[f"outcome_{meeting_id}"] = forms.ChoiceField(
                label=_("What came of it"),
                choices=MeetingFeedback.Outcome.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"comment_{meeting_id}"] = forms.CharField(
                label=_("Comment (only the organiser reads it)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def ratings(self) -> dict[int, tuple[str, str]]:
        """The meetings rated in this form (those without an outcome are left as they are)."""
        return {
            meeting_id: (
                self.cleaned_data.get(f"outcome_{meeting_id}") or "",
                self.cleaned_data.get(f"comment_{meeting_id}") or "",
            )
            for meeting_id in self.meeting_ids
            if self.cleaned_data.get(f"outcome_{meeting_id}")
        }
