"""ESI's two throttles: the per-minute error budget (420) and the floating-window token bucket (429)."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable


class ErrorBudget:
    """At most `limit` non-2xx/3xx responses per fixed window; then 420 until the window resets."""

    def __init__(self, clock: Callable[[], float], limit: int = 100, window_s: float = 60.0) -> None:
        """Start the first window now."""
        self.clock, self.limit, self.window_s = clock, limit, window_s
        self.start = clock()
        self._window = 0
        self._remain = limit

    def _roll(self) -> float:
        """Refill when a new window began; return the seconds elapsed in the current window."""
        elapsed = self.clock() - self.start
        window = int(elapsed // self.window_s)
        if window != self._window:
            self._window, self._remain = window, self.limit
        return elapsed - window * self.window_s

    def remain(self) -> int:
        """Errors left in this window."""
        self._roll()
        return self._remain

    def reset(self) -> int:
        """Whole seconds until the window resets (X-ESI-Error-Limit-Reset)."""
        return max(1, math.ceil(self.window_s - self._roll()))

    def charge(self) -> None:
        """Count one error response."""
        self._roll()
        self._remain = max(0, self._remain - 1)


def status_cost(status: int) -> int:
    """Tokens a response costs: 2 per 2xx, 1 per 3xx, 5 per 4xx, 0 per 5xx."""
    return {2: 2, 3: 1, 4: 5}.get(status // 100, 0)


class RateBucket:
    """A floating-window token bucket: spent tokens come back `window_s` seconds later."""

    def __init__(self, clock: Callable[[], float], group: str, limit: int = 12000, window_s: int = 900):
        """An empty ledger for `group`."""
        self.clock, self.group, self.limit, self.window_s = clock, group, limit, window_s
        self._spent: deque[tuple[float, int]] = deque()
        self._used = 0

    def used(self) -> int:
        """Tokens spent within the window."""
        horizon = self.clock() - self.window_s
        while self._spent and self._spent[0][0] <= horizon:
            self._used -= self._spent.popleft()[1]
        return self._used

    def exhausted(self) -> bool:
        """True when no tokens are left (the next request gets 429)."""
        return self.used() >= self.limit

    def retry_after(self) -> int:
        """Whole seconds until the oldest spending is released."""
        if not self._spent:
            return 1
        return max(1, math.ceil(self._spent[0][0] + self.window_s - self.clock()))

    def charge(self, status: int) -> int:
        """Spend the tokens of a response with `status`; return the cost."""
        cost = status_cost(status)
        if cost:
            self._spent.append((self.clock(), cost))
            self._used += cost
        return cost

    def headers(self, cost: int) -> dict[str, str]:
        """The X-Ratelimit-* headers after a request that cost `cost` tokens."""
        minutes, seconds = divmod(self.window_s, 60)
        window = f"{minutes}m" if not seconds else f"{self.window_s}s"
        return {
            "X-Ratelimit-Group": self.group,
            "X-Ratelimit-Limit": f"{self.limit}/{window}",
            "X-Ratelimit-Remaining": str(max(0, self.limit - self.used())),
            "X-Ratelimit-Used": str(cost),
        }
