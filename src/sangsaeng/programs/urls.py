"""Pages of the programs app, under /<language>/programs/."""

from django.urls import URLPattern, URLResolver, path

from sangsaeng.programs.views import applying, assigning, deciding, managing, public, reviewing

app_name = "programs"
urlpatterns: list[URLPattern | URLResolver] = [
    # the public
    path("", public.call_list, name="call_list"),
    path("calls/<slug:slug>/", public.call_detail, name="call_detail"),
    # applicants
    path("calls/<slug:slug>/apply/", applying.apply, name="apply"),
    path("applications/", applying.my_applications, name="my_applications"),
    path("applications/<int:pk>/", applying.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applying.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/autosave/",
        applying.application_autosave,
        name="application_autosave",
    ),
    path("applications/<int:pk>/submit/", applying.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/withdraw/",
        applying.application_withdraw,
        name="application_withdraw",
    ),
    path("applications/<int:pk>/partners/", applying.partner_add, name="partner_add"),
    path("partners/<int:pk>/remove/", applying.partner_remove, name="partner_remove"),
    path("files/<int:pk>/", applying.file_download, name="file_download"),
    path("files/<int:pk>/remove/", applying.file_remove, name="file_remove"),
    path("reports/<int:pk>/submit/", applying.report_submit, name="report_submit"),
    path("reports/<int:pk>/file/", applying.report_file, name="report_file"),
    path("milestones/<int:pk>/done/", applying.milestone_done, name="milestone_done"),
    # reviewers
    path("reviewer/", reviewing.reviewer_profile, name="reviewer_profile"),
    path("reviewer/calls/<slug:slug>/", reviewing.bidding, name="bidding"),
    path("reviewer/applications/<int:pk>/bid/", reviewing.bid, name="bid"),
    path(
        "reviewer/applications/<int:pk>/conflict/",
        reviewing.declare_conflict,
        name="declare_conflict",
    ),
    path("reviews/", reviewing.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", reviewing.review_form, name="review_form"),
    path("reviews/<int:pk>/respond/", reviewing.respond, name="respond"),
    # the cluster office
    path("manage/programs/new/", managing.program_create, name="program_create"),
    path("manage/calls/new/", managing.call_create, name="call_create"),
    path("manage/calls/<slug:slug>/", managing.call_manage, name="call_manage"),
    path("manage/calls/<slug:slug>/edit/", managing.call_edit, name="call_edit"),
    path("manage/calls/<slug:slug>/form/", managing.call_form_builder, name="call_form_builder"),
    path("manage/calls/<slug:slug>/publish/", managing.call_publish, name="call_publish"),
    path("manage/calls/<slug:slug>/screen/", managing.screen_passing, name="screen_passing"),
    path("manage/applications/<int:pk>/screen/", managing.screen, name="screen"),
    path("manage/calls/<slug:slug>/conflicts/", managing.conflicts, name="conflicts"),
    path(
        "manage/calls/<slug:slug>/conflicts/refresh/",
        managing.conflicts_refresh,
        name="conflicts_refresh",
    ),
    path("manage/calls/<slug:slug>/conflicts/add/", managing.conflict_add, name="conflict_add"),
    path("manage/conflicts/<int:pk>/lift/", managing.conflict_lift, name="conflict_lift"),
    path("manage/calls/<slug:slug>/assignment/", assigning.assignment, name="assignment"),
    path(
        "manage/calls/<slug:slug>/assignment/start/",
        assigning.assignment_start,
        name="assignment_start",
    ),
    path("manage/runs/<int:pk>/status/", assigning.run_status, name="run_status"),
    path("manage/runs/<int:pk>/invite/", assigning.invitations_send, name="invitations_send"),
    path("manage/proposals/swap/", assigning.swap, name="swap"),
    path("manage/calls/<slug:slug>/reviews/", assigning.review_progress, name="review_progress"),
    path("manage/calls/<slug:slug>/reminders/", assigning.reminders_send, name="reminders_send"),
    path("manage/applications/<int:pk>/invite/", assigning.invite_reviewer, name="invite_reviewer"),
    path("manage/calls/<slug:slug>/ranking/", deciding.ranking, name="ranking"),
    path(
        "manage/calls/<slug:slug>/decisions/proposal/",
        deciding.decisions_from_proposal,
        name="decisions_from_proposal",
    ),
    path("manage/applications/<int:pk>/decide/", deciding.decide, name="decide"),
    path(
        "manage/calls/<slug:slug>/decisions/publish/",
        deciding.decisions_publish,
        name="decisions_publish",
    ),
    path("manage/calls/<slug:slug>/awards/", deciding.awards, name="awards"),
    path("manage/awards/<int:pk>/milestones/", deciding.milestone_add, name="milestone_add"),
    path("manage/awards/<int:pk>/reports/", deciding.report_add, name="report_add"),
    path(
        "manage/calls/<slug:slug>/export/applications.xlsx",
        deciding.export_applications,
        name="export_applications",
    ),
    path(
        "manage/calls/<slug:slug>/export/reviews-anonymised.xlsx",
        deciding.export_reviews,
        name="export_reviews",
    ),
]
