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

// docKindWord maps a word a user types to the document kind it names.
func docKindWord(w string) (knowledge.DocKind, bool) {
	switch w {
	case "article", "report", "memo", "tweet", "statement", "hansard":
		return knowledge.DocKind(w), true
	case "story", "news":
		return knowledge.DocArticle, true
	case "memorandum", "email", "letter":
		return knowledge.DocMemo, true
	case "tweets", "post", "x":
		return knowledge.DocTweet, true
	case "committee", "session", "hearing":
		return knowledge.DocCommittee, true
	}
	return "", false
}

// FindDocument resolves what a user calls a document ("the memo", "the
// 2015 report", a title, an id) to the visible documents it may mean: one
// in Best means found, several ambiguous, none not on record. Every word
// typed must be in the title, be the document's kind, or its year.
func (s *Store) FindDocument(ctx context.Context, scope knowledge.Scope, query string) (knowledge.DocResolution, error) {
	res := knowledge.DocResolution{Query: query}
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return res, err
	}
	defer r.close()
	q := strings.TrimSpace(query)
	if knowledge.ValidID(q, "document") {
		d, err := r.docRef(q)
		if knowledge.ErrorCode(err) == knowledge.CodeNotFound {
			return res, nil
		}
		if err != nil {
			return res, err
		}
		res.Best = []knowledge.DocRef{*d}
		return res, nil
	}
	terms := knowledge.SearchTerms(q)
	if len(terms) == 0 {
		return res, nil
	}
	cands := map[string]knowledge.DocRef{}
	add := func(sqlq string, args ...any) error {
		rows, err := r.query(sqlq, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, data string
			if err := rows.Scan(&id, &data); err != nil {
				return dbError(err, "scan documents")
			}
			var d knowledge.Document
			if err := json.Unmarshal([]byte(data), &d); err != nil {
				return fmt.Errorf("decode document %s: %w", id, err)
			}
			cands[id] = d.Ref()
		}
		return dbError(rows.Err(), "list documents")
	}
	if err := add(`SELECT r.id, r.data FROM (SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT 5000) s
		CROSS JOIN records r ON r.rid = s.rowid WHERE r.kind = 'document' AND `+visible("r")+` LIMIT 200`, ftsQuery(terms, true), r.scope.Guild, r.scope.Guild); err != nil {
		return res, err
	}
	for _, t := range terms {
		if kind, ok := docKindWord(t); ok {
			if err := add(`SELECT r.id, r.data FROM records r WHERE r.kind = 'document' AND json_extract(r.data, '$.kind') = ? AND `+visible("r")+` LIMIT 200`,
				string(kind), r.scope.Guild, r.scope.Guild); err != nil {
				return res, err
			}
		}
	}
	type scored struct {
		ref   knowledge.DocRef
		score int
	}
	var best []scored
	for _, d := range cands {
		title := strings.Fields(knowledge.Normalize(d.Title))
		score, ok := 0, true
		for _, t := range terms {
			kind, isKind := docKindWord(t)
			switch {
			case slices.Contains(title, t):
				score += 3
			case isKind && kind == d.Kind:
				score += 2
			case len(d.Date) >= 4 && t == d.Date[:4]:
				score += 2
			case len(t) >= 3 && slices.ContainsFunc(title, func(w string) bool { return strings.HasPrefix(w, t) }):
				score++
			default:
				ok = false
			}
		}
		if ok {
			if strings.Join(title, " ") == strings.Join(strings.Fields(knowledge.Normalize(q)), " ") {
				score += 100 // the exact title
			}
			best = append(best, scored{d, score})
		}
	}
	slices.SortFunc(best, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.ref.ID, b.ref.ID)
	})
	for _, b := range best {
		if b.score < best[0].score {
			break
		}
		res.Best = append(res.Best, b.ref)
	}
	return res, nil
}

