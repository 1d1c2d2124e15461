"""Word search over what the worker and the desk wrote, without the database holding any word.

What a case says is encrypted (PRODUCT.md rule 4), so SQL cannot look inside it. Instead each case
keeps the set of its words, each stored only as a keyed hash (``blind_index``, an HMAC keyed by the
installation's secret): a dump of the table shows no word, and without the key nobody can even
test whether a guessed word is in it. A search hashes the words typed in the same way and looks for
cases holding all of them.

Words are the runs of letters, marks and digits, normalised (NFKC, casefold). Japanese, Chinese,
Burmese, Thai, Khmer and Lao do not separate words with spaces, and no dictionary segmenter (MeCab,
jieba, a Burmese syllable breaker with its dictionary) is installed or reachable from these
machines; so those scripts are cut into overlapping pieces of two characters (bigrams, as Lucene's
CJK analyser does), each character taken with its combining marks: "パスポート" is indexed as
パス, スポ, ポー, ート, and a search for it finds every text holding those four pieces. A single such
character alone is too short to index.

Latin-script words are also indexed without their accents, because workers often type on phones
without them: a search for "luong" finds "lương" (a search typed with accents stays exact).

The limits, known and accepted: the hashes hide words, not how often a hash occurs across cases,
so someone with a dump and outside statistics of word frequencies could guess the commonest ones;
and changing SECRET_KEY makes every stored hash stale until the cases are indexed again.
"""

import unicodedata
from collections.abc import Iterator

from django.db import transaction

from koe.cases.models import Case, CaseSearchToken
from koe.core.crypto import blind_index

PURPOSE = "case-search"
MIN_WORD_LENGTH = 2
BATCH = 500  # rows a statement, well under SQLite's limit on parameters

# The commonest grammatical words of the desk's languages written with spaces: they would be in
# nearly every case, so indexing them costs rows and finds nothing. Kept short on purpose: a word
# that could be what someone searches for ("không", "no") stays.
STOP_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": "the and of to in is it was for on my me at an are be with that this",
        "vi": "và là của có tôi em anh cho các những được một này thì mà với để trong",
        "tl": "ang ng sa na at mga ay ko si ako ka nang",
        "id": "dan yang di ke dari ini itu untuk saya dengan ada",
        "pt-br": "de que em um uma os as do da no na eu para com por",
        "es": "de que en el la los las un una por con para mi me",
    }.items()
}
ANY_LANGUAGE = frozenset().union(*STOP_WORDS.values())

# Scripts written without spaces between words (Unicode blocks).
_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3005, 0x3007),  # ideographic iteration mark, closing mark, number zero
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA9E0, 0xA9FF),  # Myanmar extended B
    (0xAA60, 0xAA7F),  # Myanmar extended A
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)
_MYANMAR_STACKER = "\u1039"  # joins the next consonant to this syllable


def _is_unspaced(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in _UNSPACED_RANGES)


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def _clusters(text: str) -> Iterator[str]:
    """Characters with their combining marks (a Burmese syllable's stacked consonant included),
    so that a piece never splits a vowel sign from its consonant."""
    cluster = ""
    for char in text:
        joins = unicodedata.category(char)[0] == "M" or cluster.endswith(_MYANMAR_STACKER)
        if cluster and not joins:
            yield cluster
            cluster = ""
        cluster += char
    if cluster:
        yield cluster


def _runs(text: str) -> Iterator[tuple[bool, list[str]]]:
    """Runs of word clusters, each marked as written without spaces or not."""
    run: list[str] = []
    unspaced = False
    for cluster in _clusters(text):
        if not _is_word_char(cluster[0]):
            if run:
                yield unspaced, run
            run = []
            continue
        kind = _is_unspaced(cluster[0])
        if run and kind != unspaced:
            yield unspaced, run
            run = []
        unspaced = kind
        run.append(cluster)
    if run:
        yield unspaced, run


def _without_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def _is_latin(word: str) -> bool:
    # Basic Latin to Latin Extended-B, and Latin Extended Additional (Vietnamese "ộ", "ế").
    return all(ord(ch) < 0x0250 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in word)


def words_of(text: str, language: str = "", *, for_query: bool = False) -> set[str]:
    """The words (and two-character pieces) a text is found by, in plain text: never stored.

    ``language`` chooses the stop words dropped; empty means those of every language, as a
    search may be typed in any of them (so a query never asks for a word its case dropped).
    """
    normalised = unicodedata.normalize("NFKC", text).casefold()
    stop = STOP_WORDS.get(language, ANY_LANGUAGE) if language else ANY_LANGUAGE
    words: set[str] = set()
    for unspaced, run in _runs(normalised):
        if unspaced:
            words.update(run[i] + run[i + 1] for i in range(len(run) - 1))
            continue
        word = "".join(run)
        if len(word) < MIN_WORD_LENGTH or word in stop:
            continue
        words.add(word)
        if not for_query and _is_latin(word):
            words.add(_without_accents(word))
    return words


def tokens_of(text: str, language: str = "") -> set[str]:
    """The keyed hashes of a text's words, as stored in ``CaseSearchToken``."""
    return {blind_index(word, PURPOSE) for word in words_of(text, language)}


def query_tokens(text: str) -> set[str]:
    """The hashes a case must all hold to match a search typed as ``text``."""
    return {blind_index(word, PURPOSE) for word in words_of(text, for_query=True)}


def _texts_of(case: Case) -> Iterator[tuple[str, str]]:
    """Everything searchable on the case, with its language. Internal notes are included: only
    desk staff search, and they read the notes anyway; a role that may see a case but not its
    notes would need the notes' words kept apart first."""
    yield case.account, case.language
    yield case.employer_named, ""
    for body, language in case.messages.values_list("body", "language"):
        yield body, language
    for body in case.notes.values_list("body", flat=True):
        yield body, case.language


def index_text(case: Case, text: str, language: str) -> None:
    """Adds the words of one new text (a message, a note) to the case's tokens. Those texts are
    only ever added, so nothing needs rebuilding; a word already there is skipped by the unique
    (case, token) pair, so two texts indexed at once need no lock either."""
    new = [CaseSearchToken(case_id=case.pk, token=token) for token in tokens_of(text or "", language)]
    CaseSearchToken.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)


@transaction.atomic
def index_case(case: Case) -> None:
    """Rebuild the case's search tokens from all its texts. The case row is locked, so two
    messages posted at once are indexed one after the other and neither loses the other's words."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    wanted: set[str] = set()
    for text, language in _texts_of(case):
        wanted |= tokens_of(text or "", language)
    stored = CaseSearchToken.objects.filter(case=case)
    present = set(stored.values_list("token", flat=True))
    stale = list(present - wanted)  # usually none: texts are added, rarely changed
    for start in range(0, len(stale), BATCH):
        stored.filter(token__in=stale[start : start + BATCH]).delete()
    new = [CaseSearchToken(case=case, token=token) for token in wanted - present]
    CaseSearchToken.objects.bulk_create(new, batch_size=BATCH)
