"""Compiled feasibility checks of moves, swaps and block moves, from the maintained counts of the state.

The state keeps the seats at each location (load), for each item and location the number of the item's conflict
partners there (cc), for each constrained group (limited to k locations, or to adjacent levels) and location the
number of its members there (gcount) and the number of locations it uses (gdistinct), and the move sizes moved
away from the baseline. A check is O(1) plus the groups of the items concerned (O(m) for a group on adjacent
levels whose set of locations changes), so only feasible moves are ever considered and the search never leaves
the feasible set.
"""

from __future__ import annotations

from typing import Any

from layouts.optimize.kernels import (
    BUDGET,
    MOVED,
    P_ALLOWED,
    P_BASE,
    P_CAPS,
    P_CONFLICT,
    P_FLAGS,
    P_GADJ,
    P_GIDX,
    P_GMAX,
    P_GPTR,
    P_LEVEL,
    P_MEMBER,
    P_MIDX,
    P_MPTR,
    P_MSIZES,
    P_SIZES,
    S_CC,
    S_GCOUNT,
    S_GDISTINCT,
    S_INT,
    S_LOAD,
    S_P,
    USE_BUDGET,
    USE_CONFLICTS,
    USE_GROUPS,
    USE_MASK,
    jit,
)


@jit
def move_is_feasible(prob: Any, state: Any, i: int, b: int, capacity: bool = True) -> bool:
    """Whether relocating item i to location b (not its own) keeps every constraint (capacity only when asked)."""
    sizes, caps, allowed, flags = prob[P_SIZES], prob[P_CAPS], prob[P_ALLOWED], prob[P_FLAGS]
    p, load, cc = state[S_P], state[S_LOAD], state[S_CC]
    a = p[i]
    if not allowed[i, b] or (capacity and load[b] + sizes[i] > caps[b]):
        return False
    if flags[USE_CONFLICTS] and cc[i, b] > 0:
        return False
    if flags[USE_GROUPS] and not _groups_allow(prob, state, i, a, b, -1):
        return False
    if flags[USE_BUDGET]:
        base = prob[P_BASE]
        if base[i] >= 0:
            change = prob[P_MSIZES][i] * ((1 if b != base[i] else 0) - (1 if a != base[i] else 0))
            if state[S_INT][MOVED] + change > flags[BUDGET]:
                return False
    return True


@jit
def swap_is_feasible(prob: Any, state: Any, i: int, j: int, capacity: bool = True) -> bool:
    """Whether exchanging the locations of items i and j (at different locations) keeps every constraint (capacity
    only when asked)."""
    sizes, caps, allowed, flags = prob[P_SIZES], prob[P_CAPS], prob[P_ALLOWED], prob[P_FLAGS]
    p, load, cc = state[S_P], state[S_LOAD], state[S_CC]
    a, b = p[i], p[j]
    if flags[USE_MASK] and not (allowed[i, b] and allowed[j, a]):
        return False
    si, sj = sizes[i], sizes[j]
    if capacity and si != sj and (load[a] - si + sj > caps[a] or load[b] - sj + si > caps[b]):
        return False
    if flags[USE_CONFLICTS]:
        apart = 1 if prob[P_CONFLICT][i, j] else 0
        if cc[i, b] - apart > 0 or cc[j, a] - apart > 0:
            return False
    if flags[USE_GROUPS] and not (_groups_allow(prob, state, i, a, b, j) and _groups_allow(prob, state, j, b, a, i)):
        return False
    if flags[USE_BUDGET]:
        base, msizes = prob[P_BASE], prob[P_MSIZES]
        change = 0
        if base[i] >= 0:
            change += msizes[i] * ((1 if b != base[i] else 0) - (1 if a != base[i] else 0))
        if base[j] >= 0:
            change += msizes[j] * ((1 if a != base[j] else 0) - (1 if b != base[j] else 0))
        if state[S_INT][MOVED] + change > flags[BUDGET]:
            return False
    return True


@jit
def _groups_allow(prob: Any, state: Any, i: int, a: int, b: int, partner: int) -> bool:
    """Whether item i leaving a for b keeps each of its constrained groups within its limit and on adjacent levels;
    the groups that also hold ``partner`` (moving the other way in a swap, -1 for none) are unchanged by the swap
    and not checked."""
    gptr, gidx, member, gmax, gadj = prob[P_GPTR], prob[P_GIDX], prob[P_MEMBER], prob[P_GMAX], prob[P_GADJ]
    gcount, gdistinct = state[S_GCOUNT], state[S_GDISTINCT]
    for t in range(gptr[i], gptr[i + 1]):
        g = gidx[t]
        if partner >= 0 and member[g, partner]:
            continue
        distinct = gdistinct[g] - (1 if gcount[g, a] == 1 else 0) + (1 if gcount[g, b] == 0 else 0)
        if distinct > gmax[g]:
            return False
        if gadj[g] and not on_one_run(prob, gcount[g], a, 1, b):
            return False
    return True


