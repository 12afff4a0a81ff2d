"""Many words found in one pass (issue 16, rules speed): the Aho–Corasick search finds
what a plain search finds, and the two readers built on it (the mechanisms and the
gazetteer) find what they found by scanning."""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from zsextract.datafiles import load_data
from zsextract.patterns import leading_words, scanner
from zsextract.readers import article_words as article_words_module
from zsextract.readers import gazetteer, mechanisms
from zsextract.readers.article_words import article_words
from zsextract.readers.spans import negated
from zsextract.text.clean import clean_text
from zsextract.wordsearch import WordSearch

_WORDS = st.lists(st.text(alphabet="甲乙丙a𠀀", min_size=1, max_size=4), min_size=1, max_size=8)


def _every(words: list[str], text: str) -> set[tuple[str, int, int]]:
    """Every occurrence of every word, found one start at a time."""
    return {(w, i, i + len(w)) for w in words for i in range(len(text)) if text.startswith(w, i)}


@settings(max_examples=300, deadline=None)
@given(_WORDS, st.text(alphabet="甲乙丙a𠀀，", max_size=60))
@example(["江苏", "江苏省", "苏州"], "在江苏省苏州市江苏")
def test_every_occurrence_is_found_with_character_offsets(words: list[str], text: str) -> None:
    search = WordSearch(words)
    found = search.find(text)
    assert {(search.words[k], a, b) for k, a, b in found} == _every(words, text)
    assert len(found) == len(set(found))  # each once
    assert [b for _, _, b in found] == sorted(b for _, _, b in found)


def test_an_empty_word_is_refused_and_no_words_find_nothing() -> None:
    with pytest.raises(ValueError, match="empty word"):
        WordSearch(["招商", ""])
    assert WordSearch([]).find("招商引资") == []
    assert WordSearch(["招商", "招商"]).words == ["招商"]


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("招商引资", ["招商引资"]),
        ("(?:招商)引资", ["招商引资"]),
        ("(?:书记|市长)带队", ["书记", "市长"]),
        ("(?<=[\u4e00-\u9fff])(?:洽会|博会)", ["洽会", "博会"]),  # after a lookbehind
        ("^招商", ["招商"]),
        ("(?=招)招商", ["招商"]),
        ("ab|cd", ["ab", "cd"]),
        (r"\+5", ["+5"]),
        ("招?商", None),  # the first character may be missing
        ("[甲乙]丙", None),  # a class: no word
        ("(?:|甲)乙", None),  # a branch that opens with nothing
        ("(?i)abc", None),  # the case of a letter is open
        ("甲*", None),
        ("(", None),  # not a pattern
    ],
)
def test_the_words_a_pattern_opens_with(pattern: str, words: list[str] | None) -> None:
    assert leading_words(pattern) == words


def _mechanism_pieces() -> list[str]:
    rules = load_data("rules")
    words = [w for m in load_data("taxonomy")["mechanisms"] for w in m["examples"]]
    words += [w for m in rules["mechanisms"].values() for w in m.get("words", [])]
    words += [w for ws in rules["mechanism_lists"].values() for w in ws]
    words += ["尚未", "不再", "洽会", "博会", "交会"]
    return sorted({*words, *(w[:1] for w in words), "，", "。", "未", "没有", "的", "企业", "\n"})


_MECHANISM_TEXT = st.lists(st.sampled_from(_mechanism_pieces()), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_MECHANISM_TEXT)
@example("尚未开展以商招商，以商招商成效明显。招商洽会")
def test_each_mechanism_starts_with_one_of_its_words(text: str) -> None:
    for term in mechanisms._mechanism_terms():
        assert term.openings is not None, term.code  # every code is searched by its words
        for m in term.pattern.finditer(text):
            assert any(text.startswith(w, m.start()) for w in term.openings), term.code


