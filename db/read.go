package db

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/onrecord/onrecord/knowledge"
)

// visible is the SQL condition that record alias a shows in answers in the
// scope whose guild is bound, twice, as the condition's two parameters: it
// is not retracted, it is global or the guild's own, and the guild has not
// hidden it.
func visible(a string) string { return visibleWhen(a, a+".retracted = 0") }

// visibleDerived is visible for a derived table whose rows carry their
// record's guild and liveness (live = not retracted) beside its rid.
func visibleDerived(a string) string { return visibleWhen(a, a+".live = 1") }

func visibleWhen(a, live string) string {
	return "(" + live + " AND (" + a + ".guild = '' OR " + a + ".guild = ?) AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.rid = " +
		a + ".rid AND h.guild = ?))"
}

// inScope is the SQL condition that record alias a belongs to the scope
// whose guild is its one parameter, retracted and hidden records included:
// what an export of that scope holds.
func inScope(a string) string { return "(" + a + ".guild = '' OR " + a + ".guild = ?)" }

// reader resolves records inside one read transaction, remembering what it
// has loaded so that a record cited many times is read once.
type reader struct {
	s     *Store
	ctx   context.Context
	tx    *sql.Tx
	scope knowledge.Scope
	cache map[string]cached

	// Decoded views, so that a document or excerpt cited many times is
	// decoded once per transaction.
	docs     map[string]*knowledge.DocRef
	excerpts map[string]*knowledge.ExcerptView
	nameOf   map[string]knowledge.Named
	figures  map[string][]knowledge.Figure
	speakers map[string]speaker
	decoded  map[string]knowledge.Excerpt // excerpts prefetchClaims decoded
}

// speaker is what a claim view shows of a person who spoke.
type speaker struct {
	named knowledge.Named
	role  string
}

type cached struct {
	rid  int64
	data string
}

func (s *Store) newReader(ctx context.Context, scope knowledge.Scope) (*reader, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	return &reader{s: s, ctx: ctx, tx: tx, scope: scope, cache: map[string]cached{},
		docs: map[string]*knowledge.DocRef{}, excerpts: map[string]*knowledge.ExcerptView{},
		nameOf: map[string]knowledge.Named{}, figures: map[string][]knowledge.Figure{}, speakers: map[string]speaker{}, decoded: map[string]knowledge.Excerpt{}}, nil
}

func (r *reader) close() { r.tx.Rollback() }

// readRecord opens a reader in scope and loads record id, which must be of
// kind, into dst: the start of every "one record in full" read. The caller
// closes the reader; on an error it is closed already. Errors:
// CodeNotFound when id is not a visible record of kind.
func (s *Store) readRecord(ctx context.Context, scope knowledge.Scope, kind, id string, dst any) (*reader, int64, error) {
	if knowledge.KindOf(id) != kind {
		return nil, 0, knowledge.Errorf(knowledge.CodeNotFound, "%s is not a %s's id.", id, kind)
	}
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return nil, 0, err
	}
	rid, err := r.load(id, dst)
	if err != nil {
		r.close()
		return nil, 0, err
	}
	return r, rid, nil
}

func (r *reader) query(q string, args ...any) (*sql.Rows, error) {
	st, err := r.s.stmt(r.ctx, r.tx, q)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(r.ctx, args...)
	return rows, dbError(err, "query")
}

func (r *reader) row(q string, args []any, dest ...any) error {
	st, err := r.s.stmt(r.ctx, r.tx, q)
	if err != nil {
		return err
	}
	return st.QueryRowContext(r.ctx, args...).Scan(dest...)
}

