"""An in-memory index for the search box, kept current by the change log (SQLite).

`LIKE '%王%'` has to read every member row whatever the query (~190,000 at 50,000 households).
Instead, each household is one record in three long strings — its members' names, their pinyin
initials (the stored column), their ID numbers, and the household's number — and a query is a
`str.find` scan of one string in C (a few milliseconds; names look up a character's households
first), giving the matching households' rowids, which SQL then filters, sorts and pages by its
primary key. Memory: about 100 bytes a member (19 MiB at 50,000 households).

Kept current without trusting any writer to call us: every write of a synced row lands in the
change log in the same transaction (db/changelog.py; sync imports too), so before answering we
read the log entries appended since the last look (by rowid: the log is append-only) and rebuild
the records of the households they touch. A restored backup continues under a new local replica
id, which starts a fresh index.

Live households only (every caller wants those), and the same answers as the SQL of
`search._scan_condition`: substring of a name or of an ID number or
household number (ASCII letters folded, as SQLite's LIKE does), prefix of the pinyin initials.
"""

import re
import threading
import uuid
import weakref
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import Engine
from sqlalchemy.orm import Session

RECORD, VALUE = "\x1e", "\x1f"  # between households / between one household's values
SEPARATORS = frozenset(RECORD + VALUE)
_REBUILD_ABOVE = 2000  # touched households beyond which one full rebuild is cheaper
_WALK_ABOVE = 2000  # matches beyond which a page is picked walking the number order instead of sorting them
NAMES, INITIALS, NUMBERS, IDS = "names", "initials", "numbers", "ids"  # NUMBERS: the household number


def fold(text: str) -> str:
    """Lower-case ASCII letters only, as SQLite's LIKE and lower() do."""
    return "".join(c.lower() if c.isascii() else c for c in text) if not text.isascii() else text.lower()


@dataclass
class _Column:
    """Records joined into one string, each starting with RECORD; starts[i] is record i's offset.

    With `postings` (names), also the records holding each character: a common surname such as 王
    (12,000 households at 50,000) is then one dict look-up instead of 12,000 finds.
    """

    text: str = ""
    starts: "array[int]" = field(default_factory=lambda: array("l"))
    postings: dict[str, "array[int]"] | None = None

    def extend(self, values: list[str]) -> None:
        offset, record = len(self.text), len(self.starts)
        for value in values:
            self.starts.append(offset)
            offset += 1 + len(value)
            if self.postings is not None:
                for char in set(value):
                    self.postings.setdefault(char, array("i")).append(record)
            record += 1
        if values:
            self.text += RECORD + RECORD.join(values)

    def records(self, needle: str) -> "list[int] | array[int]":
        """Indexes of the records containing the needle, each once."""
        if self.postings is not None:
            return self._posted(self.postings, needle)
        text, starts, out = self.text, self.starts, []  # str.find: a C fast search
        last, at = len(starts) - 1, text.find(needle)
        while at >= 0:
            record = bisect_right(starts, at) - 1
            out.append(record)
            if record == last:
                break
            at = text.find(needle, starts[record + 1])
        return out

    def _posted(self, postings: dict[str, "array[int]"], needle: str) -> "list[int] | array[int]":
        lists = []
        for char in set(needle):
            if not (posted := postings.get(char)):
                return []
            lists.append(posted)
        shortest = min(lists, key=len)
        if len(needle) == 1:
            return shortest
        text, starts, end = self.text, self.starts, len(self.text)
        last = len(starts) - 1
        return [i for i in shortest if needle in text[starts[i]:starts[i + 1] if i < last else end]]


