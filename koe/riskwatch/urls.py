from django.urls import path

from koe.riskwatch import views

app_name = "riskwatch"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("<uuid:public_id>/", views.alert_detail, name="detail"),
    path("<uuid:public_id>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
]
