-- imap-mimic schema, PostgreSQL dialect. Keep in step with sqlite/0001_init.sql: same tables,
-- columns and indexes; only the type names differ. BIGSERIAL, like AUTOINCREMENT there, never
-- reuses an id or a change sequence number. Integers are BIGINT so both drivers decode i64.

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL
);

-- Database-wide counters; 'uidvalidity' is the last UIDVALIDITY handed out.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('uidvalidity', 0);

CREATE TABLE mailboxes (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    uidvalidity  BIGINT NOT NULL,
    uidnext      BIGINT NOT NULL,
    recent_floor BIGINT NOT NULL,
    selectable   BIGINT NOT NULL,
    UNIQUE (user_id, name)
);

-- Raw bytes stored once, shared by every copy of a message, with the MIME analysis
-- (serde_json of Envelope / BodyStructure). The message is split after its header block
-- (raw = header || text), so header-only FETCHes, which clients run over whole mailboxes,
-- read the header without the rest of the message.
CREATE TABLE blobs (
    id       BIGSERIAL PRIMARY KEY,
    header   BYTEA NOT NULL,
    text     BYTEA NOT NULL,
    envelope TEXT NOT NULL,
    body     TEXT NOT NULL
);

-- flags: bitmask of FlagSet::SEEN.. ; keywords: sorted, space separated ('' for none).
CREATE TABLE messages (
    mailbox_id    BIGINT NOT NULL REFERENCES mailboxes (id),
    uid           BIGINT NOT NULL,
    blob_id       BIGINT NOT NULL REFERENCES blobs (id),
    flags         BIGINT NOT NULL,
    keywords      TEXT NOT NULL,
    internal_date BIGINT NOT NULL,
    date_offset   BIGINT NOT NULL,
    size          BIGINT NOT NULL,
    size_known    BIGINT NOT NULL,
    stored_size   BIGINT,
    PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX messages_blob ON messages (blob_id);
-- First unseen and UNSEEN counts without scanning the seen majority.
CREATE INDEX messages_unseen ON messages (mailbox_id, uid) WHERE (flags & 1) = 0;

CREATE TABLE subscriptions (
    user_id BIGINT NOT NULL REFERENCES users (id),
    name    TEXT NOT NULL,
    PRIMARY KEY (user_id, name)
);

-- The change feed. No foreign key on mailbox_id: the MailboxGone row of a deleted mailbox
-- outlives it. origin: session id, NULL for the external agent. kind: 1 appended,
-- 2 expunged, 3 flags, 4 mailbox gone, 5 uidvalidity.
CREATE TABLE changes (
    seq         BIGSERIAL PRIMARY KEY,
    mailbox_id  BIGINT NOT NULL,
    origin      BIGINT,
    kind        BIGINT NOT NULL,
    uid         BIGINT,
    flags       BIGINT,
    keywords    TEXT,
    uidvalidity BIGINT
);
CREATE INDEX changes_mailbox ON changes (mailbox_id, seq);
