"""Mounted at the root of the language prefix: corrective action spans three audiences."""

from django.urls import path

from koe.remedy import company_views, desk_views, worker_views

app_name = "remedy"
COMPANY_CASE = "company/cases/<slug:number>/"
COMPANY_ACTION = COMPANY_CASE + "actions/<int:pk>/"
urlpatterns = [
    path("company/cases/", company_views.case_list, name="company_cases"),
    path(COMPANY_CASE, company_views.case_detail, name="company_case"),
    path(COMPANY_CASE + "actions/new/", company_views.action_new, name="company_action_new"),
    path(COMPANY_ACTION, company_views.action_detail, name="company_action"),
    path(COMPANY_ACTION + "status/", company_views.action_status, name="company_action_status"),
    path(COMPANY_ACTION + "evidence/", company_views.action_evidence, name="company_evidence_add"),
    path(
        COMPANY_ACTION + "evidence/<uuid:file_id>/", company_views.evidence_download, name="company_evidence"
    ),
    path("desk/actions/", desk_views.action_list, name="desk_actions"),
    path("desk/actions/<int:pk>/", desk_views.action_detail, name="desk_action"),
    path("desk/actions/<int:pk>/review/", desk_views.action_review, name="desk_action_review"),
    path("desk/actions/<int:pk>/files/<uuid:file_id>/", desk_views.evidence_download, name="desk_evidence"),
    path("consult/actions/<uuid:public_id>/answer/", worker_views.answer, name="worker_answer"),
]
