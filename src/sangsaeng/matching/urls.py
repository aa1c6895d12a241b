"""Pages of needs, offers and matches, under /<language>/needs/."""

from django.urls import URLPattern, URLResolver, path

from sangsaeng.matching import views
from sangsaeng.search import views as search_views

app_name = "matching"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.need_list, name="need_list"),
    path("new/", views.need_create, name="need_create"),
    path("for-you/", views.needs_for_you, name="needs_for_you"),
    # The search box's first address, kept for links people saved (now at /search/).
    path("search/", search_views.search, name="search"),
    path("<int:pk>/", views.need_detail, name="need_detail"),
    path("<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("<int:pk>/close/", views.need_close, name="need_close"),
    path("<int:pk>/rematch/", views.need_rematch, name="need_rematch"),
    path("<int:pk>/attachment/", views.need_attachment, name="need_attachment"),
    path("<int:pk>/request/", views.contact_request, name="contact_request"),
    path("<int:pk>/interest/", views.express_interest, name="express_interest"),
    path("runs/<int:pk>/", views.run_status, name="run_status"),
    path("matches/", views.match_list, name="match_list"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/answer/", views.match_answer, name="match_answer"),
    path("matches/<int:pk>/messages/", views.conversation_post, name="conversation_post"),
    path("matches/<int:pk>/project/", views.project_create, name="project_create"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
]
