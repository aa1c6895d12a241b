"""Pages of the talent app, under /<language>/talent/."""

from django.urls import URLPattern, URLResolver

app_name = "talent"
urlpatterns: list[URLPattern | URLResolver] = []
