package db

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/onrecord/onrecord/knowledge"
)

// FindPerson resolves a name as a user types it to the people it may mean,
// among those visible in scope (knowledge.Resolve ranks them). It never
// returns CodeNotFound: an empty Resolution.Best is the answer "not on
// record". Its cost is bounded whatever the number of people sharing the
// name: it ranks at most maxNameCandidates of them, the most prominent,
// and says in Total (and More) how many fit.
func (s *Store) FindPerson(ctx context.Context, scope knowledge.Scope, query string) (knowledge.Resolution, error) {
	q := nameWords(query)
	if len(q) == 0 || len(q) > maxNameWords {
		return knowledge.Resolution{Query: query}, nil // no name has that many words
	}
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return knowledge.Resolution{}, err
	}
	defer r.close()
	if id := strings.TrimSpace(query); knowledge.ValidID(id, "person") {
		// An id, as autocomplete and menus send: that person or nobody.
		res := knowledge.Resolution{Query: query}
		cands, err := r.personByID(id)
		if err != nil || len(cands) == 0 {
			return res, err
		}
		c := cands[0]
		res.Best, res.Total = []knowledge.NameMatch{{Candidate: c, Tier: knowledge.TierExact, Form: c.Name}}, 1
		return res, nil
	}
	key := strings.Join(q, " ")
	rids, err := r.exactName(key, maxNameCandidates)
	if err != nil {
		return knowledge.Resolution{}, err
	}
	words := make([]wordMatch, len(q))
	for i, t := range q {
		words[i] = prefixMatch(t, true)
	}
	if len(rids) == 0 || len(q) == 1 {
		// A full name or alias that some people have outranks any partial
		// match (knowledge.Resolve's tiers), so partial matches are only
		// looked for without one, or for a single word, which may be a
		// surname typed alone.
		more, err := r.peopleMatching(words, maxNameCandidates)
		if err != nil {
			return knowledge.Resolution{}, err
		}
		rids = union(rids, more)
	}
	if len(rids) == 0 {
		// Typos: a word that starts no name word may be a misspelt one.
		for i, t := range q {
			if n, err := r.peopleMatching([]wordMatch{words[i]}, 1); err != nil || len(n) > 0 || knowledge.MaxTypos(len([]rune(t))) == 0 {
				if err != nil {
					return knowledge.Resolution{}, err
				}
				continue
			}
			typos, err := r.typoWords(t)
			if err != nil {
				return knowledge.Resolution{}, err
			}
			words[i] = wordMatch{exact: typos}
		}
		if rids, err = r.peopleMatching(words, maxNameCandidates); err != nil {
			return knowledge.Resolution{}, err
		}
	}
	if len(rids) == 0 {
		// Nobody fits every word: the people who fit some, for "closest
		// names".
		for _, w := range words {
			some, err := r.peopleMatching([]wordMatch{w}, 10)
			if err != nil {
				return knowledge.Resolution{}, err
			}
			rids = union(rids, some)
		}
	}
	cands, err := r.candidates(rids)
	if err != nil {
		return knowledge.Resolution{}, err
	}
	res := knowledge.Resolve(query, cands)
	if len(rids) >= maxNameCandidates && res.Total == len(res.Best) && res.Total > 1 {
		// The candidates were capped: count those who fit as well.
		n, err := r.countPeople(key, "")
		if err == nil && len(q) == 1 {
			var words int
			words, err = r.countPeople("", q[0])
			n = max(n, words)
		}
		if err != nil {
			return knowledge.Resolution{}, err
		}
		if n > res.Total {
			res.Total, res.More = min(n, maxCounted), n > maxCounted
		}
	}
	return res, nil
}

