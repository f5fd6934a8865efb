"""Vietnamese text: normalization, diacritic folding for search, the Vietnamese sort order, shares as text."""

import re
import unicodedata
from fractions import Fraction

_SPACES = re.compile(r"\s+")

# The Vietnamese alphabet in dictionary order (with the Latin letters that occur in foreign names).
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER_RANK = {letter: f"{i + 1:02d}" for i, letter in enumerate(_ALPHABET)}
# Tone marks, in the order dictionaries use: level, grave, hook, tilde, acute, dot below.
_TONE_RANK = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: they make ă â ê ô ơ ư


def normalize_text(value: str | None) -> str:
    """Trim, collapse inner white space and store in NFC (the form every search assumes)."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value: str | None) -> str:
    """Lower-case ASCII form for diacritic-insensitive search: 'Nguyễn Văn Đạt' -> 'nguyen van dat'."""
    text = normalize_text(value).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _letters(word: str) -> tuple[str, str]:
    """Primary key (letters) and secondary key (tones) of one lower-case word."""
    primary, tones = [], []
    for ch in word:
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        shaped = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _SHAPE_MARKS))
        rank = _LETTER_RANK.get(shaped) or _LETTER_RANK.get(base)
        if rank is None:
            if not base.isalnum():
                continue
            rank = "99"
        primary.append(rank)
        tones.append(next((_TONE_RANK[m] for m in marks if m in _TONE_RANK), "0"))
    return "".join(primary), "".join(tones)


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name."""
    parts = normalize_text(full_name).split(" ")
    if len(parts) == 1:
        return "", "", parts[0]
    return parts[0], " ".join(parts[1:-1]), parts[-1]


def vietnamese_sort_key(full_name: str) -> str:
    """A digits-only key that orders names the Vietnamese way: by given name, then family, then middle.

    Digits compare the same under every database collation, so ORDER BY on the stored key agrees
    between SQLite and PostgreSQL whatever locale the server runs in.
    """
    family, middle, given = split_name(full_name.lower())
    primaries, tones = [], []
    for part in (given, family, middle):
        p, t = _letters(part.replace(" ", ""))
        primaries.append(p)
        tones.append(t)
    return "00".join(primaries) + "00" + "".join(tones)


def fraction_text(share: Fraction) -> str:
    """'2/3', as the Party's documents write a share of votes."""
    return f"{share.numerator}/{share.denominator}"


def percent_text(share: Fraction) -> str:
    """'3,5%', as Vietnamese text writes a percentage (decimal comma)."""
    return f"{float(share * 100):g}%".replace(".", ",")


_DIGITS = re.compile(r"(\d+)")


def _dictionary_key(text: str) -> str:
    """Digits-only key of a phrase in Vietnamese dictionary order, word by word (letters, then tones)."""
    primaries, tones = [], []
    for word in text.split(" "):
        p, t = _letters(word)
        primaries.append(p)
        tones.append(t)
    return "00".join(primaries) + "00" + "".join(tones)


def natural_sort_key(text: str | None) -> tuple:
    """A key that orders names the way people count: 'Khu phố 2' before 'Khu phố 10', 'Tổ 9' before 'Tổ 10',
    the words in Vietnamese dictionary order ('Đ' after 'D'). The one ordering of unit and group names.

    Splitting on digit runs puts text at even positions and numbers at odd ones, so any two keys compare
    position by position without mixing types."""
    parts = _DIGITS.split(normalize_text(text).lower())
    return tuple(int(part) if i % 2 else _dictionary_key(part.strip()) for i, part in enumerate(parts))
