package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onrecord/onrecord/knowledge"
)

// writer is one write transaction on behalf of a change: it checks rights
// and references, keeps history and writes the audit row.
type writer struct {
	s   *Store
	ctx context.Context
	tx  *sql.Tx
	ch  knowledge.Change
	now string
	// touched are the people whose prominence and counts must be counted
	// again, touchedClaims the claims whose evidence counts must.
	touched       map[int64]bool
	touchedClaims map[int64]bool
	touchedDocs   map[int64]bool // documents whose /sources counts may change
}

// write runs fn in one write transaction for ch, then recounts what it
// touched (people's prominence and claim counts, claims' evidence counts),
// and commits: everything or nothing.
func (s *Store) write(ctx context.Context, ch knowledge.Change, fn func(w *writer) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return dbError(err, "begin write")
	}
	defer tx.Rollback()
	w := &writer{s: s, ctx: ctx, tx: tx, ch: ch, now: time.Now().UTC().Format(time.RFC3339), touched: map[int64]bool{}, touchedClaims: map[int64]bool{}, touchedDocs: map[int64]bool{}}
	if err := fn(w); err != nil {
		return err
	}
	if err := refreshDerived(ctx, tx, w.touchedClaims, w.touched, w.touchedDocs); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return dbError(err, "commit write")
	}
	s.gen.changed()
	return nil
}

// current is a record as stored now.
type current struct {
	rid       int64
	id        string
	kind      string
	guild     string
	origin    string
	label     string
	data      string
	text      string
	version   int
	retracted bool
}

// load reads record id (retracted or not), whatever its scope.
func (w *writer) load(id string) (*current, error) {
	c := &current{id: id}
	err := w.tx.QueryRowContext(w.ctx, `SELECT r.rid, r.kind, r.guild, r.origin, r.label, r.data, coalesce(t.text, ''), r.version, r.retracted
		FROM records r LEFT JOIN document_texts t ON t.rid = r.rid WHERE r.id = ?`, id).
		Scan(&c.rid, &c.kind, &c.guild, &c.origin, &c.label, &c.data, &c.text, &c.version, &c.retracted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, knowledge.Errorf(knowledge.CodeNotFound, "There is no record %s.", id)
	}
	if err != nil {
		return nil, dbError(err, "load "+id)
	}
	return c, nil
}

// loadVisible reads record id if the change's actor may see it (global or
// their server's), hiding others' records behind CodeNotFound.
func (w *writer) loadVisible(id string) (*current, error) {
	c, err := w.load(id)
	if err != nil {
		return nil, err
	}
	if c.guild != "" && c.guild != w.ch.Actor.GuildID {
		return nil, knowledge.Errorf(knowledge.CodeNotFound, "There is no record %s in this server's record.", id)
	}
	return c, nil
}

// fullData returns the record's data as history keeps it: with a
// document's held text.
func (c *current) fullData() string {
	if c.text == "" {
		return c.data
	}
	var m map[string]any
	if json.Unmarshal([]byte(c.data), &m) != nil {
		return c.data
	}
	m["text"] = c.text
	b, err := json.Marshal(m)
	if err != nil {
		return c.data
	}
	return string(b)
}

// decode returns the record in c as its knowledge type, text included.
func (c *current) decode() (knowledge.Entry, error) {
	var ds knowledge.Dataset
	if err := appendRecord(&ds, c.kind, []byte(c.fullData())); err != nil {
		return nil, err
	}
	entries := ds.Entries()
	if len(entries) != 1 {
		return nil, fmt.Errorf("decode %s: no record", c.id)
	}
	return entries[0], nil
}

