"""Postgres alerts: the rules repository and the set-wise snapshot evaluator, in one import."""

from __future__ import annotations

from adapters.postgres.alerts_eval import PgAlertEvaluator, evaluate_region
from adapters.postgres.alerts_rules import PgAlertRules

__all__ = ["PgAlertEvaluator", "PgAlertRules", "evaluate_region"]
