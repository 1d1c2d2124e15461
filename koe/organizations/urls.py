from django.urls import path

from koe.organizations import views, views_import, views_invitations

app_name = "organizations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("supply-chain/", views.supply_chain, name="supply_chain"),
    path("supply-chain/add/", views.add_supplier, name="add_supplier"),
    path("supply-chain/export.csv", views.export, name="export"),
    path("supply-chain/import/", views_import.import_upload, name="import_upload"),
    path("supply-chain/import/template.csv", views_import.import_template, name="import_template"),
    path("supply-chain/import/<int:pk>/", views_import.import_job, name="import_job"),
    path("supply-chain/import/<int:pk>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("supply-chain/import/<int:pk>/cancel/", views_import.import_cancel, name="import_cancel"),
    path("supply-chain/import/<int:pk>/errors.csv", views_import.import_errors, name="import_errors"),
    path("organizations/<int:pk>/", views.detail, name="detail"),
    path("users/", views_invitations.users, name="users"),
    path("users/invite/", views_invitations.invite, name="invite"),
    path(
        "users/invitations/<int:pk>/revoke/",
        views_invitations.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("invitation/<str:token>/", views_invitations.accept_invitation, name="accept_invitation"),
]
