from django.urls import path

app_name = "quarterly"
urlpatterns: list = []
