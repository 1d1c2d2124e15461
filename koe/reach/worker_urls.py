from django.urls import path

from koe.reach import worker_views

app_name = "join"
urlpatterns = [
    # Before the token pattern: a token is 32 characters and never reads "my-employer".
    path("my-employer/", worker_views.my_employer, name="my_employer"),
    path("my-employer/<uuid:public_id>/remove/", worker_views.remove_employer, name="remove_employer"),
    path("<str:token>/", worker_views.landing, name="landing"),
]
