"""Users, their memberships in organisations, and invitations to join one.

Roles: an *operator* (cluster office or city staff) has ``is_operator``; an
organisation *admin* or *member* holds a ``Membership``; an *expert* or *student*
is a user with a directory ``Person`` profile of that kind.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.i18n import localized


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    is_operator = models.BooleanField(
        _("cluster operator"),
        default=False,
        help_text=_("Operators run programs and events, approve members and see all records."),
    )
    # The language the user last used the site in: their mails are written in it.
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        # Not "user(s)": Django's own catalogue translates those words with a placeholder.
        verbose_name = _("user account")
        verbose_name_plural = _("user accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=["", "ko", "en"]), name="user_language_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        """What the admin's greeting shows: the name, not the login."""
        return self.name

    @property
    def name(self) -> str:
        """How others see the user: their profile's name in the page's language, else the
        display name they chose. Never their e-mail address, which others may not read."""
        profile = getattr(self, "person", None)
        if profile is not None:
            return localized(profile.name_ko, profile.name_en)
        return (
            self.display_name
            or self.get_full_name()
            or (_("Member %(number)s") % {"number": self.pk} if self.pk else self.username)
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("organisation admin")
        MEMBER = "member", _("member")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org"),
            models.CheckConstraint(
                condition=Q(role__in=["admin", "member"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class ApiToken(models.Model):
    """A personal key for the JSON API (``Authorization: Bearer <token>``).

    Only a SHA-256 hash of the token is stored; the token itself is shown once, when made.
    A revoked token stays in the table so that the audit trail keeps its name.
    """

    PREFIX = "ssg_"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so that a person can tell their tokens apart.
    token_start = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_start}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash(token: str) -> str:
        # Tokens are long and random, so a fast hash is enough (no password stretching needed).
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class Consent(models.Model):
    """A user's consent to one policy, in one version, given at sign-up (PIPA Art. 15 and 22).

    A consent is never edited: withdrawing it sets ``withdrawn_at``; agreeing to a new
    version adds a row. The policies' texts and current versions are in
    :mod:`sangsaeng.accounts.policies`.
    """

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Collection and use of personal information")
        TERMS = "terms", _("Terms of use")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("user")
    )
    kind = models.CharField(_("consent to"), max_length=16, choices=Kind.choices)
    version = models.CharField(_("version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["kind", "-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["privacy", "terms"]), name="consent_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_standing_consent_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.version}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None


# Whoever makes a request: a signed-in user or an anonymous visitor.
AnyUser = User | AnonymousUser
