"""How much the fuzz and property tests run: a short, fixed form for CI and a long, random form by hand.

Two hypothesis profiles, chosen by the ``FUZZ_PROFILE`` environment variable:

* ``ci`` (the default): few examples, ``derandomize=True`` (the same examples on every run and every
  machine), no example database, no deadline — a result never depends on the machine's speed.
* ``long``: many examples, fresh random ones on every run; a failure prints its seed and a
  ``@reproduce_failure`` blob. Run it by hand or nightly::

      FUZZ_PROFILE=long python3 -m pytest tests/vault/test_container_properties.py tests/fuzz

``FUZZ_EXAMPLES=N`` overrides the examples per API operation and role of ``tests/fuzz/test_api_fuzz.py``
(``FUZZ_EXAMPLES=2000`` is a long run of the hub's API). Only the tests that ask for these settings use them;
the profile is never loaded globally, so the rest of the suite keeps hypothesis' defaults.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("FUZZ_PROFILE", "ci")
LONG = PROFILE == "long"
_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
              HealthCheck.large_base_example]

settings.register_profile("fuzz-ci", max_examples=40, derandomize=True, database=None, deadline=None,
                          print_blob=True, suppress_health_check=_SLOW_DATA)
settings.register_profile("fuzz-long", max_examples=2000, derandomize=False, database=None, deadline=None,
                          print_blob=True, suppress_health_check=_SLOW_DATA)
if PROFILE not in ("ci", "long"):
    raise RuntimeError(f"FUZZ_PROFILE must be 'ci' or 'long', not {PROFILE!r}")


LONG_RUN = [pytest.mark.timeout(0)] if LONG else []
"""``pytestmark`` of a fuzzing module: the long form may run a test for many minutes (no pytest-timeout); the
short form keeps the suite's timeout."""


def fuzz_settings(ci_examples: int, long_examples: int | None = None) -> settings:
    """Settings for one property test: ``ci_examples`` in the CI profile, ``long_examples`` (default 50×) in
    the long one."""
    examples = (long_examples or 50 * ci_examples) if LONG else ci_examples
    return settings(profile(), max_examples=examples)


def profile() -> settings:
    """The hypothesis settings of the profile ``FUZZ_PROFILE`` names (registered as ``fuzz-ci``, ``fuzz-long``)."""
    return settings.get_profile(f"fuzz-{PROFILE}")
