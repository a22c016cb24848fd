"""Alerts: rule model and validation, the hysteresis/cooldown/quiet-hours policy, alert messages and ports."""
