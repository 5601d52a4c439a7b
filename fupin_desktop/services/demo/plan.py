"""How many of what: households, persons and kinds of household, their sizes and main causes, per 村民组."""

import math
import random
from dataclasses import dataclass

from fupin_desktop.services.demo.constants import LUOYANG_CAUSE_SHARES
from fupin_desktop.services.demo.names import DEFAULT_GROUP_WEIGHTS, DEFAULT_GROUPS

# 新沟村 as the seeds describe it.
DEFAULT_HOUSEHOLDS = 437
DEFAULT_PERSONS = 1688
DEFAULT_REGISTERED = 87
DEFAULT_REGISTERED_PERSONS = 308
DEFAULT_MONITORED = 3  # 监测户
DEFAULT_EDGE = 2  # 边缘户
HOUSEHOLDS_PER_GROUP = 70
MAX_SIZE = 8
# Household sizes 1..8: registered households are smaller (old people alone, couples).
REGISTERED_SIZE_WEIGHTS = (12, 20, 17, 21, 17, 9, 3, 1)
GENERAL_SIZE_WEIGHTS = (6, 16, 18, 24, 20, 11, 4, 1)


@dataclass
class Plan:
    households: int
    persons: int
    registered: int
    registered_persons: int
    monitored: int
    edge: int
    groups: int
    default: bool  # the village of the seeds itself, not a scaled one


def plan_for(households: int | None) -> Plan:
    """The seeds' counts, or the same proportions for `households`."""
    if households is None:
        return Plan(DEFAULT_HOUSEHOLDS, DEFAULT_PERSONS, DEFAULT_REGISTERED, DEFAULT_REGISTERED_PERSONS,
                    DEFAULT_MONITORED, DEFAULT_EDGE, len(DEFAULT_GROUPS), default=True)
    if households < 1:
        raise ValueError("households must be at least 1")
    n = households
    reg = round(n * DEFAULT_REGISTERED / DEFAULT_HOUSEHOLDS)
    reg_persons = round(reg * DEFAULT_REGISTERED_PERSONS / DEFAULT_REGISTERED)
    persons = max(round(n * DEFAULT_PERSONS / DEFAULT_HOUSEHOLDS), reg_persons + (n - reg))
    mon = round(n * DEFAULT_MONITORED / DEFAULT_HOUSEHOLDS)
    edge = round(n * DEFAULT_EDGE / DEFAULT_HOUSEHOLDS)
    return Plan(n, persons, reg, reg_persons, mon, edge, max(1, round(n / HOUSEHOLDS_PER_GROUP)), default=False)


def split(total: int, weights: list[float], *, at_least_one: bool = True) -> list[int]:
    """Largest-remainder split of `total` in proportion to `weights`.

    With `at_least_one`, every part gets at least 1 if `total` allows it. Ties go to the earlier part.
    """
    s = sum(weights)
    exact = [total * w / s for w in weights]
    out = [math.floor(e) for e in exact]
    if at_least_one and total >= len(weights):
        out = [max(1, q) for q in out]
    left = total - sum(out)
    order = sorted(range(len(weights)), key=lambda i: exact[i] - out[i], reverse=True)
    k = 0
    while left:
        i = order[k % len(order)]
        if left > 0:
            out[i] += 1
            left -= 1
        elif out[i] > 1:
            out[i] -= 1
            left += 1
        k += 1
    return out


def cause_quota(registered: int) -> dict[str, int]:
    """Main-cause counts for `registered` households: Luoyang shares, largest-remainder rounding."""
    counts = split(registered, list(LUOYANG_CAUSE_SHARES.values()), at_least_one=False)
    return dict(zip(LUOYANG_CAUSE_SHARES, counts, strict=True))


def _sizes(rng: random.Random, count: int, total: int, weights: tuple[int, ...]) -> list[int]:
    """`count` household sizes (1..MAX_SIZE) drawn from `weights` and nudged to sum to `total`."""
    if count == 0:
        return []
    sizes = rng.choices(range(1, MAX_SIZE + 1), weights=weights, k=count)
    diff = total - sum(sizes)
    while diff:
        i = rng.randrange(count)
        if diff > 0 and sizes[i] < MAX_SIZE:
            sizes[i] += 1
            diff -= 1
        elif diff < 0 and sizes[i] > 1:
            sizes[i] -= 1
            diff += 1
    return sizes


@dataclass
class Roster:
    """Every household in register order: its kind, size and main cause, and where each 村民组 starts."""

    per_group: list[int]  # households in each 村民组
    kinds: list[str]  # "reg" 建档立卡, "mon" 监测户, "edge" 边缘户, "gen" 一般农户
    sizes: list[int]
    causes: dict[int, str]  # main cause of each registered household
    banqian: set[int]  # registered households moved by 易地扶贫搬迁


def draw_roster(rng: random.Random, plan: Plan) -> Roster:
    rr = rng.random
    weights = list(DEFAULT_GROUP_WEIGHTS) if plan.default else [0.7 + 0.6 * rr() for _ in range(plan.groups)]
    per_group = split(plan.households, weights)

    n_general = plan.households - plan.registered - plan.monitored - plan.edge
    kinds = ["reg"] * plan.registered + ["mon"] * plan.monitored + ["edge"] * plan.edge + ["gen"] * n_general
    rng.shuffle(kinds)
    reg_idx = [i for i, k in enumerate(kinds) if k == "reg"]
    other_idx = [i for i, k in enumerate(kinds) if k != "reg"]
    sizes = [0] * plan.households
    for i, s in zip(reg_idx, _sizes(rng, len(reg_idx), plan.registered_persons, REGISTERED_SIZE_WEIGHTS),
                    strict=True):
        sizes[i] = s
    for i, s in zip(other_idx, _sizes(rng, len(other_idx), plan.persons - plan.registered_persons,
                                      GENERAL_SIZE_WEIGHTS), strict=True):
        sizes[i] = s
    causes: dict[int, str] = {}
    quota = cause_quota(plan.registered)
    # 缺劳动力 goes to small households (old people alone, old couples); the rest at random
    by_size = sorted(reg_idx, key=lambda i: (sizes[i], rr()))
    chosen08 = rng.sample(by_size[: max(quota["08"], len(by_size) * 3 // 10)], quota["08"])
    taken = set(chosen08)
    bag = [c for c, n in quota.items() if c != "08" for _ in range(n)]
    rng.shuffle(bag)
    causes.update(dict.fromkeys(chosen08, "08"))
    causes.update(zip([i for i in reg_idx if i not in taken], bag, strict=True))
    n_banqian = max(1, round(plan.registered * 0.025)) if plan.registered >= 10 else 0
    banqian = set(rng.sample(reg_idx, n_banqian))
    return Roster(per_group, kinds, sizes, causes, banqian)
