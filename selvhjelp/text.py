import unicodedata

from django.db import models
from django.utils.text import slugify

_NORWEGIAN = str.maketrans({"å": "a", "æ": "ae", "ø": "o", "ä": "ae", "ö": "o", "ü": "u"})


def fold(text: str) -> str:
    """A search key that survives case, accents and the usual ASCII spellings of æ, ø and å.

    "Dombås", "dombaas" and "DOMBAS" all become "dombas"; "Ålesund" and "Aalesund" become
    "alesund"; "Bodø" and "Bodoe" become "bodo".
    """
    text = text.strip().lower().translate(_NORWEGIAN)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("aa", "a").replace("oe", "o")
    return " ".join(text.replace("-", " ").split())


def unique_slug(
    model: type[models.Model], name: str, *, fallback: str, max_length: int = 150
) -> str:
    """A slug for `name` that no row of `model` has yet: "sorggruppe", then "sorggruppe-2", …
    `fallback` is used when the name gives no letters to slugify."""
    base = slugify(name)[:max_length] or fallback
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
