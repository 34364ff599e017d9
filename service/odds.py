"""Draw odds and compatibility rules: the one distribution of cookies, read from the catalog.

A cookie is one value per *slot*: every part category (a variant id, or None: "none", in
an optional category) and the hair colour (slot ``hair_color``). The catalog says:

- ``category["none"]``: the probability that an optional category is absent (default
  1/(n+1), the uniform draw of earlier catalogs);
- ``variant["weight"]``: its relative weight among the category's variants (default 1);
- ``catalog["rules"]``: combinations that are never drawn, each with an ``id`` and a ``why``:
  ``{"never": {slot: [ids], slot: [ids], ...}}`` forbids every cookie that has one of the
  listed values in each listed slot at once;
  ``{"min_delta_e": 20, "between": ["hair_color", "face"]}`` forbids a hair colour and a
  variant whose ``"color"`` are closer than that in CIELAB (ΔE*ab, service.colour).

The cookies drawn follow the independent product of those odds conditioned on breaking no
rule. A rule links a few slots; linked slots form a group small enough to enumerate, which
gives the exact count of distinct cookies, the exact odds we publish, and a sampler that
draws a whole group at once from its allowed combinations (no rejection loop).
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass, field

from service.atlas.sections import Catalog, RuleSpec
from service.colour import delta_e

HAIR = "hair_color"
MAX_GROUP = 2_000_000
"""Most combinations a group of linked slots may have (enumerated once per catalog)."""


class InvalidOdds(ValueError):
    """The catalog's odds or rules are inconsistent; `problems` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Slot:
    """One thing a cookie picks: its values (None = "none") and their probabilities."""

    id: str
    values: tuple[str | None, ...]
    probabilities: tuple[float, ...]


@dataclass(frozen=True)
class Rule:
    """A compiled rule: the value tuples of `slots` that no cookie may have."""

    id: str
    why: str
    slots: tuple[str, ...]
    forbidden: frozenset[tuple]


@dataclass
class Group:
    """Slots linked by rules, with every allowed combination and its probability."""

    slots: tuple[str, ...]
    rules: list[Rule]
    combos: list[tuple] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)
    total: float = 0.0  # probability that an unconstrained draw breaks no rule


def _slots(catalog: Catalog, problems: list[str]) -> dict[str, Slot]:
    slots = {}
    for category in catalog.categories:
        cid, variants = category.id, category.variants
        weights = []
        for variant in variants:
            weight = variant.weight
            if weight < 0:
                problems.append(f"catalog.json: {cid}/{variant.id} weight must be a number >= 0")
                weight = 0
            weights.append(float(weight))
        total = sum(weights)
        if variants and total <= 0:
            problems.append(f"catalog.json: category {cid!r} has no variant with a weight above 0")
            total = 1.0
        ids = tuple(v.id for v in variants)
        if category.required:
            if category.none is not None:
                problems.append(f"catalog.json: category {cid!r} is required, so it cannot have odds of 'none'")
            slots[cid] = Slot(cid, ids, tuple(w / total for w in weights))
            continue
        none = 1 / (len(variants) + 1) if category.none is None else category.none
        if not 0 <= none < 1:
            problems.append(f"catalog.json: category {cid!r} 'none' must be a probability from 0 to below 1")
            none = 1 / (len(variants) + 1)
        slots[cid] = Slot(cid, (None, *ids), (float(none), *((1 - none) * w / total for w in weights)))
    colours = catalog.hair_colors
    slots[HAIR] = Slot(HAIR, tuple(c.id for c in colours), tuple(1 / len(colours) for _ in colours))
    return slots


