"""The shape of a scope-matrix case (tests/test_scope_matrix.py), shared by every app's scope_cases.py."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Case:
    """One object to request at `url_name`, and what each persona in scope should get there."""

    make: Callable  # fx → (object, organization that owns it) or (object, organization, extra URL kwargs)
    # For state-changing URLs: the personas that may act, and a payload that succeeds for them.
    actors: frozenset | None = None
    payload: Callable | None = None  # (fx, object) → dict
    # For read URLs: the personas in scope that may not read (403), e.g. import reports for secretaries.
    not_readers: frozenset = frozenset()
    read_status: int = 200  # what a read answers in scope (409: a printed form whose data are not there yet)
    # For private objects (an export kept for its requester): the only personas that read it; every other
    # persona gets 404 as if it did not exist, in scope or not.
    private_to: frozenset | None = None
    post_only: bool = False  # GET answers 405
    get_only: bool = False  # POST answers 405
    # Personas that may open the form though not act with this payload (a target outside their roles): their
    # POST is answered with the form and its error, the database unchanged. Defaults to `actors`.
    openers: frozenset | None = None


def read(make, not_readers=(), read_status=200, get_only=False, private_to=None) -> Case:
    return Case(
        make=make,
        not_readers=frozenset(not_readers),
        read_status=read_status,
        get_only=get_only,
        private_to=None if private_to is None else frozenset(private_to),
    )


def act(make, actors, payload, post_only=False, openers=None) -> Case:
    openers = frozenset(actors if openers is None else {*actors, *openers})
    return Case(make=make, actors=frozenset(actors), payload=payload, post_only=post_only, openers=openers)
