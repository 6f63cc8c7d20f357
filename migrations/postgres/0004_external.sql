-- The import's memory of what it stored: one row per message content (SHA-256 of the raw
-- bytes, hex) per mailbox, written in the transaction that stores the message, so a
-- re-run of `imap-mimic import` skips what it already imported. Keep in step with
-- sqlite/0004_external.sql.
CREATE TABLE import_hashes (
    mailbox_id BIGINT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    hash       TEXT NOT NULL,
    PRIMARY KEY (mailbox_id, hash)
);