@settings(max_examples=300, deadline=None)
@given(_MECHANISM_TEXT)
@example("尚未开展以商招商，以商招商成效明显")  # the first mention is denied
@example("不再以商招商招商引资")
@example("常态化驻点招商")  # 驻点 ends first, 常态化驻点招商 starts first
def test_mechanisms_found_through_their_words_are_those_a_scan_finds(text: str) -> None:
    scanned = []
    for term in mechanisms._mechanism_terms():
        m = mechanisms._affirmed(term.pattern, text)
        if m:
            scanned.append((term.code, m.span()))
    assert [(code, m.span()) for code, m in mechanisms._first_mentions(text)] == scanned


def test_a_denied_mention_is_passed_over_to_the_next() -> None:
    words = load_data("rules")["negations"]
    text = "尚未开展以商招商，今年以商招商成效明显"
    assert negated(text, text.index("以商招商"), words)
    [term] = [t for t in mechanisms._mechanism_terms() if t.code == "business_referral"]
    starts = [m.start() for m in re.finditer("以商招商", text)]
    m = mechanisms._affirmed_at(term.pattern, text, starts)
    assert m is not None and m.start() == starts[1]


@pytest.mark.parametrize(
    "text",
    [
        "尚未甲乙丙，乙丙",  # denied 甲乙; 乙丙 inside it is no mention (finditer goes on after)
        "尚未乙丙，甲乙丙",
        "甲乙丙乙丙",
        "尚未甲乙，尚未乙丙",
    ],
)
def test_trying_a_pattern_at_its_words_finds_what_finditer_finds(text: str) -> None:
    pattern = scanner("甲乙|乙丙")
    starts = [i for i in range(len(text)) if text.startswith(("甲乙", "乙丙"), i)]
    got = mechanisms._affirmed_at(pattern, text, starts)
    want = mechanisms._affirmed(pattern, text)
    assert (got and got.span()) == (want and want.span())


@cache
def _division_pieces() -> list[str]:
    names = sorted(gazetteer._names())
    picked = [*names[::97], "江苏", "中江", "其中", "吉林", "吉林市", "海西州", "苏州", "州"]
    return sorted({*picked, *(n[:1] for n in picked), *(n[1:] for n in picked), "，", "在"})


def _mentions_one_start_at_a_time(text: str) -> list[tuple[int, list[object]]]:
    """The gazetteer's mentions read without the word search: at each position the
    longest name, then overlaps settled by weight, length, level and position."""
    names = gazetteer._names()
    longest_name = max(map(len, names))
    found = []
    for i in range(len(text)):
        for n in range(min(longest_name, len(text) - i), 1, -1):
            hit = names.get(text[i : i + n])
            if hit:
                weight = max(w for _, w in hit)
                top = min(d.level for d, _ in hit)
                found.append((weight, n, top, i, hit))
                break
    found.sort(key=lambda f: (-f[0], -f[1], f[2], f[3]))
    taken: set[int] = set()
    out = []
    for _, n, _, i, hit in found:
        if not taken & set(range(i, i + n)):
            taken |= set(range(i, i + n))
            out.append((i, hit))
    return sorted(out, key=lambda m: m[0])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_division_pieces()), max_size=25).map("".join))
@example("其中江苏省苏州市")
@example("吉林省吉林市海西州")
def test_division_names_found_through_the_word_search_are_those_read_one_by_one(
    text: str,
) -> None:
    assert gazetteer._mentions(text) == _mentions_one_start_at_a_time(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([*_division_pieces(), *_mechanism_pieces()]), max_size=30).map("".join)
)
@example("常态化驻点招商，其中江苏省苏州市")
def test_one_search_for_both_readers_finds_what_each_finds_alone(text: str) -> None:
    names, openings = article_words(text)
    assert sorted(names) == sorted(gazetteer.name_search().find(text))
    assert sorted(openings) == sorted(mechanisms.opening_search().find(text))


def test_the_gazetteer_reads_only_the_opening_of_a_long_text(monkeypatch) -> None:
    monkeypatch.setattr(article_words_module, "REGION_READ_CHARS", 10)
    names, _ = article_words("在江苏省苏州市。" + "以商招商，江苏省")
    assert [gazetteer.name_search().words[i] for i, _, _ in names] == [
        "江苏",
        "江苏省",
        "苏州",
        "苏州市",
    ]


