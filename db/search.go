package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onrecord/onrecord/knowledge"
)

// maxSearchCount caps how many hits a search counts; beyond it the total
// is reported as "at least".
const maxSearchCount = 1000

// maxRanked bounds ranking: bm25 costs microseconds per matching row, so a
// word in a large share of a million records would cost tens of
// milliseconds. When more records match, the newest maxRanked of them
// (FTS5 walks its index backwards by rowid cheaply) are ranked.
const maxRanked = 2000

// maxRankedTerm bounds the other cost of bm25: before ranking anything it
// counts the records holding each word, reading each word's whole list (a
// word in half of a million records costs about 15 ms). A query with a
// word in more records than this is shown newest first instead.
const maxRankedTerm = 20000

// Search returns one page of the visible records whose text holds every
// word of query (stemmed: "target" finds "targets"), best match first
// (bm25), each with its kind, label, a snippet with the matching words
// between \x02 and \x03, and what it belongs to.
func (s *Store) Search(ctx context.Context, scope knowledge.Scope, query string, offset, limit int) (knowledge.SearchPage, error) {
	var page knowledge.SearchPage
	terms := knowledge.SearchTerms(query)
	if len(terms) == 0 {
		return page, nil
	}
	if limit <= 0 {
		limit = DefaultPage
	}
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return page, err
	}
	defer r.close()
	match := ftsQuery(terms, false)
	// How many records match, up to maxRanked, and the oldest of the
	// newest maxRanked: only those are counted and ranked, so a word in
	// half a million records costs what one in two thousand does.
	var matched int
	var floor sql.NullInt64
	if err := r.row("SELECT count(*), min(rowid) FROM (SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?)",
		[]any{match, s.ranked}, &matched, &floor); err != nil {
		return page, dbError(err, "search")
	}
	if matched == 0 {
		return page, nil
	}
	if matched == s.ranked {
		page.Newest = s.ranked
	}
	// The FTS index drives these queries (CROSS JOIN fixes the order: left
	// to itself, SQLite may instead scan records and probe the index).
	if err := r.row(`SELECT count(*) FROM search CROSS JOIN records r ON r.rid = search.rowid
		WHERE search MATCH ? AND search.rowid >= ? AND `+visible("r"), []any{match, floor.Int64, r.scope.Guild, r.scope.Guild}, &page.Total); err != nil {
		return page, dbError(err, "count search")
	}
	if page.Total > maxSearchCount || (page.Newest > 0 && page.Total > 0) {
		page.Total, page.Capped = min(page.Total, maxSearchCount), true
	}
	for _, t := range terms {
		var n int
		if err := r.row("SELECT count(*) FROM (SELECT rowid FROM search WHERE search MATCH ? LIMIT ?)", []any{ftsQuery([]string{t}, false), s.rankedTerm + 1}, &n); err != nil {
			return page, dbError(err, "search")
		}
		if n > s.rankedTerm {
			page.Unranked = true
			break
		}
	}
	order := "bm25(search), r.id"
	if page.Unranked {
		order = "search.rowid DESC"
	}
	// Rank first; make snippets (tens of microseconds each) only for the
	// page.
	rows, err := r.query(`SELECT r.rid, r.id, r.kind, r.label, r.data FROM search CROSS JOIN records r ON r.rid = search.rowid
		WHERE search MATCH ? AND search.rowid >= ? AND `+visible("r")+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		match, floor.Int64, r.scope.Guild, r.scope.Guild, limit, max(offset, 0))
	if err != nil {
		return page, err
	}
	type hit struct {
		h    knowledge.SearchHit
		rid  int64
		data string
	}
	var hits []hit
	var rids []int64
	for rows.Next() {
		var x hit
		if err := rows.Scan(&x.rid, &x.h.ID, &x.h.Kind, &x.h.Label, &x.data); err != nil {
			rows.Close()
			return page, dbError(err, "scan search")
		}
		r.remember(x.h.ID, x.rid, x.data)
		hits = append(hits, x)
		rids = append(rids, x.rid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return page, dbError(err, "search")
	}
	b, _ := json.Marshal(rids)
	snips, err := r.query(`SELECT rowid, snippet(search, 0, char(2), char(3), '…', 24) FROM search
		WHERE search MATCH ? AND rowid IN (SELECT value FROM json_each(?))`, match, string(b))
	if err != nil {
		return page, err
	}
	snippet := map[int64]string{}
	for snips.Next() {
		var rid int64
		var sn string
		if err := snips.Scan(&rid, &sn); err != nil {
			snips.Close()
			return page, dbError(err, "scan snippets")
		}
		snippet[rid] = sn
	}
	snips.Close()
	if err := snips.Err(); err != nil {
		return page, dbError(err, "snippets")
	}
	for i := range hits {
		hits[i].h.Snippet = snippet[hits[i].rid]
	}
	for _, x := range hits {
		x.h.Context = r.hitContext(x.h.Kind, x.data)
		page.Items = append(page.Items, x.h)
	}
	return page, nil
}

