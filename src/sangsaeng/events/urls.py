"""Pages of the events app, under /<language>/events/."""

from django.urls import URLPattern, URLResolver, path

from sangsaeng.events import views

app_name = "events"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("<slug:slug>/setup/", views.event_setup, name="setup"),
    path(
        "<slug:slug>/setup/sessions/<int:pk>/remove/", views.session_remove, name="session_remove"
    ),
    path("<slug:slug>/setup/slots/<int:pk>/break/", views.slot_break, name="slot_break"),
    path(
        "<slug:slug>/setup/places/<int:pk>/remove/", views.location_remove, name="location_remove"
    ),
    path("<slug:slug>/setup/types/<int:pk>/remove/", views.type_remove, name="type_remove"),
    path(
        "<slug:slug>/setup/questions/<int:pk>/remove/",
        views.question_remove,
        name="question_remove",
    ),
    path("<slug:slug>/publish/", views.event_publish, name="publish"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/me/", views.registration, name="registration"),
    path("<slug:slug>/me/cancel/", views.registration_cancel, name="registration_cancel"),
    path("<slug:slug>/participants/", views.participant_list, name="participant_list"),
    path("<slug:slug>/participants/<int:pk>/", views.participant_detail, name="participant_detail"),
    path("<slug:slug>/recommended/", views.recommendations, name="recommendations"),
    path("<slug:slug>/requests/", views.requests_page, name="requests"),
    path("<slug:slug>/requests/new/", views.request_send, name="request_send"),
    path("<slug:slug>/requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path(
        "<slug:slug>/requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"
    ),
    path("<slug:slug>/requests/<int:pk>/book/", views.request_book, name="request_book"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<slug:slug>/meetings/<int:pk>/absent/", views.meeting_absent, name="meeting_absent"),
    path("<slug:slug>/meetings/<int:pk>/move/", views.meeting_move, name="meeting_move"),
    path(
        "<slug:slug>/meetings/<int:pk>/follow-up/",
        views.meeting_follow_up,
        name="meeting_follow_up",
    ),
    path("<slug:slug>/meetings/rebook/", views.meeting_rebook, name="meeting_rebook"),
    path("<slug:slug>/feedback/", views.feedback, name="feedback"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/manage/schedule/", views.schedule_run, name="schedule_run"),
    path("<slug:slug>/manage/runs/<int:pk>/", views.run_status, name="run_status"),
    path("<slug:slug>/manage/publish/", views.schedule_publish, name="schedule_publish"),
    path("<slug:slug>/manage/day/", views.day, name="day"),
    path("<slug:slug>/manage/check-in/", views.check_in_by_code, name="check_in_by_code"),
    path("<slug:slug>/manage/finish/", views.event_finish, name="finish"),
    path("<slug:slug>/manage/report/", views.report, name="report"),
    path("<slug:slug>/check-in/<str:token>/", views.check_in, name="check_in"),
]