// DocumentProfile returns what the record holds about document id, as
// seen in scope: its parties, sources, the excerpts held from it (the
// first few, and how many), its figures, and the claims it makes, reports
// or bears on as evidence. Errors: CodeNotFound when id is not a visible
// document.
func (s *Store) DocumentProfile(ctx context.Context, scope knowledge.Scope, id string) (*knowledge.DocumentProfile, error) {
	var dp knowledge.DocumentProfile
	r, rid, err := s.readRecord(ctx, scope, "document", id, &dp.Document)
	if err != nil {
		return nil, err
	}
	defer r.close()
	dp.Document.Text = ""
	for _, p := range dp.Document.Parties {
		name := p.Description
		if p.Ref != "" {
			n, err := r.named(p.Ref)
			if knowledge.ErrorCode(err) == knowledge.CodeNotFound {
				continue
			}
			if err != nil {
				return nil, err
			}
			name = n.Name
		}
		dp.Parties = append(dp.Parties, knowledge.PartyName{Role: p.Role, Name: name, Hedge: p.Hedge})
	}
	for _, x := range dp.Document.Sources {
		xv, err := r.excerpt(x)
		if err != nil {
			return nil, err
		}
		dp.Sources = append(dp.Sources, *xv)
	}

	// Excerpts quoting the document come first, then spans of its text.
	quoting, _, err := r.referrers(rid, "quoted_from", "excerpt")
	if err != nil {
		return nil, err
	}
	spans, _, err := r.referrers(rid, "document", "excerpt")
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var excerpts []cached
	for _, c := range append(quoting, spans...) {
		if !seen[c.rid] {
			seen[c.rid] = true
			excerpts = append(excerpts, c)
		}
	}
	dp.ExcerptCount = len(excerpts)
	for i, c := range excerpts {
		var x knowledge.Excerpt
		if err := json.Unmarshal([]byte(c.data), &x); err != nil {
			return nil, fmt.Errorf("decode excerpt: %w", err)
		}
		if i < 5 {
			xv, err := r.excerpt(x.ID)
			if err != nil {
				return nil, err
			}
			dp.Excerpts = append(dp.Excerpts, *xv)
		}
	}

	// Claims: made by the document, evidence from it, reported by it.
	rank := map[string]int{"says": 0, string(knowledge.RelContradicts): 1, string(knowledge.RelSupports): 2,
		string(knowledge.RelShowsKnowledge): 3, string(knowledge.RelContext): 4, "reports": 5}
	how := map[int64]string{}
	note := func(claim int64, relation string) {
		if old, ok := how[claim]; !ok || rank[relation] < rank[old] {
			how[claim] = relation
		}
	}
	says, err := r.claimRows("c.speaker = ?", rid)
	if err != nil {
		return nil, err
	}
	for _, c := range says {
		note(c.rid, "says")
	}
	for _, f := range says {
		figs, _, err := r.referrers(f.rid, "claim", "figure")
		if err != nil {
			return nil, err
		}
		for _, c := range figs {
			var fig knowledge.Figure
			if err := json.Unmarshal([]byte(c.data), &fig); err != nil {
				return nil, fmt.Errorf("decode figure: %w", err)
			}
			dp.Figures = append(dp.Figures, fig)
		}
	}
	excerptRids := make([]int64, 0, len(excerpts))
	for _, c := range excerpts {
		excerptRids = append(excerptRids, c.rid)
	}
	b, _ := json.Marshal(excerptRids)
	quotingRids := map[int64]bool{}
	for _, c := range quoting {
		quotingRids[c.rid] = true
	}
	// Evidence citing the document as a whole, and evidence citing one of
	// its excerpts (with the excerpt), each found through the references
	// to them.
	rows, err := r.query(`WITH ev(rid, excerpt) AS (
			SELECT src, 0 FROM refs WHERE dst = ? AND field = 'document' AND src_kind = 'evidence'
			UNION ALL SELECT src, dst FROM refs WHERE dst IN (SELECT value FROM json_each(?)) AND field = 'excerpt' AND src_kind = 'evidence')
		SELECT e.claim, e.relation, ev.excerpt FROM ev CROSS JOIN evidence e ON e.rid = ev.rid CROSS JOIN records er ON er.rid = e.rid
		WHERE `+visible("er"), rid, string(b), r.scope.Guild, r.scope.Guild)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var claim, excerpt int64
		var rel string
		if err := rows.Scan(&claim, &rel, &excerpt); err != nil {
			rows.Close()
			return nil, dbError(err, "scan evidence")
		}
		// An excerpt of this document that quotes another document is
		// that document's evidence, not this one's.
		if excerpt != 0 && !quotingRids[excerpt] && !r.spanOwn(excerpt) {
			continue
		}
		note(claim, rel)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, dbError(err, "list evidence")
	}
	reported, err := r.claimRows("c.rid IN (SELECT f.src FROM refs f WHERE f.field = 'excerpt' AND f.dst IN (SELECT value FROM json_each(?)))", string(b))
	if err != nil {
		return nil, err
	}
	for _, c := range reported {
		note(c.rid, "reports")
	}
	claimRids := make([]int64, 0, len(how))
	for rid := range how {
		claimRids = append(claimRids, rid)
	}
	cb, _ := json.Marshal(claimRids)
	all, err := r.claimRows("c.rid IN (SELECT value FROM json_each(?))", string(cb))
	if err != nil {
		return nil, err
	}
	if err := r.claimStatuses(all); err != nil {
		return nil, err
	}
	for _, c := range all {
		cv := knowledge.ClaimView{Claim: c.claim, Status: c.status}
		if c.claim.Speaker != "" {
			if n, err := r.named(c.claim.Speaker); err == nil {
				cv.Speaker = &n
			}
		}
		dp.Claims = append(dp.Claims, knowledge.DocClaim{Claim: cv, Relation: how[c.rid]})
	}
	slices.SortStableFunc(dp.Claims, func(a, b knowledge.DocClaim) int {
		if c := cmp.Compare(rank[a.Relation], rank[b.Relation]); c != 0 {
			return c
		}
		return compareClaims(a.Claim, b.Claim)
	})
	return &dp, nil
}

