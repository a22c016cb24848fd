-- 0015: snoozing a rule from its alert's button: until muted_until the rule does not fire (it is still evaluated,
-- so it keeps re-arming; a crossing that lasts past the snooze fires then). NULL: not snoozed.
ALTER TABLE alert_rules ADD COLUMN muted_until timestamptz;
