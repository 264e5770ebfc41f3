"""booking's gettext catalogue (``booking/locale/<lang>/LC_MESSAGES/messages.po``, compiled to ``.mo``), shared by
the pages (`booking.pages.i18n`) and the errors the API words in its caller's language (`booking.errors`), and the
choice of a language from an Accept-Language header (Babel's `negotiate_locale` over its tags ordered by q).

English is the language of the message ids, so it needs no catalogue; Japanese is the one translation.
"""

from __future__ import annotations

from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel.core import negotiate_locale
from babel.support import Translations

LANGUAGES = ("ja", "en")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Marks ``message`` for extraction where it is written; it is translated where it is shown."""
    return message


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of ``lang`` (English, the language of the message ids, needs none)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no such language: {lang!r}")
    return Translations.load(str(LOCALE_DIR), [lang], DOMAIN)


def preferred_language(accept_language: str | None, default: str) -> str:
    """The first of `LANGUAGES` an Accept-Language header prefers (by q, then order; q=0 refuses), else
    ``default``."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    preferred = [tag for _, _, tag in sorted(ranked)]
    chosen = negotiate_locale(preferred, LANGUAGES, sep="-", aliases={})
    return chosen.lower() if chosen else default
