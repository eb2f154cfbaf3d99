"""Password validators whose messages reach the user in Chinese.

Django 5.2's MinimumLengthValidator asks for the message "…at least %d character(s)", while its
zh-hans catalogue still translates the older "%(min_length)d" wording, so the refusal showed in
English on a Chinese page. This one says it in Chinese (and English through our catalogue)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext("密码太短，至少须有 %(min_length)d 个字符。", "密码太短，至少须有 %(min_length)d 个字符。",
                        self.min_length) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext("密码至少须有 %(min_length)d 个字符。", "密码至少须有 %(min_length)d 个字符。",
                        self.min_length) % {"min_length": self.min_length}
