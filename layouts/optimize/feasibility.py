"""Compiled feasibility checks of moves, swaps and block moves, from the maintained counts of the state.

The state keeps the seats at each location (load), for each item and location the number of the item's conflict
partners there (conflict_count), for each constrained group (limited to k locations, or to adjacent levels) and
location the number of its members there (group_count) and the number of locations it uses (group_distinct), and
the move sizes moved away from the baseline. A check is O(1) plus the groups of the items concerned (O(m) for a
group on adjacent levels whose set of locations changes), so only feasible moves are ever considered and the
search never leaves the feasible set.
"""

from __future__ import annotations

from typing import NamedTuple

from layouts.optimize.kernels import inline, jit, moved_change
from layouts.optimize.problem import BoolArray, IntArray
from layouts.optimize.search_state import CompiledProblem, SearchState


@inline
def conflicts_allow_swap(conflict: BoolArray, cc: IntArray, i: int, j: int, a: int, b: int) -> bool:
    """Whether i at b and j at a meet no conflict partner (each other excepted: they stay apart); ``cc`` is the
    state's conflict_count."""
    apart = 1 if conflict[i, j] else 0
    return bool(cc[i, b] - apart <= 0 and cc[j, a] - apart <= 0)


@jit
def budget_left(prob: CompiledProblem, state: SearchState) -> int:
    """How much more may move away from the baseline (by move size); large when there is no budget."""
    return prob.budget - state.tally[0].moved if prob.use_budget else 2**62


class GroupArrays(NamedTuple):
    """The constrained groups' arrays of a problem that groups_allow reads (CompiledProblem's, bound once)."""

    item_groups_ptr: IntArray
    item_groups_idx: IntArray
    member: BoolArray
    group_max: IntArray
    group_adjacent: IntArray
    levels: IntArray


@inline
def group_arrays(prob: CompiledProblem) -> GroupArrays:
    return GroupArrays(
        prob.item_groups_ptr, prob.item_groups_idx, prob.member, prob.group_max, prob.group_adjacent, prob.levels
    )


@inline
def groups_allow(
    groups: GroupArrays, gcount: IntArray, gdistinct: IntArray, i: int, a: int, b: int, partner: int
) -> bool:
    """Whether item i leaving a for b keeps each of its constrained groups within its limit and on adjacent levels
    (``gcount``, ``gdistinct``: the state's group_count and group_distinct); the groups that also hold ``partner``
    (moving the other way in a swap, -1 for none) are unchanged by the swap and not checked."""
    ptr, idx, member, gmax, adjacent, levels = groups
    for t in range(ptr[i], ptr[i + 1]):
        g = idx[t]
        if partner >= 0 and member[g, partner]:
            continue
        distinct = gdistinct[g] - (1 if gcount[g, a] == 1 else 0) + (1 if gcount[g, b] == 0 else 0)
        if distinct > gmax[g]:
            return False
        if adjacent[g] and not on_one_run(levels, gcount[g], a, 1, b):
            return False
    return True


@jit
def move_is_feasible(prob: CompiledProblem, state: SearchState, i: int, b: int, capacity: bool = True) -> bool:
    """Whether relocating item i to location b (not its own) keeps every constraint (capacity only when asked)."""
    a = state.p[i]
    if not prob.allowed[i, b] or (capacity and state.load[b] + prob.sizes[i] > prob.capacities[b]):
        return False
    if prob.use_conflicts and state.conflict_count[i, b] > 0:
        return False
    if prob.use_groups and not groups_allow(group_arrays(prob), state.group_count, state.group_distinct, i, a, b, -1):
        return False
    return moved_change(prob.baseline, prob.move_sizes, i, a, b) <= budget_left(prob, state)


@jit
def swap_is_feasible(prob: CompiledProblem, state: SearchState, i: int, j: int, capacity: bool = True) -> bool:
    """Whether exchanging the locations of items i and j (at different locations) keeps every constraint (capacity
    only when asked)."""
    allowed, load, caps = prob.allowed, state.load, prob.capacities
    a, b = state.p[i], state.p[j]
    if prob.use_mask and not (allowed[i, b] and allowed[j, a]):
        return False
    si, sj = prob.sizes[i], prob.sizes[j]
    if capacity and si != sj and (load[a] - si + sj > caps[a] or load[b] - sj + si > caps[b]):
        return False
    if prob.use_conflicts and not conflicts_allow_swap(prob.conflict, state.conflict_count, i, j, a, b):
        return False
    if prob.use_groups:
        groups, gcount, gdistinct = group_arrays(prob), state.group_count, state.group_distinct
        if not (
            groups_allow(groups, gcount, gdistinct, i, a, b, j) and groups_allow(groups, gcount, gdistinct, j, b, a, i)
        ):
            return False
    base, msizes = prob.baseline, prob.move_sizes
    return moved_change(base, msizes, i, a, b) + moved_change(base, msizes, j, b, a) <= budget_left(prob, state)


