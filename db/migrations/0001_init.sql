-- OnRecord schema 1.
--
-- Every record lives in `records` as the JSON that export writes, so that
-- export, import and history need one code path for every kind. The other
-- tables are indexes derived from that JSON on every write: references
-- between records, the forms of people's names, per-kind columns that
-- queries filter and order by, and full-text search.

CREATE TABLE records (
    rid    INTEGER PRIMARY KEY,
    id     TEXT    NOT NULL UNIQUE,             -- public id: p-amber-rudd
    kind   TEXT    NOT NULL,                    -- person, organisation, document, excerpt, claim, evidence, figure, event
    guild  TEXT    NOT NULL DEFAULT '',         -- '' for global records
    origin TEXT    NOT NULL,                    -- seed, owner, moderator
    label  TEXT    NOT NULL,                    -- what lists show it by
    data   TEXT    NOT NULL                     -- the record as export writes it
) STRICT;
CREATE INDEX records_kind_guild ON records (kind, guild, id);

-- The held text of a document, kept out of records.data so that citing a
-- document never reads its whole text.
CREATE TABLE document_texts (
    rid  INTEGER PRIMARY KEY REFERENCES records (rid),
    text TEXT    NOT NULL
) STRICT;

-- refs: record src names record dst in field (speaker, subject, party:sender, ...).
CREATE TABLE refs (
    dst   INTEGER NOT NULL REFERENCES records (rid),
    field TEXT    NOT NULL,
    src   INTEGER NOT NULL REFERENCES records (rid),
    PRIMARY KEY (dst, field, src)
) STRICT, WITHOUT ROWID;
CREATE INDEX refs_src ON refs (src);

CREATE TABLE people (
    rid        INTEGER PRIMARY KEY REFERENCES records (rid),
    surname    TEXT    NOT NULL,
    role       TEXT    NOT NULL DEFAULT '',   -- first current role title
    prominence INTEGER NOT NULL DEFAULT 0      -- how many records refer to the person
) STRICT;
CREATE INDEX people_surname ON people (surname, prominence DESC);
CREATE INDEX people_prominence ON people (prominence DESC);

-- Every form of a person's name (name, aliases, current role titles),
-- by its knowledge.NameKey.
CREATE TABLE person_names (
    key    TEXT    NOT NULL,
    person INTEGER NOT NULL REFERENCES records (rid),
    form   TEXT    NOT NULL,
    PRIMARY KEY (key, person, form)
) STRICT, WITHOUT ROWID;
CREATE INDEX person_names_person ON person_names (person);

-- Every word of every name form, for word and prefix matches.
CREATE TABLE name_tokens (
    token  TEXT    NOT NULL,
    person INTEGER NOT NULL REFERENCES records (rid),
    PRIMARY KEY (token, person)
) STRICT, WITHOUT ROWID;
CREATE INDEX name_tokens_person ON name_tokens (person);

-- The symmetric-delete neighbourhood of every name word (knowledge.Deletes),
-- for typo-tolerant matches without scanning the vocabulary.
CREATE TABLE token_variants (
    variant TEXT NOT NULL,
    token   TEXT NOT NULL,
    PRIMARY KEY (variant, token)
) STRICT, WITHOUT ROWID;

CREATE TABLE claims (
    rid         INTEGER PRIMARY KEY REFERENCES records (rid),
    speaker     INTEGER REFERENCES records (rid),
    attribution TEXT    NOT NULL,
    form        TEXT    NOT NULL,
    date        TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX claims_speaker ON claims (speaker, date);

CREATE TABLE evidence (
    rid      INTEGER PRIMARY KEY REFERENCES records (rid),
    claim    INTEGER NOT NULL REFERENCES records (rid),
    relation TEXT    NOT NULL
) STRICT;
CREATE INDEX evidence_claim ON evidence (claim, relation);

-- Documents, claims and events with a date or the source's words for one,
-- for the timeline: date is a partial ISO date or '' when only date_text
-- is known.
CREATE TABLE dated (
    rid       INTEGER PRIMARY KEY REFERENCES records (rid),
    date      TEXT    NOT NULL,
    date_text TEXT    NOT NULL
) STRICT;
CREATE INDEX dated_date ON dated (date);

-- Free text too long for a component's custom_id (a search query, an
-- about: filter), kept under a short key that the custom_id carries.
CREATE TABLE texts (
    key     TEXT PRIMARY KEY,
    text    TEXT NOT NULL,
    created TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Key-value facts about the database itself (when it was seeded, ...).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Full-text search over every record's SearchText; rowid is records.rid.
-- Words are stemmed (porter), so "target" finds "targets".
CREATE VIRTUAL TABLE search USING fts5 (body, tokenize = 'porter unicode61 remove_diacritics 2');
