"""What the analyses say about a team's words: when two are the same, how a long one is
shortened in a sentence, and how one goes into a file name."""

from __future__ import annotations

import re
import unicodedata


def word_key(text: str) -> str:
    """The words as compared: spacing, capitals and invisible characters aside ('Assume
    GOOD intent'; a zero-width space pasted along)."""
    visible = "".join(ch for ch in str(text) if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split()).casefold()


def same_words(a: str, b: str) -> bool:
    """Whether two texts say the same words, whatever the spacing or capitals."""
    return word_key(a) == word_key(b)


def shortened(text: str, limit: int = 60) -> str:
    """One line of at most `limit` characters, for a sentence that quotes it."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slug(name: str, limit: int | None = None) -> str:
    """'Community Walk!' -> 'community-walk', 'Écoute élèves' -> 'ecoute-eleves': letters
    without their accents, digits and hyphens (safe in a file name and a URL), cut to
    at most `limit` characters if given, after a whole word where there is one."""
    plain = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", plain.strip().lower()).strip("-")
    if limit is not None and len(words) > limit:
        cut = words[: limit + 1]
        words = cut.rsplit("-", 1)[0] if "-" in cut else cut[:limit]
    return words.strip("-")