// spanOwn reports whether excerpt rid quotes no other document: its words
// are its own document's.
func (r *reader) spanOwn(rid int64) bool {
	var n int
	if err := r.row("SELECT count(*) FROM refs WHERE src = ? AND field = 'quoted_from'", []any{rid}, &n); err != nil {
		return false
	}
	return n == 0
}

// Sources returns one page of the visible documents, most cited first
// (by the excerpts the record holds from each and the claims and evidence
// citing those), with how many there are in all. The counts are kept as
// records are written, so a page costs the same at any size.
func (s *Store) Sources(ctx context.Context, scope knowledge.Scope, offset, limit int) (knowledge.SourcePage, error) {
	var page knowledge.SourcePage
	if limit <= 0 {
		limit = DefaultPage
	}
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return page, err
	}
	defer r.close()
	stats, err := r.stats() // the total from the same snapshot as the page
	if err != nil {
		return page, err
	}
	page.Total = stats["document"]
	rows, err := r.query(`SELECT r.data, dc.n_excerpts, dc.n_cited FROM doc_counts dc CROSS JOIN records r ON r.rid = dc.rid
		WHERE `+visible("r")+` ORDER BY dc.score DESC, dc.id LIMIT ? OFFSET ?`, r.scope.Guild, r.scope.Guild, limit, max(offset, 0))
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		var data string
		var sd knowledge.SourceDoc
		if err := rows.Scan(&data, &sd.Excerpts, &sd.Claims); err != nil {
			return page, dbError(err, "scan sources")
		}
		var d knowledge.Document
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			return page, fmt.Errorf("decode document: %w", err)
		}
		sd.Ref, sd.Summary = d.Ref(), d.Summary
		page.Items = append(page.Items, sd)
	}
	return page, dbError(rows.Err(), "list sources")
}
