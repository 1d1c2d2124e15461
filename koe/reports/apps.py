from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "koe.reports"
    label = "reports"
