from django.urls import path

from koe.reports import dashboard_views

app_name = "insights"
urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
]
