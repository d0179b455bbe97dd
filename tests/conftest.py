"""Hypothesis settings profiles for the property tests of requests and answers.

``contract`` (the default) keeps the suite fast on two cores; ``contract-thorough`` runs far more
examples: ``FAKECLAUDE_PROPERTY_PROFILE=contract-thorough pytest tests/contract tests/strategies``.
Tests take theirs with ``settings(settings.get_profile(os.environ.get("FAKECLAUDE_PROPERTY_PROFILE", "contract")))``.
"""

from __future__ import annotations

import os

import httpcore2  # noqa: F401  (see below)
from hypothesis import HealthCheck, settings

# httpx2 imports httpcore2 on first use and keeps its exception classes for mapping. If that first use
# is inside an in-process ``pytester`` run (the plugin tests), pytester removes the modules imported
# during the run afterwards, the next use imports a second httpcore2, and its errors are no longer
# mapped (``httpcore2.RemoteProtocolError`` escapes instead of ``httpx2.RemoteProtocolError``).
# Importing it here, before any test, keeps one httpcore2 for the whole session.

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("contract", max_examples=30, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("contract-thorough", max_examples=500, deadline=None, suppress_health_check=_SLOW_IS_FINE)

# Every other property test: no deadline and no "too slow" health check, which a loaded 2-core CI machine
# trips through no fault of the code (example counts stay as each test sets them).
settings.register_profile("suite", deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))
