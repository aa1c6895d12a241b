"""The operators' Django admin for the directory: every model, searchable and filterable."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.admin import OperatorAdmin, OperatorStackedInline, OperatorTabularInline
from sangsaeng.directory import services
from sangsaeng.directory.models import (
    Agreement,
    Commitment,
    CommitmentUpdate,
    Indicator,
    Organisation,
    Person,
    ProfileClaim,
    Publication,
    TaxonomyTerm,
)


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(OperatorAdmin):
    list_display = ("code", "name_ko", "name_en", "parent", "order")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("code", "name_ko", "name_en")
    autocomplete_fields = ("parent",)
    ordering = ("order", "code")


@admin.register(Organisation)
class OrganisationAdmin(OperatorAdmin):
    list_display = ("name_ko", "name_en", "kind", "status", "city", "is_fictional", "created_at")
    list_filter = ("status", "kind", "is_fictional", "tags")
    search_fields = ("name_ko", "name_en", "slug", "description_ko", "description_en")
    prepopulated_fields = {"slug": ("name_en",)}
    filter_horizontal = ("tags",)
    readonly_fields = (
        "created_at",
        "updated_at",
        "created_by",
        "decided_at",
        "decided_by",
        "decision_reason",
    )
    # Rejecting takes a reason the registrant is told: it is done on the approval queue.
    actions = ["approve_selected"]
    date_hierarchy = "created_at"

    @admin.action(description=_("Approve the selected organisations"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        for organisation in queryset:
            services.organisation_decide(
                actor=request.user, organisation=organisation, approve=True
            )


class PublicationInline(OperatorTabularInline):
    model = Publication
    extra = 0
    fields = ("kind", "title", "year", "link", "order")


@admin.register(Person)
class PersonAdmin(OperatorAdmin):
    list_display = ("name_ko", "name_en", "kind", "organisation", "is_public", "is_fictional")
    list_filter = ("kind", "is_public", "is_fictional", "tags")
    search_fields = ("name_ko", "name_en", "email", "profile_text", "slug")
    autocomplete_fields = ("organisation", "user")
    filter_horizontal = ("tags",)
    inlines = [PublicationInline]


@admin.register(Publication)
class PublicationAdmin(OperatorAdmin):
    list_display = ("title", "kind", "year", "person")
    list_filter = ("kind", "year")
    search_fields = ("title", "abstract", "person__name_ko", "person__name_en")
    autocomplete_fields = ("person",)


class CommitmentInline(OperatorStackedInline):
    model = Commitment
    extra = 0
    fields = ("order", "title_ko", "title_en", "owner", "status")
    autocomplete_fields = ("owner",)
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(OperatorAdmin):
    list_display = ("title_ko", "title_en", "signed_on", "is_public", "is_fictional")
    list_filter = ("is_public", "is_fictional", "signed_on")
    search_fields = ("title_ko", "title_en", "summary_ko", "summary_en", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    filter_horizontal = ("parties",)
    date_hierarchy = "signed_on"
    inlines = [CommitmentInline]


class IndicatorInline(OperatorTabularInline):
    model = Indicator
    extra = 0


class CommitmentUpdateInline(OperatorTabularInline):
    model = CommitmentUpdate
    extra = 0
    fields = ("reported_on", "status", "note_ko", "note_en", "author")
    readonly_fields = ("author",)


@admin.register(Commitment)
class CommitmentAdmin(OperatorAdmin):
    list_display = ("title_ko", "agreement", "owner", "status")
    list_filter = ("status", ("owner", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title_ko", "title_en", "agreement__title_ko", "agreement__title_en")
    autocomplete_fields = ("agreement", "owner")
    inlines = [IndicatorInline, CommitmentUpdateInline]


@admin.register(Indicator)
class IndicatorAdmin(OperatorAdmin):
    list_display = ("name_ko", "commitment", "value", "target", "unit_ko", "unit_en")
    search_fields = ("name_ko", "name_en", "commitment__title_ko")
    autocomplete_fields = ("commitment",)


@admin.register(CommitmentUpdate)
class CommitmentUpdateAdmin(OperatorAdmin):
    list_display = ("commitment", "reported_on", "status", "author")
    list_filter = ("status", "reported_on")
    search_fields = ("note_ko", "note_en", "commitment__title_ko", "commitment__title_en")
    autocomplete_fields = ("commitment",)
    date_hierarchy = "reported_on"


@admin.register(ProfileClaim)
class ProfileClaimAdmin(OperatorAdmin):
    """Invitations to claim a profile: what was sent, when, and whether it was claimed."""

    list_display = ("person", "created_at", "expires_at", "claimed_at", "claimed_by")
    list_filter = (("claimed_at", admin.EmptyFieldListFilter),)
    search_fields = ("person__name_ko", "person__name_en")
    readonly_fields = (
        "person",
        "email",
        "created_at",
        "expires_at",
        "created_by",
        "claimed_at",
        "claimed_by",
    )
    exclude = ("token_hash",)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False