// hitContext names what a hit belongs to: a claim's speaker, an excerpt's
// document, an evidence link's claim, a person's role.
func (r *reader) hitContext(kind, data string) string {
	var v struct {
		Speaker  string           `json:"speaker"`
		Document string           `json:"document"`
		Claim    string           `json:"claim"`
		Roles    []knowledge.Role `json:"roles"`
		Kind     string           `json:"kind"`
		Date     string           `json:"date"`
		DateText string           `json:"date_text"`
	}
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		return ""
	}
	name := func(id string) string {
		n, err := r.named(id)
		if err != nil {
			return ""
		}
		return n.Name
	}
	switch kind {
	case "claim":
		if v.Speaker == "" {
			return "unattributed"
		}
		return name(v.Speaker)
	case "excerpt":
		return name(v.Document)
	case "evidence":
		var c knowledge.Claim
		if _, err := r.load(v.Claim, &c); err == nil {
			return "on “" + c.Words + "”"
		}
	case "person":
		if len(v.Roles) > 0 {
			return v.Roles[0].Title
		}
	case "document", "organisation":
		return v.Kind
	}
	return ""
}

// Timeline returns one page of the dated documents, claims and events
// visible in scope, in date order; items the source dates only in words
// ("late on Friday") come last. q.Person keeps what that person did, said,
// or was party to; q.About keeps items whose text holds every word.
// Errors: CodeNotFound when q.Person is not a visible person.
func (s *Store) Timeline(ctx context.Context, scope knowledge.Scope, q knowledge.TimelineQuery) (knowledge.TimelinePage, error) {
	var page knowledge.TimelinePage
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return page, err
	}
	defer r.close()
	// The dated rows carry their record's server and liveness, so the
	// timeline's order index is walked without reading the records.
	where := []string{visibleDerived("d")}
	args := []any{r.scope.Guild, r.scope.Guild}
	if q.Person != "" {
		if knowledge.KindOf(q.Person) != "person" {
			return page, knowledge.Errorf(knowledge.CodeNotFound, "%s is not a person's id.", q.Person)
		}
		var p knowledge.Person
		prid, err := r.load(q.Person, &p)
		if err != nil {
			return page, err
		}
		where = append(where, `d.rid IN (SELECT src FROM refs WHERE dst = ? AND (field IN ('speaker', 'subject', 'actor') OR field >= 'party:' AND field < 'party;'))`)
		args = append(args, prid)
	}
	if terms := knowledge.SearchTerms(q.About); q.About != "" && len(terms) > 0 {
		where = append(where, `d.rid IN (SELECT rowid FROM search WHERE search MATCH ?)`)
		args = append(args, ftsQuery(terms, false))
	}
	cond := strings.Join(where, " AND ")
	if err := r.row("SELECT count(*) FROM (SELECT 1 FROM dated d WHERE "+cond+" LIMIT ?)", append(slices.Clone(args), maxSearchCount+1), &page.Total); err != nil {
		return page, dbError(err, "count timeline")
	}
	if page.Total > maxSearchCount {
		page.Total, page.Capped = maxSearchCount, true
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPage
	}
	rows, err := r.query(`SELECT r.rid, r.id, r.kind, r.data, p.date, p.date_text FROM
		(SELECT d.rid, d.date, d.date_text, d.kind_rank, d.id FROM dated d WHERE `+cond+` ORDER BY d.date = '', d.date, d.kind_rank, d.id LIMIT ? OFFSET ?) p
		CROSS JOIN records r ON r.rid = p.rid ORDER BY p.date = '', p.date, p.kind_rank, p.id`,
		append(args, limit, max(q.Offset, 0))...)
	if err != nil {
		return page, err
	}
	type item struct {
		rid  int64
		it   knowledge.TimelineItem
		data string
	}
	var items []item
	for rows.Next() {
		var x item
		if err := rows.Scan(&x.rid, &x.it.ID, &x.it.Kind, &x.data, &x.it.Date, &x.it.DateText); err != nil {
			rows.Close()
			return page, dbError(err, "scan timeline")
		}
		r.remember(x.it.ID, x.rid, x.data)
		items = append(items, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return page, dbError(err, "timeline")
	}
	for _, x := range items {
		if err := r.describe(&x.it, x.data); err != nil {
			return page, err
		}
		page.Items = append(page.Items, x.it)
	}
	return page, nil
}

