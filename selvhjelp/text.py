import unicodedata

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
