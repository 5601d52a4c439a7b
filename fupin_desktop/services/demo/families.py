"""Family templates: relations, sexes and ages of the people of one household."""

from typing import Any

from fupin_desktop.domain.vocab import RELATION_HEAD
from fupin_desktop.services.demo.draws import Draws

# One person of a family template: [relation, sex, age in full years, surname marker].
# Surname markers: "F" the family (patrilineal) surname, "O" a married-in person's own surname,
# "L" the surname of the 之女婿 (he and some of his children carry it).
Spec = list[Any]


def family(g: Draws, size: int, elderly: bool) -> list[Spec]:
    """Relations, sexes and ages for a household of `size`, head first.

    Children are 21–39 years younger than the head, grandchildren 21–33 years younger than their
    parent, parents of the head 21–34 years older; spouses are of the opposite sex.
    """
    rr, ri = g.rr, g.ri

    def kid(age: int) -> Spec:
        return ["之子", "男", age, "F"] if rr() < 0.53 else ["之女", "女", age, "F"]

    def wife(husband_age: int) -> Spec:
        return ["配偶", "女", max(18, husband_age - ri(-1, 4)), "O"]

    def children(mother_age: int, head_age: int, k: int) -> list[Spec]:
        out = []
        at = ri(21, 27)  # the mother's age at each birth
        for _ in range(k):
            out.append(kid(max(min(mother_age - at, head_age - 21), head_age - 39, 0)))
            at = min(36, at + ri(1, 4))
        return out

    if size == 1:
        if elderly or rr() < 0.6:  # an old person living alone
            if rr() < 0.5:
                return [[RELATION_HEAD, "男", ri(63, 90), "F"]]
            return [[RELATION_HEAD, "女", ri(63, 90), "O"]]
        return [[RELATION_HEAD, "男", ri(42, 66), "F"]]  # a bachelor

    if size == 2:
        r = rr() * (0.75 if elderly else 1.0)
        if r < 0.45:  # elderly couple, the children live elsewhere
            age = ri(60, 86)
            return [[RELATION_HEAD, "男", age, "F"], wife(age)]
        if r < 0.75:  # widowed parent and an unmarried adult child
            age = ri(60, 85)
            head = [RELATION_HEAD, "女", age, "O"] if rr() < 0.6 else [RELATION_HEAD, "男", age, "F"]
            child_age = age - ri(22, 37)
            return [head, ["之子", "男", child_age, "F"] if rr() < 0.75 else ["之女", "女", child_age, "F"]]
        if r < 0.9:  # middle-aged couple
            age = ri(42, 60)
            return [[RELATION_HEAD, "男", age, "F"], wife(age)]
        age = ri(30, 48)  # single parent and a child
        head = [RELATION_HEAD, "女", age, "O"] if rr() < 0.6 else [RELATION_HEAD, "男", age, "F"]
        return [head, kid(max(0, age - ri(22, 36)))]

    r = rr()
    if elderly:
        r = 0.55 + r * 0.45  # prefer the patterns with an old head
    if size >= 4 and r >= 0.95:  # 上门女婿: the daughter's husband lives with her parents
        age = ri(52, 72)
        daughter = max(22, age - ri(22, 32))
        out = [[RELATION_HEAD, "男", age, "F"], wife(age), ["之女", "女", daughter, "F"],
               ["之女婿", "男", daughter + ri(-1, 4), "L"]]
        age_k = daughter - ri(21, min(33, daughter))
        for _ in range(size - 4):
            sex = "男" if rr() < 0.53 else "女"
            out.append(["之外孙子女", sex, max(0, age_k), "F" if rr() < 0.6 else "L"])
            age_k -= ri(1, 5)
        return out
    if r < 0.45 and size <= 6:  # nuclear: head, wife, children
        k = size - 2
        age = ri(24 + 2 * k, 66 if elderly else 58)
        w = wife(age)
        return [[RELATION_HEAD, "男", age, "F"], w, *children(w[2], age, k)]
    if r < 0.6 and size >= 4:  # nuclear with the head's parent(s)
        parents = 2 if size >= 5 and rr() < 0.35 else 1
        k = size - 2 - parents
        age = ri(max(26 + 2 * k, 30), 55)
        w = wife(age)
        out = [[RELATION_HEAD, "男", age, "F"], w, *children(w[2], age, k)]
        father, mother = ["之父", "男", age + ri(23, 34), "F"], ["之母", "女", age + ri(21, 32), "O"]
        out += [father, mother] if parents == 2 else [mother] if rr() < 0.7 else [father]
        return out
    # three generations under an old head: son, daughter-in-law, grandchildren, maybe younger children
    has_wife = rr() < (0.8 if size >= 5 else 0.65)
    age = ri(52, 80)
    head = [RELATION_HEAD, "男", age, "F"] if has_wife or rr() < 0.4 else [RELATION_HEAD, "女", age, "O"]
    out = [head, wife(age)] if has_wife else [head]
    son = max(22, age - ri(22, 34))
    out += [["之子", "男", son, "F"], ["之儿媳", "女", max(20, son - ri(-2, 4)), "O"]]
    if len(out) > size:  # size 3: an old couple and their grown son
        out.pop()
    rem = size - len(out)
    grand = min(rem, (1, 2, 2, 3, 3)[int(rr() * 5)])
    extra = rem - grand
    if extra > 2:
        grand, extra = grand + extra - 2, 2
    age_g = son - ri(21, min(33, son))
    for _ in range(grand):
        if rr() < 0.53:
            out.append(["之孙子", "男", max(0, age_g), "F"])
        else:
            out.append(["之孙女", "女", max(0, age_g), "F"])
        age_g -= ri(1, 5)
    age_e = son
    for _ in range(extra):
        age_e = max(age - 39, age_e - ri(2, 6), 0)
        out.append(kid(age_e))
    return out