def _rule(spec: RuleSpec, slots: dict[str, Slot], catalog: Catalog, problems: list[str]) -> Rule | None:
    where = f"catalog.json: rule {spec.id!r}"
    if not spec.id:
        problems.append(f"catalog.json: every rule needs an 'id' (got {spec!r})")
        return None
    if spec.never is not None:
        never = spec.never
        if len(never) < 2:
            problems.append(f"{where}: 'never' must name at least two categories")
            return None
        ok = True
        for slot, ids in never.items():
            if slot not in slots:
                problems.append(f"{where} names category {slot!r}, which does not exist")
                ok = False
                continue
            if not ids:
                problems.append(f"{where}: {slot} needs a non-empty list of ids")
                ok = False
                continue
            for value in ids:
                if value not in slots[slot].values:
                    problems.append(f"{where} names {slot}/{value}, which does not exist")
                    ok = False
        if not ok:
            return None
        names = tuple(never)
        return Rule(spec.id, spec.why, names, frozenset(itertools.product(*(never[s] for s in names))))
    if spec.min_delta_e is not None:
        between, limit = spec.between, spec.min_delta_e
        if not (between is not None and len(between) == 2 and between[0] == HAIR):
            problems.append(f"{where}: 'between' must be [\"hair_color\", <category>]")
            return None
        if limit <= 0:
            problems.append(f"{where}: 'min_delta_e' must be a positive number")
            return None
        category = next((c for c in catalog.categories if c.id == between[1]), None)
        if category is None:
            problems.append(f"{where} names category {between[1]!r}, which does not exist")
            return None
        colours = {}
        for variant in category.variants:
            rgb = variant.color
            if rgb is None or not all(0 <= v <= 255 for v in rgb):
                problems.append(f"{where}: {between[1]}/{variant.id} needs \"color\" as three 0..255 integers")
                continue
            colours[variant.id] = rgb
        forbidden = frozenset((hair.id, vid) for hair in catalog.hair_colors
                              for vid, rgb in colours.items() if delta_e(hair.rgb, rgb) < limit)
        return Rule(spec.id, spec.why, (HAIR, between[1]), forbidden)
    problems.append(f"{where}: unknown kind (expected 'never' or 'min_delta_e')")
    return None


def _groups(slots: dict[str, Slot], rules: list[Rule], problems: list[str]) -> list[Group]:
    parent = {s: s for s in slots}

    def root(s: str) -> str:
        while parent[s] != s:
            s = parent[s]
        return s

    for rule in rules:
        for other in rule.slots[1:]:
            parent[root(other)] = root(rule.slots[0])
    members: dict[str, list[str]] = {}
    for s in slots:  # catalog order inside a group, groups in order of their first slot
        members.setdefault(root(s), []).append(s)
    groups = []
    for names in members.values():
        linked = [r for r in rules if root(r.slots[0]) == root(names[0])]
        if not linked:
            continue
        size = math.prod(len(slots[s].values) for s in names)
        if size > MAX_GROUP:
            problems.append(f"catalog.json: rules link {', '.join(names)} into {size:,} combinations "
                            f"(at most {MAX_GROUP:,} can be counted exactly)")
            continue
        group = Group(tuple(names), linked)
        checks = [(tuple(names.index(s) for s in r.slots), r.forbidden) for r in linked]
        columns = [list(zip(slots[s].values, slots[s].probabilities)) for s in names]
        running = 0.0
        for combo in itertools.product(*columns):
            values = tuple(v for v, _ in combo)
            if any(tuple(values[i] for i in index) in forbidden for index, forbidden in checks):
                continue
            p = math.prod(p for _, p in combo)
            if p > 0:
                running += p
                group.combos.append(values)
                group.cumulative.append(running)
        group.total = running
        if not group.combos:
            problems.append(f"catalog.json: rules {', '.join(r.id for r in linked)} leave no allowed "
                            f"combination of {', '.join(names)}")
            continue
        groups.append(group)
    return groups


