from django.urls import path

from koe.cases import worker_sharing_views, worker_views

app_name = "consult"
urlpatterns = [
    path("", worker_views.intake, name="intake"),
    path("open/", worker_views.open_case, name="open"),
    path("mine/", worker_views.mine, name="mine"),
    path("<uuid:public_id>/", worker_views.case_page, name="case"),
    path("<uuid:public_id>/share/", worker_sharing_views.share, name="share"),
    path("<uuid:public_id>/satisfaction/", worker_sharing_views.satisfaction, name="satisfaction"),
    path("<uuid:public_id>/files/<uuid:attachment_id>/", worker_views.attachment, name="attachment"),
]
