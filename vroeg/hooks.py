"""Typed hooks: how a lower layer lets a higher one take part without importing it.

The layers run one way (core < signals < cases < outreach | feedback < top;
docs/adr/0012-one-way-layers.md). Where a step of a lower layer must cause work in a
higher one inside the same transaction (a case closes → its partners are told), the
lower layer declares a `Hook` with the signature of its listeners, and the higher app
registers a listener from its `AppConfig.ready()`. The lower layer calls the hook at
the point in its service where the work belongs; every listener runs there, in
registration order, inside the caller's transaction, and an exception in a listener
rolls the whole step back. Not Django model signals: a hook is called explicitly by a
service, so reading the service shows that something more happens, and `listeners`
says what.
"""

from collections.abc import Callable
from typing import Generic, TypeVar

Listener = TypeVar("Listener", bound=Callable)


class Hook(Generic[Listener]):
    """A named point in a lower layer's service that higher apps register into."""

    def __init__(self, name: str, doc: str):
        self.name = name
        self.__doc__ = doc
        self._listeners: list[Listener] = []

    def register(self, listener: Listener) -> Listener:
        """Register once (ready() can run more than once, e.g. in tests); usable as a
        decorator."""
        if listener not in self._listeners:
            self._listeners.append(listener)
        return listener

    @property
    def listeners(self) -> tuple[Listener, ...]:
        return tuple(self._listeners)

    def __call__(self, **kwargs) -> list:
        """Call every listener with these keyword arguments; their results, in order."""
        return [listener(**kwargs) for listener in self._listeners]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._listeners)} listener(s)>"
