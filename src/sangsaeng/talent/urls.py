"""Pages of the talent app, under /<language>/talent/."""

from django.urls import URLPattern, URLResolver, path

from sangsaeng.talent import views

app_name = "talent"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/enrol/", views.course_enrol, name="course_enrol"),
    path("courses/<int:pk>/roster/", views.course_roster, name="course_roster"),
    path("enrolments/<int:pk>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("verify/", views.certificate_verify, name="certificate_verify"),
    path("profile/", views.profile, name="profile"),
    path("profile/consent/", views.consent_change, name="consent_change"),
    path("profile/delete/", views.profile_delete, name="profile_delete"),
    path("students/<int:pk>/", views.student_detail, name="student_detail"),
    path("students/<int:pk>/cv/", views.student_cv, name="student_cv"),
    path("openings/", views.opening_list, name="opening_list"),
    path("openings/new/", views.opening_create, name="opening_create"),
    path("openings/<int:pk>/", views.opening_detail, name="opening_detail"),
    path("openings/<int:pk>/edit/", views.opening_edit, name="opening_edit"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/join/", views.round_join, name="round_join"),
    path("rounds/<int:pk>/rank/", views.round_rank, name="round_rank"),
    path(
        "rounds/<int:pk>/openings/<int:opening_pk>/",
        views.round_applicants,
        name="round_applicants",
    ),
    path("rounds/<int:pk>/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/match/", views.round_match, name="round_match"),
    path("rounds/<int:pk>/second-phase/", views.round_second_phase, name="round_second_phase"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/report/", views.round_report, name="round_report"),
    path("runs/<int:pk>/", views.run_status, name="run_status"),
    path("results/<int:pk>/answer/", views.result_answer, name="result_answer"),
    path("placements/new/", views.placement_record, name="placement_record"),
    path("outcomes/", views.outcomes, name="outcomes"),
]
