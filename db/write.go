package db

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/onrecord/onrecord/knowledge"
)

// Import loads ds into an empty database in one transaction: every record
// or none. It returns the number of records loaded. Errors: CodeInvalid
// with every problem found, each naming the record and the field;
// CodeConflict when the database already holds records.
func (s *Store) Import(ctx context.Context, ds *knowledge.Dataset) (int, error) {
	ds.FillDefaults()
	if err := ds.Validate(nil).Err(); err != nil {
		return 0, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, dbError(err, "begin import")
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM records").Scan(&n); err != nil {
		return 0, dbError(err, "count records")
	}
	if n > 0 {
		return 0, knowledge.Errorf(knowledge.CodeConflict, "the database already holds %d records: import only into a new, empty database", n)
	}
	entries := ds.Entries()
	st := importStamp()
	for _, e := range entries {
		if _, _, err := putRecord(ctx, tx, e, modeInsert, st); err != nil {
			return 0, err
		}
	}
	for _, e := range entries {
		if err := indexRecord(ctx, tx, e); err != nil {
			return 0, err
		}
	}
	if err := rebuildDerived(ctx, tx); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, dbError(err, "commit import")
	}
	s.gen.changed()
	return len(entries), nil
}

// SeedReport says what ApplySeed did.
type SeedReport struct {
	Added, Updated, Unchanged int
	// Dropped lists seed records in the database that the embedded seed no
	// longer holds; they are left as they are.
	Dropped []string
}