@dataclass
class _Index:
    replica: str  # local replica id: a restored backup gets a new one
    mark: int  # the last change-log rowid read
    households: list[int | None] = field(default_factory=list)  # record → household rowid; None: replaced
    where: dict[int, int] = field(default_factory=dict)  # household rowid → its current record
    columns: dict[str, _Column] = field(default_factory=lambda: {
        NAMES: _Column(postings={}), INITIALS: _Column(), NUMBERS: _Column(), IDS: _Column()})
    longest_id: int = 0  # an ID query at least this long can only equal an ID: the unique index answers
    numbers: list[str] = field(default_factory=list)  # record → the household number as stored, for sorting
    _order: list[int] | None = None  # every live household's rowid in number order, once asked for


    def add(self, rows: Iterable[tuple[int, str, str, str, str, int]]) -> None:
        """Append a record per household from `_records`."""
        self._order = None
        households, where = self.households, self.where
        names: list[str] = []
        initials: list[str] = []
        numbers: list[str] = []
        ids: list[str] = []
        for rowid, *values, longest in rows:
            if (old := where.get(rowid)) is not None:
                households[old] = None
            where[rowid] = len(households)
            households.append(rowid)
            for column, value in zip((numbers, names, initials, ids), values, strict=True):
                column.append(value)
            self.longest_id = max(self.longest_id, longest)
        self.numbers += numbers
        self.columns[NAMES].extend(names)
        self.columns[INITIALS].extend(initials)
        self.columns[NUMBERS].extend([_folded(n) for n in numbers])
        self.columns[IDS].extend(ids)

    def by_number(self, rowids: set[int], *, descending: bool = False, first: int | None = None) -> list[int]:
        """The households in household-number order (as SQL's BINARY collation orders them: by code point);
        `first`: only that many are needed. Many households (王: 12,000) are picked walking every
        household in number order (kept until the next change) rather than sorted each time."""
        if first is not None and len(rowids) > _WALK_ABOVE:
            if self._order is None:
                self._order = self.by_number(set(self.where))
            walk = reversed(self._order) if descending else self._order
            return list(islice((rowid for rowid in walk if rowid in rowids), first))
        numbers, where = self.numbers, self.where
        return sorted(rowids, key=lambda rowid: numbers[where[rowid]], reverse=descending)[:first]

    def drop(self, rowids: Iterable[int]) -> None:
        """Forget deleted households (the index holds live ones only)."""
        self._order = None
        for rowid in rowids:
            if (old := self.where.pop(rowid, None)) is not None:
                self.households[old] = None

    @property
    def dead(self) -> int:
        return len(self.households) - len(self.where)

    def find(self, column: str, needles: Iterable[str]) -> set[int]:
        households, records = self.households, self.columns[column].records
        return {h for needle in needles for i in records(needle) if (h := households[i]) is not None}




# Joined by SQLite (grouping 190,000 rows in Python took seconds); the full build scans the member
# table in order rather than looking members up household by household. A separator inside a name
# or an ID number cannot join two values for a query (which holds none); inside initials it could
# fake a prefix, so those are replaced there.
_HOUSEHOLDS = "SELECT id, rowid, number FROM household WHERE deleted_at IS NULL"
_MEMBERS = ("SELECT household_id, group_concat(name, char(31)), "
            "group_concat(replace(replace(name_initials, char(30), ' '), char(31), ' '), char(31)), "
            "group_concat(id_number, char(31)), max(length(id_number)) FROM member {hint} WHERE deleted_at IS NULL")


def _records(session: Session, ids: list[str] | None = None) -> Iterator[tuple[int, str, str, str, str, int]]:
    """(rowid, number, names, initials, ID numbers, longest ID) of the live households (or of those
    of these ids, hex), streamed: both queries come in household id order and are merged as they go."""
    conn = session.connection()
    if ids is None:
        households = conn.exec_driver_sql(_HOUSEHOLDS + " ORDER BY id")
        members = conn.exec_driver_sql(_MEMBERS.format(hint="NOT INDEXED") + " GROUP BY household_id ORDER BY 1")
    else:
        marks = ", ".join("?" * len(ids))
        households = conn.exec_driver_sql(_HOUSEHOLDS + f" AND id IN ({marks}) ORDER BY id", tuple(ids))
        members = conn.exec_driver_sql(_MEMBERS.format(hint="") + f" AND household_id IN ({marks}) "
                                       "GROUP BY household_id ORDER BY 1", tuple(ids))
    member = next(members, None)
    for hid, rowid, number in households:
        while member is not None and member[0] < hid:  # members of a deleted household
            member = next(members, None)
        if member is not None and member[0] == hid:
            _, names, initials, id_numbers, longest = member
            member = next(members, None)
            yield rowid, number or "", _folded(names), initials, _folded(id_numbers), longest
        else:
            yield rowid, number or "", "", "", "", 0


def _folded(text: str, upper: re.Pattern[str] = re.compile("[A-Z]")) -> str:
    return fold(text) if upper.search(text) else text


_indexes: "weakref.WeakKeyDictionary[Engine, _Index]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


NUMBER, INITIALS_TEXT = re.compile(r"[0-9xX]+"), re.compile(r"[A-Za-z]+")  # the shapes of a search text


