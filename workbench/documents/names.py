"""Comparing the names in a document with the names in a case, tolerantly.

An EUC spells the end user the way its letterhead does: ``BUKIT SEMICONDUCTOR SDN. BHD.``
where the case says ``Bukit Semiconductor Sdn Bhd``, or ``Bukit Semiconductors`` with a
typo. Both sides are reduced to their *core tokens* (transliterated, lower case, without
punctuation, legal forms and particles) and compared with a similarity ratio.

The screening engine owns the best normaliser (``workbench.screening.normalise``), but the
layer contract keeps sibling engines independent, so this package cannot import it. The
normaliser is therefore *injected*: ``NameNormaliser`` is a pair of functions, the services
pass one built on the screening normaliser, and ``BASIC_NORMALISER`` (standard library only)
is the fallback used by pure callers and tests.

Thresholds (similarity of the joined core tokens, 0..1, ``difflib`` ratio):

* ``SAME_NAME`` 0.88: the same name (case, punctuation, legal form, one or two typos apart);
* ``SIMILAR_NAME`` 0.70: similar enough to name as the likely intended party in a message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

SAME_NAME = 0.88
SIMILAR_NAME = 0.70

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# A deliberately small list: enough for the fallback to ignore the usual company suffixes.
_LEGAL_FORMS = frozenset(
    {
        "ltd",
        "limited",
        "llc",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "asa",
        "aps",
        "kk",
        "jsc",
        "ojsc",
        "pjsc",
        "ooo",
        "zao",
        "oao",
        "sdn",
        "bhd",
        "pte",
        "pty",
        "tbk",
        "fze",
        "fzco",
        "fzc",
        "fz",
        "llp",
        "lp",
        "group",
        "holding",
        "holdings",
    }
)
_PARTICLES = frozenset({"the", "of", "and", "for", "de", "der", "des", "la", "le", "el", "al"})


def basic_fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (accents dropped, punctuation split)."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").casefold().replace("&", " and ")
    return " ".join(_WORD.findall(ascii_text.replace("'", "")))


def basic_core(name: str) -> tuple[str, ...]:
    """The tokens of ``name`` that identify it: legal forms and particles removed."""
    words = basic_fold(name).split()
    core = tuple(w for w in words if w not in _LEGAL_FORMS and w not in _PARTICLES)
    return core or tuple(words)


@dataclass(frozen=True, slots=True)
class NameNormaliser:
    """How names and running text are reduced to comparable tokens."""

    fold: Callable[[str], str]
    """Running text (one word or many) -> lower-case ASCII words separated by spaces."""
    core: Callable[[str], tuple[str, ...]]
    """A name -> its identifying tokens (no legal forms, no particles)."""


BASIC_NORMALISER = NameNormaliser(fold=basic_fold, core=basic_core)


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Similarity of two token sequences, order-insensitive (0..1)."""
    if not a or not b:
        return 0.0
    left, right = " ".join(sorted(a)), " ".join(sorted(b))
    if left == right:
        return 1.0
    ordered = SequenceMatcher(None, " ".join(a), " ".join(b), autojunk=False).ratio()
    unordered = SequenceMatcher(None, left, right, autojunk=False).ratio()
    return max(ordered, unordered)


def name_similarity(a: str, b: str, normaliser: NameNormaliser = BASIC_NORMALISER) -> float:
    return similarity(normaliser.core(a), normaliser.core(b))


@dataclass(frozen=True, slots=True)
class TextWord:
    key: str
    start: int
    end: int


def text_words(text: str, normaliser: NameNormaliser = BASIC_NORMALISER) -> list[TextWord]:
    """The words of running text with their character spans, each folded like a name token."""
    words: list[TextWord] = []
    for match in _WORD.finditer(text):
        for key in normaliser.fold(match.group()).split():
            words.append(TextWord(key, match.start(), match.end()))
    return words


@dataclass(frozen=True, slots=True)
class NameHit:
    score: float
    start: int
    end: int


def find_name(
    name: str,
    words: Sequence[TextWord],
    normaliser: NameNormaliser = BASIC_NORMALISER,
    threshold: float = SAME_NAME,
) -> NameHit | None:
    """The best place where ``name`` occurs in ``words`` with similarity >= ``threshold``.

    Windows of the core's length, one shorter and one longer are compared, so a dropped or
    an inserted word (``Bukit Semiconductor Malaysia``) still matches.
    """
    core = normaliser.core(name)
    if not core or not words:
        return None
    first_letters = {token[0] for token in core}
    target = len(" ".join(core))
    best: NameHit | None = None
    sizes = sorted({max(1, len(core) - 1), len(core), len(core) + 1})
    for i, word in enumerate(words):
        if word.key[:1] not in first_letters:
            continue
        for size in sizes:
            window = words[i : i + size]
            if len(window) < size:
                break
            keys = [w.key for w in window]
            length = sum(len(k) for k in keys) + size - 1
            if 2 * min(length, target) / (length + target) < threshold:
                continue  # the lengths alone rule the window out; skip the costly comparison
            score = similarity(core, keys)
            if size != len(core):
                score -= 0.03  # prefer the exact length when scores tie
            if score >= threshold and (best is None or score > best.score):
                best = NameHit(min(score, 1.0), window[0].start, window[-1].end)
    return best


def printable(text: str) -> str:
    """``text`` on one line without control or invisible format characters (terminal escapes, bidi overrides).

    Text read from a PDF is untrusted: it is shown in a terminal and in the UI.
    """
    cleaned = "".join(" " if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} else ch for ch in text)
    return " ".join(cleaned.split())


def snippet(text: str, start: int, end: int, context: int = 60) -> str:
    """The matched text with some context, on one line, for showing as evidence."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    body = printable(text[left:right])
    return ("…" if left > 0 else "") + body + ("…" if right < len(text) else "")
