"""What one request reads more than once, read once: a memo that lives exactly as long
as the request (a context variable set by `RequestMemoMiddleware`). Outside a request
(commands, tasks, tests calling a selector) nothing is kept and each call reads anew.

Used for the user's municipalities: the scope of every query (vroeg.municipalities.
selectors.scope_to_user_municipalities) and the page header read the same list."""

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("vroeg_request_memo", default=None)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def request_memo(key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, once per request for `key`; outside a request, every time."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
