"""Pages of notifications: the list (marking read) and the e-mail preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.notifications import selectors, services
from sangsaeng.notifications.messages import headline
from sangsaeng.notifications.models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = list(services.PREFERENCE_FIELDS)
        help_texts = {
            "email_new_match": gettext_lazy("You are always notified here, in the platform.")
        }


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = selectors.notifications_of(request.user)[: selectors.SHOWN]
    language = get_language() or "ko"
    items = [
        {
            "notification": n,
            "text": headline(n),
            "link": translate_url(n.link, language) if n.link else "",
        }
        for n in notifications
    ]
    return render(request, "notifications/list.html", {"items": items})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get(user=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.POST.get("follow") and notification.link:
        return redirect(translate_url(notification.link, get_language() or "ko"))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(actor=request.user)  # type: ignore[arg-type]
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    preference = selectors.preference_of(request.user)  # type: ignore[arg-type]
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.preference_update(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Your e-mail preferences were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
