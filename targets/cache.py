"""Page data cached on the cache backend (Redis in production), retired by the
recompute that changes it.

The djangoproject.com pattern: each plan year has a generation key, set to a new token
whenever its snapshots are written (on commit, ``bump``); every cached value's key
includes the generation it was built under. A recompute that changes a figure thus
retires at once every value built from the old snapshots, with no list of keys to
delete; the old values expire on their own.

Only what is built from snapshots alone is cached here (the overview's and the
programme page's reads and figures, a derived target's contributors), and the
rendered HTML of the fragments built from them (``cached_fragment``, the
``{% generation_cache %}`` tag: the overview's programmes, figures and lists, the
programme page's table); the freshness check, the user and the page's panels are read
on every request. A fragment's key holds the page's path and query string and the
viewer's scope (``viewer_scope``: what its links depend on), never a user's own data.
The project list's reads and table live under the same generation: every write of a
project or its counted progress bumps it (projects.metrics.request_derived_recompute).

``PAGE_CACHE=0`` turns it off (the test suite runs without it, except the tests of
the cache itself: tests/targets/test_page_cache.py).

The cache is an accelerator, never a dependency: every cache error is a miss (logged),
and after one error a process leaves the cache alone for ``PAUSE_SECONDS`` so that a
Redis that is down costs no page more than one failed attempt.
"""

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Part of every key: bump it when the shape of a cached value changes, so that a new
# release never reads values an older one wrote.
PREFIX = "zy:page:3"
TIMEOUT = 6 * 3600  # values retire with their generation; this only bounds memory
# A generation lives this long, so that a bump lost to a cache outage (the values of the
# old generation still in the cache when it comes back) can leave a page stale this
# long at most; bumps that failed are also retried with the process's next bump.
GENERATION_TIMEOUT = 15 * 60
_owed: set[int] = set()
PAUSE_SECONDS = 10.0
_paused_until = 0.0


def _generation_key(plan_year_id: int) -> str:
    return f"{PREFIX}:gen:{plan_year_id}"


def _usable() -> bool:
    return settings.PAGE_CACHE and time.monotonic() >= _paused_until


def _failed(what: str, error: Exception) -> None:
    global _paused_until
    _paused_until = time.monotonic() + PAUSE_SECONDS
    logger.warning("page cache %s failed, treated as a miss: %s", what, error)


# One generation per request. Read afresh for each cached value, a bump landing between
# a page's read of old snapshots and its fragment's write would file the old HTML under
# the new generation: stale until the next bump (seen in the benchmark: an entry never
# showed on the programme page). Pinned, the old HTML goes under the old generation,
# which the bump has retired.
_pinned: ContextVar[dict[int, str | None] | None] = ContextVar("page_generations", default=None)


@contextmanager
def one_generation_each() -> Iterator[None]:
    """Inside the block each year's generation is read once and then kept."""
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


class OneGenerationPerRequest:
    """Middleware: a request builds every cached value under the generations it read
    first (``one_generation_each``)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with one_generation_each():
            return self.get_response(request)


def generation(plan_year_id: int) -> str | None:
    """The year's current generation (made on first use); None when the cache fails.
    Inside ``one_generation_each`` (every request), the first value read is kept."""
    pinned = _pinned.get()
    if pinned is not None and plan_year_id in pinned:
        return pinned[plan_year_id]
    value = _read_generation(plan_year_id)
    if pinned is not None:
        pinned[plan_year_id] = value
    return value


def _read_generation(plan_year_id: int) -> str | None:
    if not _usable():
        return None
    key = _generation_key(plan_year_id)
    try:
        value = cache.get(key)
        if value is None:
            # A fresh token, never a counter from zero: were the key evicted, a counter
            # would start again at a number old values were built under.
            cache.add(key, secrets.token_hex(8), timeout=GENERATION_TIMEOUT)
            value = cache.get(key)
        return value
    except Exception as error:  # any cache error is a miss
        _failed("generation read", error)
        return None


def bump(plan_year_id: int) -> None:
    """A new generation for the year once the current transaction commits (before the
    commit, a page could cache the old snapshots under the new generation). Nothing
    to do, and no callback queued, when the page cache is off."""
    if not settings.PAGE_CACHE:
        return

    def write() -> None:
        if not settings.PAGE_CACHE:
            return
        _owed.add(plan_year_id)
        if not _usable():
            return  # owed: retried with the next bump once the pause is over
        try:
            cache.set_many(
                {_generation_key(pk): secrets.token_hex(8) for pk in _owed},
                timeout=GENERATION_TIMEOUT,
            )
        except Exception as error:
            # Owed until a later bump succeeds; the old generation expires meanwhile.
            _failed("generation bump", error)
            return
        _owed.clear()

    transaction.on_commit(write)


def cached(plan_year_id: int, name: str, parts: tuple, build: Callable[[], T]) -> T:
    """``build()``'s value for ``name`` and ``parts`` under the year's generation,
    from the cache when it has it."""
    current = generation(plan_year_id)
    if current is None:
        return build()
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:16]
    key = f"{PREFIX}:{plan_year_id}:{current}:{name}:{digest}"
    try:
        hit = cache.get(key)
    except Exception as error:
        _failed("read", error)
        return build()
    if hit is not None:
        return hit
    value = build()
    try:
        cache.set(key, value, timeout=TIMEOUT)
    except Exception as error:
        _failed("write", error)
    return value


def cached_fragment(plan_year_id: int, name: str, parts: tuple, build: Callable[[], str]) -> str:
    """Rendered HTML (``build()``) for ``name`` and ``parts`` under the year's
    generation, from the cache when it has it; every cache error a miss, as above.
    ``parts`` must hold everything the HTML varies by."""
    return mark_safe(cached(plan_year_id, f"html:{name}", parts, lambda: str(build())))


def viewer_scope(user) -> tuple:
    """What a fragment's links and buttons may depend on about its viewer: the role and
    the department (a staff member's department links only their own, ``org.roles``).
    Every viewer with the same scope sees the same fragment; nothing of the user's own
    goes into a shared one."""
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    if profile is None:
        return (None, None)
    return (profile.role, profile.department_id)
