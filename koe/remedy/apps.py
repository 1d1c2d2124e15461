from django.apps import AppConfig


class RemedyConfig(AppConfig):
    name = "koe.remedy"
