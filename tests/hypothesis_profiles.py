"""Hypothesis profiles for the fuzz suite: a bounded "ci" run, and longer "dev" and "long" runs.

Imported by every fuzz test module, so the profile is chosen once, before any test runs:
HYPOTHESIS_PROFILE=dev|long picks one by name; otherwise (and whenever CI=true) "ci", which keeps
the whole fuzz suite around a minute. Run the long one locally before touching the loader:

    HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz_*.py
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

# The deadline is per example, and generous: what it must catch is a hang or a quadratic blow-up
# (a deep nesting, an alias bomb), not a slow machine. Hangs that never return are caught by the
# tests' own alarm (see `time_limit` in test_fuzz_load_lint.py).
_COMMON = {
    "deadline": timedelta(seconds=5),
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}

settings.register_profile("ci", max_examples=40, derandomize=True, database=None, **_COMMON)
settings.register_profile("dev", max_examples=300, **_COMMON)
settings.register_profile("long", max_examples=3000, **_COMMON)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or "ci"
settings.load_profile(PROFILE)


def examples(ci: int) -> int:
    """`ci` examples under the ci profile; the profile's own number (scaled) otherwise.

    Tests that load the whole embedded default per example ask for fewer than the cheap ones.
    """
    if PROFILE == "ci":
        return ci
    return max(ci, settings.get_profile(PROFILE).max_examples * ci // 40)
