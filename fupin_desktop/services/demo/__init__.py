"""A realistic, fully deterministic demo village, and `fupin demo`, which writes it to a new database.

The default is 荥阳市 汜水镇 新沟村 as the domain brief describes it (§8.2): 6 natural villages,
437 households / 1688 persons, of which 87 建档立卡 households / 308 persons; collective income
3.8万 (2016) → 16.5万 (2020); per-capita income of registered households ≈3000 → 12600 (2020).
`households=N` scales the same village to N households (about 70 per 村民组, ≈20 % registered,
≈3.86 persons per household).

Every row dict carries exactly the columns of its model (id and timestamps included), so it can go
straight into an executemany insert. Money is in integer fen. The same arguments always give the
same rows: all randomness comes from `random.Random` streams seeded from `seed`.

`generate_village` (village.py) makes the rows without touching a database; `build_demo` (build.py)
writes them. The parts: plan.py (how many of what), names.py, families.py, people.py,
households.py, incomes.py, cadres.py, and draws.py (the random streams they share); portraits.py
draws placeholder photos of the team for the 明白栏.
"""

from fupin_desktop.services.demo.build import DemoSummary, build_demo
from fupin_desktop.services.demo.constants import LUOYANG_CAUSE_SHARES
from fupin_desktop.services.demo.names import GIVEN_NAMES, SURNAMES
from fupin_desktop.services.demo.plan import cause_quota
from fupin_desktop.services.demo.village import DemoVillage, generate_village

__all__ = [
    "GIVEN_NAMES", "LUOYANG_CAUSE_SHARES", "SURNAMES", "DemoSummary", "DemoVillage", "build_demo", "cause_quota",
    "generate_village",
]
