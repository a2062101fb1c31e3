"""What the analyses say about a team's words: when two are the same, and how a long one
is shortened in a sentence."""

from __future__ import annotations

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
