"""The languages Koe speaks, each named in its own language for the picker.

Tagalog is not in Django's built-in list, so its locale information is added here.
"""

from django.conf import locale

LANGUAGES = [
    ("ja", "日本語"),
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("vi", "Tiếng Việt"),
    ("tl", "Tagalog"),
    ("id", "Bahasa Indonesia"),
    ("my", "မြန်မာ"),
    ("pt-br", "Português"),
    ("es", "Español"),
    ("ne", "नेपाली"),
]

LANGUAGE_CODES = [code for code, _name in LANGUAGES]

EXTRA_LANG_INFO = {
    "tl": {"bidi": False, "code": "tl", "name": "Tagalog", "name_local": "Tagalog"},
}


def install_extra_language_info() -> None:
    for code, info in EXTRA_LANG_INFO.items():
        locale.LANG_INFO.setdefault(code, info)