// checkRefs checks that every record e refers to exists, is not
// retracted, and may be referred to from e's scope.
func (w *writer) checkRefs(e knowledge.Entry) error {
	var ps knowledge.Problems
	guild := e.Meta().Guild
	for _, r := range e.Refs() {
		c, err := w.load(r.ID)
		switch {
		case knowledge.ErrorCode(err) == knowledge.CodeNotFound:
			ps = append(ps, knowledge.Problem{Field: r.Field, Text: fmt.Sprintf("%s is not in the record", r.ID)})
			continue
		case err != nil:
			return err
		}
		switch {
		case c.guild != "" && c.guild != guild:
			ps = append(ps, knowledge.Problem{Field: r.Field, Text: fmt.Sprintf("%s is not in this server's record", r.ID)})
		case c.retracted:
			ps = append(ps, knowledge.Problem{Field: r.Field, Text: fmt.Sprintf("%s is retracted: restore it first", r.ID)})
		}
	}
	// Verbatim rules that need other records: an excerpt equals its
	// document's held text at its offsets; a direct claim's words are in
	// its excerpt.
	switch v := e.(type) {
	case *knowledge.Excerpt:
		if d, err := w.load(v.Document); err == nil {
			ps = append(ps, v.CheckSpan(d.text)...)
		}
	case *knowledge.Claim:
		if v.Excerpt != "" && v.Form == knowledge.FormDirect {
			if x, err := w.load(v.Excerpt); err == nil {
				var ex knowledge.Excerpt
				if json.Unmarshal([]byte(x.data), &ex) == nil && !strings.Contains(ex.Text, v.Words) {
					ps = append(ps, knowledge.Problem{Field: "quote", Text: "the words are not found verbatim in the excerpt " + ex.ID})
				}
			}
		}
	}
	return ps.Err()
}

// put writes e as a new record (when prev is nil) or as the next version
// of prev, with history and the audit row. It checks the actor's right to
// write it and, unless only its retraction changes, the record and its
// references.
func (w *writer) put(e knowledge.Entry, prev *current, action knowledge.Action) error {
	h := e.Header()
	guild := h.Guild
	if prev != nil {
		guild = prev.guild
	}
	if err := knowledge.CanWrite(w.ch.Actor, guild); err != nil {
		return err
	}
	if action != knowledge.ActionRetract {
		if err := e.Validate().Err(); err != nil {
			return err
		}
		if err := w.checkRefs(e); err != nil {
			return err
		}
	}
	before := ""
	mode := modeInsert
	if prev != nil {
		before, mode = prev.fullData(), modeReplace
		w.touch(prev.rid)
	}
	st := stamp{action: string(action), actor: w.ch.Actor.UserID, guild: w.ch.Actor.GuildID, at: w.now, reason: w.ch.Reason}
	added, updated, err := putRecord(w.ctx, w.tx, e, mode, st)
	if err != nil {
		return err
	}
	if !added && !updated {
		return knowledge.Errorf(knowledge.CodeInvalid, "That changes nothing: %s is already like this.", h.ID)
	}
	return w.indexed(e, action, before)
}

// indexed finishes writing e's new version (before is the old one's data,
// "" for a new record): its index rows, the derived counts it touches,
// and its audit row.
func (w *writer) indexed(e knowledge.Entry, action knowledge.Action, before string) error {
	if err := indexRecord(w.ctx, w.tx, e); err != nil {
		return err
	}
	id := e.Meta().ID
	rid, err := w.ridOf(id)
	if err != nil {
		return err
	}
	w.touch(rid)
	after, err := encodeRecord(e)
	if err != nil {
		return err
	}
	return w.audit(action, id, e.Display(), before, string(after))
}

// touch marks the people record rid refers to, and the claims and
// documents whose kept counts it may alter, for refreshDerived.
func (w *writer) touch(rid int64) {
	for _, p := range w.personRefs(rid) {
		w.touched[p] = true
	}
	w.markClaims(rid)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (w *writer) ridOf(id string) (int64, error) {
	var rid int64
	if err := w.tx.QueryRowContext(w.ctx, "SELECT rid FROM records WHERE id = ?", id).Scan(&rid); err != nil {
		return 0, dbError(err, "find "+id)
	}
	return rid, nil
}

// markClaims notes the claim whose evidence counts a change to record rid
// may alter (the claim itself, or the claim a piece of evidence bears on),
// and the documents whose /sources counts it may alter (the document
// itself, an excerpt's documents, the documents of the excerpt a claim or
// evidence cites).
func (w *writer) markClaims(rid int64) {
	if docs, err := w.tx.QueryContext(w.ctx, `SELECT dst FROM refs WHERE src = ?1 AND field IN ('document', 'quoted_from')
		UNION SELECT g.dst FROM refs f JOIN refs g ON g.src = f.dst AND g.field IN ('document', 'quoted_from') WHERE f.src = ?1 AND f.field = 'excerpt'
		UNION SELECT rid FROM records WHERE rid = ?1 AND kind = 'document'`, rid); err == nil {
		for docs.Next() {
			var d int64
			if docs.Scan(&d) == nil {
				w.touchedDocs[d] = true
			}
		}
		docs.Close()
	}
	rows, err := w.tx.QueryContext(w.ctx, "SELECT rid FROM claims WHERE rid = ?1 UNION SELECT claim FROM evidence WHERE rid = ?1", rid)
	if err != nil {
		return
	}
	defer rows.Close()
	for rows.Next() {
		var c int64
		if rows.Scan(&c) == nil {
			w.touchedClaims[c] = true
		}
	}
}

// personRefs returns the people record rid refers to.
func (w *writer) personRefs(rid int64) []int64 {
	rows, err := w.tx.QueryContext(w.ctx, "SELECT f.dst FROM refs f JOIN people p ON p.rid = f.dst WHERE f.src = ?", rid)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var r int64
		if rows.Scan(&r) == nil {
			out = append(out, r)
		}
	}
	out = append(out, rid) // a person is touched by a change to itself
	return out
}