# After a hostile review of the change (2026-12-02)


@pytest.mark.parametrize(
    ("text", "code"),
    [("大连沙河口区", "210204"), ("沙河口区", "210204"), ("辽宁省大连市沙河口区", "210204")],
)
def test_a_name_that_ends_the_text_is_read_at_its_own_length(text: str, code: str) -> None:
    """The loop before the word search took a name at the end of the text for as long
    as the longest name could be, so that 沙河口区 at the end lost to 河口区 (山东)."""
    found = gazetteer.find_region(text)
    assert found is not None and found.code == code


def test_a_region_given_as_metadata_is_found_at_the_end_of_its_text() -> None:
    import zsextract

    report = zsextract.extract("全市新签项目157个。", metadata={"region": "大连沙河口区"})
    assert (report.region_code, report.province) == ("210204", "辽宁省")


def test_a_lone_surrogate_is_searched_as_one_replaced_character() -> None:
    import zsextract

    search = WordSearch(["苏州", "州市"])
    assert search.find("苏州\ud800州市") == [(0, 0, 2), (1, 3, 5)]
    report = zsextract.extract("全市新签项目157个。", metadata={"region": "苏州市\ud800"})
    assert report.region_code == "320500"


def test_a_long_text_is_read_without_a_list_of_every_word(monkeypatch) -> None:
    """A text made of one word repeated would give a match per character: past
    WORD_SEARCH_CHARS the mechanisms are scanned code by code and the gazetteer reads
    only its opening, so no search runs over the whole text."""
    import zsextract

    searched: list[int] = []
    real = WordSearch.find

    def find(self: WordSearch, text: str) -> list[tuple[int, int, int]]:
        searched.append(len(text))
        return real(self, text)

    monkeypatch.setattr(WordSearch, "find", find)
    filler = "中山" * (mechanisms.WORD_SEARCH_CHARS // 2)
    text = "江苏省苏州市召开会议。\n" + filler + "\n尚未以商招商，今年以商招商成效明显。"
    assert article_words(text) == (None, None)
    report = zsextract.extract(text)
    assert max(searched) <= gazetteer.REGION_READ_CHARS
    assert "business_referral" in [m.code for m in report.mechanisms]
    doc = clean_text(text)
    assert [(c, m.span()) for c, m in mechanisms._first_mentions(doc.text)] == [
        (t.code, m.span())
        for t in mechanisms._mechanism_terms()
        if (m := mechanisms._affirmed(t.pattern, doc.text))
    ]


def test_a_scale_is_read_exactly_whatever_the_decimal_context() -> None:
    from decimal import localcontext

    from zsextract.readers import quantities

    quantities._scale.cache_clear()
    with localcontext() as context:
        context.prec = 3
        quantities.parse_chinese_number("1千万")
    assert str(quantities.parse_chinese_number("3千万")) == "30000000"


def test_the_opening_words_follow_the_terms_when_they_are_built_again(monkeypatch) -> None:
    taxonomy = {"mechanisms": [{"code": "x", "zh": "甲乙", "examples": ["丙丁"], "en": "x"}]}
    real = mechanisms.load_data
    mechanisms.find_mechanisms(clean_text("以商招商"))  # the search of the real terms
    monkeypatch.setattr(
        mechanisms, "load_data", lambda name: taxonomy if name == "taxonomy" else real(name)
    )
    mechanisms._mechanism_terms.cache_clear()
    try:
        assert [(c, m.group()) for c, m in mechanisms._first_mentions("以商招商，丙丁")] == [
            ("x", "丙丁")
        ]
        _, openings = article_words("以商招商，丙丁")
        assert mechanisms._first_mentions("以商招商，丙丁", openings)[0][0] == "x"
    finally:
        mechanisms._mechanism_terms.cache_clear()
