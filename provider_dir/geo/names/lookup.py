"""Look names up in the databases' text indexes (see ddl): clinics and clinicians of published clinics.

The index narrows the rows to a bounded list of candidates, best first by its own ranking (bm25 on SQLite,
trigram word similarity on PostgreSQL); fold.name_score then keeps and orders the few that really match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from rapidfuzz import fuzz, process
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from provider_dir.geo.names import ddl
from provider_dir.geo.names.fold import CONNECTIVES, WORD_MATCH, fold, name_score, query_words
from provider_dir.models.driver import sqlite_rows
from provider_dir.models.prepared import KeptPreparedConnection
from provider_dir.models.reads import driver_rows

CANDIDATES = 200  # most candidates read from the index for one look-up
ONE_LETTER_READ = 8  # names read per suggestion wanted when a typed word is left to name_score (one letter, "and")
PG_PREFIX_MIN_LETTERS = 2  # shorter words are left to name_score on PostgreSQL ('a:*' matches a third of the words)
# Only listed clinics are found, and never one closed for good (search applies the day's closures itself).
_LISTED = "c.status = 'published' AND c.closure <> 'permanently_closed'"
# Within a circle: the squared chord between the clinic's indexed x, y, z and the origin's (see geo.distance).
_NEAR = (" AND (c.geo_x - :x0) * (c.geo_x - :x0) + (c.geo_y - :y0) * (c.geo_y - :y0)"
         " + (c.geo_z - :z0) * (c.geo_z - :z0) <= :c2")
# Lower than pg_trgm's default 0.6 so that a misspelt word still finds candidates; name_score judges them.
PG_WORD_THRESHOLD = "0.3"


@dataclass(frozen=True)
class NameMatch:
    """A clinic found by its name or by one of its clinicians' names."""

    clinic_id: int
    clinic_name: str
    slug: str
    city: str
    state: str
    staff_id: int | None  # the clinician whose name matched, if it was a clinician's
    staff_name: str | None
    score: float

    @property
    def matched_name(self) -> str:
        """The name that matched: the clinician's or the clinic's."""
        return self.staff_name or self.clinic_name


def find_names(session: Session, typed: str, limit: int = CANDIDATES, *, fuzzy: bool = True,
               near: dict | None = None, respell: bool = False) -> list[NameMatch]:
    """Return clinics and clinicians whose names match what was typed, best first (at most limit).

    Without fuzzy, only word and prefix matches are read, and the first clinics and clinicians the
    index yields are taken without ranking them all (the cheap path of suggestions: every one of them matches
    every word, and a short prefix can match most of the directory). With near (x0, y0, z0 in km and c2,
    the squared chord of the radius), only clinics inside that circle count. With respell (the suggestions'
    fuzzy path), each typed word is first respelt as the indexed words it may be a misspelling of,
    instead of ranking every name that shares a three-letter piece with it (tens of ms for a common piece).
    """
    words = query_words(typed)
    if not words:
        return []
    if session.get_bind().dialect.name == "postgresql":
        if fuzzy and respell:
            rows = _postgresql_respelt(session, words, limit, near)
        elif fuzzy:
            rows = _postgresql(session, " ".join(words), limit, near)
        else:
            rows = _postgresql_words(session, words, limit, near)
    elif fuzzy and respell:
        rows = _sqlite_respelt(session, words, limit, near)
    else:
        rows = _sqlite_words(session, words, limit, near, ranked=fuzzy)
        if fuzzy and len(rows) < limit:
            seen = {(row.clinic_id, row.staff_id) for row in rows}
            grams = _sqlite_grams(session, words, limit, near)
            rows += [row for row in grams if (row.clinic_id, row.staff_id) not in seen]
    matches = []
    for row in rows:
        score = name_score(words, row.staff_name or row.clinic_name)
        if score is not None and (fuzzy or score >= 1.0):
            matches.append(NameMatch(row.clinic_id, row.clinic_name, row.slug, row.city, row.state,
                                     row.staff_id, row.staff_name, score))  # fmt: skip
    # Clinics before clinicians at equal scores; the index's order stays among equals (sort is stable).
    matches.sort(key=lambda m: (-round(m.score, 3), m.staff_id is not None))
    return matches[:limit]