// union appends to a the elements of b it does not hold.
func union(a, b []int64) []int64 {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
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

// PersonProfile returns what the record holds about person id, as seen in
// scope: roles with their organisations, their part in documents, events,
// counts of their claims and of claims about them, and sources. Errors:
// CodeNotFound when id is not a visible person.
func (s *Store) PersonProfile(ctx context.Context, scope knowledge.Scope, id string) (*knowledge.PersonProfile, error) {
	var pp knowledge.PersonProfile
	r, rid, err := s.readRecord(ctx, scope, "person", id, &pp.Person)
	if err != nil {
		return nil, err
	}
	defer r.close()
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
	touched, err := r.scopeTouches(rid)
	if err != nil {
		return nil, err
	}
	if touched {
		err = r.claimSummaryExact(&pp, rid)
	} else {
		err = r.claimSummaryShared(&pp, rid)
	}
	if err != nil {
		return nil, err
	}
	for i := range pp.TopClaims {
		if pp.TopClaims[i].Source, err = r.excerpt(pp.TopClaims[i].Claim.Excerpt); err != nil {
			return nil, err
		}
	}
	return &pp, nil
}

// claimSummaryShared fills the counts and the top claims of a person
// whose claims the scope sees as the shared record has them: from the
// counts kept on the person and the order kept on the claims, whatever the
// number of claims.
func (r *reader) claimSummaryShared(pp *knowledge.PersonProfile, rid int64) error {
	var contradicted, disputed, supported int
	if err := r.row("SELECT n_claims, n_inferred, n_contradicted, n_disputed, n_supported, n_about FROM people WHERE rid = ?", []any{rid},
		&pp.ClaimsBy, &pp.InferredBy, &contradicted, &disputed, &supported, &pp.ClaimsAbout); err != nil {
		return dbError(err, "count claims")
	}
	for st, n := range map[knowledge.Status]int{knowledge.StatusContradicted: contradicted, knowledge.StatusDisputed: disputed,
		knowledge.StatusSupported: supported, knowledge.StatusUnverified: pp.ClaimsBy - contradicted - disputed - supported} {
		if n > 0 {
			pp.Statuses[st] = n
		}
	}
	rows, err := r.sharedClaims(rid, "", 0, 3)
	if err != nil {
		return err
	}
	for _, c := range rows {
		pp.TopClaims = append(pp.TopClaims, knowledge.ClaimView{Claim: c.claim, Status: c.status})
	}
	return nil
}

// claimSummaryExact fills the counts and the top claims of a person by
// reading every claim visible in scope and deriving its status.
func (r *reader) claimSummaryExact(pp *knowledge.PersonProfile, rid int64) error {
	rows, err := r.claimRows("c.speaker = ?", rid)
	if err != nil {
		return err
	}
	if err := r.claimStatuses(rows); err != nil {
		return err
	}
	summaries := make([]knowledge.ClaimView, len(rows))
	for i, c := range rows {
		summaries[i] = knowledge.ClaimView{Claim: c.claim, Status: c.status}
		pp.ClaimsBy++
		if c.claim.Attribution == knowledge.AttrInferred {
			pp.InferredBy++
		}
		pp.Statuses[c.status]++
	}
	slices.SortStableFunc(summaries, compareClaims)
	pp.TopClaims = summaries[:min(len(summaries), 3)]
	return dbError(r.row(`SELECT count(*) FROM refs f JOIN records s ON s.rid = f.src WHERE f.dst = ? AND f.field = 'subject' AND s.kind = 'claim' AND `+visible("s"),
		[]any{rid, r.scope.Guild, r.scope.Guild}, &pp.ClaimsAbout), "count claims about")
}

// scopeTouches reports whether the scope's server has records, or hides
// shared ones, that bear on the claims by or about person rid: its own
// claims or evidence, or a hidden claim or piece of evidence. Only then
// can what the server sees of the person's claims differ from the shared
// record, and it is computed exactly; otherwise the counts and order kept
// for the shared record answer.
func (r *reader) scopeTouches(rid int64) (bool, error) {
	if r.s.exact {
		return true, nil
	}
	if r.scope.Guild == "" {
		return false, nil
	}
	var touched bool
	err := r.row(`SELECT EXISTS (SELECT 1 FROM claims WHERE speaker = ?1 AND guild = ?2)
		OR EXISTS (SELECT 1 FROM evidence WHERE speaker = ?1 AND guild = ?2)
		OR EXISTS (SELECT 1 FROM claim_subjects WHERE person = ?1 AND guild = ?2)
		OR EXISTS (SELECT 1 FROM hidden h JOIN claims c ON c.rid = h.rid WHERE h.guild = ?2 AND c.speaker = ?1)
		OR EXISTS (SELECT 1 FROM hidden h JOIN evidence e ON e.rid = h.rid WHERE h.guild = ?2 AND e.speaker = ?1)
		OR EXISTS (SELECT 1 FROM hidden h JOIN claim_subjects s ON s.claim = h.rid WHERE h.guild = ?2 AND s.person = ?1)`,
		[]any{rid, r.scope.Guild}, &touched)
	return touched, dbError(err, "check the server's own records")
}

// sharedClaims returns, in the order /claims shows them, one page of the
// live shared claims of speaker rid (with status only when status is not
// empty), their status that of the shared record.
func (r *reader) sharedClaims(rid int64, status knowledge.Status, offset, limit int) ([]*claimRow, error) {
	lo, hi := 0, 15
	if status != "" {
		lo = statusRank(status) * 4
		hi = lo + 3
	}
	rows, err := r.query(`SELECT c.rid, c.id, r.data, c.sort_key FROM claims c JOIN records r ON r.rid = c.rid
		WHERE c.speaker = ? AND c.guild = '' AND c.live = 1 AND c.sort_key BETWEEN ? AND ? ORDER BY c.sort_key, c.id LIMIT ? OFFSET ?`,
		rid, lo, hi, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*claimRow
	for rows.Next() {
		c := &claimRow{}
		var key int
		if err := rows.Scan(&c.rid, &c.id, &c.data, &key); err != nil {
			return nil, dbError(err, "scan claims")
		}
		if err := json.Unmarshal([]byte(c.data), &c.claim); err != nil {
			return nil, fmt.Errorf("decode claim %s: %w", c.id, err)
		}
		c.status = rankStatus(key / 4)
		r.remember(c.id, c.rid, c.data)
		out = append(out, c)
	}
	return out, dbError(rows.Err(), "list claims")
}

// statusRank and rankStatus map statuses to their place in sort_key.
func statusRank(s knowledge.Status) int {
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

func rankStatus(rank int) knowledge.Status {
	switch rank {
	case 0:
		return knowledge.StatusContradicted
	case 1:
		return knowledge.StatusDisputed
	case 2:
		return knowledge.StatusSupported
	}
	return knowledge.StatusUnverified
}
