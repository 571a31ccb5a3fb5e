"""Cancel requests: SIGTERM (docker stop) or SIGINT set a flag; nothing else happens in the handler."""
from __future__ import annotations

import signal


class CancelFlag:
    """Set by SIGTERM or SIGINT. The handler only records the request; the training loop reacts at
    the next step end (checkpoint + stop) and the phases outside it check ``requested``."""

    def __init__(self):
        self.requested = False
        self.signal: str | None = None
        self._previous: dict = {}

    def install(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._previous[sig] = signal.signal(sig, self._handle)

    def uninstall(self) -> None:
        """Put back the handlers that were there before (matters when main() runs in-process)."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _handle(self, signum, _frame) -> None:
        self.requested = True
        self.signal = signal.Signals(signum).name
