"""The random draws of one generation run: ids, timestamps, names, phones, birth dates, ID numbers.

All randomness comes from `random.Random` streams seeded from `seed`, so the same arguments always
give the same rows; the sets here keep what must be unique (phones, ID numbers) unique in the run.
"""

import itertools
import random
import uuid
from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from fupin_desktop.services.demo.constants import Row, id_salt
from fupin_desktop.services.demo.names import GIVEN_NAMES, SURNAME_CUM, SURNAMES, era, initials

WeightedTable = tuple[tuple[str, ...], list[int]]
T = TypeVar("T")

_CHECK = "10X98765432"  # GB 11643 check characters by weighted sum mod 11
# idcard.make's sequence digits 15-17 for seq 0..499 by sex, with their weighted sum (weights 8, 4, 2)
_SEQ_TAILS = {
    sex: tuple((f"{seq // 5:02d}{(seq % 5) * 2 + male}", 8 * (seq // 50) + 4 * (seq // 5 % 10)
                + 2 * ((seq % 5) * 2 + male)) for seq in range(500))
    for sex, male in (("男", 1), ("女", 0))
}
_SURNAME_TABLE = (SURNAMES, SURNAME_CUM)
_MOBILE_PREFIXES = ("134 135 136 137 138 139 150 151 152 157 158 159 182 183 187 188 198 "
                    "130 131 132 155 156 185 186 166 176 133 153 180 181 189 177 199").split()


def weighted(pairs: tuple[tuple[str, int], ...]) -> WeightedTable:
    """(values, cumulative weights) of (value, weight) pairs, for `Draws.pick`."""
    values, cum, acc = [], [], 0
    for v, w in pairs:
        acc += w
        values.append(v)
        cum.append(acc)
    return tuple(values), cum


class Draws:
    """Random streams, lookup tables and uniqueness sets of one generation run."""

    def __init__(self, seed: int, today: date, village_code: str) -> None:
        self.rng = random.Random(f"demo-village:{seed}")
        self.rr = self.rng.random
        self.today = today
        self.region = village_code[:6]
        # one fixed timestamp for every row: the day before `today`, shifted by the seed
        self.stamp = datetime(today.year, today.month, today.day, tzinfo=UTC) - timedelta(days=1) \
            + timedelta(seconds=seed % 86_400)
        # uuid7 with a millisecond per row, so keys increase like ids typed in over a few minutes
        # (and land at the end of the B-tree), built inline: ~500,000 calls at 50k households
        version = (0x7 << 76) | (0b10 << 62)
        bits = random.Random(f"demo-village-ids:{seed}").getrandbits
        salt = id_salt(village_code)
        mask62 = (1 << 62) - 1
        make_uuid = uuid.UUID
        counter = itertools.count(int(self.stamp.timestamp() * 1000))

        def new_id() -> uuid.UUID:
            r = bits(74) ^ salt
            return make_uuid(int=(next(counter) << 80) | version | ((r >> 62) << 64) | (r & mask62))

        self.new_id: Callable[[], uuid.UUID] = new_id
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self._birth_range: dict[int, tuple[int, int]] = {}
        self._id_prefix: dict[int, tuple[str, int]] = {}
        self._region_sum = sum(int(c) * w for c, w in zip(self.region, (7, 9, 10, 5, 8, 4), strict=True))
        self.initials, self.given_initials = initials()

    def meta(self) -> Row:
        """The columns every row starts with: a new id and the run's timestamps."""
        return {"id": self.new_id(), "created_at": self.stamp, "updated_at": self.stamp, "deleted_at": None}

    def ri(self, a: int, b: int) -> int:
        return a + int(self.rr() * (b - a + 1))

    def choice(self, seq: Sequence[T]) -> T:
        return seq[int(self.rr() * len(seq))]

    def pick(self, table: WeightedTable) -> str:
        values, cum = table
        return values[bisect_right(cum, self.rr() * cum[-1])]

    def surname(self, cluster: str | None = None) -> str:
        rr = self.rr
        if cluster and rr() < 0.72:  # the first surname of a natural village dominates it
            r = rr()
            if r < 0.5 or len(cluster) == 1:
                return cluster[0]
            return cluster[1 + int((r - 0.5) * 2 * (len(cluster) - 1))]
        return self.pick(_SURNAME_TABLE)

    def name(self, surname: str, sex: str, birth_year: int) -> tuple[str, str]:
        """(full name, its initials)."""
        pool = GIVEN_NAMES[(era(birth_year), sex)]
        given = pool[int(self.rr() * len(pool))]
        return surname + given, self.initials[surname] + self.given_initials[given]

    def mobile(self) -> str:
        while True:
            number = self.choice(_MOBILE_PREFIXES) + f"{int(self.rr() * 100_000_000):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def birth(self, age: int) -> date:
        """A random birth date giving exactly `age` full years on `today` (and before it)."""
        span = self._birth_range.get(age)
        if span is None:
            t = self.today
            try:
                latest = t.replace(year=t.year - age)
            except ValueError:  # today is 29 February
                latest = date(t.year - age, 2, 28)
            try:
                earliest = t.replace(year=t.year - age - 1) + timedelta(days=1)
            except ValueError:
                earliest = date(t.year - age - 1, 3, 1)
            lo, hi = earliest.toordinal(), latest.toordinal() - (1 if age == 0 else 0)
            span = self._birth_range[age] = (lo, max(lo, hi) - lo + 1)
        return date.fromordinal(span[0] + int(self.rr() * span[1]))

    def id_number(self, birth: date, sex: str) -> str:
        """idcard.make(region, birth, seq, sex) for a random seq in 0..499 not used yet."""
        key = birth.toordinal()
        pre = self._id_prefix.get(key)
        if pre is None:
            digits = f"{birth:%Y%m%d}"
            birth_sum = sum(int(c) * w for c, w in zip(digits, (2, 1, 6, 3, 7, 9, 10, 5), strict=True))
            pre = self._id_prefix[key] = (self.region + digits, self._region_sum + birth_sum)
        head, total = pre
        tails = _SEQ_TAILS[sex]
        rr = self.rr
        for _ in range(5000):
            tail, tail_sum = tails[int(rr() * 500)]
            number = head + tail + _CHECK[(total + tail_sum) % 11]
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number
        raise RuntimeError(f"no free ID number for {birth} {sex}")  # pragma: no cover
