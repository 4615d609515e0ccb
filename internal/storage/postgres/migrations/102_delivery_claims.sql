-- Delivery claims (many workers): a pending delivery taken by a worker is
-- leased to it until lease_until_ns (Unix nanoseconds) so that no other
-- worker sends it meanwhile. Owned by claim_deliveries.go.
ALTER TABLE deliveries
    ADD COLUMN lease_until_ns bigint NOT NULL DEFAULT 0,
    ADD COLUMN lease_owner text;
