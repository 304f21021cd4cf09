"""Write an N-times corpus for scale benchmarks: the corpus documents, copied with variations.

Copy 0 of every document is the original, byte for byte (so ``--factor 1`` is the real corpus).
Every further copy keeps the text's layout but varies what the extractor has to recognise and
what entity resolution has to merge, so that the copies are not identical:

- person names: first names and surnames found in the corpus (after honorifics, or before a
  role title: "Mr Lauber", "Louise Arbour, Special Representative") are swapped, per copy, for
  others from the same pools, so the copies hold recombined names ("Louise Lauber");
- states: pycountry country names found in the text are swapped for other pycountry countries;
- frameworks: surface forms from the gazetteer (``frameworks.jsonl``: name and aliases) are
  swapped for another known form of the same framework;
- dates: years are shifted by a few years, and full dates ("19 September 2016", "18–19 April
  2017", "June 6, 2017") by the same years plus a few days.

The output is deterministic for a given ``--seed``. It is never written inside the repository.

    python bench/make_corpus.py [--factor 100] [--out DIR] [--seed 0] [--source CORPUS]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pycountry

__all__ = ["CorpusInfo", "Variator", "make_corpus"]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "corpus"
SUFFIXES = {".txt", ".md", ".html", ".htm"}
MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]
_MONTH = "|".join(MONTHS)
_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LOWER = "a-zß-öø-ÿā-ž"
_CAP = rf"[{_UPPER}][{_LOWER}'’]+(?:-[{_UPPER}][{_LOWER}]+)?"
_PARTICLE = r"(?:de|da|del|dos|das|van|von|der|la|le|bin|al)"
_NAME = rf"((?:{_CAP}|[A-Z]\.)(?:[ \t]+(?:{_PARTICLE}[ \t]+)?(?:{_CAP}|[A-Z]\.)){{0,3}})"


@dataclass(frozen=True, slots=True)
class CorpusInfo:
    """What :func:`make_corpus` wrote."""

    out: Path
    files: int
    bytes: int
    words: int


def _pattern_words(name: str) -> set[str]:
    text = (files("migkg.extract") / "patterns" / name).read_text(encoding="utf-8")
    return {line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"}


def _alternation(forms: list[str]) -> str:
    # Longest first: Python's regex takes the first alternative that matches, not the longest.
    return "|".join(re.escape(f) for f in sorted(set(forms), key=lambda f: (-len(f), f)))


def _state_names() -> tuple[dict[str, str], list[str]]:
    """pycountry names (and common names) by alpha-3 code, and the names to swap in."""
    names: dict[str, str] = {}
    targets = []
    for country in pycountry.countries:
        official = getattr(country, "official_name", None)
        for name in (country.name, getattr(country, "common_name", None), official):
            if name and "," not in name and "(" not in name:
                names[name] = country.alpha_3
        target = getattr(country, "common_name", None) or country.name
        if "," not in target and "(" not in target:
            targets.append(target)
    aliases = (files("migkg.extract") / "gazetteers" / "state_aliases.tsv").read_text("utf-8")
    for line in aliases.splitlines()[1:]:
        alias, _, code = line.partition("\t")
        if alias and code and "(" not in alias:
            names.setdefault(alias, code)
    return names, sorted(targets)


def _framework_forms() -> dict[str, list[str]]:
    """Each framework surface form (name or alias) mapped to all forms of its framework."""
    forms: dict[str, list[str]] = {}
    text = (files("migkg.extract") / "gazetteers" / "frameworks.jsonl").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        # Acronyms stay as they are: they are defined in the text ("... Migration (GCM)"), and
        # a lone acronym swapped in elsewhere would lose its definition.
        known = sorted({entry["name"], *entry["aliases"]})
        for form in known:
            if len(form) >= 6:
                forms.setdefault(form, known)
    return forms


def _gazetteer_words() -> set[str]:
    """Every word of an organization's or framework's name or alias."""
    words: set[str] = set()
    for name in ("organizations.jsonl", "frameworks.jsonl"):
        text = (files("migkg.extract") / "gazetteers" / name).read_text("utf-8")
        for line in text.splitlines():
            if line.strip():
                entry = json.loads(line)
                for form in (entry["name"], *entry["aliases"]):
                    words.update(form.split())
    return words


def _person_tokens(corpus: str, states: set[str]) -> tuple[list[str], list[str]]:
    """First names and surnames found in the corpus, in sorted order."""
    honorifics = _pattern_words("honorifics.txt")
    titles = _pattern_words("title_words.txt")
    stop = (
        honorifics
        | titles
        | _pattern_words("org_heads.txt")
        | _pattern_words("framework_heads.txt")
        | set(MONTHS)
        | {word for state in states for word in state.split()}
        | _gazetteer_words()
        | {"Emerita", "Emeritus", "Extraordinary", "Plenipotentiary"}
    )
    # Places: a word that ever follows "in", "at", "from" or "New" is not taken for a name.
    stop |= set(re.findall(rf"\b(?:in|at|from|New) ([{_UPPER}][\w-]*)", corpus))
    lower = set(re.findall(rf"(?<!\w)[{_LOWER}][\w-]*", corpus))
    after_honorific = re.compile(
        rf"\b(?:{_alternation([h.rstrip('.') for h in honorifics])})\.?[ \t]+{_NAME}"
    )
    before_title = re.compile(rf"\b{_NAME},[ \t]+(?:{_alternation(sorted(titles))})\b")

    def usable(token: str) -> bool:
        return (
            len(token) >= 3
            and token not in stop
            and token.lower() not in lower
            and not token.endswith(("'s", "’s", "."))
            and not token.isupper()
        )

    firsts: set[str] = set()
    lasts: set[str] = set()
    for pattern in (after_honorific, before_title):
        for match in pattern.finditer(corpus):
            tokens = match.group(1).split()
            while tokens and not usable(tokens[0]):
                tokens.pop(0)  # "Regular Migration Martin Chungong": list text before the name
            if not tokens or not usable(tokens[-1]):
                continue
            lasts.add(tokens[-1])
            if len(tokens) >= 2:
                firsts.add(tokens[0])
    return sorted(firsts - lasts), sorted(lasts)


class Variator:
    """Rewrites a document's text for one copy (see the module docstring)."""

    def __init__(self, texts: list[str]) -> None:
        corpus = "\n".join(texts)
        state_codes, self.state_targets = _state_names()
        self.states = sorted(n for n in state_codes if re.search(rf"\b{re.escape(n)}\b", corpus))
        all_forms = _framework_forms()
        self.framework_forms = {f: v for f, v in all_forms.items() if f in corpus}
        self.firsts, self.lasts = _person_tokens(corpus, set(state_codes))
        self._pattern = re.compile(
            rf"(?<![\w/])(?P<framework>{_alternation(list(self.framework_forms))})(?![\w/])"
            rf"|(?<![\w/.])(?P<range>(?P<rd1>\d{{1,2}})[–-](?P<rd2>\d{{1,2}}) (?P<rm>{_MONTH}),? "
            rf"(?P<ry>(?:19|20)\d\d))(?![\w/])"
            rf"|(?<![\w/.])(?P<dmy>(?P<d>\d{{1,2}}) (?P<dm>{_MONTH}),? (?P<dy>(?:19|20)\d\d))"
            rf"(?![\w/])"
            rf"|(?<![\w/])(?P<mdy>(?P<mm>{_MONTH}) (?P<md>\d{{1,2}}), (?P<my>(?:19|20)\d\d))"
            rf"(?![\w/])"
            rf"|(?<![\w/])(?P<state>{_alternation(self.states)})(?![\w/])"
            rf"|(?<![\w/.-])(?P<year>19[4-9]\d|20[0-4]\d)(?![\w/]|[-.]\d)"
            rf"|(?<![\w-])(?P<word>[{_UPPER}][\w-]*)"
        )

    def vary(self, text: str, rng: random.Random) -> str:
        """The text with this copy's names, states, frameworks and dates."""
        years = rng.choice([-6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6])
        days = rng.randint(-20, 20)
        targets = rng.sample(self.state_targets, len(self.states))
        states = dict(zip(self.states, targets, strict=True))
        names = {n: rng.choice(self.firsts) for n in self.firsts}
        names.update({n: rng.choice(self.lasts) for n in self.lasts})
        frameworks = {f: rng.choice(forms) for f, forms in sorted(self.framework_forms.items())}

        def shift(day: int, month: str, year: int) -> dt.date:
            try:
                date = dt.date(year, MONTHS.index(month) + 1, day)
            except ValueError:  # "31 June" in the source: keep the day as it stands
                date = dt.date(year, MONTHS.index(month) + 1, 1)
            moved = date + dt.timedelta(days=days)
            try:
                return moved.replace(year=moved.year + years)
            except ValueError:  # 29 February
                return moved.replace(year=moved.year + years, day=28)

        def replace(match: re.Match[str]) -> str:
            kind = match.lastgroup
            if kind == "framework":
                return frameworks[match.group("framework")]
            if kind == "range":
                first = shift(int(match.group("rd1")), match.group("rm"), int(match.group("ry")))
                last = shift(int(match.group("rd2")), match.group("rm"), int(match.group("ry")))
                if last.month != first.month or last.day < first.day:
                    last = first
                return f"{first.day}–{last.day} {first:%B} {first.year}"
            if kind == "dmy":
                date = shift(int(match.group("d")), match.group("dm"), int(match.group("dy")))
                return f"{date.day} {date:%B} {date.year}"
            if kind == "mdy":
                date = shift(int(match.group("md")), match.group("mm"), int(match.group("my")))
                return f"{date:%B} {date.day}, {date.year}"
            if kind == "state":
                return states[match.group("state")]
            if kind == "year":
                return str(int(match.group("year")) + years)
            word = match.group("word")
            return names.get(word, word)

        return self._pattern.sub(replace, text)


