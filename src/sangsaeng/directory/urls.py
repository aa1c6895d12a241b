"""URLs of the directory's pages (under /<language>/directory/)."""

from django.urls import URLPattern, URLResolver, path

from sangsaeng.directory import importexport_views, views

app_name = "directory"
urlpatterns: list[URLPattern | URLResolver] = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("experts/", views.person_list, name="person_list"),
    path("experts/me/edit/", views.expert_profile_edit, name="expert_profile_edit"),
    path("experts/me/delete/", views.expert_profile_delete, name="expert_profile_delete"),
    path("claim/<str:token>/", views.profile_claim, name="profile_claim"),
    path("experts/<slug:slug>/", views.person_detail, name="person_detail"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<slug:slug>/commitments/<int:pk>/progress/",
        views.commitment_report_progress,
        name="commitment_report_progress",
    ),
    path("approvals/", views.approval_queue, name="approval_queue"),
    path("approvals/<slug:slug>/decide/", views.organisation_decide, name="organisation_decide"),
    path("import/", importexport_views.directory_import, name="directory_import"),
    path("export/", importexport_views.directory_export, name="directory_export"),
]
