from django.urls import path

from koe.reach import views

app_name = "reach"
urlpatterns = [
    path("", views.links, name="links"),
    path("links/new/", views.link_create, name="link_create"),
    path("links/<int:pk>/", views.link_detail, name="link_detail"),
    path("links/<int:pk>/revoke/", views.link_revoke, name="link_revoke"),
    path("links/<int:pk>/<str:kind>/<str:size>/<str:language>.pdf", views.poster, name="poster"),
    path("figures/", views.reach_figures, name="figures"),
]