// describe fills a timeline item's text, who and source from its record.
func (r *reader) describe(it *knowledge.TimelineItem, data string) error {
	switch it.Kind {
	case "document":
		var d knowledge.Document
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			return fmt.Errorf("decode document: %w", err)
		}
		it.Text = string(d.Kind) + " “" + d.Title + "”"
		for _, p := range d.Parties {
			verb := map[knowledge.PartyRole]string{knowledge.PartyAuthor: "written", knowledge.PartySender: "sent", knowledge.PartyPublisher: "published"}[p.Role]
			if verb == "" || p.Ref == "" {
				continue
			}
			if n, err := r.named(p.Ref); err == nil {
				it.Text += ", " + strings.TrimSpace(p.Hedge+" "+verb) + " by " + n.Name
			}
		}
		if len(d.Sources) > 0 {
			x, err := r.excerpt(d.Sources[0])
			if err != nil {
				return err
			}
			it.Source = x
		}
	case "claim":
		var c knowledge.Claim
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			return fmt.Errorf("decode claim: %w", err)
		}
		it.Text = "“" + c.Words + "”"
		if c.Form == knowledge.FormReported {
			it.Text = c.Words
		}
		if c.Speaker != "" {
			if n, err := r.named(c.Speaker); err == nil {
				it.Who = n.Name
				if c.Attribution == knowledge.AttrInferred {
					it.Who += " (inferred)"
				}
			}
		}
		x, err := r.excerpt(c.Excerpt)
		if err != nil {
			return err
		}
		it.Source = x
	case "event":
		var ev knowledge.Event
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return fmt.Errorf("decode event: %w", err)
		}
		it.Text = ev.Summary
		names, err := r.names(append(append([]string(nil), ev.Actors...), ev.Subjects...))
		if err != nil {
			return err
		}
		var who []string
		for _, n := range names[:min(len(names), len(ev.Actors))] {
			who = append(who, n.Name)
		}
		it.Who = strings.Join(who, ", ")
		x, err := r.excerpt(ev.Excerpt)
		if err != nil {
			return err
		}
		it.Source = x
	}
	return nil
}

// SaveText keeps text under a short key (the same text always gets the
// same key) and returns the key, for a component whose custom_id cannot
// hold the text itself.
func (s *Store) SaveText(ctx context.Context, text string) (string, error) {
	sum := sha256.Sum256([]byte(text))
	key := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:10]))
	_, err := s.w.ExecContext(ctx, "INSERT INTO texts (key, text, created) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
		key, text, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return "", dbError(err, "save text")
	}
	return key, nil
}

// LoadText returns the text saved under key. Errors: CodeNotFound when
// there is none.
func (s *Store) LoadText(ctx context.Context, key string) (string, error) {
	var text string
	err := s.r.QueryRowContext(ctx, "SELECT text FROM texts WHERE key = ?", key).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return "", knowledge.Errorf(knowledge.CodeNotFound, "That list has expired. Run the command again.")
	}
	return text, dbError(err, "load text")
}
