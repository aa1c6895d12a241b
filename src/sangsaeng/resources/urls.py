"""Pages of the resources app, under /<language>/resources/."""

from django.urls import URLPattern, URLResolver, path

from sangsaeng.resources import views

app_name = "resources"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.resource_list, name="resource_list"),
    path("new/", views.resource_create, name="resource_create"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/decide/", views.booking_decide, name="booking_decide"),
    path("waitlist/<int:pk>/", views.waitlist_answer, name="waitlist_answer"),
    path("usage/", views.usage, name="usage"),
    path("usage.xlsx", views.usage_export, name="usage_export"),
    path("feeds/", views.feed_create, name="feed_create"),
    path("feeds/<str:token>.ics", views.feed, name="feed"),
    path(
        "mpw/requests/<int:pk>/withdraw/", views.shuttle_request_withdraw, name="shuttle_withdraw"
    ),
    path(
        "mpw/requests/<int:pk>/priority/", views.shuttle_request_priority, name="shuttle_priority"
    ),
    path("mpw/allocations/<int:pk>/", views.allocation_status, name="allocation_status"),
    path("mpw/allocations/<int:pk>/confirm/", views.allocation_confirm, name="allocation_confirm"),
    path("<slug:slug>/", views.resource_detail, name="resource_detail"),
    path("<slug:slug>/edit/", views.resource_edit, name="resource_edit"),
    path("<slug:slug>/book/", views.booking_create, name="booking_create"),
    path("<slug:slug>/waitlist/", views.waitlist_join, name="waitlist_join"),
    path("<slug:slug>/mpw/request/", views.shuttle_request_create, name="shuttle_request"),
    path("<slug:slug>/mpw/allocate/", views.allocation_start, name="allocation_start"),
]
