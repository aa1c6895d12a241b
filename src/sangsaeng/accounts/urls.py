"""URLs of the account pages (under /<language>/accounts/, beside django-allauth's)."""

from django.urls import URLPattern, URLResolver, path

from sangsaeng.accounts import views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "organisations/<slug:slug>/members/",
        views.organisation_members,
        name="organisation_members",
    ),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