@jit
def group_leave_table(prob: CompiledProblem, state: SearchState, table: BoolArray) -> None:
    """table[i, b]: whether item i leaving its location for b keeps each of its constrained groups within its limit
    and on adjacent levels (True at its own location); one pass per iteration instead of a call per candidate."""
    n, m = table.shape
    p, gcount, gdistinct, groups = state.p, state.group_count, state.group_distinct, group_arrays(prob)
    for i in range(n):
        a = p[i]
        for b in range(m):
            table[i, b] = b == a or groups_allow(groups, gcount, gdistinct, i, a, b, -1)


@jit
def shared_groups(prob: CompiledProblem, shares: BoolArray) -> None:
    """shares[i, j]: items i and j are in one constrained group (a swap of the two leaves that group as it is)."""
    mptr, midx = prob.members_ptr, prob.members_idx
    shares[:, :] = False
    for g in range(mptr.shape[0] - 1):
        for s in range(mptr[g], mptr[g + 1]):
            for t in range(mptr[g], mptr[g + 1]):
                shares[midx[s], midx[t]] = True


@inline
def on_one_run(level: IntArray, counts: IntArray, a: int, leaving: int, b: int) -> bool:
    """Whether a group with ``counts`` members at each location, once ``leaving`` of them go from a to b, uses
    locations whose ``level``s form one run of consecutive integers (the group is on one before the change)."""
    if counts[b] > 0 and counts[a] > leaving:
        return True  # the same locations as before
    low, high, used = level.shape[0] + level.max(), -1, 0
    for loc in range(counts.shape[0]):
        c = counts[loc] - (leaving if loc == a else 0) + (1 if loc == b else 0)
        if c > 0:
            used += 1
            low = min(low, level[loc])
            high = max(high, level[loc])
    return bool(high - low + 1 == used)


@jit
def block_is_feasible(
    prob: CompiledProblem, state: SearchState, g: int, a: int, b: int, seats: int, capacity: bool = True
) -> bool:
    """Whether group g's members at a (``seats`` in all) may move together to b (capacity checked when asked)."""
    mptr, midx, member, levels, p = prob.members_ptr, prob.members_idx, prob.member, prob.levels, state.p
    gcount, gdistinct = state.group_count, state.group_distinct
    if capacity and state.load[b] + seats > prob.capacities[b]:
        return False
    if prob.group_adjacent[g] and not on_one_run(levels, gcount[g], a, gcount[g, a], b):
        return False
    change = 0
    for s in range(mptr[g], mptr[g + 1]):
        i = midx[s]
        if p[i] != a:
            continue
        if not prob.allowed[i, b] or (prob.use_conflicts and state.conflict_count[i, b] > 0):
            return False
        change += moved_change(prob.baseline, prob.move_sizes, i, a, b)
        # Other limited groups of this member: they leave a only if all their members at a are in the block.
        for t in range(prob.item_groups_ptr[i], prob.item_groups_ptr[i + 1]):
            h = prob.item_groups_idx[t]
            if h == g:
                continue
            moving = 0
            for s2 in range(mptr[g], mptr[g + 1]):
                j = midx[s2]
                if p[j] == a and member[h, j]:
                    moving += 1
            distinct = gdistinct[h] - (1 if gcount[h, a] == moving else 0) + (1 if gcount[h, b] == 0 else 0)
            if distinct > prob.group_max[h]:
                return False
            if prob.group_adjacent[h] and not on_one_run(levels, gcount[h], a, moving, b):
                return False
    return change <= budget_left(prob, state)


@jit
def block_seats(sizes: IntArray, members: IntArray, p: IntArray, a: int) -> int:
    """The seats of the ``members`` (of a group) at location a."""
    seats = 0
    for i in members:
        if p[i] == a:
            seats += sizes[i]
    return seats


@jit
def has_any_move(prob: CompiledProblem, state: SearchState, capacity: bool = True) -> bool:
    """Whether any feasible relocation, swap or block move exists, tabu or not (capacity checked when asked)."""
    p, gcount, mptr = state.p, state.group_count, prob.members_ptr
    n, m = prob.allowed.shape
    for i in range(n):
        for j in range(i + 1, n):
            if p[i] != p[j] and swap_is_feasible(prob, state, i, j, capacity):
                return True
        for b in range(m):
            if b != p[i] and move_is_feasible(prob, state, i, b, capacity):
                return True
    for g in range(gcount.shape[0]):
        members = prob.members_idx[mptr[g] : mptr[g + 1]]
        for a in range(m):
            if gcount[g, a] < 2:
                continue
            seats = block_seats(prob.sizes, members, p, a)
            for b in range(m):
                if b != a and block_is_feasible(prob, state, g, a, b, seats, capacity):
                    return True
    return False