// ApplySeed loads the embedded seed into the database in one transaction:
// seed records that are missing are added, seed records that differ are
// updated to the embedded version, and nothing else is touched. Errors:
// CodeConflict when a record that moderators or owners added holds an id
// the seed uses (nothing is written then).
func (s *Store) ApplySeed(ctx context.Context) (SeedReport, error) {
	var rep SeedReport
	ds, err := knowledge.Seed()
	if err != nil {
		return rep, fmt.Errorf("decode embedded seed: %w", err)
	}
	if err := ds.Validate(nil).Err(); err != nil {
		return rep, fmt.Errorf("embedded seed is invalid: %w", err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return rep, dbError(err, "begin seed")
	}
	defer tx.Rollback()
	entries := ds.Entries()
	st := importStamp()
	changed := make([]bool, len(entries))
	inSeed := map[string]bool{}
	for i, e := range entries {
		inSeed[e.Meta().ID] = true
		added, upd, err := putRecord(ctx, tx, e, modeSeed, st)
		if err != nil {
			return rep, err
		}
		switch {
		case added:
			rep.Added++
		case upd:
			rep.Updated++
		default:
			rep.Unchanged++
		}
		changed[i] = added || upd
	}
	for i, e := range entries {
		if changed[i] {
			if err := indexRecord(ctx, tx, e); err != nil {
				return rep, err
			}
		}
	}
	if rep.Added+rep.Updated > 0 {
		if err := rebuildDerived(ctx, tx); err != nil {
			return rep, err
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT id FROM records WHERE origin = 'seed' ORDER BY id")
	if err != nil {
		return rep, dbError(err, "list seed records")
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return rep, dbError(err, "list seed records")
		}
		if !inSeed[id] {
			rep.Dropped = append(rep.Dropped, id)
		}
	}
	rows.Close()
	if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('seeded_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		time.Now().UTC().Format(time.RFC3339)); err != nil {
		return rep, dbError(err, "record seeding")
	}
	if err := tx.Commit(); err != nil {
		return rep, dbError(err, "commit seed")
	}
	s.gen.changed()
	return rep, nil
}

// encodeRecord returns the record's canonical JSON: compact, HTML
// characters left as they are.
func encodeRecord(e knowledge.Entry) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return nil, fmt.Errorf("encode %s: %w", e.Meta().ID, err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// putMode says what putRecord may do with an id that exists.
type putMode int

const (
	modeInsert  putMode = iota // a new record only: an existing id is a conflict
	modeSeed                   // the seed: may update a seed record, nothing else
	modeReplace                // a checked change: may update the record
)

// stamp is who made a version, and why.
type stamp struct {
	action, actor, guild, at, reason string
}

// importStamp is the stamp of records loaded from a file or the seed.
func importStamp() stamp {
	return stamp{action: string(knowledge.ActionImport), at: time.Now().UTC().Format(time.RFC3339)}
}

// putRecord writes e's row in records: a new id is inserted; an existing
// one, when mode allows, becomes e's next version, the version it replaces
// kept in versions, and its indexes cleared for indexRecord to rebuild.
// A record equal to what is stored is left alone (neither added nor
// updated).
func putRecord(ctx context.Context, tx *sql.Tx, e knowledge.Entry, mode putMode, st stamp) (added, updated bool, err error) {
	m := e.Meta()
	text := ""
	if d, ok := e.(*knowledge.Document); ok && d.Text != "" {
		// The text is kept apart from the record's data; see document_texts.
		text = d.Text
	}
	data, err := encodeRecord(stripText(e))
	if err != nil {
		return false, false, err
	}
	retracted := boolInt(m.Retracted != nil)
	var rid int64
	var origin, old, oldText, oldGuild string
	var oldRetracted bool
	shared := func(guild string, retracted bool) int { return boolInt(guild == "" && !retracted) }
	kind := knowledge.KindOf(m.ID)
	switch err := tx.QueryRowContext(ctx, "SELECT r.rid, r.origin, r.data, coalesce(t.text, ''), r.guild, r.retracted FROM records r LEFT JOIN document_texts t ON t.rid = r.rid WHERE r.id = ?", m.ID).
		Scan(&rid, &origin, &old, &oldText, &oldGuild, &oldRetracted); {
	case errors.Is(err, sql.ErrNoRows):
		if err := countKind(ctx, tx, kind, shared(m.Guild, retracted == 1)); err != nil {
			return false, false, err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO records (id, kind, guild, origin, label, data, retracted, action, actor, changed_in, changed_at, reason)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, knowledge.KindOf(m.ID), m.Guild, string(m.Origin), e.Display(), string(data), retracted, st.action, st.actor, st.guild, st.at, st.reason)
		if err != nil {
			return false, false, dbError(err, "insert "+m.ID)
		}
		if rid, err = res.LastInsertId(); err != nil {
			return false, false, dbError(err, "insert "+m.ID)
		}
		return true, false, putText(ctx, tx, rid, text)
	case err != nil:
		return false, false, dbError(err, "look up "+m.ID)
	}
	if mode == modeInsert || (mode == modeSeed && origin != string(knowledge.OriginSeed)) {
		return false, false, knowledge.Errorf(knowledge.CodeConflict, "%s already exists as a record added by a %s; nothing was written", m.ID, origin)
	}
	if old == string(data) && oldText == text {
		return false, false, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO versions (rid, version, action, actor, guild, at, reason, retracted, data)
		SELECT rid, version, action, actor, changed_in, changed_at, reason, retracted, ? FROM records WHERE rid = ?`,
		(&current{data: old, text: oldText}).fullData(), rid); err != nil {
		return false, false, dbError(err, "keep the version of "+m.ID)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE records SET guild = ?, origin = ?, label = ?, data = ?, version = version + 1, retracted = ?,
		action = ?, actor = ?, changed_in = ?, changed_at = ?, reason = ? WHERE rid = ?`,
		m.Guild, string(m.Origin), e.Display(), string(data), retracted, st.action, st.actor, st.guild, st.at, st.reason, rid); err != nil {
		return false, false, dbError(err, "update "+m.ID)
	}
	if err := countKind(ctx, tx, kind, shared(m.Guild, retracted == 1)-shared(oldGuild, oldRetracted)); err != nil {
		return false, false, err
	}
	if err := clearIndexes(ctx, tx, rid); err != nil {
		return false, false, err
	}
	return false, true, putText(ctx, tx, rid, text)
}

// putText stores (or, when text is empty, removes) a document's held text.
func putText(ctx context.Context, tx *sql.Tx, rid int64, text string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM document_texts WHERE rid = ?", rid); err != nil {
		return dbError(err, "clear document text")
	}
	if text == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO document_texts (rid, text) VALUES (?, ?)", rid, text)
	return dbError(err, "store document text")
}

// clearIndexes deletes everything derived from record rid.
func clearIndexes(ctx context.Context, tx *sql.Tx, rid int64) error {
	for _, q := range []string{
		"DELETE FROM refs WHERE src = ?",
		"DELETE FROM person_names WHERE person = ?",
		"DELETE FROM name_tokens WHERE person = ?",
		"DELETE FROM name_prefixes WHERE person = ?",
		"DELETE FROM claim_subjects WHERE claim = ?",
		"DELETE FROM people WHERE rid = ?",
		"DELETE FROM claims WHERE rid = ?",
		"DELETE FROM evidence WHERE rid = ?",
		"DELETE FROM dated WHERE rid = ?",
		"DELETE FROM search WHERE rowid = ?",
	} {
		if _, err := tx.ExecContext(ctx, q, rid); err != nil {
			return dbError(err, "clear indexes")
		}
	}
	return nil
}

// indexRecord derives the index rows of e, whose record row exists and
// whose indexes are empty: references, search text, and the per-kind
// tables.
func indexRecord(ctx context.Context, tx *sql.Tx, e knowledge.Entry) error {
	id := e.Meta().ID
	var rid int64
	if err := tx.QueryRowContext(ctx, "SELECT rid FROM records WHERE id = ?", id).Scan(&rid); err != nil {
		return dbError(err, "find "+id)
	}
	for _, r := range e.Refs() {
		res, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO refs (dst, field, src, src_kind) SELECT rid, ?, ?, ? FROM records WHERE id = ?", r.Field, rid, knowledge.KindOf(id), r.ID)
		if err != nil {
			return dbError(err, "link "+id)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM records WHERE id = ?", r.ID).Scan(&exists); err != nil {
				return dbError(err, "link "+id)
			}
			if exists == 0 {
				return knowledge.FieldError(r.Field, "%s refers to %s, which is not in the record", id, r.ID)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO search (rowid, body) VALUES (?, ?)", rid, e.SearchText()); err != nil {
		return dbError(err, "index text of "+id)
	}
	if date, text, ok := datedOf(e); ok {
		m := e.Meta()
		if _, err := tx.ExecContext(ctx, "INSERT INTO dated (rid, date, date_text, id, kind_rank, guild, live) VALUES (?, ?, ?, ?, ?, ?, ?)",
			rid, date, text, id, kindRank(knowledge.KindOf(id)), m.Guild, boolInt(m.Retracted == nil)); err != nil {
			return dbError(err, "index date of "+id)
		}
	}
	switch v := e.(type) {
	case *knowledge.Person:
		return indexPerson(ctx, tx, rid, v)
	case *knowledge.Claim:
		// The evidence counts and sort_key are set by refreshDerived or
		// rebuildDerived, which every write path runs before committing.
		if _, err := tx.ExecContext(ctx, `INSERT INTO claims (rid, speaker, attribution, form, date, id, guild, live)
			VALUES (?, (SELECT rid FROM records WHERE id = ?), ?, ?, ?, ?, ?, ?)`,
			rid, v.Speaker, string(v.Attribution), string(v.Form), v.Date, id, v.Guild, boolInt(v.Retracted == nil)); err != nil {
			return dbError(err, "index claim "+id)
		}
		for _, s := range v.Subjects {
			if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO claim_subjects (person, guild, claim) SELECT rid, ?, ? FROM records WHERE id = ?", v.Guild, rid, s); err != nil {
				return dbError(err, "index claim subjects of "+id)
			}
		}
		return nil
	case *knowledge.Evidence:
		_, err := tx.ExecContext(ctx, `INSERT INTO evidence (rid, claim, relation, guild, live, speaker)
			SELECT ?, c.rid, ?, ?, ?, c.speaker FROM records r JOIN claims c ON c.rid = r.rid WHERE r.id = ?`,
			rid, string(v.Relation), v.Guild, boolInt(v.Retracted == nil), v.Claim)
		return dbError(err, "index evidence "+id)
	}
	return nil
}

// kindRank orders items of one date on the timeline: documents, then
// events, then claims.
func kindRank(kind string) int {
	switch kind {
	case "document":
		return 0
	case "event":
		return 1
	}
	return 2
}

// datedOf returns the date of a document, claim or event for the
// timeline, and whether it has one (a date or the source's words).
func datedOf(e knowledge.Entry) (date, text string, ok bool) {
	switch v := e.(type) {
	case *knowledge.Document:
		date, text = v.Date, v.DateText
	case *knowledge.Claim:
		date, text = v.Date, v.DateText
	case *knowledge.Event:
		date, text = v.Date, v.DateText
	default:
		return "", "", false
	}
	return date, text, date != "" || text != ""
}

// indexPerson writes the person's surname and the forms, words and word
// variants of their names.
func indexPerson(ctx context.Context, tx *sql.Tx, rid int64, p *knowledge.Person) error {
	if _, err := tx.ExecContext(ctx, "INSERT INTO people (rid, surname, role) VALUES (?, ?, ?)", rid, knowledge.Surname(p.Name), p.CurrentRole()); err != nil {
		return dbError(err, "index person "+p.ID)
	}
	for _, form := range p.NameForms() {
		toks := knowledge.NameTokens(form)
		if len(toks) == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO person_names (key, person, form) VALUES (?, ?, ?)", strings.Join(toks, " "), rid, form); err != nil {
			return dbError(err, "index name of "+p.ID)
		}
		for _, t := range toks {
			if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO name_tokens (token, person) VALUES (?, ?)", t, rid); err != nil {
				return dbError(err, "index name word of "+p.ID)
			}
			for _, pre := range prefixes(t) {
				if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO name_prefixes (prefix, person) VALUES (?, ?)", pre, rid); err != nil {
					return dbError(err, "index name prefixes of "+p.ID)
				}
			}
			for _, v := range knowledge.Deletes(t, variantDepth(t)) {
				if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO token_variants (variant, token) VALUES (?, ?)", v, t); err != nil {
					return dbError(err, "index name variants of "+p.ID)
				}
			}
		}
	}
	return nil
}

// variantDepth is how many deletions of a stored name word are indexed:
// as many as knowledge.MaxTypos allows for a word of its length.
func variantDepth(tok string) int { return knowledge.MaxTypos(len([]rune(tok))) }