// load decodes the visible record id into dst and returns its rid. A
// record that does not exist or is not visible is CodeNotFound.
func (r *reader) load(id string, dst any) (int64, error) {
	c, ok := r.cache[id]
	if !ok {
		err := r.row("SELECT r.rid, r.data FROM records r WHERE r.id = ? AND "+visible("r"), []any{id, r.scope.Guild, r.scope.Guild}, &c.rid, &c.data)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, knowledge.Errorf(knowledge.CodeNotFound, "%s is not in the record.", id)
		}
		if err != nil {
			return 0, dbError(err, "load "+id)
		}
		r.cache[id] = c
	}
	if err := json.Unmarshal([]byte(c.data), dst); err != nil {
		return 0, fmt.Errorf("decode %s: %w", id, err)
	}
	return c.rid, nil
}

// prefetch reads, in one query, the visible records among ids that are
// not cached yet, so that the loads that follow find them in the cache.
// Ids that are not visible are left for load to report.
func (r *reader) prefetch(ids []string) error {
	var want []string
	for _, id := range ids {
		if _, ok := r.cache[id]; !ok && id != "" && !slices.Contains(want, id) {
			want = append(want, id)
		}
	}
	if len(want) < 2 {
		return nil // one load is one query either way
	}
	b, _ := json.Marshal(want)
	rows, err := r.query("SELECT r.rid, r.id, r.data FROM records r WHERE r.id IN (SELECT value FROM json_each(?)) AND "+visible("r"), string(b), r.scope.Guild, r.scope.Guild)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c cached
		var id string
		if err := rows.Scan(&c.rid, &id, &c.data); err != nil {
			return dbError(err, "prefetch")
		}
		r.cache[id] = c
	}
	return dbError(rows.Err(), "prefetch")
}

// prefetchClaims prefetches what claimView will load for claims (record
// data) and their evidence: speakers, subjects, excerpts and documents,
// then the documents those excerpts are from.
func (r *reader) prefetchClaims(claims []knowledge.Claim, evidence map[int64][]evidenceRow) error {
	var ids, excerpts []string
	for _, c := range claims {
		ids = append(append(ids, c.Speaker, c.Excerpt, c.AppearsIn), c.Subjects...)
		excerpts = append(excerpts, c.Excerpt)
	}
	for _, evs := range evidence {
		for _, e := range evs {
			ids = append(ids, e.ev.Excerpt, e.ev.Document)
			excerpts = append(excerpts, e.ev.Excerpt)
		}
	}
	if err := r.prefetch(ids); err != nil {
		return err
	}
	if err := r.prefetchFigures(excerpts); err != nil {
		return err
	}
	var docs []string
	for _, x := range excerpts {
		if _, done := r.decoded[x]; done {
			continue
		}
		if c, ok := r.cache[x]; ok {
			var e knowledge.Excerpt
			if json.Unmarshal([]byte(c.data), &e) == nil {
				r.decoded[x] = e
				docs = append(docs, e.Document, e.QuotedFrom)
			}
		}
	}
	return r.prefetch(docs)
}

// prefetchFigures reads, in one query, the figures stated in each of the
// (cached) excerpts, for figuresOf.
func (r *reader) prefetchFigures(excerpts []string) error {
	byRid := map[int64]string{}
	for _, x := range excerpts {
		if _, done := r.figures[x]; done {
			continue
		}
		if c, ok := r.cache[x]; ok {
			byRid[c.rid] = x
		}
	}
	if len(byRid) < 2 {
		return nil
	}
	b, _ := json.Marshal(slices.Collect(maps.Keys(byRid)))
	rows, err := r.query(`SELECT f.dst, s.rid, s.id, s.data FROM refs f CROSS JOIN records s ON s.rid = f.src
		WHERE f.dst IN (SELECT value FROM json_each(?)) AND f.src_kind = 'figure' AND f.field = 'excerpt' AND `+visible("s")+` ORDER BY s.id`,
		string(b), r.scope.Guild, r.scope.Guild)
	if err != nil {
		return err
	}
	defer rows.Close()
	found := map[string][]knowledge.Figure{}
	for rows.Next() {
		var dst int64
		var c cached
		var id string
		if err := rows.Scan(&dst, &c.rid, &id, &c.data); err != nil {
			return dbError(err, "prefetch figures")
		}
		r.remember(id, c.rid, c.data)
		var f knowledge.Figure
		if err := json.Unmarshal([]byte(c.data), &f); err != nil {
			return fmt.Errorf("decode figure: %w", err)
		}
		found[byRid[dst]] = append(found[byRid[dst]], f)
	}
	if err := rows.Err(); err != nil {
		return dbError(err, "prefetch figures")
	}
	for _, x := range byRid {
		r.figures[x] = append([]knowledge.Figure{}, found[x]...)
	}
	return nil
}

