-- Claims the extractor read in ingested reports, waiting in a server's
-- review queue. Nothing here is published: an approval turns a proposal
-- into an excerpt and a claim (or links it to the claim it repeats).
CREATE TABLE proposals (
    id           INTEGER PRIMARY KEY,
    guild        TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    at           TEXT    NOT NULL,
    batch        INTEGER NOT NULL,
    document     TEXT    NOT NULL,            -- the ingested report's record id
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    quote        TEXT    NOT NULL,
    form         TEXT    NOT NULL,            -- direct or reported
    speaker      TEXT    NOT NULL DEFAULT '', -- person id when on record
    speaker_name TEXT    NOT NULL DEFAULT '',
    speaker_text TEXT    NOT NULL DEFAULT '',
    speaker_doc  TEXT    NOT NULL DEFAULT '',
    cue          TEXT    NOT NULL DEFAULT '',
    medium       TEXT    NOT NULL DEFAULT '',
    venue        TEXT    NOT NULL DEFAULT '',
    attribution  TEXT    NOT NULL,
    confidence   REAL    NOT NULL,
    reason       TEXT    NOT NULL,
    duplicate    TEXT    NOT NULL DEFAULT '', -- claim id of the same words by the same person
    status       TEXT    NOT NULL DEFAULT 'pending',
    decided_by   TEXT    NOT NULL DEFAULT '',
    result       TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX proposals_queue ON proposals (guild, status, id);
CREATE INDEX proposals_batch ON proposals (batch, status);

-- Documents by URL: an ingest refuses a report already on record, and a
-- URL cited as a source reuses its document; both without reading every
-- document.
CREATE INDEX records_document_url ON records (json_extract(data, '$.url')) WHERE kind = 'document';
