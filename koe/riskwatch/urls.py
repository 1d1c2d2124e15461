from django.urls import path

app_name = "riskwatch"
urlpatterns: list = []
