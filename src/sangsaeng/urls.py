"""URL routes: pages under a language prefix (/ko/, /en/), the API and admin outside it."""

from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from sangsaeng.accounts.views import policy_page
from sangsaeng.core.views import favicon, health
from sangsaeng.directory.views import home

# The admin takes no passwords of its own: its login page sends people to the site's login,
# which allauth rate-limits (failed attempts per address and per client address).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns: list[URLPattern | URLResolver] = [
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("sangsaeng.api_urls")),
    path("health/", health, name="health"),
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
    path("insights/", include("sangsaeng.insights.urls")),
    path("notifications/", include("sangsaeng.notifications.urls")),
    prefix_default_language=True,
)
