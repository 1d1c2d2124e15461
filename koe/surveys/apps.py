from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "koe.surveys"
    label = "surveys"
