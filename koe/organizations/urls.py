from django.urls import path

from koe.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("supply-chain/", views.supply_chain, name="supply_chain"),
    path("supply-chain/add/", views.add_supplier, name="add_supplier"),
    path("supply-chain/export.csv", views.export, name="export"),
    path("organizations/<int:pk>/", views.detail, name="detail"),
]