class Odds:
    """The compiled odds and rules of one catalog (treat the catalog as read-only)."""

    def __init__(self, catalog: Catalog) -> None:
        problems: list[str] = []
        self.slots = _slots(catalog, problems)
        self.rules = [r for spec in catalog.rules if (r := _rule(spec, self.slots, catalog, problems))]
        self.groups = _groups(self.slots, self.rules, problems)
        if problems:
            raise InvalidOdds(problems)
        self.categories = tuple(c.id for c in catalog.categories)
        grouped = {s for g in self.groups for s in g.slots}
        self._free = [(s.id, s.values, list(itertools.accumulate(s.probabilities)))
                      for s in self.slots.values() if s.id not in grouped]
        self._published: dict | None = None

    _cache: dict[int, tuple[Catalog, Odds]] = {}

    @classmethod
    def of(cls, catalog: Catalog) -> Odds:
        """The compiled odds of a catalog, kept per catalog object: recipes are made per
        request and compiling enumerates the rule groups (milliseconds)."""
        hit = cls._cache.get(id(catalog))
        if hit is not None and hit[0] is catalog:  # the entry holds the catalog, so its id is not reused
            return hit[1]
        odds = cls(catalog)
        if len(cls._cache) >= 8:
            cls._cache.pop(next(iter(cls._cache)))
        cls._cache[id(catalog)] = (catalog, odds)
        return odds

    def sample(self, rng: random.Random) -> dict[str, str | None]:
        """One cookie: {slot: value} for every category and hair_color."""
        chosen: dict[str, str | None] = {}
        for sid, values, cumulative in self._free:
            chosen[sid] = values[_pick(rng, cumulative)]
        for group in self.groups:
            chosen.update(zip(group.slots, group.combos[_pick(rng, group.cumulative)]))
        return chosen

    def broken(self, cookie: dict[str, str | None]) -> list[str]:
        """The ids of the rules a cookie breaks (none for every cookie `sample` draws)."""
        return [r.id for r in self.rules if tuple(cookie.get(s) for s in r.slots) in r.forbidden]

    def combinations(self) -> int:
        """Every combination of parts and hair colour, ignoring rules and odds (SPEC §4's figure)."""
        return math.prod(len(s.values) for s in self.slots.values())

    def count(self) -> int:
        """Distinct cookies that can be drawn: values of odds above 0, no rule broken. Exact."""
        grouped = {s for g in self.groups for s in g.slots}
        free = math.prod(sum(1 for p in s.probabilities if p > 0) for s in self.slots.values()
                         if s.id not in grouped)
        return free * math.prod(len(g.combos) for g in self.groups)

    def probabilities(self, slot: str) -> dict[str | None, float]:
        """The exact probability of each value of a slot in drawn cookies (rules included)."""
        for group in self.groups:
            if slot in group.slots:
                index, out = group.slots.index(slot), dict.fromkeys(self.slots[slot].values, 0.0)
                previous = 0.0
                for combo, running in zip(group.combos, group.cumulative):
                    out[combo[index]] += running - previous
                    previous = running
                return {v: p / group.total for v, p in out.items()}
        return dict(zip(self.slots[slot].values, self.slots[slot].probabilities))

    def published(self) -> dict:
        """The drop rates, as `citizen-atlas stats` and GET /odds publish them."""
        if self._published is None:
            categories = []
            for cid in self.categories:
                probabilities = self.probabilities(cid)
                categories.append({"id": cid, "none": round(probabilities.pop(None, 0.0), 6),
                                   "variants": {v: round(p, 6) for v, p in probabilities.items()}})
            self._published = {
                "distinctCookies": self.count(),
                "combinations": self.combinations(),
                "categories": categories,
                "hairColors": {v: round(p, 6) for v, p in self.probabilities(HAIR).items()},
                "rules": [{"id": r.id, "why": r.why, "slots": list(r.slots), "forbidden": len(r.forbidden)}
                          for r in self.rules],
            }
        return self._published


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    # random() < 1 and the last cumulative is the total, so the index is in range.
    return min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def problems(catalog: Catalog) -> list[str]:
    """Every problem with a catalog's odds and rules (for the atlas builder)."""
    try:
        Odds(catalog)
    except InvalidOdds as exc:
        return exc.problems
    return []