def _fts_select(table: str, near: bool, extra: str = "") -> str:
    # Only constants are formatted in: the table's name and the listed-clinic and circle conditions.
    return (
        f"SELECT n.clinic_id AS clinic_id, c.name AS clinic_name, c.slug, c.city, c.state,"  # noqa: S608  # nosec B608
        f" CASE WHEN n.rowid < 0 THEN -n.rowid END AS staff_id, CASE WHEN n.rowid < 0 THEN n.body END AS staff_name"
        f" FROM {table} AS n JOIN clinic AS c ON c.id = n.clinic_id"
        f" WHERE {table} MATCH :match AND {_LISTED}{_NEAR if near else ''}{extra}"
    )


class _FoundRow(NamedTuple):
    """One row of the SQLite look-ups below, in their columns' order."""

    clinic_id: int
    clinic_name: str
    slug: str
    city: str
    state: str
    staff_id: int | None
    staff_name: str | None


def _driver_rows(session: Session, sql: str, params: dict | None = None) -> list[tuple]:
    # Straight to sqlite3 in the session's transaction (models/driver.py): a suggestion is one look-up of some
    # 50 microseconds, and SQLAlchemy's statement path cost more than SQLite's work. Named parameters (:match) are
    # sqlite3's own syntax.
    return sqlite_rows(session.connection().connection.dbapi_connection, sql, params or {})


def _sqlite_rows(session: Session, sql: str, params: dict) -> list[_FoundRow]:
    return [_FoundRow._make(row) for row in _driver_rows(session, sql, params)]


# Each statement is made once per shape (table, within a circle or not).
@cache
def _ranked_sql(table: str, near: bool) -> str:
    return f"{_fts_select(table, near)} ORDER BY n.rank LIMIT :limit"


@cache
def _first_rows_sql(near: bool) -> str:
    # Clinics (positive rowids) and clinicians (negative), each read in rowid order until the limit: one statement.
    clinics = _fts_select("name_search_words", near, " AND n.rowid > 0")
    staff = _fts_select("name_search_words", near, " AND n.rowid < 0")
    return f"SELECT * FROM ({clinics} LIMIT :limit) UNION ALL SELECT * FROM ({staff} LIMIT :limit)"  # noqa: S608  # nosec B608


def _fts_rows(session: Session, table: str, match: str, limit: int, near: dict | None) -> list:
    return _sqlite_rows(session, _ranked_sql(table, bool(near)), {"match": match, "limit": limit, **(near or {})})


def _sqlite_words(session: Session, words: list[str], limit: int, near: dict | None, *, ranked: bool) -> list:
    # Every word, the last as a prefix (it may still be being typed); quoted, so nothing typed is FTS syntax.
    match = (" ".join(f'"{word}"' for word in words[:-1]) + f' "{words[-1]}"*').strip()
    if ranked:
        return _fts_rows(session, "name_search_words", match, limit, near)
    # A last word of one letter ("plano mood a") would make FTS5 gather every term that starts with it (about
    # 13 ms at 100,000 clinics), and "and" is no word of a name written with "&": look up the other words, read
    # more of their names, and let name_score keep those with a word that starts with the letter (or an "&").
    last = len(words) - 1
    looked_up = [(i, word) for i, word in enumerate(words)
                 if word not in CONNECTIVES and not (i == last and len(word) == 1)]
    if looked_up and len(looked_up) < len(words):
        match = " ".join(f'"{word}"' + ("*" if i == last else "") for i, word in looked_up)
        return _fts_first_rows(session, match, limit * ONE_LETTER_READ, near)
    return _fts_first_rows(session, match, limit, near)