// remember caches a record read by a query, so that load does not read it again.
func (r *reader) remember(id string, rid int64, data string) { r.cache[id] = cached{rid, data} }

// named returns the display name of a person, organisation or document.
func (r *reader) named(id string) (knowledge.Named, error) {
	if n, ok := r.nameOf[id]; ok {
		return n, nil
	}
	var v struct {
		Name  string `json:"name"`
		Title string `json:"title"`
	}
	if _, err := r.load(id, &v); err != nil {
		return knowledge.Named{}, err
	}
	n := knowledge.Named{ID: id, Name: cmp.Or(v.Name, v.Title)}
	r.nameOf[id] = n
	return n, nil
}

func (r *reader) docRef(id string) (*knowledge.DocRef, error) {
	if id == "" {
		return nil, nil
	}
	if d, ok := r.docs[id]; ok {
		return d, nil
	}
	var d knowledge.Document
	if _, err := r.load(id, &d); err != nil {
		return nil, err
	}
	ref := d.Ref()
	r.docs[id] = &ref
	return &ref, nil
}

func (r *reader) excerpt(id string) (*knowledge.ExcerptView, error) {
	if id == "" {
		return nil, nil
	}
	if x, ok := r.excerpts[id]; ok {
		return x, nil
	}
	x, err := r.loadExcerpt(id)
	if err != nil {
		return nil, err
	}
	r.excerpts[id] = x
	return x, nil
}

func (r *reader) loadExcerpt(id string) (*knowledge.ExcerptView, error) {
	var v knowledge.ExcerptView
	if x, ok := r.decoded[id]; ok {
		v.Excerpt = x
	} else if _, err := r.load(id, &v.Excerpt); err != nil {
		return nil, err
	}
	d, err := r.docRef(v.Excerpt.Document)
	if err != nil {
		return nil, err
	}
	v.Document = *d
	if v.QuotedFrom, err = r.docRef(v.Excerpt.QuotedFrom); err != nil {
		return nil, err
	}
	return &v, nil
}

// referrers returns the ids and data of visible records of kind that refer
// to rid in a field starting with fieldPrefix, in id order.
func (r *reader) referrers(rid int64, fieldPrefix, kind string) ([]cached, []string, error) {
	rows, err := r.query(`SELECT DISTINCT s.rid, s.id, s.data FROM refs f JOIN records s ON s.rid = f.src
		WHERE f.dst = ? AND f.src_kind = ? AND f.field >= ? AND f.field < ? AND `+visible("s")+` ORDER BY s.id`,
		rid, kind, fieldPrefix, fieldPrefix+"\xff", r.scope.Guild, r.scope.Guild)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []cached
	var ids []string
	for rows.Next() {
		var c cached
		var id string
		if err := rows.Scan(&c.rid, &id, &c.data); err != nil {
			return nil, nil, dbError(err, "scan referrers")
		}
		r.remember(id, c.rid, c.data)
		out = append(out, c)
		ids = append(ids, id)
	}
	return out, ids, dbError(rows.Err(), "list referrers")
}

func (r *reader) names(ids []string) ([]knowledge.Named, error) {
	var out []knowledge.Named
	for _, id := range ids {
		n, err := r.named(id)
		if knowledge.ErrorCode(err) == knowledge.CodeNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}
