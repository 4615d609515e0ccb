-- Imports (monitord migrate): which store this database was copied from,
-- so an interrupted copy may resume and another store is refused. Owned by
-- import.go.
CREATE TABLE imports (
    source   text PRIMARY KEY,
    started  timestamptz NOT NULL,
    finished timestamptz
);
