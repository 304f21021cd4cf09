from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from migkg.extract.normalize import normalize_text


def test_page_split_sentence_is_rejoined() -> None:
    original = "Berhane Gebre-Christos (Special Envoy for Regional\n\nAffairs, Ethiopia) spoke."
    norm = normalize_text(original)
    assert (
        norm.text == "Berhane Gebre-Christos (Special Envoy for Regional Affairs, Ethiopia) spoke."
    )


def test_hyphen_at_line_end_joins_the_word() -> None:
    norm = normalize_text("the Deputy Director-\n\nGeneral Laura Thompson said")
    assert "Director-General Laura Thompson" in norm.text


def test_list_items_and_table_cells_stay_apart() -> None:
    norm = normalize_text("Speakers:\n• Ana Pérez, IOM\n• Luis Gómez, ILO\nIOM\tInternational Org")
    assert norm.text.splitlines() == [
        "Speakers:",
        "Ana Pérez, IOM",
        "Luis Gómez, ILO",
        "IOM",
        "International Org",
    ]


def test_markup_and_footnotes_are_removed_but_offsets_point_into_the_original() -> None:
    original = "<p>The **New York Declaration**.¹¹ It<sup>2</sup> matters &amp; more</p>"
    norm = normalize_text(original)
    assert norm.text == "The New York Declaration. It matters & more"
    start = norm.text.index("New York Declaration")
    begin, end = norm.to_original(start, start + len("New York Declaration"))
    assert original[begin:end] == "New York Declaration"


def test_markdown_headings_quotes_and_escapes() -> None:
    norm = normalize_text("### **I. Introduction**\n> We decide.\nissue\\_brief \\$440")
    assert norm.text.splitlines() == ["I. Introduction", "We decide.", "issue_brief $440"]


def test_a_run_in_bold_heading_ends_before_the_text_after_it() -> None:
    original = (
        "09.00\t<b>PANEL 1: Governance of migration</b> To implement the Agenda, States met.\n"
        "The <b>IOM</b> Director spoke. <b>Note</b> this.\n<b>Heading.</b> Text follows."
    )
    norm = normalize_text(original)
    assert norm.text.splitlines() == [
        "09.00",
        "PANEL 1: Governance of migration",
        "To implement the Agenda, States met.",
        # inline bold, or a heading that ends its own sentence, does not break the line
        "The IOM Director spoke. Note this.",
        "Heading. Text follows.",
    ]
    start = norm.text.index("To implement")
    assert original[slice(*norm.to_original(start, start + 12))] == "To implement"


def test_a_footnote_that_interrupts_a_sentence_moves_after_its_paragraph() -> None:
    original = (
        "As Azzouz Samri, Head of the Governing Bodies\n\n¹⁰ International Organization for "
        'Migration, "Regional processes".\n\nDivision of IOM, pointed out that IDMs help.\n\n'
        "Next paragraph."
    )
    norm = normalize_text(original)
    assert norm.text.splitlines() == [
        "As Azzouz Samri, Head of the Governing Bodies Division of IOM, pointed out that IDMs "
        "help.",
        'International Organization for Migration, "Regional processes".',
        "Next paragraph.",
    ]
    for phrase in ("Governing Bodies Division", "International Organization", "Next"):
        start = norm.text.index(phrase)
        begin, stop = norm.to_original(start, start + len(phrase))
        kept = original[begin:stop]
        assert kept.startswith(phrase.split()[0]) and kept.endswith(phrase.split()[-1])


def test_a_photo_credit_closes_its_caption() -> None:
    norm = normalize_text(
        "Opening Session, IDM New York, 26 March 2018. Guy Ryder, ILO. © IOM/Rahma Soliman\n\n"
        "Both workshops stimulated rich discussions."
    )
    assert norm.text.splitlines()[-1] == "Both workshops stimulated rich discussions."


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_offsets_map_back_to_the_same_characters(original: str) -> None:
    norm = normalize_text(original)
    assert len(norm.offsets) == len(norm.text)
    if not any(c in original for c in "⁰¹²³⁴⁵⁶⁷⁸⁹"):
        assert list(norm.offsets) == sorted(norm.offsets)  # only moved footnotes go back
    for index, char in enumerate(norm.text):
        assert 0 <= norm.offsets[index] < len(original)
        if char.isalnum():
            assert original[norm.offsets[index]] == char


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \n\t*<>#-¹.,()", max_size=120))
def test_span_mapping_covers_its_characters(original: str) -> None:
    norm = normalize_text(original)
    for start in range(len(norm.text)):
        for end in range(start + 1, min(len(norm.text), start + 6) + 1):
            begin, stop = norm.to_original(start, end)
            assert 0 <= begin < stop <= len(original)
            kept = [c for c in norm.text[start:end] if c.isalnum()]
            assert all(c in original[begin:stop] for c in kept)
