from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "koe.translation"
    label = "translation"
