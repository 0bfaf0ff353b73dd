package db

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/onrecord/onrecord/knowledge"
)

// DefaultPage is how many items a list returns when the query says 0.
const DefaultPage = 10

// claimRow is a claim record as listed before its view is built.
type claimRow struct {
	rid     int64
	id      string
	data    string
	claim   knowledge.Claim
	status  knowledge.Status
	contras int // contradicting links visible in scope
	primary int // of those, links to a document's own words
}

// Claims returns one page of the claims q selects among those visible in
// scope, each with its source and evidence resolved and its status derived
// from the evidence visible in scope. They come most consequential first
// (contradicted, disputed, supported, unverified; stated before inferred;
// direct before reported), or, with q.Contradicted, strongest
// contradiction first. Errors: CodeNotFound when q.Speaker is not a
// visible person.
func (s *Store) Claims(ctx context.Context, scope knowledge.Scope, q knowledge.ClaimQuery) (knowledge.ClaimPage, error) {
	var page knowledge.ClaimPage
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return page, err
	}
	defer r.close()
	var rows []*claimRow
	switch {
	case q.Speaker != "":
		if knowledge.KindOf(q.Speaker) != "person" {
			return page, knowledge.Errorf(knowledge.CodeNotFound, "%s is not a person's id.", q.Speaker)
		}
		var p knowledge.Person
		rid, err := r.load(q.Speaker, &p)
		if err != nil {
			return page, err
		}
		if q.About == "" && !q.Contradicted {
			touched, err := r.scopeTouches(rid)
			if err != nil {
				return page, err
			}
			if !touched {
				return r.sharedClaimsPage(rid, q)
			}
		}
		rows, err = r.claimRows("c.speaker = ?", rid)
		if err != nil {
			return page, err
		}
	case q.Contradicted:
		rows, err = r.claimRows(`c.rid IN (SELECT e.claim FROM evidence e JOIN records er ON er.rid = e.rid
			WHERE e.relation = 'contradicts' AND `+visible("er")+`)`, r.scope.Guild, r.scope.Guild)
	default:
		rows, err = r.claimRows("1")
	}
	if err != nil {
		return page, err
	}
	if terms := knowledge.SearchTerms(q.About); q.About != "" && len(terms) > 0 {
		if rows, err = r.claimsAbout(rows, terms); err != nil {
			return page, err
		}
	}
	if err := r.claimStatuses(rows); err != nil {
		return page, err
	}
	kept := rows[:0]
	for _, c := range rows {
		switch {
		case q.Status != "" && c.status != q.Status:
		case q.Contradicted && c.contras == 0:
		default:
			kept = append(kept, c)
		}
	}
	if q.Contradicted {
		slices.SortStableFunc(kept, compareContradictions)
	} else {
		slices.SortStableFunc(kept, func(a, b *claimRow) int {
			return compareClaims(knowledge.ClaimView{Claim: a.claim, Status: a.status}, knowledge.ClaimView{Claim: b.claim, Status: b.status})
		})
	}
	page.Total = len(kept)
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPage
	}
	from := min(max(q.Offset, 0), len(kept))
	to := min(from+limit, len(kept))
	page.Items, err = r.claimViews(kept[from:to])
	return page, err
}

// claimViews resolves a page of claims for display: their visible
// evidence in one query, then what they cite in batches, then each view.
func (r *reader) claimViews(rows []*claimRow) ([]knowledge.ClaimView, error) {
	rids := make([]int64, len(rows))
	claims := make([]knowledge.Claim, len(rows))
	for i, c := range rows {
		rids[i], claims[i] = c.rid, c.claim
	}
	evidence, err := r.evidenceOf(rids)
	if err != nil {
		return nil, err
	}
	if err := r.prefetchClaims(claims, evidence); err != nil {
		return nil, err
	}
	var out []knowledge.ClaimView
	for _, c := range rows {
		cv, err := r.claimView(c.claim, evidence[c.rid])
		if err != nil {
			return nil, err
		}
		out = append(out, cv)
	}
	return out, nil
}

