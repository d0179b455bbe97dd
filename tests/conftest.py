"""Hypothesis settings profiles for the property tests of requests and answers.

``contract`` (the default) keeps the suite fast on two cores; ``contract-thorough`` runs far more
examples: ``FAKECLAUDE_PROPERTY_PROFILE=contract-thorough pytest tests/contract tests/strategies``.
Tests take theirs with ``settings(settings.get_profile(os.environ.get("FAKECLAUDE_PROPERTY_PROFILE", "contract")))``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("contract", max_examples=30, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("contract-thorough", max_examples=500, deadline=None, suppress_health_check=_SLOW_IS_FINE)