def _fts_first_rows(session: Session, match: str, limit: int, near: dict | None) -> list:
    return _sqlite_rows(session, _first_rows_sql(bool(near)), {"match": match, "limit": limit, **(near or {})})


def _sqlite_grams(session: Session, words: list[str], limit: int, near: dict | None) -> list:
    # Any three-letter piece of any word: bm25 ranks the names sharing the most (and rarest) pieces first.
    grams = sorted({word[i : i + 3] for word in words for i in range(len(word) - 2)})
    if not grams:
        return []
    return _fts_rows(session, "name_search_grams", " OR ".join(f'"{gram}"' for gram in grams), limit, near)


RESPELLINGS = 5  # indexed words tried for one typed word
RESPELL_MIN_LETTERS = 3  # shorter typed words are not respelt


def _respelt(words: list[str], indexed_words: Callable[[str], list[str]]) -> list[list[str]]:
    """For each typed word of RESPELL_MIN_LETTERS or more, the indexed words it may be a misspelling of (those
    starting with its first two letters: a misspelling rarely starts wrong, and the range is small)."""
    groups = []
    for i, word in enumerate(words):
        if len(word) < RESPELL_MIN_LETTERS:
            # One or two letters are close (rapidfuzz's ratio) to hardly any word but themselves ("an" is not close to
            # "and"), and their ranges of the word list are the longest: the other words find the names, and
            # name_score judges these.
            continue
        terms = indexed_words(word[:2])
        heads = [term[: len(word) + 2] for term in terms] if i == len(words) - 1 else terms  # the last: a prefix?
        close = process.extract(word, heads, scorer=fuzz.ratio, limit=RESPELLINGS, score_cutoff=WORD_MATCH * 100)
        kept = [terms[index] for _head, _score, index in close]
        if kept:
            groups.append(kept)
    return groups


def _respelt_read(words: list[str], limit: int) -> int:
    # Unranked, as the word and prefix path: name_score orders the few read (ranking every name that holds a
    # common word costs several ms); more of them when a short word was left for name_score to judge.
    return limit * ONE_LETTER_READ if any(len(word) < RESPELL_MIN_LETTERS for word in words) else limit


def _sqlite_respelt(session: Session, words: list[str], limit: int, near: dict | None) -> list:
    # The index's own word list: an fts5vocab table, made per connection in its temporary schema.
    _driver_rows(session, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.name_search_vocab"
                          " USING fts5vocab(main, name_search_words, row)")

    def indexed_words(head: str) -> list[str]:
        return [term for (term,) in _driver_rows(
            session, "SELECT term FROM temp.name_search_vocab WHERE term >= :lo AND term < :hi",
            {"lo": head, "hi": head + "\uffff"})]

    groups = _respelt(words, indexed_words)
    if not groups:
        return []
    match = " AND ".join("(" + " OR ".join(f'"{term}"' for term in group) + ")" for group in groups)
    return _fts_first_rows(session, match, _respelt_read(words, limit), near)


# PostgreSQL's statements are built once per shape (near a place or not) and sent through models/reads.driver_rows:
# through the session, a text statement built per call went the ORM's way each time.


@event.listens_for(Engine, "connect")
def _word_similarity_threshold(dbapi_connection, connection_record) -> None:
    """Set the trigram operators' threshold once per PostgreSQL connection, not by a statement before each look-up."""
    if not isinstance(dbapi_connection, KeptPreparedConnection):
        return
    with dbapi_connection.cursor() as cursor:
        # A placeholder until pg_trgm is loaded, which then takes it; a constant, so nothing is formatted in.
        cursor.execute(f"SET pg_trgm.word_similarity_threshold = {float(PG_WORD_THRESHOLD)}")
    dbapi_connection.commit()


