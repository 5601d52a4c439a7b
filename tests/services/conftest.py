"""Service-test fixtures: the `village` of visit_fixtures (cadres and two households)."""

from tests.services.visit_fixtures import village  # noqa: F401
