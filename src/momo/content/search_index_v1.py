"""The first form of PostgreSQL's search index (migrations 0007 to 0017), kept as
it was so those migrations build and take apart what they always did.

Each document stored its terms as a ``tsvector`` with positions, for the phrase
operator ``<->``: 2.2 KB per note at a million notes, three times the text, on
top of the GIN index. Migration 0018 replaced it (``search_index``).
"""

from __future__ import annotations

from collections.abc import Sequence

from momo.content.search_index import FTS_TABLE, NEWEST_FUNCTION, period_lexemes

POSTGRES_DDL = (
    f"CREATE TABLE {FTS_TABLE} (doc bigint PRIMARY KEY, terms tsvector NOT NULL)",
    f"CREATE INDEX ix_{FTS_TABLE}_terms ON {FTS_TABLE} USING gin (terms)",
)
POSTGRES_STATISTICS = f"ALTER TABLE {FTS_TABLE} ALTER COLUMN terms SET STATISTICS 10000"
NEWEST_SIGNATURE = f"{NEWEST_FUNCTION}(tsquery[], bigint[], bigint[], integer, integer)"
_STEP = (
    f"SELECT m.doc FROM (SELECT s.doc + 0 AS doc FROM {FTS_TABLE} s WHERE s.terms @@ $1"
    "' || bounds || ' ORDER BY 1 DESC OFFSET 0) m WHERE EXISTS (SELECT FROM notes n"
    " WHERE n.search_doc = m.doc AND n.status = ''visible'' AND n.created_bucket < $4)"
    " ORDER BY m.doc DESC LIMIT $5"
)
POSTGRES_NEWEST = f"""
CREATE OR REPLACE FUNCTION {NEWEST_FUNCTION}(
    queries tsquery[], lows bigint[], belows bigint[], public_before integer, wanted integer
) RETURNS SETOF bigint
LANGUAGE plpgsql STABLE ROWS 21
SET enable_seqscan = off SET enable_mergejoin = off SET enable_hashjoin = off
AS $$
DECLARE
    i integer;
    found integer := 0;
    got integer;
    bounds text;
BEGIN
    FOR i IN 1 .. coalesce(array_length(queries, 1), 0) LOOP
        bounds := '';
        IF lows[i] IS NOT NULL THEN bounds := bounds || ' AND s.doc >= $2'; END IF;
        IF belows[i] IS NOT NULL THEN bounds := bounds || ' AND s.doc < $3'; END IF;
        RETURN QUERY EXECUTE '{_STEP}'
            USING queries[i], lows[i], belows[i], public_before, wanted - found;
        GET DIAGNOSTICS got = ROW_COUNT;
        found := found + got;
        EXIT WHEN found >= wanted;
    END LOOP;
END
$$
"""


def stored_terms(tokens: Sequence[str], doc: int) -> str:
    """A document as this form stored it: positioned tokens and the period lexemes."""
    # PostgreSQL keeps positions up to 16383; later ones share that last position.
    positioned = (f"'{token}':{min(i + 1, 16383)}" for i, token in enumerate(tokens))
    return " ".join([*positioned, *(f"'{lexeme}'" for lexeme in period_lexemes(doc))])
