-- imap-mimic schema, SQLite dialect. Keep in step with postgres/0001_init.sql: same tables,
-- columns and indexes; only the type names differ. AUTOINCREMENT (not plain rowid) so an id
-- or a change sequence number is never reused after a delete.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL
);

-- Database-wide counters; 'uidvalidity' is the last UIDVALIDITY handed out.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('uidvalidity', 0);

CREATE TABLE mailboxes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    uidvalidity  INTEGER NOT NULL,
    uidnext      INTEGER NOT NULL,
    recent_floor INTEGER NOT NULL,
    selectable   INTEGER NOT NULL,
    UNIQUE (user_id, name)
);

-- Raw bytes stored once, shared by every copy of a message, with the MIME analysis
-- (serde_json of Envelope / BodyStructure). The message is split after its header block
-- (raw = header || text), so header-only FETCHes, which clients run over whole mailboxes,
-- read the header without the rest of the message.
CREATE TABLE blobs (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    header   BLOB NOT NULL,
    text     BLOB NOT NULL,
    envelope TEXT NOT NULL,
    body     TEXT NOT NULL
);

-- flags: bitmask of FlagSet::SEEN.. ; keywords: sorted, space separated ('' for none).
CREATE TABLE messages (
    mailbox_id    INTEGER NOT NULL REFERENCES mailboxes (id),
    uid           INTEGER NOT NULL,
    blob_id       INTEGER NOT NULL REFERENCES blobs (id),
    flags         INTEGER NOT NULL,
    keywords      TEXT NOT NULL,
    internal_date INTEGER NOT NULL,
    date_offset   INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    size_known    INTEGER NOT NULL,
    stored_size   INTEGER,
    PRIMARY KEY (mailbox_id, uid)
) WITHOUT ROWID;
CREATE INDEX messages_blob ON messages (blob_id);
-- The UID list of a SELECT (snapshot) scans this narrow index rather than the table: in a
-- WITHOUT ROWID table the primary key is the table itself. (PostgreSQL's primary key is
-- already a separate index and serves index-only scans; it has no counterpart.)
CREATE INDEX messages_uid ON messages (mailbox_id, uid);
-- First unseen and UNSEEN counts without scanning the seen majority.
CREATE INDEX messages_unseen ON messages (mailbox_id, uid) WHERE (flags & 1) = 0;

CREATE TABLE subscriptions (
    user_id INTEGER NOT NULL REFERENCES users (id),
    name    TEXT NOT NULL,
    PRIMARY KEY (user_id, name)
);

-- The change feed. No foreign key on mailbox_id: the MailboxGone row of a deleted mailbox
-- outlives it. origin: session id, NULL for the external agent. kind: 1 appended,
-- 2 expunged, 3 flags, 4 mailbox gone, 5 uidvalidity.
CREATE TABLE changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    mailbox_id  INTEGER NOT NULL,
    origin      INTEGER,
    kind        INTEGER NOT NULL,
    uid         INTEGER,
    flags       INTEGER,
    keywords    TEXT,
    uidvalidity INTEGER
);
CREATE INDEX changes_mailbox ON changes (mailbox_id, seq);
