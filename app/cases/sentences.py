"""Counting rationale sentences in English and Chinese. Pure."""

import re

# A sentence ends at . ! ? (followed by space or end) or at the full-width 。！？ which need no space.
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|[。！？]+")
# "no." is only an abbreviation before a number ("no. 5"); "The answer is no." ends a sentence.
_DECIMAL_OR_ABBREV = re.compile(r"\b(?:e\.g|i\.e|vs|etc|approx)\.(?=\s)|\bno\.(?=\s+\d)", re.IGNORECASE)


def count_sentences(text: str) -> int:
    """Number of sentences in a rationale; trailing text without a full stop counts as one more."""
    text = _DECIMAL_OR_ABBREV.sub(lambda m: m.group(0)[:-1], (text or "").strip())
    if not text:
        return 0
    pieces = [p for p in _SENTENCE_END.split(text) if p.strip()]
    return len(pieces)
