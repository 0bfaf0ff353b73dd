package db

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/onrecord/onrecord/knowledge"
)

// visible is the SQL condition that record alias a may be seen in the
// scope whose guild is bound as the condition's one parameter.
func visible(a string) string { return "(" + a + ".guild = '' OR " + a + ".guild = ?)" }

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
		nameOf: map[string]knowledge.Named{}, figures: map[string][]knowledge.Figure{}}, nil
}

func (r *reader) close() { r.tx.Rollback() }

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
		err := r.row("SELECT r.rid, r.data FROM records r WHERE r.id = ? AND "+visible("r"), []any{id, r.scope.Guild}, &c.rid, &c.data)
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
	if _, err := r.load(id, &v.Excerpt); err != nil {
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
		WHERE f.dst = ? AND f.field >= ? AND f.field < ? AND s.kind = ? AND `+visible("s")+` ORDER BY s.id`,
		rid, fieldPrefix, fieldPrefix+"\xff", kind, r.scope.Guild)
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

// FindPerson resolves a name as a user types it to the people it may mean,
// among those visible in scope (knowledge.Resolve ranks them). It never
// returns CodeNotFound: an empty Resolution.Best is the answer "not on
// record".
func (s *Store) FindPerson(ctx context.Context, scope knowledge.Scope, query string) (knowledge.Resolution, error) {
	q := knowledge.NameTokens(query)
	if len(q) == 0 {
		return knowledge.Resolution{Query: query}, nil
	}
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return knowledge.Resolution{}, err
	}
	defer r.close()
	rids := map[int64]bool{}
	collect := func(sqlq string, args ...any) (int, error) {
		rows, err := r.query(sqlq, args...)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				return n, dbError(err, "scan candidates")
			}
			rids[rid] = true
			n++
		}
		return n, dbError(rows.Err(), "list candidates")
	}
	if _, err := collect("SELECT person FROM person_names WHERE key = ? LIMIT 200", strings.Join(q, " ")); err != nil {
		return knowledge.Resolution{}, err
	}
	for i, t := range q {
		n, err := collect("SELECT person FROM name_tokens WHERE token = ? LIMIT 1000", t)
		if err != nil {
			return knowledge.Resolution{}, err
		}
		for _, full := range knowledge.Nicknames(t) {
			if _, err := collect("SELECT person FROM name_tokens WHERE token = ? LIMIT 200", full); err != nil {
				return knowledge.Resolution{}, err
			}
		}
		if i == len(q)-1 || len([]rune(t)) >= 2 {
			m, err := collect("SELECT person FROM name_tokens WHERE token > ? AND token < ? LIMIT 200", t, t+"\xff")
			if err != nil {
				return knowledge.Resolution{}, err
			}
			n += m
		}
		if n > 0 || knowledge.MaxTypos(len([]rune(t))) == 0 {
			continue
		}
		words, err := r.typoWords(t)
		if err != nil {
			return knowledge.Resolution{}, err
		}
		for _, w := range words {
			if _, err := collect("SELECT person FROM name_tokens WHERE token = ? LIMIT 200", w); err != nil {
				return knowledge.Resolution{}, err
			}
		}
	}
	cands := make([]knowledge.Candidate, 0, len(rids))
	for rid := range rids {
		c, ok, err := r.candidate(rid)
		if err != nil {
			return knowledge.Resolution{}, err
		}
		if ok {
			cands = append(cands, c)
		}
	}
	return knowledge.Resolve(query, cands), nil
}

// typoWords returns the indexed name words within knowledge.MaxTypos edits
// of t, found through their shared deletion variants.
func (r *reader) typoWords(t string) ([]string, error) {
	maxd := knowledge.MaxTypos(len([]rune(t)))
	vars := knowledge.Deletes(t, maxd)
	rows, err := r.query("SELECT DISTINCT token FROM token_variants WHERE variant IN (SELECT value FROM json_each(?)) LIMIT 500", jsonList(vars))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, dbError(err, "scan variants")
		}
		if knowledge.EditDistance(t, w, maxd) <= maxd {
			out = append(out, w)
		}
	}
	return out, dbError(rows.Err(), "list variants")
}

func jsonList(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

// candidate loads person rid as a knowledge.Candidate, if visible.
func (r *reader) candidate(rid int64) (knowledge.Candidate, bool, error) {
	var c knowledge.Candidate
	err := r.row("SELECT r.id, r.label, p.role, p.prominence FROM records r JOIN people p ON p.rid = r.rid WHERE r.rid = ? AND "+visible("r"),
		[]any{rid, r.scope.Guild}, &c.PersonID, &c.Name, &c.Role, &c.Prominence)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, dbError(err, "load candidate")
	}
	rows, err := r.query("SELECT form FROM person_names WHERE person = ? ORDER BY form", rid)
	if err != nil {
		return c, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return c, false, dbError(err, "scan name forms")
		}
		c.Forms = append(c.Forms, f)
	}
	return c, true, dbError(rows.Err(), "list name forms")
}

// PersonProfile returns what the record holds about person id, as seen in
// scope: roles with their organisations, their part in documents, events,
// counts of their claims and of claims about them, and sources. Errors:
// CodeNotFound when id is not a visible person.
func (s *Store) PersonProfile(ctx context.Context, scope knowledge.Scope, id string) (*knowledge.PersonProfile, error) {
	if knowledge.KindOf(id) != "person" {
		return nil, knowledge.Errorf(knowledge.CodeNotFound, "%s is not a person's id.", id)
	}
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return nil, err
	}
	defer r.close()
	var pp knowledge.PersonProfile
	rid, err := r.load(id, &pp.Person)
	if err != nil {
		return nil, err
	}
	for _, role := range pp.Person.Roles {
		rv := knowledge.RoleView{Role: role}
		if role.Organisation != "" {
			var org knowledge.Organisation
			if _, err := r.load(role.Organisation, &org); err == nil {
				rv.Org = &org
				if org.Parent != "" {
					var parent knowledge.Organisation
					if _, err := r.load(org.Parent, &parent); err == nil {
						rv.Parent = &parent
					}
				}
			}
		}
		if rv.Source, err = r.excerpt(role.Excerpt); err != nil {
			return nil, err
		}
		pp.Roles = append(pp.Roles, rv)
	}
	for _, x := range pp.Person.Sources {
		xv, err := r.excerpt(x)
		if err != nil {
			return nil, err
		}
		pp.Sources = append(pp.Sources, *xv)
	}
	docs, _, err := r.referrers(rid, "party:", "document")
	if err != nil {
		return nil, err
	}
	for _, c := range docs {
		var d knowledge.Document
		if err := json.Unmarshal([]byte(c.data), &d); err != nil {
			return nil, fmt.Errorf("decode document: %w", err)
		}
		for _, p := range d.Parties {
			if p.Ref != id {
				continue
			}
			pv := knowledge.PartyView{Party: p, Document: d.Ref()}
			for _, o := range d.Parties {
				name := o.Description
				if o.Ref != "" {
					n, err := r.named(o.Ref)
					if knowledge.ErrorCode(err) == knowledge.CodeNotFound {
						continue // not visible here
					}
					if err != nil {
						return nil, err
					}
					name = n.Name
				}
				pv.Parties = append(pv.Parties, knowledge.PartyName{Role: o.Role, Name: name, Hedge: o.Hedge, Self: o.Ref == id})
			}
			if pv.Source, err = r.excerpt(p.Excerpt); err != nil {
				return nil, err
			}
			pp.Parties = append(pp.Parties, pv)
		}
	}
	events, _, err := r.referrers(rid, "", "event")
	if err != nil {
		return nil, err
	}
	for _, c := range events {
		var ev knowledge.EventView
		if err := json.Unmarshal([]byte(c.data), &ev.Event); err != nil {
			return nil, fmt.Errorf("decode event: %w", err)
		}
		if ev.Actors, err = r.names(ev.Event.Actors); err != nil {
			return nil, err
		}
		if ev.Subjects, err = r.names(ev.Event.Subjects); err != nil {
			return nil, err
		}
		if ev.Source, err = r.excerpt(ev.Event.Excerpt); err != nil {
			return nil, err
		}
		pp.Events = append(pp.Events, ev)
	}
	pp.Statuses = map[knowledge.Status]int{}
	summaries, err := r.claimSummaries(rid)
	if err != nil {
		return nil, err
	}
	for _, c := range summaries {
		pp.ClaimsBy++
		if c.Attribution == knowledge.AttrInferred {
			pp.InferredBy++
		}
		pp.Statuses[c.Status]++
	}
	slices.SortStableFunc(summaries, compareClaims)
	pp.TopClaims = summaries[:min(len(summaries), 3)]
	for i := range pp.TopClaims {
		if pp.TopClaims[i].Source, err = r.excerpt(pp.TopClaims[i].Claim.Excerpt); err != nil {
			return nil, err
		}
	}
	if err := r.row(`SELECT count(*) FROM refs f JOIN records s ON s.rid = f.src WHERE f.dst = ? AND f.field = 'subject' AND s.kind = 'claim' AND `+visible("s"),
		[]any{rid, r.scope.Guild}, &pp.ClaimsAbout); err != nil {
		return nil, dbError(err, "count claims about")
	}
	return &pp, nil
}

// claimSummaries returns the visible claims of speaker rid with their
// status derived from the visible evidence, in one query; only Claim and
// Status are filled.
func (r *reader) claimSummaries(speaker int64) ([]knowledge.ClaimView, error) {
	rows, err := r.query(`SELECT r.data,
			EXISTS (SELECT 1 FROM evidence e JOIN records er ON er.rid = e.rid WHERE e.claim = c.rid AND e.relation = 'contradicts' AND `+visible("er")+`),
			EXISTS (SELECT 1 FROM evidence e JOIN records er ON er.rid = e.rid WHERE e.claim = c.rid AND e.relation = 'supports' AND `+visible("er")+`)
		FROM claims c JOIN records r ON r.rid = c.rid WHERE c.speaker = ? AND `+visible("r"),
		r.scope.Guild, r.scope.Guild, speaker, r.scope.Guild)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []knowledge.ClaimView
	for rows.Next() {
		var data []byte
		var con, sup bool
		if err := rows.Scan(&data, &con, &sup); err != nil {
			return nil, dbError(err, "scan claims")
		}
		var cv knowledge.ClaimView
		if err := json.Unmarshal(data, &cv.Claim); err != nil {
			return nil, fmt.Errorf("decode claim: %w", err)
		}
		var rels []knowledge.Relation
		if con {
			rels = append(rels, knowledge.RelContradicts)
		}
		if sup {
			rels = append(rels, knowledge.RelSupports)
		}
		cv.Status = knowledge.DeriveStatus(rels)
		out = append(out, cv)
	}
	return out, dbError(rows.Err(), "list claims")
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

// ClaimsBySpeaker returns the claims attributed to person id (stated or
// inferred) that are visible in scope, each with its source and evidence
// resolved and its status derived from the evidence visible in scope.
// They come most consequential first: contradicted, disputed, supported,
// unverified; stated before inferred; direct before reported. Errors:
// CodeNotFound when id is not a visible person.
func (s *Store) ClaimsBySpeaker(ctx context.Context, scope knowledge.Scope, id string) ([]knowledge.ClaimView, error) {
	if knowledge.KindOf(id) != "person" {
		return nil, knowledge.Errorf(knowledge.CodeNotFound, "%s is not a person's id.", id)
	}
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return nil, err
	}
	defer r.close()
	var p knowledge.Person
	rid, err := r.load(id, &p)
	if err != nil {
		return nil, err
	}
	rows, err := r.query("SELECT r.rid, r.id, r.data FROM claims c JOIN records r ON r.rid = c.rid WHERE c.speaker = ? AND "+visible("r")+" ORDER BY r.id", rid, r.scope.Guild)
	if err != nil {
		return nil, err
	}
	type row struct {
		rid  int64
		id   string
		data string
	}
	var found []row
	for rows.Next() {
		var x row
		if err := rows.Scan(&x.rid, &x.id, &x.data); err != nil {
			rows.Close()
			return nil, dbError(err, "scan claims")
		}
		found = append(found, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, dbError(err, "list claims")
	}
	rids := make([]int64, len(found))
	for i, x := range found {
		rids[i] = x.rid
	}
	evidence, err := r.evidenceOf(rids)
	if err != nil {
		return nil, err
	}
	out := make([]knowledge.ClaimView, 0, len(found))
	for _, x := range found {
		r.remember(x.id, x.rid, x.data)
		cv, err := r.claimView(x.data, evidence[x.rid])
		if err != nil {
			return nil, err
		}
		out = append(out, cv)
	}
	slices.SortStableFunc(out, compareClaims)
	return out, nil
}

// compareClaims orders claims most consequential first.
func compareClaims(a, b knowledge.ClaimView) int {
	rank := func(s knowledge.Status) int {
		switch s {
		case knowledge.StatusContradicted:
			return 0
		case knowledge.StatusDisputed:
			return 1
		case knowledge.StatusSupported:
			return 2
		}
		return 3
	}
	if c := cmp.Compare(rank(a.Status), rank(b.Status)); c != 0 {
		return c
	}
	if a.Attribution != b.Attribution {
		return boolCmp(a.Attribution != knowledge.AttrStated, b.Attribution != knowledge.AttrStated)
	}
	if a.Form != b.Form {
		return boolCmp(a.Form != knowledge.FormDirect, b.Form != knowledge.FormDirect)
	}
	return cmp.Compare(a.ID, b.ID)
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// evidenceOf returns the visible evidence records of each of the claims
// rids, in id order, in one query.
func (r *reader) evidenceOf(rids []int64) (map[int64][]cached, error) {
	b, err := json.Marshal(rids)
	if err != nil {
		return nil, fmt.Errorf("encode claim ids: %w", err)
	}
	rows, err := r.query("SELECT e.claim, r.rid, r.id, r.data FROM evidence e JOIN records r ON r.rid = e.rid WHERE e.claim IN (SELECT value FROM json_each(?)) AND "+visible("r")+" ORDER BY r.id",
		string(b), r.scope.Guild)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]cached{}
	for rows.Next() {
		var claim int64
		var c cached
		var id string
		if err := rows.Scan(&claim, &c.rid, &id, &c.data); err != nil {
			return nil, dbError(err, "scan evidence")
		}
		r.remember(id, c.rid, c.data)
		out[claim] = append(out[claim], c)
	}
	return out, dbError(rows.Err(), "list evidence")
}

// claimView resolves the claim in data for display, with evs, its visible
// evidence records.
func (r *reader) claimView(data string, evs []cached) (knowledge.ClaimView, error) {
	var cv knowledge.ClaimView
	if err := json.Unmarshal([]byte(data), &cv.Claim); err != nil {
		return cv, fmt.Errorf("decode claim: %w", err)
	}
	var err error
	if cv.Claim.Speaker != "" {
		kind := knowledge.KindOf(cv.Claim.Speaker)
		cv.SpeakerIs = kind
		if kind == "person" {
			var p knowledge.Person
			if _, err := r.load(cv.Claim.Speaker, &p); err != nil {
				return cv, err
			}
			cv.Speaker = &knowledge.Named{ID: p.ID, Name: p.Name}
			cv.SpeakerRole = p.CurrentRole()
		} else {
			n, err := r.named(cv.Claim.Speaker)
			if err != nil {
				return cv, err
			}
			cv.Speaker = &n
		}
	}
	if cv.Subjects, err = r.names(cv.Claim.Subjects); err != nil {
		return cv, err
	}
	if cv.Source, err = r.excerpt(cv.Claim.Excerpt); err != nil {
		return cv, err
	}
	if cv.AppearsIn, err = r.docRef(cv.Claim.AppearsIn); err != nil {
		return cv, err
	}
	var rels []knowledge.Relation
	for _, c := range evs {
		var ev knowledge.EvidenceView
		if err := json.Unmarshal([]byte(c.data), &ev.Evidence); err != nil {
			return cv, fmt.Errorf("decode evidence: %w", err)
		}
		if ev.Excerpt, err = r.excerpt(ev.Evidence.Excerpt); err != nil {
			return cv, err
		}
		if ev.Excerpt != nil {
			src := ev.Excerpt.Source()
			ev.Document = &src
			if ev.Figures, err = r.figuresOf(ev.Evidence.Excerpt); err != nil {
				return cv, err
			}
		} else if ev.Document, err = r.docRef(ev.Evidence.Document); err != nil {
			return cv, err
		}
		rels = append(rels, ev.Relation)
		cv.Evidence = append(cv.Evidence, ev)
	}
	slices.SortStableFunc(cv.Evidence, compareEvidence)
	cv.Status = knowledge.DeriveStatus(rels)
	return cv, nil
}

// compareEvidence orders a claim's evidence by relation (contradicting
// first), then primary before secondary: an excerpt quoting a document's
// own words, or a whole document, before an article's description; then
// excerpts that state figures; then by id.
func compareEvidence(a, b knowledge.EvidenceView) int {
	if c := cmp.Compare(relationRank(a.Relation), relationRank(b.Relation)); c != 0 {
		return c
	}
	primary := func(e knowledge.EvidenceView) bool { return e.Excerpt == nil || e.Excerpt.QuotedFrom != nil }
	if pa, pb := primary(a), primary(b); pa != pb {
		return boolCmp(!pa, !pb)
	}
	if fa, fb := len(a.Figures) > 0, len(b.Figures) > 0; fa != fb {
		return boolCmp(!fa, !fb)
	}
	return cmp.Compare(a.ID, b.ID)
}

func relationRank(r knowledge.Relation) int {
	switch r {
	case knowledge.RelContradicts:
		return 0
	case knowledge.RelSupports:
		return 1
	case knowledge.RelShowsKnowledge:
		return 2
	}
	return 3
}

// figuresOf returns the visible figures stated in excerpt id.
func (r *reader) figuresOf(excerptID string) ([]knowledge.Figure, error) {
	if fs, ok := r.figures[excerptID]; ok {
		return fs, nil
	}
	var x knowledge.Excerpt
	rid, err := r.load(excerptID, &x)
	if err != nil {
		return nil, err
	}
	found, _, err := r.referrers(rid, "excerpt", "figure")
	if err != nil {
		return nil, err
	}
	out := make([]knowledge.Figure, 0, len(found))
	for _, c := range found {
		var f knowledge.Figure
		if err := json.Unmarshal([]byte(c.data), &f); err != nil {
			return nil, fmt.Errorf("decode figure: %w", err)
		}
		out = append(out, f)
	}
	r.figures[excerptID] = out
	return out, nil
}

// Export returns the knowledge base as a dataset in canonical order: every
// record when scope is nil, otherwise the records visible in *scope.
func (s *Store) Export(ctx context.Context, scope *knowledge.Scope) (*knowledge.Dataset, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := "SELECT r.kind, r.data, t.text FROM records r LEFT JOIN document_texts t ON t.rid = r.rid"
	var args []any
	if scope != nil {
		q += " WHERE " + visible("r")
		args = append(args, scope.Guild)
	}
	rows, err := tx.QueryContext(ctx, q+" ORDER BY r.kind, r.id", args...)
	if err != nil {
		return nil, dbError(err, "export")
	}
	defer rows.Close()
	ds := &knowledge.Dataset{Format: knowledge.Format}
	for rows.Next() {
		var kind, data string
		var text sql.NullString
		if err := rows.Scan(&kind, &data, &text); err != nil {
			return nil, dbError(err, "export")
		}
		if err := appendRecord(ds, kind, []byte(data)); err != nil {
			return nil, err
		}
		if text.Valid {
			ds.Documents[len(ds.Documents)-1].Text = text.String
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(err, "export")
	}
	ds.Sort()
	return ds, nil
}

// appendRecord decodes data as a record of kind and appends it to ds.
func appendRecord(ds *knowledge.Dataset, kind string, data []byte) error {
	var err error
	switch kind {
	case "organisation":
		ds.Organisations, err = appendDecoded(ds.Organisations, data)
	case "person":
		ds.People, err = appendDecoded(ds.People, data)
	case "document":
		ds.Documents, err = appendDecoded(ds.Documents, data)
	case "excerpt":
		ds.Excerpts, err = appendDecoded(ds.Excerpts, data)
	case "claim":
		ds.Claims, err = appendDecoded(ds.Claims, data)
	case "evidence":
		ds.Evidence, err = appendDecoded(ds.Evidence, data)
	case "figure":
		ds.Figures, err = appendDecoded(ds.Figures, data)
	case "event":
		ds.Events, err = appendDecoded(ds.Events, data)
	default:
		err = fmt.Errorf("unknown record kind %q", kind)
	}
	return err
}

func appendDecoded[T any](list []T, data []byte) ([]T, error) {
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return list, fmt.Errorf("decode record: %w", err)
	}
	return append(list, v), nil
}
