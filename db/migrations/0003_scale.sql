-- OnRecord schema 3: answers that stay fast at a million claims.
--
-- Derived columns and tables that let the common answers read a bounded
-- number of index rows instead of every claim of a busy speaker or every
-- person sharing a name. All of them are recomputed from the records by
-- the store (rebuildDerived after this migration and after an import; the
-- writer for each change); none holds anything the records do not.

-- Claims: the record's id, server and liveness beside the speaker, the
-- count of live shared (global) evidence that contradicts and supports
-- each, and sort_key, the order /claims and /who show a speaker's claims
-- in: status rank (contradicted 0, disputed 1, supported 2, unverified 3)
-- times 4, plus 2 when the attribution is not stated, plus 1 when the
-- form is not direct. Status here is the shared record's; a server whose
-- own records or hidden records touch a speaker's claims gets them
-- computed exactly instead.
ALTER TABLE claims ADD COLUMN id        TEXT    NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN guild     TEXT    NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN live      INTEGER NOT NULL DEFAULT 1;
ALTER TABLE claims ADD COLUMN g_contra  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claims ADD COLUMN g_support INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claims ADD COLUMN sort_key  INTEGER NOT NULL DEFAULT 12;
CREATE INDEX claims_speaker_order ON claims (speaker, guild, live, sort_key, id);

-- Evidence: its server and liveness, and the speaker of the claim it
-- bears on.
ALTER TABLE evidence ADD COLUMN guild   TEXT    NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN live    INTEGER NOT NULL DEFAULT 1;
ALTER TABLE evidence ADD COLUMN speaker INTEGER;
CREATE INDEX evidence_speaker ON evidence (speaker, guild);

-- Who each claim is about, with the claim's server.
CREATE TABLE claim_subjects (
    person INTEGER NOT NULL REFERENCES records (rid),
    guild  TEXT    NOT NULL,
    claim  INTEGER NOT NULL REFERENCES records (rid),
    PRIMARY KEY (person, guild, claim)
) STRICT, WITHOUT ROWID;
CREATE INDEX claim_subjects_claim ON claim_subjects (claim);

-- A person's live shared claims, counted: all, inferred, and by status;
-- and the live shared claims about them.
ALTER TABLE people ADD COLUMN n_claims       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN n_inferred     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN n_contradicted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN n_disputed     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN n_supported    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN n_about        INTEGER NOT NULL DEFAULT 0;

-- Name lookups ordered by prominence, so that the most prominent of
-- thousands sharing a name or a prefix come first from the index.
ALTER TABLE person_names ADD COLUMN prominence INTEGER NOT NULL DEFAULT 0;
CREATE INDEX person_names_rank ON person_names (key, prominence DESC, person);
ALTER TABLE name_tokens ADD COLUMN prominence INTEGER NOT NULL DEFAULT 0;
CREATE INDEX name_tokens_rank ON name_tokens (token, prominence DESC, person);

-- Every prefix (1 to 10 characters) of every name word, for autocomplete.
CREATE TABLE name_prefixes (
    prefix     TEXT    NOT NULL,
    person     INTEGER NOT NULL REFERENCES records (rid),
    prominence INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (prefix, person)
) STRICT, WITHOUT ROWID;
CREATE INDEX name_prefixes_rank ON name_prefixes (prefix, prominence DESC, person);
CREATE INDEX name_prefixes_person ON name_prefixes (person);

CREATE INDEX hidden_guild ON hidden (guild, rid);

-- The kind of the referring record, so that "the events naming this
-- person" does not read every claim that names them.
ALTER TABLE refs ADD COLUMN src_kind TEXT NOT NULL DEFAULT '';
CREATE INDEX refs_dst_kind ON refs (dst, src_kind, field);

-- The timeline in its order (undated last, then date, documents before
-- events before claims, then id), with each item's server and liveness,
-- so that its first page reads ten index rows, not a million.
ALTER TABLE dated ADD COLUMN id        TEXT    NOT NULL DEFAULT '';
ALTER TABLE dated ADD COLUMN kind_rank INTEGER NOT NULL DEFAULT 2;
ALTER TABLE dated ADD COLUMN guild     TEXT    NOT NULL DEFAULT '';
ALTER TABLE dated ADD COLUMN live      INTEGER NOT NULL DEFAULT 1;
CREATE INDEX dated_order ON dated (date = '', date, kind_rank, id);

-- How many live shared records there are of each kind, for /about; a
-- server's own and hidden records are counted at the time they are asked
-- for (records_own and hidden_guild make that cheap).
CREATE TABLE kind_counts (
    kind TEXT    PRIMARY KEY,
    n    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX records_own ON records (guild, kind) WHERE guild <> '';

-- What /sources lists, kept per document: the excerpts held from it (its
-- spans and the excerpts quoting it), and the claims and evidence citing
-- those excerpts; score is their sum, the order of the list.
CREATE TABLE doc_counts (
    rid        INTEGER PRIMARY KEY REFERENCES records (rid),
    id         TEXT    NOT NULL,
    n_excerpts INTEGER NOT NULL,
    n_cited    INTEGER NOT NULL,
    score      INTEGER NOT NULL
) STRICT;
CREATE INDEX doc_counts_order ON doc_counts (score DESC, id);