// sharedClaimsPage answers Claims for a speaker whose claims the scope
// sees as the shared record has them: the page and the total come from
// the order and counts kept for the shared record, so a speaker with a
// hundred thousand claims costs what one with ten does.
func (r *reader) sharedClaimsPage(rid int64, q knowledge.ClaimQuery) (knowledge.ClaimPage, error) {
	var page knowledge.ClaimPage
	var all, contradicted, disputed, supported int
	if err := r.row("SELECT n_claims, n_contradicted, n_disputed, n_supported FROM people WHERE rid = ?", []any{rid},
		&all, &contradicted, &disputed, &supported); err != nil {
		return page, dbError(err, "count claims")
	}
	switch q.Status {
	case "":
		page.Total = all
	case knowledge.StatusContradicted:
		page.Total = contradicted
	case knowledge.StatusDisputed:
		page.Total = disputed
	case knowledge.StatusSupported:
		page.Total = supported
	case knowledge.StatusUnverified:
		page.Total = all - contradicted - disputed - supported
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPage
	}
	offset := min(max(q.Offset, 0), page.Total)
	if q.Status != "" && statusRank(q.Status) == 3 && q.Status != knowledge.StatusUnverified {
		return page, nil // a status no claim has
	}
	rows, err := r.sharedClaims(rid, q.Status, offset, limit)
	if err != nil {
		return page, err
	}
	page.Items, err = r.claimViews(rows)
	return page, err
}

// Claim returns one claim in full, as seen in scope. Errors: CodeNotFound
// when id is not a visible claim.
func (s *Store) Claim(ctx context.Context, scope knowledge.Scope, id string) (*knowledge.ClaimView, error) {
	var c knowledge.Claim
	r, rid, err := s.readRecord(ctx, scope, "claim", id, &c)
	if err != nil {
		return nil, err
	}
	defer r.close()
	evidence, err := r.evidenceOf([]int64{rid})
	if err != nil {
		return nil, err
	}
	cv, err := r.claimView(c, evidence[rid])
	if err != nil {
		return nil, err
	}
	return &cv, nil
}