def households_matching(session: Session, text: str) -> set[int] | None:
    """Rowids of the live households the (stripped, non-empty) search text matches; None when the
    index cannot answer (not built for this database, or the text holds a separator) and SQL must
    scan."""
    if SEPARATORS & set(text) or session.get_bind() not in _indexes:
        return None
    index = current(session)
    if NUMBER.fullmatch(text):
        needle = fold(text)
        found = index.find(NUMBERS, [needle])
        if len(needle) >= index.longest_id and needle.count("x") <= 1:  # can only be a whole ID
            rows = session.connection().exec_driver_sql(
                "SELECT h.rowid FROM member m JOIN household h ON h.id = m.household_id WHERE m.id_number IN (?, ?) "
                "AND m.deleted_at IS NULL AND h.deleted_at IS NULL", (needle, needle.upper()))
            return found | {rowid for (rowid,) in rows}
        return found | index.find(IDS, [needle])
    if INITIALS_TEXT.fullmatch(text):  # a prefix: right after the start of a record or of a value
        return index.find(INITIALS, [separator + text.lower() for separator in SEPARATORS])
    return index.find(NAMES, [fold(text)])


def by_number(session: Session, rowids: set[int], *, descending: bool = False, first: int | None = None) -> list[int]:
    """These households (rowids from `households_matching`) in household-number order; the first `first`."""
    return current(session).by_number(rowids, descending=descending, first=first)


def warm(session: Session) -> None:
    """Build this database's index (about 2 s at 50,000 households; the GUI does it in the
    background at start, a one-off command does not bother and scans). SQLite only."""
    if session.get_bind().dialect.name == "sqlite":
        current(session)


def current(session: Session) -> _Index:
    """This database's index, brought up to date with the change log as this session sees it."""
    conn = session.connection()
    replica, mark = conn.exec_driver_sql(
        "SELECT (SELECT id FROM replica WHERE is_local), (SELECT max(rowid) FROM change_log)").one()
    replica, mark = str(replica), mark or 0
    engine = session.get_bind()
    with _lock:  # GUI queries run on worker threads
        index = _indexes.get(engine)  # type: ignore[arg-type]
        if index is None or index.replica != replica or mark < index.mark:
            index = _build(session, replica, mark)
        elif mark > index.mark:
            index = _catch_up(session, index, mark)
        _indexes[engine] = index  # type: ignore[index]
        return index


def _build(session: Session, replica: str, mark: int) -> _Index:
    index = _Index(replica, mark)
    records = _records(session)
    while batch := list(islice(records, 5000)):  # a few thousand households at a time: a small peak
        index.add(batch)
    return index


def _catch_up(session: Session, index: _Index, mark: int) -> _Index:
    """Rebuild the records of the households touched by log entries after index.mark."""
    conn = session.connection()
    changed = conn.exec_driver_sql(
        "SELECT table_name, row_id FROM change_log WHERE rowid > ? AND rowid <= ? "
        "AND table_name IN ('household', 'member')", (index.mark, mark)).all()
    touched = {row for table, row in changed if table == "household"}
    members = sorted({row for table, row in changed if table == "member"})
    for i in range(0, len(members), 500):
        chunk = members[i:i + 500]
        marks = ", ".join("?" * len(chunk))
        # the member's household now, and every household the log says it was in (it may have moved)
        touched.update(h for (h,) in conn.exec_driver_sql(
            f"SELECT household_id FROM member WHERE id IN ({marks})", tuple(chunk)))
        touched.update(uuid.UUID(h).hex for (h,) in conn.exec_driver_sql(
            "SELECT DISTINCT json_extract(fields, '$.household_id') FROM change_log WHERE table_name = 'member' "
            f"AND row_id IN ({marks}) AND json_extract(fields, '$.household_id') IS NOT NULL", tuple(chunk)))
    if len(touched) > _REBUILD_ABOVE or index.dead + len(touched) > len(index.households) // 3 + 1000:
        return _build(session, index.replica, mark)
    ordered = sorted(touched)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i:i + 500]
        marks = ", ".join("?" * len(chunk))
        index.add(_records(session, chunk))
        index.drop(rowid for (rowid,) in conn.exec_driver_sql(
            f"SELECT rowid FROM household WHERE deleted_at IS NOT NULL AND id IN ({marks})", tuple(chunk)))
    index.mark = mark
    return index
