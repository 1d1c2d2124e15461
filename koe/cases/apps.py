from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "koe.cases"
    label = "cases"
