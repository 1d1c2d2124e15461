from django.apps import AppConfig


class RiskwatchConfig(AppConfig):
    name = "koe.riskwatch"
