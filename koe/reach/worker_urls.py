from django.urls import path

app_name = "join"
urlpatterns: list = []
