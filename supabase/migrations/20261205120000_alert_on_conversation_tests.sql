-- An alert kind for conversation tests whose scheduled run failed (additive: every kind allowed
-- before is still allowed).
alter table alert_rules drop constraint alert_rules_kind_check;
alter table alert_rules add constraint alert_rules_kind_check check (kind in (
  'number_down', 'flow_failure_rate', 'handoff_waiting', 'outbox_backlog', 'memory_restarts',
  'conversation_tests_failed'
));
