"""Generate the synthetic HEE 2019 survey at any size.

At n = 602 (one chunk) every published base is reproduced exactly; larger copies are
built chunk by chunk (each chunk's counts scaled from the published profile) so memory
stays bounded. Everything is driven by ``numpy.random.Generator`` seeded from
(seed, chunk), so the same arguments give byte-identical files.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from heetui.demo import questionnaire as qn

CHUNK = 1_000_000
_Z = NormalDist()


def scaled(counts: list[int], n: int, base: int = qn.N_PUBLISHED, total: int | None = None
           ) -> list[int]:
    """Scale published counts to n respondents; largest remainder keeps the sum exact."""
    target = round(sum(counts) * n / base) if total is None else total
    raw = [c * target / sum(counts) for c in counts]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: target - sum(out)]:
        out[i] += 1
    return out


def pick(rng: np.random.Generator, k: int, weights: np.ndarray) -> np.ndarray:
    """Exactly k distinct indices, drawn with probability proportional to weights."""
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    keys = rng.exponential(size=weights.size) / np.maximum(weights, 1e-12)
    keys[weights <= 0] = np.inf
    if k >= weights.size:
        return np.arange(weights.size)
    return np.argpartition(keys, k - 1)[:k]


@dataclass
class Drawn:
    """Who a chunk of synthetic respondents are: the segment codes drawn for each."""

    org: np.ndarray  # uint8 codes
    stype: np.ndarray
    contact: np.ndarray
    senior: np.ndarray
    teams: np.ndarray  # (m, 3) 0/1
    regions: np.ndarray  # (m, 8) 0/1


def make_profile(rng: np.random.Generator, m: int) -> Drawn:
    org_codes = np.array([o[0] for o in qn.ORG_TYPES], dtype=np.uint8)
    org_counts = scaled([o[2] for o in qn.ORG_TYPES], m, total=m)
    org = rng.permutation(np.repeat(org_codes, org_counts))
    to_stype = np.zeros(256, dtype=np.uint8)
    for code, _, _, st, _ in qn.ORG_TYPES:
        to_stype[code] = st
    stype = to_stype[org]

    contact = np.full(m, 2, dtype=np.uint8)
    for st, published_in in qn.IN_CONTACT_BY_TYPE.items():
        members = np.flatnonzero(stype == st)
        published_all = sum(o[2] for o in qn.ORG_TYPES if o[3] == st)
        k = round(published_in * members.size / published_all)
        contact[members[pick(rng, k, np.ones(members.size))]] = 1

    senior = np.full(m, 2, dtype=np.uint8)
    exec_w = np.array([0, 0.8, 1.4, 1.6, 1.6, 1.6, 1.2, 1.2])[org]
    senior[pick(rng, scaled([qn.EXECUTIVES], m)[0], exec_w)] = 1

    teams = np.zeros((m, len(qn.HEE_TEAMS)), dtype=np.uint8)
    in_touch = np.where(contact == 1, 1.0, 0.35)
    for j, (_, _, count) in enumerate(qn.HEE_TEAMS):
        w = in_touch * (np.where(org == 1, 1.4, 0.8) if j == 2 else 1.0)
        teams[pick(rng, scaled([count], m)[0], w), j] = 1

    regions = _regions(rng, org, m)
    return Drawn(org, stype, contact, senior, teams, regions)


def _regions(rng: np.random.Generator, org: np.ndarray, m: int) -> np.ndarray:
    counts = [r[2] for r in qn.REGIONS]
    target = scaled(counts, m)
    primary = scaled(counts, m, total=m)
    nat = len(qn.REGIONS) - 1  # "National" is last
    national_bias = np.array([0, 0.15, 0.5, 20, 15, 12, 0.6, 3])[org]
    regions = np.zeros((m, len(counts)), dtype=np.uint8)
    free = np.ones(m, dtype=bool)
    for r in [nat, *range(nat)]:
        w = (national_bias if r == nat else np.ones(m)) * free
        chosen = pick(rng, min(primary[r], int(free.sum())), w)
        regions[chosen, r] = 1
        free[chosen] = False
    for r in range(len(counts)):
        extra = target[r] - int(regions[:, r].sum())
        held = regions.sum(axis=1)
        w = np.where(regions[:, r] == 1, 0.0, np.where(held == 1, 1.0, 0.3))
        regions[pick(rng, extra, w), r] = 1
    return regions


# region effects on the latent attitude: some variation, no region poor
REGION_EFFECT = np.array([-0.05, 0.05, -0.12, 0.0, 0.1, 0.15, -0.1, 0.05])
TYPE_EFFECT = np.array([0.0, 0.1, -0.05, 0.1])  # indexed by stakeholder_type


def latent(rng: np.random.Generator, p: Drawn) -> npt.NDArray[np.float64]:
    held = p.regions.sum(axis=1)
    reg = (p.regions @ REGION_EFFECT) / np.maximum(held, 1)
    # numpy's stubs type an indexed array as Any; the sum is float64
    x: npt.NDArray[np.float64] = TYPE_EFFECT[p.stype] + np.where(p.senior == 1, 0.15, 0.0) + \
        reg + rng.normal(0.0, 0.95, p.org.size)
    return x


def ordinal(rng: np.random.Generator, x: np.ndarray, props: list[float], dk: float,
            dk_code: int | None) -> npt.NDArray[np.uint8]:
    """Ordered categories 1..k (1 = highest latent) with marginal shares ``props``."""
    cum = np.cumsum(props)[:-1] / sum(props)
    cuts = np.array([_Z.inv_cdf(1 - c) for c in cum])
    out = 1 + (x[:, None] <= cuts[None, :]).sum(axis=1)
    ans: npt.NDArray[np.uint8] = out.astype(np.uint8)  # out is Any in numpy's stubs
    if dk_code is not None:
        ans[rng.random(x.size) < dk] = dk_code
    return ans


def _mix(rng: np.random.Generator, a: np.ndarray, lam: float) -> npt.NDArray[np.float64]:
    mixed: npt.NDArray[np.float64] = lam * a + np.sqrt(1 - lam * lam) * rng.normal(size=a.size)
    return mixed


def answers(rng: np.random.Generator, p: Drawn, shift: float = 0.0) -> dict[str, np.ndarray]:
    """Every closed answer; ``shift`` moves the latent attitude (in its standard deviations:
    a positive shift, more positive answers), for an illustrative later wave."""
    a = latent(rng, p) + shift
    trust = (p.stype == 2).astype(float)
    regional_only = (p.regions[:, -1] == 0).astype(float)
    out: dict[str, np.ndarray] = {
        "relationship": ordinal(rng, _mix(rng, a, 0.8), [.31, .44, .13, .08, .04], .03, 6),
        "advocacy": ordinal(rng, _mix(rng, a, 0.8), [.09, .34, .40, .12, .05], .06, 6),
        "views_timing": ordinal(rng, _mix(rng, a, 0.6) - 0.65 * trust + 0.35,
                                [.12, .38, .25, .17, .08], .06, 6),
        "point_of_contact": ordinal(rng, _mix(rng, a, 0.5), [.18, .31, .12, .23, .16], .03, 6),
        "effectiveness": ordinal(rng, _mix(rng, a, 0.7), [.10, .47, .38, .05], .04, 5),
        "role_clarity": ordinal(rng, _mix(rng, a, 0.5) - 0.35 * regional_only + 0.25,
                                [.17, .40, .16, .19, .08], .02, 6),
    }
    out.update(_words(rng, a, p.contact == 1))
    return out


WORD_RATES = (.56, .50, .38, .46, .58, .47, .40, .17, .20, .36, .30, .27, .19, .08, .21)


def _words(rng: np.random.Generator, a: np.ndarray, asked: np.ndarray) -> dict[str, np.ndarray]:
    m = a.size
    n_pos = len(qn.POSITIVE_WORDS)
    chosen = np.zeros((m, len(WORD_RATES)), dtype=np.uint8)
    for j, rate in enumerate(WORD_RATES):
        beta = 0.9 if j < n_pos else -0.9
        logit = np.log(rate / (1 - rate)) + beta * a
        chosen[:, j] = rng.random(m) < 1 / (1 + np.exp(-logit))
    excl = rng.random(m)
    none = excl < 0.02
    dk = (excl >= 0.02) & (excl < 0.04)
    empty = chosen.sum(axis=1) == 0
    fallback = np.where(a >= 0, 0, n_pos)  # "Supportive" or "Fragmented"
    chosen[empty & ~none & ~dk, fallback[empty & ~none & ~dk]] = 1
    chosen[none | dk] = 0
    cols = {f"words_{j + 1}": chosen[:, j] for j in range(chosen.shape[1])}
    cols[f"words_{qn.NONE_CODE}"] = none.astype(np.uint8)
    cols[f"words_{qn.DK_CODE}"] = dk.astype(np.uint8)
    return {k: _masked(v, asked) for k, v in cols.items()}


def _masked(values: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """Multi-response columns of respondents not asked are missing, encoded as 255 here."""
    return np.where(asked, values, 255).astype(np.uint8)


def weights_for(org: np.ndarray) -> npt.NDArray[np.float64]:
    w = np.zeros(256)
    for code, _, count, _, share in qn.ORG_TYPES:
        w[code] = share / (count / qn.N_PUBLISHED)
    per_respondent: npt.NDArray[np.float64] = w[org]  # indexing is Any in numpy's stubs
    return per_respondent

