"""Person-name comparison: when two surface forms may name the same individual.

The rules are deliberately conservative; a wrong merge is worse than a duplicate. Two forms
match when, after accent folding, their surnames agree (allowing one edit for a typo in a long
surname) and their given names agree or one is the initials of the other. Distinct people who
share or nearly share a surname (Peter Thomson, Laura Thompson) differ in given names and stay
apart.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from migkg.extract.gazetteer import fold

__all__ = ["given_and_surname", "same_person", "strong_variant"]


def given_and_surname(name: str) -> tuple[list[str], str]:
    """Split a folded name into given-name tokens and the last token.

    >>> given_and_surname("W.L. Swing")
    (['w', 'l'], 'swing')
    """
    tokens = fold(name.replace(".", ". ")).split()
    return tokens[:-1], tokens[-1] if tokens else ""


def _given_compatible(a: list[str], b: list[str]) -> bool:
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if all(len(t) == 1 for t in long):
        short, long = long, short
    if all(len(t) == 1 for t in short):
        # Initials: "W L" against "William Lacy".
        return [t[0] for t in long[: len(short)]] == short
    return short[0] == long[0] or (
        len(short[0]) > 4 and Levenshtein.distance(short[0], long[0]) <= 1
    )


def same_person(a: str, b: str) -> bool:
    """Whether two full-name forms plausibly name the same person.

    >>> same_person("William Lacy Swing", "W.L. Swing")
    True
    >>> same_person("Gordon Kihlangwa", "Gordon Kihalangwa")
    True
    >>> same_person("Peter Thomson", "Laura Thompson")
    False
    >>> same_person("Juan José Gómez-Camacho", "Juan José Gómez Camacho")
    True
    >>> same_person("Pablo César García Sáenz", "García Sáenz")
    True
    """
    if fold(a) == fold(b):
        return True
    given_a, surname_a = given_and_surname(a)
    given_b, surname_b = given_and_surname(b)
    if not surname_a or not surname_b:
        return False
    surnames_agree = surname_a == surname_b or (
        min(len(surname_a), len(surname_b)) >= 6 and Levenshtein.distance(surname_a, surname_b) <= 1
    )
    tokens_a, tokens_b = fold(a).split(), fold(b).split()
    shorter, longer = sorted((tokens_a, tokens_b), key=len)
    if not surnames_agree:
        # "Juan José Gómez" is "Juan José Gómez Camacho" with the second surname dropped.
        return len(shorter) >= 3 and longer[: len(shorter)] == shorter
    # "García Sáenz" (honorific + both surnames) and "Riaz Hamidullah" (first initial dropped)
    # are the end of "Pablo César García Sáenz" and "M. Riaz Hamidullah".
    if len(shorter) >= 2 and longer[-len(shorter) :] == shorter:
        return True
    return _given_compatible(given_a, given_b)


def strong_variant(a: str, b: str) -> bool:
    """Whether two forms differ only by leading given names or initials, or a middle initial.

    Such variants ("Mohammad Shahidul Haque" / "Shahidul Haque", "Susan F. Martin" / "Susan
    Martin") keep the whole distinctive part of the name, so they may be merged across
    documents without further evidence; a typo in a name may not.

    >>> strong_variant("Mohammad Shahidul Haque", "Shahidul Haque")
    True
    >>> strong_variant("Susan F. Martin", "Susan Martin")
    True
    >>> strong_variant("Hibaq Jama", "Hilbaq Jama")
    False
    """
    tokens_a, tokens_b = fold(a.replace(".", ". ")).split(), fold(b.replace(".", ". ")).split()
    shorter, longer = sorted((tokens_a, tokens_b), key=len)
    if len(shorter) < 2 or len(shorter) == len(longer):
        return False
    if longer[-len(shorter) :] == shorter:
        return True
    # A middle initial added: the same first and last names, every extra token one letter.
    extra = [t for t in longer if t not in shorter]
    return (
        shorter[0] == longer[0]
        and shorter[-1] == longer[-1]
        and all(t in longer for t in shorter)
        and all(len(t) == 1 for t in extra)
    )