@cache
def _pg_ranked(near: bool):
    # Ties broken by id: many clinics share a name, and the look-up keeps only the first CANDIDATES of them, so
    # without it PostgreSQL could keep other ones on each run and the same search would list other clinics.
    within = _NEAR if near else ""
    return text(
        f"""(SELECT c.id AS clinic_id, c.name AS clinic_name, c.slug, c.city, c.state,
                    NULL::integer AS staff_id, NULL AS staff_name, :q <<-> name_search_fold(c.name) AS distance
             FROM clinic AS c WHERE :q <% name_search_fold(c.name) AND {_LISTED}{within}
             ORDER BY distance, c.id LIMIT :limit)
            UNION ALL
            (SELECT c.id, c.name, c.slug, c.city, c.state, s.id, s.full_name,
                    :q <<-> name_search_fold(s.full_name) AS distance
             FROM staff_member AS s JOIN clinic AS c ON c.id = s.clinic_id
             WHERE :q <% name_search_fold(s.full_name) AND {_LISTED}{within}
             ORDER BY distance, s.id LIMIT :limit)
            ORDER BY distance, clinic_id, staff_id NULLS FIRST LIMIT :limit"""  # noqa: S608  # nosec B608 - only constants are formatted in
    )


def _pg_first_names(clinic_match: str, staff_match: str, near: bool):
    """The first clinics and clinicians whose names pass these conditions, unranked (name_score orders them)."""
    within = _NEAR if near else ""
    return text(
        f"""(SELECT c.id AS clinic_id, c.name AS clinic_name, c.slug, c.city, c.state,
                    NULL::integer AS staff_id, NULL AS staff_name
             FROM clinic AS c WHERE {clinic_match} AND {_LISTED}{within} LIMIT :limit)
            UNION ALL
            (SELECT c.id, c.name, c.slug, c.city, c.state, s.id, s.full_name
             FROM staff_member AS s JOIN clinic AS c ON c.id = s.clinic_id
             WHERE {staff_match} AND {_LISTED}{within} LIMIT :limit)"""  # noqa: S608  # nosec B608 - only constants are formatted in
    )


@cache
def _pg_words(near: bool):
    # Every word as the start of a word of the name (a prefix query on the names' word indexes, ddl.PG_WORDS).
    # Substrings through the trigram indexes ('%pine%cre%') made PostgreSQL recheck thousands of rows when the last
    # word was short.
    return _pg_first_names(f"{ddl.PG_WORDS.format(column='c.name')} @@ to_tsquery('simple', :words)",
                           f"{ddl.PG_WORDS.format(column='s.full_name')} @@ to_tsquery('simple', :words)", near)


@cache
def _pg_like(near: bool):
    # Every word in order as a substring (LIKE, which the trigram indexes serve where a word has three letters).
    return _pg_first_names("name_search_fold(c.name) LIKE :pattern", "name_search_fold(s.full_name) LIKE :pattern",
                           near)


def _postgresql(session: Session, typed: str, limit: int, near: dict | None) -> list:
    return _pg_rows(session, _pg_ranked(bool(near)), {"q": fold(typed), "limit": limit, **(near or {})})


def _postgresql_words(session: Session, words: list[str], limit: int, near: dict | None) -> list:
    # A one-letter word would be a prefix of a large part of the index's words, and "and" is no word of a name
    # written with "&": they are left to name_score, with more names read (as SQLite's path does); with no other
    # word, a LIKE through the trigram indexes.
    last = len(words) - 1
    indexed = [(i, word) for i, word in enumerate(words)
               if len(word) >= PG_PREFIX_MIN_LETTERS and word not in CONNECTIVES]
    read = limit * ONE_LETTER_READ if len(indexed) < len(words) else limit
    if not indexed:
        pattern = "%" + "%".join(words) + "%"  # the words hold only a-z and 0-9: nothing in them is a LIKE wildcard
        return _pg_rows(session, _pg_like(bool(near)), {"pattern": pattern, "limit": read, **(near or {})})
    # Every word whole but the last, which may still be being typed (as SQLite's path and name_score read them):
    # with every word a prefix, "el ca" read the first names with a word starting "el" and one starting "ca"
    # ("Elevate Ketamine Care"), which name_score then refused, and the suggestion fell to the misspelling path
    # (about 130 ms on PostgreSQL) to find "El Cajon". Only a-z and 0-9 in them: no tsquery operators.
    terms = [word for i, word in indexed if i != last]
    if indexed[-1][0] == last:
        terms.append(_pg_prefix_term(session, words[last]) if terms else f"{words[last]}:*")
        if terms[-1] is None:
            return []  # no word of any name starts so
    return _pg_rows(session, _pg_words(bool(near)), {"words": " & ".join(terms), "limit": read, **(near or {})})


