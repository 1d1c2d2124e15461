from django.urls import path

from koe.cases import views

app_name = "cases"
urlpatterns = [
    path("alerts/", views.alert_queue, name="alert_queue"),
    path("alerts/<uuid:public_id>/", views.alert_detail, name="alert_detail"),
    path("alerts/<uuid:public_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
]