// claimRows lists the visible claims matching where (a condition on
// claims c, with its arguments).
func (r *reader) claimRows(where string, args ...any) ([]*claimRow, error) {
	rows, err := r.query("SELECT r.rid, r.id, r.data FROM claims c JOIN records r ON r.rid = c.rid WHERE "+where+" AND "+visible("r")+" ORDER BY r.id",
		append(args, r.scope.Guild, r.scope.Guild)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*claimRow
	for rows.Next() {
		c := &claimRow{}
		if err := rows.Scan(&c.rid, &c.id, &c.data); err != nil {
			return nil, dbError(err, "scan claims")
		}
		if err := json.Unmarshal([]byte(c.data), &c.claim); err != nil {
			return nil, fmt.Errorf("decode claim %s: %w", c.id, err)
		}
		r.remember(c.id, c.rid, c.data)
		out = append(out, c)
	}
	return out, dbError(rows.Err(), "list claims")
}

// claimStatuses derives each claim's status, and counts its contradicting
// links, from the evidence visible in scope, in one query.
func (r *reader) claimStatuses(rows []*claimRow) error {
	if len(rows) == 0 {
		return nil
	}
	byRid := make(map[int64]*claimRow, len(rows))
	rids := make([]int64, len(rows))
	for i, c := range rows {
		byRid[c.rid] = c
		rids[i] = c.rid
	}
	b, _ := json.Marshal(rids)
	q, err := r.query(`SELECT e.claim, e.relation,
			EXISTS (SELECT 1 FROM refs f JOIN refs g ON g.src = f.dst AND g.field = 'quoted_from' WHERE f.src = e.rid AND f.field = 'excerpt')
			OR EXISTS (SELECT 1 FROM refs f WHERE f.src = e.rid AND f.field = 'document')
		FROM evidence e JOIN records er ON er.rid = e.rid
		WHERE e.claim IN (SELECT value FROM json_each(?)) AND e.relation IN ('contradicts', 'supports') AND `+visible("er"), string(b), r.scope.Guild, r.scope.Guild)
	if err != nil {
		return err
	}
	defer q.Close()
	rels := map[int64][]knowledge.Relation{}
	for q.Next() {
		var claim int64
		var rel string
		var primary bool
		if err := q.Scan(&claim, &rel, &primary); err != nil {
			return dbError(err, "scan statuses")
		}
		rels[claim] = append(rels[claim], knowledge.Relation(rel))
		if c := byRid[claim]; c != nil && rel == string(knowledge.RelContradicts) {
			c.contras++
			if primary {
				c.primary++
			}
		}
	}
	if err := q.Err(); err != nil {
		return dbError(err, "statuses")
	}
	for _, c := range rows {
		c.status = knowledge.DeriveStatus(rels[c.rid])
	}
	return nil
}

// claimsAbout keeps the claims whose own text, or whose evidence
// (rationale or excerpt), holds every search term, in one query.
func (r *reader) claimsAbout(rows []*claimRow, terms []string) ([]*claimRow, error) {
	q, err := r.query(`WITH h(rid) AS MATERIALIZED (SELECT rowid FROM search WHERE search MATCH ?)
		SELECT rid FROM h
		UNION SELECT e.claim FROM evidence e WHERE e.rid IN h
		UNION SELECT e.claim FROM evidence e JOIN refs f ON f.src = e.rid AND f.field = 'excerpt' WHERE f.dst IN h`,
		ftsQuery(terms, false))
	if err != nil {
		return nil, err
	}
	defer q.Close()
	match := map[int64]bool{}
	for q.Next() {
		var rid int64
		if err := q.Scan(&rid); err != nil {
			return nil, dbError(err, "scan search")
		}
		match[rid] = true
	}
	if err := q.Err(); err != nil {
		return nil, dbError(err, "search")
	}
	kept := rows[:0]
	for _, c := range rows {
		if match[c.rid] {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

// ftsQuery makes an FTS5 query that matches every term (the last as a
// prefix when prefix is set and it has at least minPrefix letters), each
// quoted so no term is read as syntax.
func ftsQuery(terms []string, prefix bool) string {
	if prefix && len(terms) > 0 && len([]rune(terms[len(terms)-1])) < minPrefix {
		// A word begun with one or two letters starts thousands of words
		// in a large record, and FTS5 merges every one of their lists:
		// wait for a third letter (or take it whole when it is all there is).
		if len(terms) > 1 {
			terms = terms[:len(terms)-1]
		}
		prefix = false
	}
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		if prefix && i == len(terms)-1 {
			parts[i] += "*"
		}
	}
	return strings.Join(parts, " ")
}

// minPrefix is the shortest last word that full-text autocomplete takes as
// the start of a word.
const minPrefix = 3

// compareContradictions orders contradicted claims strongest first: most
// contradicting links, most of them a document's own words, stated before
// inferred, then by id.
func compareContradictions(a, b *claimRow) int {
	if c := cmp.Compare(b.contras, a.contras); c != 0 {
		return c
	}
	if c := cmp.Compare(b.primary, a.primary); c != 0 {
		return c
	}
	if a.claim.Attribution != b.claim.Attribution {
		return boolCmp(a.claim.Attribution != knowledge.AttrStated, b.claim.Attribution != knowledge.AttrStated)
	}
	return cmp.Compare(a.id, b.id)
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
func (r *reader) evidenceOf(rids []int64) (map[int64][]evidenceRow, error) {
	b, err := json.Marshal(rids)
	if err != nil {
		return nil, fmt.Errorf("encode claim ids: %w", err)
	}
	rows, err := r.query("SELECT e.claim, r.rid, r.id, r.data FROM evidence e JOIN records r ON r.rid = e.rid WHERE e.claim IN (SELECT value FROM json_each(?)) AND "+visible("r")+" ORDER BY r.id",
		string(b), r.scope.Guild, r.scope.Guild)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]evidenceRow{}
	for rows.Next() {
		var claim int64
		var e evidenceRow
		var id, data string
		if err := rows.Scan(&claim, &e.rid, &id, &data); err != nil {
			return nil, dbError(err, "scan evidence")
		}
		if err := json.Unmarshal([]byte(data), &e.ev); err != nil {
			return nil, fmt.Errorf("decode evidence %s: %w", id, err)
		}
		r.remember(id, e.rid, data)
		out[claim] = append(out[claim], e)
	}
	return out, dbError(rows.Err(), "list evidence")
}

// evidenceRow is a visible evidence record, decoded.
type evidenceRow struct {
	rid int64
	ev  knowledge.Evidence
}

// claimView resolves the claim in data for display, with evs, its visible
// evidence records.
func (r *reader) claimView(c knowledge.Claim, evs []evidenceRow) (knowledge.ClaimView, error) {
	cv := knowledge.ClaimView{Claim: c}
	var err error
	if cv.Claim.Speaker != "" {
		kind := knowledge.KindOf(cv.Claim.Speaker)
		cv.SpeakerIs = kind
		if kind == "person" {
			sp, ok := r.speakers[cv.Claim.Speaker]
			if !ok {
				var p knowledge.Person
				if _, err := r.load(cv.Claim.Speaker, &p); err != nil {
					return cv, err
				}
				sp = speaker{knowledge.Named{ID: p.ID, Name: p.Name}, p.CurrentRole()}
				r.speakers[cv.Claim.Speaker] = sp
			}
			named := sp.named
			cv.Speaker, cv.SpeakerRole = &named, sp.role
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
		ev := knowledge.EvidenceView{Evidence: c.ev}
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
	case knowledge.RelContext:
		return 3
	}
	return 4
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