# Most words a typed prefix is read as; a prefix that starts more words stays a prefix (a longer OR costs GIN more
# than the prefix). At 100,000 clinics two letters start up to 124 words ('ma'); over 400 typed names of two words
# or more, PostgreSQL's mean time 0.93 ms with at most 64 words ('mo' and its 75 stayed a prefix), 0.75 ms with 128.
PG_PREFIX_WORDS = 128
_VOCAB_RANGE = text("SELECT word FROM name_search_vocab WHERE word >= :low AND word < :high ORDER BY word LIMIT :most")


def _pg_words_starting(session: Session, prefix: str, most: int) -> list[str]:
    """The words of names (ddl's name_search_vocab) that start with the prefix, in order, at most `most` of them."""
    # The prefix holds only a-z and 0-9, so the first string after all its words is its last letter raised by one.
    high = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return [word for (word,) in driver_rows(session, _VOCAB_RANGE, {"low": prefix, "high": high, "most": most})]


def _plain(word: str) -> bool:
    # Only words of a-z and 0-9 go into a query: nothing in them can be read as tsquery syntax.
    return word.isascii() and word.isalnum()


def _pg_prefix_term(session: Session, prefix: str) -> str | None:
    """The words of names that a typed prefix starts, as a tsquery OR ('ketami' -> 'ketamine'), None if there is
    none; the prefix itself ('ketami:*') when it starts more than PG_PREFIX_WORDS of them, or a word that is more
    than letters and digits whose parts are not words of their own ("cambridge/harvard", "help@ketamine.org",
    "garcía" where unaccent is missing), which only the prefix matches.

    Only beside another word: with the prefix alone, GIN's one bitmap of every name it starts is what is wanted
    (eight of them), and an OR of its words planned worse.
    """
    found = _pg_words_starting(session, prefix, PG_PREFIX_WORDS + 1)
    # A hyphenated word ("inglewood-finn") is indexed with each of its parts as a word too: the parts stand for it.
    words = [word for word in found if "-" not in word]
    if len(found) > PG_PREFIX_WORDS or not all(map(_plain, words)):
        return f"{prefix}:*"
    return "(" + " | ".join(words) + ")" if words else None


# Words a two-letter start leads to, read for respelling: every one at 100,000 clinics ('ma' leads to 124); a
# directory with far more words reads this many in order.
PG_RESPELL_WORDS = 2000


def _postgresql_respelt(session: Session, words: list[str], limit: int, near: dict | None) -> list:
    # As SQLite's: each typed word respelt as the name words close to it, instead of ranking every name that shares
    # a trigram with what was typed (130-260 ms of PostgreSQL's time at 100,000 clinics).
    groups = _respelt(words, lambda head: [word for word in _pg_words_starting(session, head, PG_RESPELL_WORDS)
                                           if _plain(word)])
    if not groups:
        return []
    query = " & ".join("(" + " | ".join(group) + ")" for group in groups)
    return _pg_rows(session, _pg_words(bool(near)), {"words": query, "limit": _respelt_read(words, limit),
                                                     **(near or {})})


def _pg_rows(session: Session, statement, params: dict) -> list:
    # Planned for its own values every time: how many names a word or a trigram matches decides the plan, and a
    # plan made once for any values (PostgreSQL's generic plan of a prepared statement) read every name for a
    # rare word (200-300 ms).
    return driver_rows(session, statement, params, prepared=False)
