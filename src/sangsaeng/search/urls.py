"""The search page, under /<language>/search/."""

from django.urls import URLPattern, URLResolver, path

from sangsaeng.search import views

app_name = "search"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search, name="search"),
]
