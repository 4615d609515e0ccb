-- Claims read the due targets in (next_due, target) order: with the name in
-- the index a slot where 100,000 targets share one due time is an index
-- range scan, not a sort of every due row at each claim.
DROP INDEX target_schedule_due;
CREATE INDEX target_schedule_due ON target_schedule (next_due, target);
