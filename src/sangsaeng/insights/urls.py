"""Pages of the insights app, under /<language>/insights/."""

from django.urls import URLPattern, URLResolver, path

from sangsaeng.insights import views

app_name = "insights"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("operator/", views.operator_dashboard, name="operator"),
    path("operator/recompute/", views.recompute, name="recompute"),
    path("operator/run.json", views.run_status, name="run_status"),
    path("indicators/<int:pk>/link/", views.indicator_link, name="indicator_link"),
    path("network/", views.network_page, name="network"),
    path("reports/<slug:slug>/", views.report, name="report"),
    path("export/monthly.csv", views.export_csv, name="export_csv"),
]