def _sources(source: Path) -> list[Path]:
    if not source.is_dir():
        raise SystemExit(f"make_corpus: {source} is not a folder")
    found = sorted(
        p
        for p in source.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.lower().startswith("readme")
    )
    if not found:
        raise SystemExit(f"make_corpus: no documents in {source}")
    return found


def _check_out(out: Path) -> Path:
    out = out.resolve()
    if out == REPO or REPO in out.parents:
        raise SystemExit(f"make_corpus: {out} is inside the repository; choose another --out")
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"make_corpus: {out} exists and is not empty")
    out.mkdir(parents=True, exist_ok=True)
    return out


def make_corpus(
    factor: int, out: Path | None = None, *, seed: int = 0, source: Path = DEFAULT_SOURCE
) -> CorpusInfo:
    """Write ``factor`` copies of every document under ``source`` into ``out``.

    ``out`` defaults to a new temporary directory. Copy 0 keeps the original file names and
    bytes; copy ``k`` is ``x{k:03d}_{name}``, varied with a generator seeded by ``seed`` and
    ``k``.
    """
    if factor < 1:
        raise SystemExit("make_corpus: --factor must be at least 1")
    paths = _sources(source)
    target = (
        _check_out(out)
        if out is not None
        else Path(tempfile.mkdtemp(prefix=f"migkg-corpus-x{factor}-"))
    )
    texts = [p.read_text(encoding="utf-8") for p in paths]
    variator = Variator(texts) if factor > 1 else None
    written = words = 0
    for copy in range(factor):
        rng = random.Random(f"{seed}:{copy}")
        for path, text in zip(paths, texts, strict=True):
            if copy == 0 or variator is None:
                (target / path.name).write_bytes(path.read_bytes())
                varied = text
            else:
                varied = variator.vary(text, rng)
                (target / f"x{copy:03d}_{path.name}").write_text(varied, encoding="utf-8")
            written += len(varied.encode("utf-8"))
            words += len(varied.split())
    return CorpusInfo(target, factor * len(paths), written, words)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=100, help="copies of the corpus (100)")
    parser.add_argument("--out", type=Path, help="output directory (default: a new temp dir)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the variations (0)")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the corpus")
    args = parser.parse_args(argv)
    info = make_corpus(args.factor, args.out, seed=args.seed, source=args.source)
    print(f"{info.files} files, {info.bytes / 1e6:.1f} MB, {info.words:,} words", file=sys.stderr)
    print(info.out)


if __name__ == "__main__":
    main()
