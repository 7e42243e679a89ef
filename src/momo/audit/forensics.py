"""What an attacker reads from a hot copy or a physical copy of the database.

Two readers, written from the file formats rather than from Momo's code:

* ``wal_transactions`` parses a SQLite WAL file frame by frame, groups frames
  into committed transactions, and decodes every B-tree leaf cell on the pages
  a transaction wrote (table leaves of rowid tables, index leaves of
  ``WITHOUT ROWID`` tables). It yields, per transaction, the records that are
  new or changed against the previous version of each page.
* ``postgres_row_versions`` reads every heap tuple of every table with
  ``pageinspect``, dead versions included, with its ``xmin``.

``link_items`` then performs the attack: two items are linked when the
transactions that wrote them also changed the same pre-existing row.
"""

from __future__ import annotations

import struct
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Record = tuple[Any, ...]


@dataclass
class Transaction:
    """The records one committed transaction wrote (new or changed rows), and which of
    them are rows that did not exist before it."""

    records: list[Record] = field(default_factory=list)
    created: set[Record] = field(default_factory=set)  # identities first seen here

    def identities(self) -> set[Record]:
        return {identity(record) for record in self.records}


def identity(record: Record) -> Record:
    """What names a row across updates of its other columns: the first three stored
    values (the primary key and what follows it), and the record's width, which tells
    a table's rows from the entries of an index on the same columns."""
    return (len(record), *record[:3])


# -- SQLite ----------------------------------------------------------------


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[pos + i]
        if i == 8:
            return (value << 8) | byte, pos + 9
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, pos + i + 1
    raise AssertionError("unreachable")


def _decode_record(payload: bytes) -> Record:
    header_size, pos = _varint(payload, 0)
    types = []
    while pos < header_size:
        serial, pos = _varint(payload, pos)
        types.append(serial)
    values: list[Any] = []
    pos = header_size
    sizes = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}
    for serial in types:
        if serial in sizes:
            size = sizes[serial]
            raw = payload[pos : pos + size]
            if serial == 0:
                values.append(None)
            elif serial == 7:
                values.append(struct.unpack(">d", raw)[0] if len(raw) == 8 else None)
            elif serial in (8, 9):
                values.append(serial - 8)
            else:
                values.append(int.from_bytes(raw, "big", signed=True) if raw else None)
        else:
            size = (serial - 12) // 2
            raw = payload[pos : pos + size]  # may be cut short by an overflow page
            values.append(raw if serial % 2 == 0 else raw.decode("utf-8", "replace"))
        pos += size
    return tuple(values)


def _local_payload(total: int, usable: int, index: bool) -> int:
    max_local = ((usable - 12) * 64 // 255) - 23 if index else usable - 35
    if total <= max_local:
        return total
    min_local = ((usable - 12) * 32 // 255) - 23
    k = min_local + (total - min_local) % (usable - 4)
    return k if k <= max_local else min_local


def page_records(page: bytes, first_page: bool = False) -> list[Record]:
    """Every record on a B-tree leaf page (empty for interior and other pages)."""
    offset = 100 if first_page else 0
    kind = page[offset]
    if kind not in (0x0A, 0x0D):
        return []
    (count,) = struct.unpack(">H", page[offset + 3 : offset + 5])
    usable = len(page)
    records = []
    for i in range(count):
        (cell,) = struct.unpack(">H", page[offset + 8 + 2 * i : offset + 10 + 2 * i])
        try:
            total, pos = _varint(page, cell)
            if kind == 0x0D:
                _rowid, pos = _varint(page, pos)
            local = _local_payload(total, usable, index=kind == 0x0A)
            records.append(_decode_record(page[pos : pos + local]))
        except (IndexError, UnicodeDecodeError, struct.error):
            continue
    return records


def wal_transactions(database: Path, wal: Path) -> list[Transaction]:
    """Committed transactions in a WAL file, each with the records it added or changed.

    A record counts as changed when its content differs from the last version
    the attacker has seen of a row with the same identity, so rows that a page
    split merely moved do not count.
    """
    data = wal.read_bytes()
    if len(data) < 32:
        return []
    (page_size,) = struct.unpack(">I", data[8:12])
    base = database.read_bytes()
    known: dict[Record, Record] = {}
    for start in range(0, len(base) - page_size + 1, page_size):
        for record in page_records(base[start : start + page_size], start == 0):
            known[identity(record)] = record
    transactions: list[Transaction] = []
    pending: dict[int, bytes] = {}
    pos = 32
    while pos + 24 + page_size <= len(data):
        page_number, commit_size = struct.unpack(">II", data[pos : pos + 8])
        pending[page_number] = data[pos + 24 : pos + 24 + page_size]
        pos += 24 + page_size
        if commit_size == 0:
            continue
        transaction = Transaction()
        for number, page in pending.items():
            for record in page_records(page, number == 1):
                if known.get(identity(record)) != record:
                    transaction.records.append(record)
                    if identity(record) not in known:
                        transaction.created.add(identity(record))
                    known[identity(record)] = record
        transactions.append(transaction)
        pending = {}
    return transactions


# -- PostgreSQL --------------------------------------------------------------


def postgres_row_versions(conn: Any, schema: str) -> list[Transaction]:
    """Every tuple version in every table of ``schema`` that ``pageinspect`` lists (live
    ones and dead ones not yet pruned), grouped by the xmin that wrote it."""
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public")
    conn.exec_driver_sql(f"SET search_path TO {schema}, public")
    tables = [
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)
        )
    ]
    by_xmin: dict[int, Transaction] = defaultdict(Transaction)
    for table in tables:
        name = f"{schema}.{table}"
        blocks = conn.exec_driver_sql(
            "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", (name,)
        ).scalar()
        for block in range(int(blocks or 0)):
            rows = conn.exec_driver_sql(
                "SELECT t_xmin::text::bigint, t_attrs FROM public.heap_page_item_attrs("
                "public.get_raw_page(%s, %s), %s::regclass) WHERE lp_flags = 1",
                (name, block, name),
            )
            for xmin, attrs in rows:
                values = tuple(None if a is None else _unwrap_varlena(bytes(a)) for a in attrs)
                by_xmin[int(xmin)].records.append((table, *values))
    # A row is created by the oldest transaction that wrote a version of it.
    first: dict[Record, int] = {}
    for xmin in sorted(by_xmin):
        for record in by_xmin[xmin].records:
            first.setdefault(identity(record), xmin)
    for record_identity, xmin in first.items():
        by_xmin[xmin].created.add(record_identity)
    return [by_xmin[xmin] for xmin in sorted(by_xmin)]


