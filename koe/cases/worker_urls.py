from django.urls import path

from koe.cases import worker_views

app_name = "consult"
urlpatterns = [
    path("", worker_views.intake, name="intake"),
    path("open/", worker_views.open_case, name="open"),
    path("mine/", worker_views.mine, name="mine"),
    path("<uuid:public_id>/", worker_views.case_page, name="case"),
]
