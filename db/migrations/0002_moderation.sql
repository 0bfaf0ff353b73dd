-- OnRecord schema 2: moderation. Every change is a new version; the audit
-- log is append-only; retraction hides without deleting; a server can
-- hide a shared record from itself; servers configure their moderators;
-- members' suggestions wait in a queue.

-- The current version of a record, and who made it, stay on its row; the
-- versions it replaced are kept in versions.
ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE records ADD COLUMN retracted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN action TEXT NOT NULL DEFAULT 'import';
ALTER TABLE records ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN changed_in TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN changed_at TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN reason TEXT NOT NULL DEFAULT '';

-- Every version a change replaced.
CREATE TABLE versions (
    rid       INTEGER NOT NULL REFERENCES records (rid),
    version   INTEGER NOT NULL,
    action    TEXT    NOT NULL,
    actor     TEXT    NOT NULL,   -- Discord user id; '' for the seed and imports
    guild     TEXT    NOT NULL,   -- the server the change was made in
    at        TEXT    NOT NULL,
    reason    TEXT    NOT NULL,
    retracted INTEGER NOT NULL,
    data      TEXT    NOT NULL,   -- the record as export writes it (with a document's text)
    PRIMARY KEY (rid, version)
) STRICT, WITHOUT ROWID;

-- The audit log: one row per write, committed with it. Never updated or
-- deleted: the triggers refuse.
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    guild        TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    record_label TEXT NOT NULL,
    before       TEXT NOT NULL,
    after        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    interaction  TEXT NOT NULL,
    credit       TEXT NOT NULL
) STRICT;
CREATE INDEX audit_guild ON audit (guild, id DESC);
CREATE INDEX audit_record ON audit (record_id, id DESC);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Shared records a server has hidden from itself, with why.
CREATE TABLE hidden (
    rid    INTEGER NOT NULL REFERENCES records (rid),
    guild  TEXT    NOT NULL,
    reason TEXT    NOT NULL,
    actor  TEXT    NOT NULL,
    at     TEXT    NOT NULL,
    PRIMARY KEY (rid, guild)
) STRICT, WITHOUT ROWID;

CREATE TABLE guild_settings (
    guild            TEXT    PRIMARY KEY,
    moderator_roles  TEXT    NOT NULL DEFAULT '[]',
    suggestions_open INTEGER NOT NULL DEFAULT 1,
    announce_channel TEXT    NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;

CREATE TABLE suggestions (
    id         INTEGER PRIMARY KEY,
    guild      TEXT    NOT NULL,
    actor      TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    person     TEXT    NOT NULL,
    quote      TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    date       TEXT    NOT NULL,
    context    TEXT    NOT NULL,
    claim      TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending',
    decided_by TEXT    NOT NULL DEFAULT '',
    reason     TEXT    NOT NULL DEFAULT '',
    result     TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX suggestions_queue ON suggestions (guild, status, id);
