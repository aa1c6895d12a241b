"""URLs of the account pages (under /<language>/accounts/, beside django-allauth's)."""

from django.urls import URLPattern, URLResolver, path

from sangsaeng.accounts import views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("me/", views.account, name="account"),
    path("me/consents/", views.consents, name="consents"),
    path("me/tokens/", views.api_tokens, name="api_tokens"),
    path("me/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("me/close/", views.account_close, name="account_close"),
    path(
        "organisations/<slug:slug>/members/",
        views.organisation_members,
        name="organisation_members",
    ),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
