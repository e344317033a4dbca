"""File names for recipients: safe everywhere, readable, unique, short enough, whatever the names hold."""

from __future__ import annotations

import unicodedata

import pytest

from briefs.naming import FALLBACK_STEM, MAX_NAME_BYTES, STEM_BYTES, safe_stem, unique_stems

HOSTILE = [
    "../../etc/passwd",
    "/etc/passwd",
    "..\\..\\Windows\\system.ini",
    "C:\\Users\\x",
    'a<b>c:d"e|f?g*h',
    "CON",
    "nul",
    "Com1",
    "LPT9.txt",
    "aux .docx",
    "CONIN$",
    "tab\there\nnewline\x00nul\x1bescape\x7fdel",
    ".hidden",
    "...",
    "  leading and trailing spaces  ",
    "trailing dots...",
    "-rf",
    "--help",
    "evil\u202egpj.exe",
    "zero\u200bwidth",
    "\ud800lone surrogate",
    "x" * 300,
    "山田太郎" * 75,
    "Zoë " * 100,
    "😀" * 100,
    "",
    " ",
    "\x00\x01",
    ".briefs-tmp-abc",
]
_FORBIDDEN = set('<>:"/\\|?*')


@pytest.mark.parametrize("name", HOSTILE)
def test_every_stem_is_safe_on_every_file_system(name: str) -> None:
    stem = safe_stem(name)
    assert stem
    assert not _FORBIDDEN & set(stem)
    assert not any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp") for c in stem)
    assert stem[0] not in ".- " and stem[-1] not in ". "
    assert stem.split(".")[0].rstrip().upper() not in {"CON", "NUL", "COM1", "LPT9", "AUX", "CONIN$"}
    assert len(stem.encode("utf-8")) <= STEM_BYTES
    assert len((stem + "-99.docx").encode("utf-8")) <= MAX_NAME_BYTES
    assert unicodedata.is_normalized("NFC", stem)


@pytest.mark.parametrize("name", HOSTILE)
def test_making_a_stem_safe_twice_changes_nothing(name: str) -> None:
    assert safe_stem(safe_stem(name)) == safe_stem(name)


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Anna Müller", "Anna Müller"),
        ("山田太郎", "山田太郎"),
        ("Ελένη Παπαδοπούλου", "Ελένη Παπαδοπούλου"),
        ("محمد", "محمد"),
        ("O'Brien & Sons, Ltd.", "O'Brien & Sons, Ltd"),
        ("../../etc/passwd", "etc_passwd"),
        ("a/b\\c", "a_b_c"),
        ("CON", "CON_"),
        ("con.tar.gz", "con_.tar.gz"),
        ("COM¹", "COM¹_"),
        ("Jane\tDoe\n", "Jane Doe"),
        ("evil\u202egpj.exe", "evilgpj.exe"),
        ("-rf", "rf"),
        (".hidden", "hidden"),
        ("", FALLBACK_STEM),
        ("\x00", FALLBACK_STEM),
    ],
)
def test_stems_stay_readable(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


def test_names_are_normalised_to_nfc() -> None:
    assert safe_stem("Zoe\u0308") == "Zoë"


def test_long_names_are_cut_by_utf8_bytes_not_characters() -> None:
    japanese = safe_stem("山" * 300)
    assert japanese == "山" * (STEM_BYTES // 3)
    assert len(safe_stem("x" * 300).encode()) == STEM_BYTES


def test_a_cut_never_parts_a_letter_from_its_accent() -> None:
    name = "q\u0301" * 200  # q with an acute accent has no precomposed form: two code points after NFC
    stem = safe_stem(name)
    assert len(stem.encode()) <= STEM_BYTES
    assert stem.endswith("q\u0301")


def test_joined_emoji_are_kept_whole() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert safe_stem(family) == family
    assert not safe_stem(family * 40).endswith("\u200d")


def test_duplicates_get_numbered_in_order() -> None:
    assert unique_stems(["Anna", "Bob", "Anna", "Anna"]) == ["Anna", "Bob", "Anna-2", "Anna-3"]


def test_names_equal_after_case_folding_are_told_apart() -> None:
    assert unique_stems(["Anna", "ANNA", "anna", "Straße", "STRASSE"]) == ["Anna", "ANNA-2", "anna-3", "Straße", "STRASSE-2"]


def test_names_equal_once_made_safe_are_told_apart() -> None:
    stems = unique_stems(["a/b", "a\\b", "a_b", "a:b", "../a_b"])
    assert stems == ["a_b", "a_b-2", "a_b-3", "a_b-4", "a_b-5"]


def test_a_literal_suffix_in_the_names_is_not_handed_out_twice() -> None:
    stems = unique_stems(["Anna", "Anna-2", "Anna"])
    assert stems == ["Anna", "Anna-2", "Anna-3"]
    assert len({s.casefold() for s in stems}) == 3


def test_long_duplicates_keep_their_suffix_within_the_limit() -> None:
    stems = unique_stems(["山" * 300] * 12)
    assert len({s.casefold() for s in stems}) == 12
    assert stems[11].endswith("-12")
    assert all(len(s.encode()) <= STEM_BYTES for s in stems)


def test_reserved_stems_are_never_handed_out() -> None:
    assert unique_stems(["investor", "Investor", "Anna"], reserved=["investor"]) == ["investor-2", "Investor-3", "Anna"]


def test_naming_is_deterministic() -> None:
    names = [n for n in HOSTILE if n] * 2
    assert unique_stems(names) == unique_stems(list(names))
    assert len({s.casefold() for s in unique_stems(names)}) == len(names)


def test_a_name_of_200_japanese_characters_fits_the_file_name_limit_in_bytes() -> None:
    name = "山田太郎の長い名前" * 22 + "山田"
    stem = safe_stem(name)
    assert len(name) == 200 and len(stem.encode("utf-8")) <= STEM_BYTES < len(stem.encode("utf-8")) + 3
    assert name.startswith(stem) and len((stem + "-99.redline.docx").encode("utf-8")) <= 255
