from django.urls import path

app_name = "remedy"
urlpatterns: list = []
