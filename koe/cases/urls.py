from django.urls import path

from koe.cases import referral_views, routing_views, views

app_name = "cases"
urlpatterns = [
    path("alerts/", views.alert_queue, name="alert_queue"),
    path("alerts/<uuid:public_id>/", views.alert_detail, name="alert_detail"),
    path("alerts/<uuid:public_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<uuid:public_id>/open-case/", views.alert_open_case, name="alert_open_case"),
    path("cases/", views.case_inbox, name="case_inbox"),
    path("workload/", routing_views.workload, name="workload"),
    path("workload/hand-over/", routing_views.hand_over, name="hand_over"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<uuid:public_id>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:public_id>/status/", views.case_status, name="case_status"),
    path("cases/<uuid:public_id>/assign/", views.case_assign, name="case_assign"),
    path("cases/<uuid:public_id>/reply/", views.case_reply, name="case_reply"),
    path("cases/<uuid:public_id>/note/", views.case_note, name="case_note"),
    path("cases/<uuid:public_id>/triage/", views.case_triage, name="case_triage"),
    path("cases/<uuid:public_id>/outcome/", views.case_outcome, name="case_outcome"),
    path("cases/<uuid:public_id>/company-summary/", views.case_company_summary, name="case_company_summary"),
    path("cases/<uuid:public_id>/files/<uuid:attachment_id>/", views.case_attachment, name="case_attachment"),
    path("cases/<uuid:public_id>/guiding/", referral_views.guiding_support_add, name="guiding_support_add"),
    path("cases/<uuid:public_id>/experts/", referral_views.expert_referral_add, name="expert_referral_add"),
    path(
        "cases/<uuid:public_id>/experts/<uuid:referral_id>/withdraw/",
        referral_views.expert_referral_withdraw,
        name="expert_referral_withdraw",
    ),
    path("cases/<uuid:public_id>/adr/", referral_views.adr_referral_add, name="adr_referral_add"),
    path(
        "cases/<uuid:public_id>/adr/<uuid:adr_id>/",
        referral_views.adr_referral_update,
        name="adr_referral_update",
    ),
    path("expert/", referral_views.expert_referral_list, name="expert_referrals"),
    path("expert/<uuid:referral_id>/", referral_views.expert_referral_detail, name="expert_referral"),
]
