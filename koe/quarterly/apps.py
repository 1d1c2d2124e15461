from django.apps import AppConfig


class QuarterlyConfig(AppConfig):
    name = "koe.quarterly"
