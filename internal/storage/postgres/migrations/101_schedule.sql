-- The shared schedule (many workers): every enabled target's next due time
-- and the lease of the worker checking it. Owned by lease.go.
CREATE TABLE target_schedule (
    target      text PRIMARY KEY,
    spec        text NOT NULL,
    next_due    timestamptz NOT NULL,
    lease_token bigint,
    lease_owner text,
    lease_until timestamptz,
    claims      bigint NOT NULL DEFAULT 0,
    completed   bigint NOT NULL DEFAULT 0,
    last_done   timestamptz
);
CREATE INDEX target_schedule_due ON target_schedule (next_due);
CREATE SEQUENCE target_schedule_token;