// audit appends the audit row of the change.
func (w *writer) audit(action knowledge.Action, id, label, before, after string) error {
	_, err := w.tx.ExecContext(w.ctx, `INSERT INTO audit (at, guild, actor, action, record_id, record_label, before, after, reason, interaction, credit)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.now, w.ch.Actor.GuildID, w.ch.Actor.UserID, string(action), id, truncate(label, 200), before, after, w.ch.Reason, w.ch.Interaction, w.ch.Credit)
	return dbError(err, "audit")
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// newID returns an unused id for a record of kind named by words: the
// words' own id when free, else it with the next number after the
// highest in use ("d-politics-live-1042"), found in one indexed read
// however many records share the words.
func (w *writer) newID(kind, words string) (string, error) {
	base := knowledge.NewID(kind, words, 0)
	free := func(id string) (bool, error) {
		var exists int
		err := w.tx.QueryRowContext(w.ctx, "SELECT count(*) FROM records WHERE id = ?", id).Scan(&exists)
		return exists == 0, dbError(err, "check id")
	}
	if ok, err := free(base); ok || err != nil {
		return base, err
	}
	rows, err := w.tx.QueryContext(w.ctx, "SELECT id FROM records WHERE id GLOB ?", base+"-[0-9]*")
	if err != nil {
		return "", dbError(err, "check id")
	}
	defer rows.Close()
	highest := 0
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", dbError(err, "check id")
		}
		if n, err := strconv.Atoi(strings.TrimPrefix(id, base+"-")); err == nil && n > highest {
			highest = n
		}
	}
	if err := rows.Err(); err != nil {
		return "", dbError(err, "check id")
	}
	for n := highest + 1; n < highest+100; n++ {
		id := knowledge.NewID(kind, words, n)
		if ok, err := free(id); ok || err != nil {
			return id, err
		}
	}
	return "", fmt.Errorf("no free id for %s %q", kind, words)
}

// scope returns the guild and origin the change's new records get.
func (w *writer) scope() (string, knowledge.Origin, error) {
	g, err := knowledge.WriteScope(w.ch.Actor)
	if err != nil {
		return "", "", err
	}
	return g, knowledge.OriginFor(g), nil
}

// Add writes a new record for ch: e gets an id made from its name when it
// has none, and the change's scope (the actor's server for a moderator,
// the global record for a bot owner). It returns the id. Errors:
// CodeForbidden when the actor may not write there, CodeInvalid naming the
// field for a bad record or reference, CodeConflict for an id in use.
func (s *Store) Add(ctx context.Context, ch knowledge.Change, e knowledge.Entry) (string, error) {
	var id string
	err := s.write(ctx, ch, func(w *writer) error {
		var err error
		id, err = w.add(e)
		return err
	})
	return id, err
}

func (w *writer) add(e knowledge.Entry) (string, error) {
	g, origin, err := w.scope()
	if err != nil {
		return "", err
	}
	if g == "" && w.ch.Actor.GuildID != "" {
		// A bot owner writes the shared record, unless the record refers
		// to the server's own records: then it can only be the server's.
		for _, r := range e.Refs() {
			if c, err := w.load(r.ID); err == nil && c.guild == w.ch.Actor.GuildID {
				g, origin = c.guild, knowledge.OriginModerator
				break
			}
		}
	}
	h := e.Header()
	h.Guild, h.Origin, h.Retracted = g, origin, nil
	if h.ID == "" {
		kind := entryKind(e)
		if h.ID, err = w.newID(kind, e.Display()); err != nil {
			return "", err
		}
	} else if _, err := w.load(h.ID); err == nil {
		return "", knowledge.Errorf(knowledge.CodeConflict, "%s is in use already: give another id.", h.ID)
	}
	return h.ID, w.put(e, nil, knowledge.ActionAdd)
}

func entryKind(e knowledge.Entry) string {
	switch e.(type) {
	case *knowledge.Person:
		return "person"
	case *knowledge.Organisation:
		return "organisation"
	case *knowledge.Document:
		return "document"
	case *knowledge.Excerpt:
		return "excerpt"
	case *knowledge.Claim:
		return "claim"
	case *knowledge.Evidence:
		return "evidence"
	case *knowledge.Figure:
		return "figure"
	}
	return "event"
}

// Edit replaces record id with e as its next version, for ch. When
// version is not 0 it must be the record's current version, so that two
// moderators editing at once do not overwrite each other unknowingly.
// Errors: CodeNotFound for a record the actor cannot see, CodeForbidden,
// CodeInvalid, CodeConflict when the record changed since version.
func (s *Store) Edit(ctx context.Context, ch knowledge.Change, id string, version int, edit func(knowledge.Entry) error) error {
	return s.write(ctx, ch, func(w *writer) error {
		prev, err := w.loadVisible(id)
		if err != nil {
			return err
		}
		if version != 0 && prev.version != version {
			return knowledge.Errorf(knowledge.CodeConflict, "%s changed since you opened it (now version %d): open it again.", id, prev.version)
		}
		if prev.retracted {
			return knowledge.Errorf(knowledge.CodeInvalid, "%s is retracted: restore it before editing.", id)
		}
		e, err := prev.decode()
		if err != nil {
			return err
		}
		if err := edit(e); err != nil {
			return err
		}
		h := e.Header()
		h.ID, h.Guild, h.Origin = prev.id, prev.guild, knowledge.Origin(prev.origin)
		return w.put(e, prev, ch.Action)
	})
}

// Retract takes record id out of answers, with ch.Reason. A moderator
// retracting a shared (global) record hides it in their server only.
// Nothing is deleted. Errors: CodeNotFound, CodeForbidden, CodeInvalid
// when it is retracted (or hidden) already.
func (s *Store) Retract(ctx context.Context, ch knowledge.Change, id string) (hidden bool, err error) {
	if strings.TrimSpace(ch.Reason) == "" {
		return false, knowledge.FieldError("reason", "say why it is retracted: the reason is kept with it.")
	}
	err = s.write(ctx, ch, func(w *writer) error {
		prev, err := w.loadVisible(id)
		if err != nil {
			return err
		}
		if prev.guild == "" && ch.Actor.Rank < knowledge.RankOwner {
			if _, err := knowledge.WriteScope(ch.Actor); err != nil {
				return err // neither an owner nor this server's moderator
			}
			hidden = true
			return w.hide(prev)
		}
		if prev.retracted {
			return knowledge.Errorf(knowledge.CodeInvalid, "%s is retracted already.", id)
		}
		e, err := prev.decode()
		if err != nil {
			return err
		}
		e.Header().Retracted = &knowledge.Retraction{Reason: ch.Reason, By: ch.Actor.UserID, At: w.now}
		return w.put(e, prev, knowledge.ActionRetract)
	})
	return hidden, err
}

// stripText returns e without a document's held text, as records.data keeps it.
func stripText(e knowledge.Entry) knowledge.Entry {
	if d, ok := e.(*knowledge.Document); ok && d.Text != "" {
		bare := *d
		bare.Text = ""
		return &bare
	}
	return e
}

// hide hides a global record in the change's server.
func (w *writer) hide(prev *current) error {
	res, err := w.tx.ExecContext(w.ctx, "INSERT OR IGNORE INTO hidden (rid, guild, reason, actor, at) VALUES (?, ?, ?, ?, ?)",
		prev.rid, w.ch.Actor.GuildID, w.ch.Reason, w.ch.Actor.UserID, w.now)
	if err != nil {
		return dbError(err, "hide "+prev.id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return knowledge.Errorf(knowledge.CodeInvalid, "%s is hidden in this server already.", prev.id)
	}
	return w.audit(knowledge.ActionHide, prev.id, prev.label, "", "")
}

// Restore brings a retracted record back into answers (or shows again, in
// the actor's server, a shared record it hid). Errors: CodeNotFound,
// CodeForbidden, CodeInvalid when it is not retracted.
func (s *Store) Restore(ctx context.Context, ch knowledge.Change, id string) (unhidden bool, err error) {
	err = s.write(ctx, ch, func(w *writer) error {
		prev, err := w.loadVisible(id)
		if err != nil {
			return err
		}
		if prev.guild == "" && ch.Actor.Rank < knowledge.RankOwner && ch.Actor.GuildID != "" && ch.Actor.Rank >= knowledge.RankModerator {
			res, err := w.tx.ExecContext(w.ctx, "DELETE FROM hidden WHERE rid = ? AND guild = ?", prev.rid, ch.Actor.GuildID)
			if err != nil {
				return dbError(err, "unhide "+id)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return knowledge.Errorf(knowledge.CodeInvalid, "%s is not hidden in this server.", id)
			}
			unhidden = true
			return w.audit(knowledge.ActionUnhide, prev.id, prev.label, "", "")
		}
		if !prev.retracted {
			return knowledge.Errorf(knowledge.CodeInvalid, "%s is not retracted.", id)
		}
		e, err := prev.decode()
		if err != nil {
			return err
		}
		e.Header().Retracted = nil
		return w.put(e, prev, knowledge.ActionRestore)
	})
	return unhidden, err
}

// Revert makes version of record id its current version again, as a new
// version: history only grows. Errors: CodeNotFound for an unknown record
// or version, CodeForbidden, CodeInvalid when what it refers to has gone.
func (s *Store) Revert(ctx context.Context, ch knowledge.Change, id string, version int) error {
	return s.write(ctx, ch, func(w *writer) error {
		prev, err := w.loadVisible(id)
		if err != nil {
			return err
		}
		if version == prev.version {
			return knowledge.Errorf(knowledge.CodeInvalid, "%s is at version %d already.", id, version)
		}
		var data string
		err = w.tx.QueryRowContext(w.ctx, "SELECT data FROM versions WHERE rid = ? AND version = ?", prev.rid, version).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return knowledge.Errorf(knowledge.CodeNotFound, "%s has no version %d: `/kb history id:%s` lists them.", id, version, id)
		}
		if err != nil {
			return dbError(err, "load version")
		}
		old, err := (&current{id: id, kind: prev.kind, data: data}).decode()
		if err != nil {
			return err
		}
		h := old.Header()
		h.ID, h.Guild, h.Origin = prev.id, prev.guild, knowledge.Origin(prev.origin)
		return w.put(old, prev, knowledge.ActionRevert)
	})
}

// History returns every version of record id, newest first, if the actor
// may see the record (global, or their server's; retracted included), and
// the record's name. Errors: CodeNotFound.
func (s *Store) History(ctx context.Context, actor knowledge.Actor, id string) ([]knowledge.Version, string, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback()
	var rid int64
	var guild, label string
	var cur knowledge.Version
	var at, data, text string
	var retracted int
	err = tx.QueryRowContext(ctx, `SELECT r.rid, r.guild, r.label, r.version, r.action, r.actor, r.changed_in, r.changed_at, r.reason, r.retracted, r.data, coalesce(t.text, '')
		FROM records r LEFT JOIN document_texts t ON t.rid = r.rid WHERE r.id = ?`, id).
		Scan(&rid, &guild, &label, &cur.Version, &cur.Action, &cur.By, &cur.Guild, &at, &cur.Reason, &retracted, &data, &text)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && guild != "" && guild != actor.GuildID) {
		return nil, "", knowledge.Errorf(knowledge.CodeNotFound, "There is no record %s in this server's record.", id)
	}
	if err != nil {
		return nil, "", dbError(err, "history of "+id)
	}
	cur.At, _ = time.Parse(time.RFC3339, at)
	cur.Retracted = retracted == 1
	cur.Data = (&current{data: data, text: text}).fullData()
	out := []knowledge.Version{cur}
	rows, err := tx.QueryContext(ctx, "SELECT version, action, actor, guild, at, reason, retracted, data FROM versions WHERE rid = ? ORDER BY version DESC", rid)
	if err != nil {
		return nil, "", dbError(err, "history of "+id)
	}
	defer rows.Close()
	for rows.Next() {
		var v knowledge.Version
		var at string
		var r int
		if err := rows.Scan(&v.Version, &v.Action, &v.By, &v.Guild, &at, &v.Reason, &r, &v.Data); err != nil {
			return nil, "", dbError(err, "scan history")
		}
		v.At, _ = time.Parse(time.RFC3339, at)
		v.Retracted = r == 1
		out = append(out, v)
	}
	return out, label, dbError(rows.Err(), "history")
}

// Audit returns recent audit entries of the actor's server (of the global
// record for a bot owner outside a server), newest first, filtered by who
// made them and which record.
func (s *Store) Audit(ctx context.Context, actor knowledge.Actor, f knowledge.AuditFilter) ([]knowledge.AuditEntry, error) {
	q := "SELECT id, at, guild, actor, action, record_id, record_label, before, after, reason, interaction, credit FROM audit WHERE guild = ?"
	args := []any{actor.GuildID}
	if f.Actor != "" {
		q += " AND actor = ?"
		args = append(args, f.Actor)
	}
	if f.Record != "" {
		q += " AND record_id = ?"
		args = append(args, f.Record)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.r.QueryContext(ctx, q+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, dbError(err, "audit")
	}
	defer rows.Close()
	var out []knowledge.AuditEntry
	for rows.Next() {
		var e knowledge.AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Guild, &e.Actor, &e.Action, &e.RecordID, &e.RecordLabel, &e.Before, &e.After, &e.Reason, &e.Interaction, &e.Credit); err != nil {
			return nil, dbError(err, "scan audit")
		}
		e.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, e)
	}
	return out, dbError(rows.Err(), "audit")
}

// Entry returns record id as it stands, retracted or not, if the actor
// may see it, with its version: what an edit starts from. Errors:
// CodeNotFound.
func (s *Store) Entry(ctx context.Context, actor knowledge.Actor, id string) (knowledge.Entry, int, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	c := &current{id: id}
	err = tx.QueryRowContext(ctx, `SELECT r.rid, r.kind, r.guild, r.data, coalesce(t.text, ''), r.version, r.retracted
		FROM records r LEFT JOIN document_texts t ON t.rid = r.rid WHERE r.id = ?`, id).Scan(&c.rid, &c.kind, &c.guild, &c.data, &c.text, &c.version, &c.retracted)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && c.guild != "" && c.guild != actor.GuildID) {
		return nil, 0, knowledge.Errorf(knowledge.CodeNotFound, "There is no record %s in this server's record.", id)
	}
	if err != nil {
		return nil, 0, dbError(err, "load "+id)
	}
	e, err := c.decode()
	return e, c.version, err
}

// resolveSource turns a source (an http(s) URL, or a document id) and the
// quoted words into an excerpt for the change: a span of the document's
// held text when it has one (the words must be found there, verbatim), the
// words alone for a document whose text is not held, or, for a URL, a
// document for that page (reused when the record has one) with the words.
func (w *writer) resolveSource(source, words, field string) (*knowledge.Excerpt, error) {
	g, origin, err := w.scope()
	if err != nil {
		return nil, err
	}
	source = strings.TrimSpace(source)
	var docID, text string
	switch {
	case knowledge.IsURL(source):
		if !knowledge.ValidURL(source) {
			return nil, knowledge.FieldError("source", "%q is not an http(s) URL.", source)
		}
		err := w.tx.QueryRowContext(w.ctx, `SELECT r.id FROM records r WHERE r.kind = 'document' AND json_extract(r.data, '$.url') = ?
			AND (r.guild = '' OR r.guild = ?) AND r.retracted = 0 ORDER BY r.guild = '' LIMIT 1`, source, g).Scan(&docID)
		if errors.Is(err, sql.ErrNoRows) {
			u, _ := url.Parse(source)
			title := strings.TrimSuffix(u.Host+u.EscapedPath(), "/")
			doc := &knowledge.Document{Record: knowledge.Record{Guild: g, Origin: origin}, Title: truncate(title, knowledge.MaxTitleLen),
				Kind: knowledge.DocOther, URL: source, Summary: "A web page cited as a source."}
			if docID, err = w.add(doc); err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, dbError(err, "find source")
		}
	case knowledge.ValidID(source, "document"):
		d, err := w.loadVisible(source)
		if err != nil {
			return nil, knowledge.FieldError("source", "%s is not a document in this server's record.", source)
		}
		if d.retracted {
			return nil, knowledge.FieldError("source", "%s is retracted.", source)
		}
		docID, text = d.id, d.text
	default:
		return nil, knowledge.FieldError("source", "give the source as an http(s) URL or a document id (d-…) from `/sources`.")
	}
	x := &knowledge.Excerpt{Record: knowledge.Record{Guild: g, Origin: origin}, Document: docID, Text: words}
	if text != "" {
		i := strings.Index(text, words)
		if i < 0 {
			return nil, knowledge.FieldError(field, "these words are not in %s's text, verbatim: copy them exactly from the document.", docID)
		}
		x.Start, x.End = i, i+len(words)
	}
	// The same span of the same document is one excerpt.
	var existing string
	err = w.tx.QueryRowContext(w.ctx, `SELECT r.id FROM refs f JOIN records r ON r.rid = f.src
		WHERE f.dst = (SELECT rid FROM records WHERE id = ?) AND f.src_kind = 'excerpt' AND f.field = 'document'
		AND (r.guild = '' OR r.guild = ?) AND r.retracted = 0 AND json_extract(r.data, '$.text') = ? AND json_extract(r.data, '$.start') = ? LIMIT 1`,
		docID, g, words, x.Start).Scan(&existing)
	if err == nil {
		x.ID = existing
		return x, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, dbError(err, "find excerpt")
	}
	if _, err := w.add(x); err != nil {
		return nil, err
	}
	return x, nil
}

// AddClaim adds (or, with in.Claim, corrects) a claim from a moderator's
// input, making the excerpt its source needs. It returns the claim's id.
func (s *Store) AddClaim(ctx context.Context, ch knowledge.Change, in knowledge.ClaimInput) (string, error) {
	var id string
	err := s.write(ctx, ch, func(w *writer) error {
		var err error
		id, err = w.addClaim(in)
		return err
	})
	return id, err
}

func (w *writer) addClaim(in knowledge.ClaimInput) (string, error) {
	quote := strings.TrimSpace(in.Quote)
	if quote == "" {
		return "", knowledge.FieldError("quote", "give the words, exactly as said.")
	}
	if n := len([]rune(quote)); n > knowledge.MaxWordsLen {
		return "", knowledge.FieldError("quote", "the words are %d characters long; the limit is %d.", n, knowledge.MaxWordsLen)
	}
	if in.Date != "" && !knowledge.ValidDate(in.Date) {
		return "", knowledge.FieldError("date", "%q is not a date: use YYYY-MM-DD (or YYYY-MM, YYYY).", in.Date)
	}
	speaker, err := w.loadVisible(in.Person)
	if err != nil || speaker.kind != "person" {
		return "", knowledge.FieldError("person", "%s is not a person in this server's record: pick one from the list as you type.", in.Person)
	}
	if speaker.retracted {
		return "", knowledge.FieldError("person", "%s is retracted.", in.Person)
	}
	c := &knowledge.Claim{Speaker: speaker.id, Attribution: knowledge.AttrStated, Words: quote, Form: knowledge.FormDirect,
		Date: in.Date, Context: strings.TrimSpace(in.Context), SuggestedBy: in.SuggestedBy}
	if knowledge.IsURL(in.Source) {
		if !knowledge.ValidURL(in.Source) {
			return "", knowledge.FieldError("source", "%q is not an http(s) URL.", in.Source)
		}
		c.SourceURL, c.SourceQuote = in.Source, quote
	} else {
		x, err := w.resolveSource(in.Source, quote, "quote")
		if err != nil {
			return "", err
		}
		c.Excerpt = x.ID
	}
	if in.Claim == "" {
		return w.add(c)
	}
	prev, err := w.loadVisible(in.Claim)
	if err != nil || prev.kind != "claim" {
		return "", knowledge.FieldError("claim", "%s is not a statement in this server's record.", in.Claim)
	}
	old, err := prev.decode()
	if err != nil {
		return "", err
	}
	o := old.(*knowledge.Claim)
	c.Record = o.Record
	c.Speaker, c.Venue, c.Medium, c.Subjects, c.AppearsIn, c.Verdict = o.Speaker, o.Venue, o.Medium, o.Subjects, o.AppearsIn, o.Verdict
	if c.Date == "" {
		c.Date, c.DateText = o.Date, o.DateText
	}
	if c.Context == "" {
		c.Context = o.Context
	}
	return prev.id, w.put(c, prev, knowledge.ActionEdit)
}

// AddEvidence links a claim to the words of a source that bear on it,
// making the excerpt (and, for a URL, the document) it needs. It returns
// the evidence link's id.
func (s *Store) AddEvidence(ctx context.Context, ch knowledge.Change, in knowledge.EvidenceInput) (string, error) {
	var id string
	err := s.write(ctx, ch, func(w *writer) error {
		claim, err := w.loadVisible(in.Claim)
		if err != nil || claim.kind != "claim" {
			return knowledge.FieldError("claim", "%s is not a statement in this server's record.", in.Claim)
		}
		words := strings.TrimSpace(in.Excerpt)
		if words == "" {
			return knowledge.FieldError("excerpt", "give the words of the source that bear on the statement, exactly.")
		}
		x, err := w.resolveSource(in.Source, words, "excerpt")
		if err != nil {
			return err
		}
		id, err = w.add(&knowledge.Evidence{Claim: claim.id, Relation: in.Relation, Excerpt: x.ID, Rationale: strings.TrimSpace(in.Rationale)})
		return err
	})
	return id, err
}

// AddDocument adds a document from a moderator's input. Its parties are
// the author and recipients given. It returns the document's id.
func (s *Store) AddDocument(ctx context.Context, ch knowledge.Change, in knowledge.DocumentInput) (string, error) {
	d := &knowledge.Document{Title: strings.TrimSpace(in.Title), Kind: in.Kind, Date: in.Date, URL: strings.TrimSpace(in.URL),
		Summary: strings.TrimSpace(in.Summary), Text: in.Text}
	if in.Author != "" {
		d.Parties = append(d.Parties, knowledge.Party{Role: knowledge.PartyAuthor, Ref: in.Author})
	}
	for _, r := range in.Recipients {
		d.Parties = append(d.Parties, knowledge.Party{Role: knowledge.PartyRecipient, Ref: r})
	}
	return s.Add(ctx, ch, d)
}

// SetVerdict records an editorial verdict on claim id.
func (s *Store) SetVerdict(ctx context.Context, ch knowledge.Change, id string, v knowledge.Verdict) error {
	if knowledge.KindOf(id) != "claim" {
		return knowledge.FieldError("id", "%s is not a statement's id (c-…).", id)
	}
	ch.Action = knowledge.ActionVerdict
	return s.Edit(ctx, ch, id, 0, func(e knowledge.Entry) error {
		v.By, v.At = ch.Actor.UserID, time.Now().UTC().Format(time.RFC3339)
		e.(*knowledge.Claim).Verdict = &v
		return nil
	})
}

// Settings returns guild's settings; a server that set nothing gets the
// defaults (suggestions open, no extra roles, no announcements).
func (s *Store) Settings(ctx context.Context, guild string) (knowledge.Settings, error) {
	st := knowledge.Settings{Guild: guild, SuggestionsOpen: true}
	if guild == "" {
		return st, nil
	}
	var roles string
	err := s.r.QueryRowContext(ctx, "SELECT moderator_roles, suggestions_open, announce_channel FROM guild_settings WHERE guild = ?", guild).
		Scan(&roles, &st.SuggestionsOpen, &st.AnnounceChannel)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, dbError(err, "settings")
	}
	if err := json.Unmarshal([]byte(roles), &st.ModeratorRoles); err != nil {
		return st, fmt.Errorf("decode moderator roles: %w", err)
	}
	return st, nil
}

// SaveSettings stores the actor's server's settings, with an audit row.
// Errors: CodeForbidden for a non-moderator or outside a server.
func (s *Store) SaveSettings(ctx context.Context, ch knowledge.Change, st knowledge.Settings) error {
	if ch.Actor.GuildID == "" || ch.Actor.Rank < knowledge.RankModerator {
		return knowledge.Errorf(knowledge.CodeForbidden, "server settings need a moderator of that server.")
	}
	if len(st.ModeratorRoles) > knowledge.MaxSettingsRoles {
		return knowledge.FieldError("moderator_role", "a server can name at most %d moderator roles.", knowledge.MaxSettingsRoles)
	}
	before, err := s.Settings(ctx, ch.Actor.GuildID)
	if err != nil {
		return err
	}
	slices.Sort(st.ModeratorRoles)
	st.ModeratorRoles = slices.Compact(st.ModeratorRoles)
	roles, _ := json.Marshal(st.ModeratorRoles)
	return s.write(ctx, ch, func(w *writer) error {
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO guild_settings (guild, moderator_roles, suggestions_open, announce_channel) VALUES (?, ?, ?, ?)
			ON CONFLICT (guild) DO UPDATE SET moderator_roles = excluded.moderator_roles, suggestions_open = excluded.suggestions_open,
			announce_channel = excluded.announce_channel`, ch.Actor.GuildID, string(roles), st.SuggestionsOpen, st.AnnounceChannel); err != nil {
			return dbError(err, "save settings")
		}
		b, _ := json.Marshal(before)
		a, _ := json.Marshal(st)
		return w.audit(knowledge.ActionSettings, "", "server settings", string(b), string(a))
	})
}
