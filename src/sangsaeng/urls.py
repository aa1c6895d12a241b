"""URL routes: pages under a language prefix (/ko/, /en/), the API and admin outside it."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from sangsaeng.accounts.views import policy_page
from sangsaeng.core.views import favicon
from sangsaeng.directory.views import home

urlpatterns: list[URLPattern | URLResolver] = [
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("sangsaeng.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", home, name="home"),
    path("privacy/", policy_page, {"kind": "privacy"}, name="privacy"),
    path("terms/", policy_page, {"kind": "terms"}, name="terms"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("sangsaeng.accounts.urls")),
    path("directory/", include("sangsaeng.directory.urls")),
    path("search/", include("sangsaeng.search.urls")),
    path("needs/", include("sangsaeng.matching.urls")),
    path("programs/", include("sangsaeng.programs.urls")),
    path("resources/", include("sangsaeng.resources.urls")),
    path("talent/", include("sangsaeng.talent.urls")),
    path("events/", include("sangsaeng.events.urls")),
    path("notifications/", include("sangsaeng.notifications.urls")),
    prefix_default_language=True,
)
