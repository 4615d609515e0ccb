-- monitord's PostgreSQL schema, version 1: the same records as the bbolt
-- store (internal/snapshot), one row each. Every doc column holds the record
-- exactly as the bbolt store encodes it (JSON of the snapshot type), so the
-- two drivers read one model and `monitord migrate` copies rows verbatim; the
-- other columns are what the queries select, order and lock by. Keys are
-- text COLLATE "C" so that they sort by bytes, as bbolt's keys do.
-- Times used for ordering are Unix nanoseconds (bigint), clamped to
-- 1677-09-21 .. 2262-04-11, so ordering is exact to the nanosecond.

-- A target's state (snapshot.TargetState). doc is NULL for a target that is
-- known (configured, scheduled) but was never observed: it has no state yet.
-- Writers lock the row (SELECT ... FOR UPDATE) so that two workers cannot
-- fork a target's chain.
CREATE TABLE targets (
    name text COLLATE "C" PRIMARY KEY,
    doc  json
);

-- Every distinct text of a target (snapshot.Version), id 1, 2, 3, ...
CREATE TABLE versions (
    target    text COLLATE "C" NOT NULL,
    id        bigint NOT NULL CHECK (id > 0),
    text_hash text NOT NULL,
    doc       json NOT NULL,
    PRIMARY KEY (target, id)
);

-- Content-addressed blobs: sha256 of the uncompressed content, size of the
-- content, data in snapshot's blob encoding (codec byte, length, zstd
-- payload). Never deleted. data is already compressed: TOAST must not try.
CREATE TABLE blobs (
    sha256 bytea PRIMARY KEY CHECK (octet_length(sha256) = 32),
    size   bigint NOT NULL,
    data   bytea NOT NULL
);
ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL;

-- The latest failed observations of a target (snapshot.Failure), bounded to
-- snapshot.MaxFailures per target.
CREATE TABLE failures (
    target text COLLATE "C" NOT NULL,
    seq    bigint NOT NULL,
    doc    json NOT NULL,
    PRIMARY KEY (target, seq)
);

-- The chained records (snapshot.ChainRecord): data is the record's JSON
-- exactly as hashed; its SHA-256 is what the next record's prev names.
CREATE TABLE chain (
    target text COLLATE "C" NOT NULL,
    seq    bigint NOT NULL CHECK (seq > 0),
    kind   text NOT NULL,
    data   bytea NOT NULL,
    PRIMARY KEY (target, seq)
);

-- What a target's notice board showed (snapshot.BoardState).
CREATE TABLE boards (
    target text COLLATE "C" PRIMARY KEY,
    doc    json NOT NULL
);

-- The outbox: events (snapshot.Event) and their deliveries, one per webhook
-- (snapshot.Delivery). created_ns / next_ns: Unix nanoseconds.
CREATE TABLE events (
    id         text COLLATE "C" PRIMARY KEY,
    type       text COLLATE "C" NOT NULL,
    target     text COLLATE "C" NOT NULL,
    version    bigint NOT NULL DEFAULT 0,
    created_ns bigint NOT NULL,
    doc        json NOT NULL
);
CREATE INDEX events_by_time ON events (created_ns, id);
CREATE INDEX events_by_target ON events (target, created_ns, id);
CREATE INDEX events_by_type ON events (type, created_ns, id);

CREATE TABLE deliveries (
    event_id text COLLATE "C" NOT NULL REFERENCES events (id),
    webhook  text COLLATE "C" NOT NULL,
    state    text COLLATE "C" NOT NULL,
    next_ns  bigint NOT NULL,
    doc      json NOT NULL,
    PRIMARY KEY (event_id, webhook)
);
-- Due is one range scan of this partial index.
CREATE INDEX deliveries_due ON deliveries (next_ns, event_id, webhook) WHERE state = 'pending';
CREATE INDEX deliveries_by_state ON deliveries (state, event_id);
