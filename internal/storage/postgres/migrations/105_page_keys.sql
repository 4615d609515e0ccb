-- Page keys (extract.Page): the key of the page each target's current text
-- was extracted from, with that version and its text hash, so that a check
-- of a page with the same key skips extraction (snapshot.PageKey). Written
-- by record.go in the transaction that makes the version current; a cache:
-- a missing row only means the next check extracts.
CREATE TABLE page_keys (
    target    text COLLATE "C" PRIMARY KEY,
    version   bigint NOT NULL CHECK (version > 0),
    text_hash text NOT NULL,
    key       text NOT NULL
);