def _unwrap_varlena(raw: bytes) -> bytes:
    """Strip a text or bytea value's length header (1 or 4 bytes, little-endian)."""
    if raw and raw[0] & 1 and raw[0] >> 1 == len(raw):
        return raw[1:]
    if len(raw) >= 4 and int.from_bytes(raw[:4], "little") >> 2 == len(raw):
        return raw[4:]
    return raw


# -- the attack ---------------------------------------------------------------


def locate(transactions: list[Transaction], item_ids: dict[str, str]) -> dict[str, int]:
    """Each item's writing transaction: the one that created a row naming it (a later
    update, such as a batch publication, does not count)."""
    found: dict[str, int] = {}
    for index, transaction in enumerate(transactions):
        for record in transaction.records:
            if identity(record) not in transaction.created:
                continue
            for value in record[:4]:
                key = value.decode("latin-1") if isinstance(value, bytes) else value
                if isinstance(key, str) and key in item_ids and key not in found:
                    found[key] = index
    return found


def clues(transactions: list[Transaction], found: dict[str, int]) -> dict[Record, set[str]]:
    """Pre-existing rows that an item's writing transaction changed, with the items whose
    transactions changed each: the attacker's clues. Rows naming the item itself
    (its own counters, say) and rows that more than half the items touch (a global
    counter) say nothing and are left out."""
    seen_in: dict[Record, set[str]] = defaultdict(set)
    for item, index in found.items():
        transaction = transactions[index]
        for row in transaction.identities() - transaction.created:
            if not any(_names(value, item) for value in row):
                seen_in[row].add(item)
    return {row: items for row, items in seen_in.items() if len(items) <= len(found) // 2}


def link_items(
    transactions: Iterable[Transaction], item_ids: dict[str, str]
) -> tuple[dict[str, int], dict[frozenset[str], bool]]:
    """Link items whose separate writing transactions changed the same existing row.

    ``item_ids`` maps each item id to its (hidden) author. Returns, per item, the
    index of its writing transaction, and for every pair of items that the attack
    linked, whether they really share an author. Items that one transaction wrote
    together (a batch: on PostgreSQL, a publication whose versions outlived the
    original inserts) are not linked to each other by it: that is co-occurrence in
    a batch of many authors, not a trace of one.
    """
    transactions = list(transactions)
    found = locate(transactions, item_ids)
    linked: dict[frozenset[str], bool] = {}
    for items in clues(transactions, found).values():
        for a in items:
            for b in items:
                if a < b and found[a] != found[b]:
                    linked[frozenset((a, b))] = item_ids[a] == item_ids[b]
    return found, linked


def _names(value: Any, item: str) -> bool:
    if isinstance(value, bytes):
        return item.encode() in value
    return isinstance(value, str) and item in value
