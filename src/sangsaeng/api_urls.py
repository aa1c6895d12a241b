"""The JSON API (django-ninja): one NinjaAPI, each app adding its router."""

from django.urls import path

from sangsaeng.api import api

urlpatterns = [path("", api.urls)]
