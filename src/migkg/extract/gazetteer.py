"""The domain gazetteer: organizations, frameworks and states, loaded from the package's data files.

States come from pycountry (ISO 3166-1 names, official and common names) plus the UN-usage
aliases and adjectives in ``gazetteers/``; nothing about countries is typed into code.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

import pycountry

__all__ = [
    "Gazetteer",
    "GazetteerEntry",
    "fold",
    "load_gazetteer",
    "load_pattern_file",
    "load_word_list",
]

_LEADING_ARTICLE = re.compile(r"^(?:the|la|le|les|el)\s+", re.IGNORECASE)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold a surface form for lookup: accents, case, articles, punctuation and spacing.

    >>> fold("The  Global Compact for Safe, Orderly and Regular Migration")
    'global compact for safe orderly and regular migration'
    >>> fold("Gómez-Camacho")
    'gomez camacho'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    lowered = ascii_text.replace("’", "'").lower()
    lowered = re.sub(r"[^\w']+", " ", lowered).replace("'s ", " ").strip()
    return _LEADING_ARTICLE.sub("", lowered).strip()


def _without_articles(folded: str) -> str:
    return " ".join(word for word in folded.split() if word not in {"the", "a", "an"})


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One known entity."""

    id: str
    type: str  # organization | framework | state
    name: str
    kind: str
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()

    def surface_forms(self) -> tuple[str, ...]:
        """The name, aliases and acronyms."""
        return (self.name, *self.aliases, *self.acronyms)


@dataclass(slots=True)
class Gazetteer:
    """Lookup tables built from the data files."""

    entries: dict[str, GazetteerEntry] = field(default_factory=dict)
    by_form: dict[str, str] = field(default_factory=dict)  # folded surface form -> entry id
    acronyms: dict[str, str] = field(default_factory=dict)  # exact acronym -> entry id
    demonyms: dict[str, str] = field(default_factory=dict)  # adjective -> state entry id
    places: frozenset[str] = frozenset()  # folded names of sub-national places (ISO 3166-2)
    loose: dict[str, str] = field(default_factory=dict)  # folded form without "the" -> entry id

    def add(self, entry: GazetteerEntry) -> None:
        """Register an entry and its surface forms (the first registration of a form wins)."""
        self.entries[entry.id] = entry
        for form in (entry.name, *entry.aliases):
            key = fold(form)
            if key:
                self.by_form.setdefault(key, entry.id)
                self.loose.setdefault(_without_articles(key), entry.id)
        for acronym in entry.acronyms:
            self.acronyms.setdefault(acronym, entry.id)

    def lookup(self, surface: str) -> GazetteerEntry | None:
        """Find the entry a surface form names, by exact acronym or folded name."""
        entry_id = self.acronyms.get(surface.strip())
        if entry_id is None:
            entry_id = self.by_form.get(fold(surface))
        return self.entries.get(entry_id) if entry_id else None

    def lookup_loose(self, surface: str) -> GazetteerEntry | None:
        """Like :meth:`lookup`, also ignoring articles inside the name.

        "WHO Global Code of Practice on International Recruitment of Health Personnel" is the
        code "on the International Recruitment ..." written without its article.
        """
        entry = self.lookup(surface)
        if entry is None:
            entry_id = self.loose.get(_without_articles(fold(surface)))
            entry = self.entries.get(entry_id) if entry_id else None
        return entry

    def is_place(self, surface: str) -> bool:
        """Whether a surface form names a sub-national place ("São Paulo", "Ilocos Norte")."""
        return fold(surface) in self.places

    def state(self, surface: str) -> GazetteerEntry | None:
        """Find a state by name, alias or official form; None for anything else."""
        entry = self.lookup(surface)
        return entry if entry is not None and entry.type == "state" else None


def _data(folder: str, name: str) -> str:
    return (files("migkg.extract") / folder / name).read_text(encoding="utf-8")


def load_pattern_file(name: str) -> list[dict[str, Any]]:
    """Read a JSONL file of ``patterns/`` (one JSON object per line, ``#`` comments allowed)."""
    return [
        json.loads(line)
        for line in _data("patterns", name).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def load_word_list(name: str) -> frozenset[str]:
    """Read a one-item-per-line list of ``patterns/`` (``#`` comments allowed)."""
    return frozenset(
        line.strip()
        for line in _data("patterns", name).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def _jsonl_entries(name: str, entity_type: str) -> list[GazetteerEntry]:
    entries = []
    for line in _data("gazetteers", name).splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        attributes = []
        for key in ("parent", "country", "year", "symbol"):
            if record.get(key) not in (None, ""):
                attributes.append((key, str(record[key])))
        entries.append(
            GazetteerEntry(
                id=record["id"],
                type=entity_type,
                name=record["name"],
                kind=record["kind"],
                acronyms=tuple(record.get("acronyms") or ()),
                aliases=tuple(record.get("aliases") or ()),
                attributes=tuple(attributes),
            )
        )
    return entries


def _tsv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_data("gazetteers", name).splitlines(), delimiter="\t"))


def _state_entries() -> list[GazetteerEntry]:
    extra: dict[str, list[str]] = {}
    for row in _tsv("state_aliases.tsv"):
        extra.setdefault(row["iso3"], []).append(row["alias"])
    entries = []
    for country in pycountry.countries:
        forms = {country.name}
        for attribute in ("official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                forms.add(value)
        # pycountry writes UN-style inverted names ("Korea, Republic of"); keep them only as
        # aliases for lookup, the display name is the common or short name.
        aliases = sorted(forms | set(extra.get(country.alpha_3, [])))
        display = getattr(country, "common_name", None) or country.name
        entries.append(
            GazetteerEntry(
                id=f"state-{country.alpha_3.lower()}",
                type="state",
                name=display,
                kind="state",
                aliases=tuple(a for a in aliases if a != display),
                attributes=(
                    ("iso2", country.alpha_2),
                    ("iso3", country.alpha_3),
                    ("m49", country.numeric),
                ),
            )
        )
    return entries


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load every gazetteer file once per process."""
    gazetteer = Gazetteer()
    # States first: a state's own name must never be shadowed by an alias elsewhere.
    for entry in _state_entries():
        gazetteer.add(entry)
    for entry in _jsonl_entries("organizations.jsonl", "organization"):
        gazetteer.add(entry)
    for entry in _jsonl_entries("frameworks.jsonl", "framework"):
        gazetteer.add(entry)
    for row in _tsv("demonyms.tsv"):
        gazetteer.demonyms[row["adjective"]] = f"state-{row['iso3'].lower()}"
    # Provinces, regions and their cities of the same name: places, never people or states.
    gazetteer.places = frozenset(
        key
        for key in (fold(subdivision.name) for subdivision in pycountry.subdivisions)
        if key and key not in gazetteer.by_form
    )
    return gazetteer
