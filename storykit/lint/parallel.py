"""Running the rules of a large project on two cores.

A series' index takes most of a second to build and every rule reads it. Built once before a
fork, it is shared by both processes for free (copy-on-write): the second process runs one half
of the rules and sends back only their findings, which are small values. A small project, or a
process that cannot fork safely, runs every rule in order in one process; the findings are the
same either way, rule by rule, in the registry's order.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from storykit.lint.finding import Finding
from storykit.lint.registry import LintContext, Rule, iter_checks

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

# The rules the second process runs. Those that share what they derive from the index stay
# together, so that nothing is worked out twice: the name candidates (unknown-name,
# near-miss-name, spelling) and the damaged words that mojibake finds and spelling leaves to it.
# With count-mismatch, they take about as long as the rest (a generated series of a million words:
# 0.44 s against 0.47 s).
SECOND_PROCESS = frozenset(
    {"unknown-name", "near-miss-name", "spelling", "mojibake", "count-mismatch"}
)

# Below this much outline text (a quarter of a million words or so) a fork costs more than
# it saves.
PARALLEL_FROM_CHARACTERS = 1_500_000


def run_rules(rules: list[Rule], context: LintContext, jobs: int | None = None) -> list[Finding]:
    """Every finding of `rules`, rule by rule in their order.

    jobs: 1 runs them all here; 2 or more runs half in a second process when the platform can
    fork; None decides by the project's size and the cores there are.
    """
    second = [r for r in rules if r.name in SECOND_PROCESS]
    first = [r for r in rules if r.name not in SECOND_PROCESS]
    if not (first and second and _use_a_second_process(context, jobs)):
        return list(iter_checks(rules, context))
    import multiprocessing

    context.index  # noqa: B018 - built here, before the fork, so both processes share it
    sys.stdout.flush()  # the child flushes its copies of the streams when it ends
    sys.stderr.flush()
    forking = multiprocessing.get_context("fork")
    receiving, sending = forking.Pipe(duplex=False)
    worker = forking.Process(target=_run_and_send, args=(second, context, sending), daemon=True)
    worker.start()
    sending.close()
    sent: dict[str, list[Finding]] | None = None
    try:
        found = _by_rule(first, context)
        with contextlib.suppress(EOFError, OSError):  # it died before it could send: None
            sent = receiving.recv()
    except BaseException:  # a rule here failed, or ^C: the other half is not wanted
        worker.terminate()
        raise
    finally:
        receiving.close()
        worker.join()
    if sent is None or worker.exitcode != 0:
        # Run them here: a rule's own error then surfaces as it would have without the fork.
        sent = _by_rule(second, context)
    found.update(sent)
    return [finding for each in rules for finding in found[each.name]]


def _use_a_second_process(context: LintContext, jobs: int | None) -> bool:
    if jobs is not None and jobs < 2:
        return False
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False  # fork is only safe where no other thread may hold a lock
    if jobs is None:
        if len(os.sched_getaffinity(0)) < 2:
            return False
        outline_text = sum(len(o.source) for o in context.project.outlines.values())
        return outline_text >= PARALLEL_FROM_CHARACTERS
    return True


def _by_rule(rules: Iterable[Rule], context: LintContext) -> dict[str, list[Finding]]:
    return {each.name: list(each.check(context)) for each in rules}


def _run_and_send(rules: list[Rule], context: LintContext, sending: Connection) -> None:
    """In the second process: run the rules, send their findings (or None if one failed)."""
    result: Any
    try:
        result = _by_rule(rules, context)
    except BaseException:  # noqa: BLE001 - the parent runs them again and reports the error
        result = None
    sending.send(result)
    sending.close()
