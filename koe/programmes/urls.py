from django.urls import path

from koe.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.overview, name="overview"),
]
