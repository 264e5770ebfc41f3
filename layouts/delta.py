"""The change in score when one unit moves or two units swap, without rescoring everything.

With W the symmetric trips matrix (diagonal: a unit's own trips), T a symmetric travel-time matrix between
locations (places, or floors) and S the units x locations shares, the score of `layouts.scoring` is::

    score = 1/2 * sum over u != v of W[u, v] * s_u T s_v'  +  sum over u of W[u, u] * s_u T s_u'

Keep M = S T (M[v, f]: the mean time from location f to unit v's seats) and H = W_off M (H[u, f]: what unit u
would pay the others if it sat wholly at f), and for each unit ``cross[u] = s_u . H[u]`` and
``own[u] = s_u . M[u]``. Then, in O(m) for m locations:

- moving u wholly to f:    ``H[u, f] - cross[u] + W[u, u] * (T[f, f] - own[u])``
- swapping u's and v's seats (u takes v's shares, v takes u's):
  ``s_v . H[u] - cross[u] + s_u . H[v] - cross[v] - W[u, v] * (own[u] + own[v] - 2 s_u . M[v])
  + (W[u, u] - W[v, v]) * (own[v] - own[u])``

(the W[u, v] term takes out the pair's own cost, which a swap leaves as it was). Applying a move or a swap
updates M, H and the caches in O(n m).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]


class IncrementalScore:
    """A layout's score kept up to date under moves and swaps of whole units; the inputs are copied, never changed."""

    def __init__(self, weights: Matrix, travel: Matrix, shares: Matrix) -> None:
        w = np.array(weights, dtype=float)
        self.own_trips = np.diag(w).copy()
        self.w_off = w - np.diag(self.own_trips)
        self.travel = np.array(travel, dtype=float)
        self.travel_diag = np.diag(self.travel).copy()
        self.shares = np.array(shares, dtype=float)
        self._rebuild()

    def _rebuild(self) -> None:
        self.m = self.shares @ self.travel
        self.h = self.w_off @ self.m
        self.cross = np.einsum("uf,uf->u", self.shares, self.h)
        self.own = np.einsum("uf,uf->u", self.shares, self.m)

    @property
    def score(self) -> float:
        return float(0.5 * self.cross.sum() + self.own_trips @ self.own)

    def move_delta(self, u: int, f: int) -> float:
        """Score change if unit u moved wholly to location f."""
        return float(self.h[u, f] - self.cross[u] + self.own_trips[u] * (self.travel_diag[f] - self.own[u]))

    def move_deltas(self, u: int) -> Matrix:
        """Score changes of moving unit u wholly to each location (one vectorised step)."""
        deltas: Matrix = self.h[u] - self.cross[u] + self.own_trips[u] * (self.travel_diag - self.own[u])
        return deltas

    def swap_delta(self, u: int, v: int) -> float:
        """Score change if units u and v exchanged their seats (shares)."""
        su, sv = self.shares[u], self.shares[v]
        pair = self.w_off[u, v] * (self.own[u] + self.own[v] - 2.0 * float(su @ self.m[v]))
        own = (self.own_trips[u] - self.own_trips[v]) * (self.own[v] - self.own[u])
        return float(sv @ self.h[u] - self.cross[u] + su @ self.h[v] - self.cross[v] - pair + own)

    def apply_move(self, u: int, f: int) -> None:
        new = np.zeros(self.shares.shape[1])
        new[f] = 1.0
        self._set_row(u, new)

    def apply_swap(self, u: int, v: int) -> None:
        su, sv = self.shares[u].copy(), self.shares[v].copy()
        self._set_row(u, sv)
        self._set_row(v, su)

    def _set_row(self, u: int, row: Matrix) -> None:
        diff = row - self.shares[u]
        self.shares[u] = row
        dm = diff @ self.travel  # the change of M[u]
        self.m[u] += dm
        self.h += np.outer(self.w_off[:, u], dm)
        self.cross = np.einsum("uf,uf->u", self.shares, self.h)
        self.own[u] = float(row @ self.m[u])