@jit
def group_leave_table(prob: Any, state: Any, table: Any) -> None:
    """table[i, b]: whether item i leaving its location for b keeps each of its constrained groups within its limit
    and on adjacent levels (True at its own location); one pass per iteration instead of a call per candidate."""
    gptr, gidx, gmax, gadj = prob[P_GPTR], prob[P_GIDX], prob[P_GMAX], prob[P_GADJ]
    p, gcount, gdistinct = state[S_P], state[S_GCOUNT], state[S_GDISTINCT]
    n, m = table.shape
    for i in range(n):
        a = p[i]
        for b in range(m):
            ok = True
            if b != a:
                for t in range(gptr[i], gptr[i + 1]):
                    g = gidx[t]
                    distinct = gdistinct[g] - (1 if gcount[g, a] == 1 else 0) + (1 if gcount[g, b] == 0 else 0)
                    if distinct > gmax[g] or (gadj[g] and not on_one_run(prob, gcount[g], a, 1, b)):
                        ok = False
                        break
            table[i, b] = ok


@jit
def shared_groups(prob: Any, shares: Any) -> None:
    """shares[i, j]: items i and j are in one constrained group (a swap of the two leaves that group as it is)."""
    mptr, midx = prob[P_MPTR], prob[P_MIDX]
    shares[:, :] = False
    for g in range(mptr.shape[0] - 1):
        for s in range(mptr[g], mptr[g + 1]):
            for t in range(mptr[g], mptr[g + 1]):
                shares[midx[s], midx[t]] = True


@jit
def on_one_run(prob: Any, counts: Any, a: int, leaving: int, b: int) -> bool:
    """Whether a group with ``counts`` members at each location, once ``leaving`` of them go from a to b, uses
    locations whose levels form one run of consecutive integers (the group is on one before the change)."""
    if counts[b] > 0 and counts[a] > leaving:
        return True  # the same locations as before
    level = prob[P_LEVEL]
    low, high, used = level.shape[0] + level.max(), -1, 0
    for loc in range(counts.shape[0]):
        c = counts[loc] - (leaving if loc == a else 0) + (1 if loc == b else 0)
        if c > 0:
            used += 1
            low = min(low, level[loc])
            high = max(high, level[loc])
    return bool(high - low + 1 == used)


@jit
def block_is_feasible(prob: Any, state: Any, g: int, a: int, b: int, seats: int, capacity: bool = True) -> bool:
    """Whether group g's members at a (``seats`` in all) may move together to b (capacity checked when asked)."""
    caps, allowed, flags = prob[P_CAPS], prob[P_ALLOWED], prob[P_FLAGS]
    gptr, gidx, member, gmax, gadj = prob[P_GPTR], prob[P_GIDX], prob[P_MEMBER], prob[P_GMAX], prob[P_GADJ]
    mptr, midx, msizes = prob[P_MPTR], prob[P_MIDX], prob[P_MSIZES]
    p, load, cc = state[S_P], state[S_LOAD], state[S_CC]
    gcount, gdistinct = state[S_GCOUNT], state[S_GDISTINCT]
    if capacity and load[b] + seats > caps[b]:
        return False
    if gadj[g] and not on_one_run(prob, gcount[g], a, gcount[g, a], b):
        return False
    change = 0
    base = prob[P_BASE]
    for s in range(mptr[g], mptr[g + 1]):
        i = midx[s]
        if p[i] != a:
            continue
        if not allowed[i, b] or (flags[USE_CONFLICTS] and cc[i, b] > 0):
            return False
        if base[i] >= 0:
            change += msizes[i] * ((1 if b != base[i] else 0) - (1 if a != base[i] else 0))
        # Other limited groups of this member: they leave a only if all their members at a are in the block.
        for t in range(gptr[i], gptr[i + 1]):
            h = gidx[t]
            if h == g:
                continue
            moving = 0
            for s2 in range(mptr[g], mptr[g + 1]):
                j = midx[s2]
                if p[j] == a and member[h, j]:
                    moving += 1
            distinct = gdistinct[h] - (1 if gcount[h, a] == moving else 0) + (1 if gcount[h, b] == 0 else 0)
            if distinct > gmax[h] or (gadj[h] and not on_one_run(prob, gcount[h], a, moving, b)):
                return False
    return not (flags[USE_BUDGET] and state[S_INT][MOVED] + change > flags[BUDGET])


@jit
def has_any_move(prob: Any, state: Any, capacity: bool = True) -> bool:
    """Whether any feasible relocation, swap or block move exists, tabu or not (capacity checked when asked)."""
    allowed, sizes, mptr, midx = prob[P_ALLOWED], prob[P_SIZES], prob[P_MPTR], prob[P_MIDX]
    p, gcount = state[S_P], state[S_GCOUNT]
    n, m = allowed.shape
    for i in range(n):
        for j in range(i + 1, n):
            if p[i] != p[j] and swap_is_feasible(prob, state, i, j, capacity):
                return True
        for b in range(m):
            if b != p[i] and move_is_feasible(prob, state, i, b, capacity):
                return True
    for g in range(gcount.shape[0]):
        for a in range(m):
            if gcount[g, a] < 2:
                continue
            seats = 0
            for s in range(mptr[g], mptr[g + 1]):
                if p[midx[s]] == a:
                    seats += sizes[midx[s]]
            for b in range(m):
                if b != a and block_is_feasible(prob, state, g, a, b, seats, capacity):
                    return True
    return False
