package knowledge

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on what a record may hold, chosen so that every field fits the
// Discord surface that shows it (an embed field holds 1024 characters, an
// autocomplete choice 100) after escaping.
const (
	MaxIDLen        = 64
	MaxNameLen      = 100
	MaxTitleLen     = 200
	MaxSummaryLen   = 1000
	MaxWordsLen     = 1500
	MaxShortLen     = 200 // venue, medium, date text, hedge, label, value, period
	MaxContextLen   = 500
	MaxRationaleLen = 500
	MaxReasonLen    = 1000
	MaxURLLen       = 2048
	MaxExcerptLen   = 4000
	MaxTextLen      = 2 << 20 // a document's held text, in bytes
	MaxList         = 50      // aliases, roles, parties, sources, subjects, actors
)

// Problem is one reason a record is invalid.
type Problem struct {
	Record string // "people[p-amber-rudd]"
	Field  string // "aliases[2].name"
	Text   string // "must not be empty"
}

// String returns "record.field: text".
func (p Problem) String() string {
	s := p.Record
	if p.Field != "" {
		if s != "" {
			s += "."
		}
		s += p.Field
	}
	if s == "" {
		return p.Text
	}
	return s + ": " + p.Text
}

// Problems is every reason a dataset or a record is invalid.
type Problems []Problem

// Err returns nil when there are no problems, otherwise an *Error with
// CodeInvalid whose message lists the first ten problems, one per line,
// each naming the record and field.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	var b strings.Builder
	for i, p := range ps {
		if i == 10 {
			fmt.Fprintf(&b, "\n… and %d more", len(ps)-10)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	e := &Error{Code: CodeInvalid, Message: b.String()}
	if len(ps) == 1 {
		e.Field = ps[0].Field
	}
	return e
}

// checker accumulates problems for one record.
type checker struct {
	ps     *Problems
	record string
}

func (c checker) add(field, format string, args ...any) {
	*c.ps = append(*c.ps, Problem{Record: c.record, Field: field, Text: fmt.Sprintf(format, args...)})
}

// text checks a free-text field: valid UTF-8, no control characters other
// than newlines and tabs (when multiline), at most max characters, and
// present when required.
func (c checker) text(field, v string, max int, required, multiline bool) {
	if !utf8.ValidString(v) {
		c.add(field, "is not valid UTF-8 text")
		return
	}
	if strings.TrimSpace(v) == "" {
		if required {
			c.add(field, "must not be empty")
		} else if v != "" {
			c.add(field, "must not be only spaces")
		}
		return
	}
	if n := utf8.RuneCountInString(v); n > max {
		c.add(field, "is %d characters long; the limit is %d", n, max)
	}
	for _, r := range v {
		if (r == '\n' || r == '\t' || r == '\r') && multiline {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			c.add(field, "contains a control character (U+%04X)", r)
			return
		}
	}
	if !multiline && v != strings.TrimSpace(v) {
		c.add(field, "must not start or end with spaces")
	}
}

// wellFormedID reports whether id is a letter, a hyphen, then words of
// lower-case letters and digits joined by single hyphens.
func wellFormedID(id string) bool {
	if len(id) < 3 || id[0] < 'a' || id[0] > 'z' || id[1] != '-' {
		return false
	}
	prevHyphen := true
	for i := 2; i < len(id); i++ {
		switch c := id[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevHyphen = false
		case c == '-' && !prevHyphen:
			prevHyphen = true
		default:
			return false
		}
	}
	return !prevHyphen
}

// KindOf returns the record kind an id names by its prefix ("person",
// "claim", ...), or "" when the id has no known prefix.
func KindOf(id string) string {
	if len(id) < 3 || id[1] != '-' {
		return ""
	}
	switch id[0] {
	case 'p':
		return "person"
	case 'o':
		return "organisation"
	case 'd':
		return "document"
	case 'x':
		return "excerpt"
	case 'c':
		return "claim"
	case 'l':
		return "evidence"
	case 'f':
		return "figure"
	case 'e':
		return "event"
	}
	return ""
}

// ValidID reports whether id is a well-formed record id of the given kind.
func ValidID(id, kind string) bool {
	return len(id) <= MaxIDLen && wellFormedID(id) && KindOf(id) == kind
}

func (c checker) id(field, v, kind string, required bool) {
	if v == "" {
		if required {
			c.add(field, "must name a %s id", kind)
		}
		return
	}
	if !ValidID(v, kind) {
		c.add(field, "%q is not a %s id (ids look like %s-name-in-lower-case)", clip(v, 40), kind, string(kindPrefix(kind)))
	}
}

func kindPrefix(kind string) byte {
	switch kind {
	case "evidence":
		return 'l'
	case "excerpt":
		return 'x'
	}
	return kind[0]
}

// CleanText returns a document's text as the record keeps text it reads:
// line breaks as "\n" (CRLF, CR and the Unicode line and paragraph
// separators), tabs kept, and every other control character a space, so
// that any span of it can be an excerpt or a claim's words. Byte offsets
// are into the cleaned text.
func CleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r' || r == '\u2028' || r == '\u2029':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
}

// ValidDate reports whether s is an ISO date as precise as its source: a
// year (2015), a month (2017-06) or a real day (2017-06-15).
func ValidDate(s string) bool {
	for _, layout := range []string{"2006", "2006-01", "2006-01-02"} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return true
			}
		}
	}
	return false
}

func (c checker) date(field, v string) {
	if v != "" && !ValidDate(v) {
		c.add(field, "%q is not a date: use YYYY, YYYY-MM or YYYY-MM-DD", clip(v, 40))
	}
}

// ValidURL reports whether s is an absolute http or https URL with a host.
func ValidURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

func (c checker) url(field, v string) {
	if v == "" {
		return
	}
	if len(v) > MaxURLLen {
		c.add(field, "is longer than %d characters", MaxURLLen)
		return
	}
	if !ValidURL(v) || strings.ContainsAny(v, " \t\n<>\"") {
		c.add(field, "%q is not an http(s) URL", clip(v, 60))
	}
}

func (c checker) list(field string, n int) {
	if n > MaxList {
		c.add(field, "has %d entries; the limit is %d", n, MaxList)
	}
}

func (c checker) meta(r Record, kind string) {
	c.id("id", r.ID, kind, true)
	if r.Guild != "" && !ValidSnowflake(r.Guild) {
		c.add("guild", "%q is not a Discord server id", clip(r.Guild, 30))
	}
	switch r.Origin {
	case "", OriginSeed, OriginOwner:
		if r.Guild != "" {
			c.add("origin", "a server's record must have origin %q", OriginModerator)
		}
	case OriginModerator:
		if r.Guild == "" {
			c.add("guild", "a moderator's record must name its server")
		}
	default:
		c.add("origin", "%q is not one of seed, owner, moderator", clip(string(r.Origin), 20))
	}
	if x := r.Retracted; x != nil {
		c.text("retracted.reason", x.Reason, MaxRationaleLen, true, true)
		if x.By != "" && !ValidSnowflake(x.By) {
			c.add("retracted.by", "%q is not a Discord user id", clip(x.By, 30))
		}
	}
}

// ValidSnowflake reports whether s looks like a Discord id: 1 to 20 digits.
func ValidSnowflake(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func oneOf[T ~string](v T, all ...T) bool {
	for _, a := range all {
		if v == a {
			return true
		}
	}
	return false
}

// Validate checks the organisation's own fields, not its references.
func (o *Organisation) Validate() Problems {
	var ps Problems
	c := checker{&ps, "organisations[" + o.ID + "]"}
	c.meta(o.Record, "organisation")
	c.text("name", o.Name, MaxNameLen, true, false)
	if !oneOf(o.Kind, OrgDepartment, OrgAgency, OrgParty, OrgCommittee, OrgPublisher, OrgGroup, OrgParliament, OrgOperation) {
		c.add("kind", "%q is not one of department, agency, party, committee, publisher, group, parliament, operation", clip(string(o.Kind), 30))
	}
	c.text("summary", o.Summary, MaxSummaryLen, false, true)
	c.id("parent", o.Parent, "organisation", false)
	if o.Parent != "" && o.Parent == o.ID {
		c.add("parent", "an organisation cannot be its own parent")
	}
	c.list("aliases", len(o.Aliases))
	for i, a := range o.Aliases {
		c.text(fmt.Sprintf("aliases[%d]", i), a, MaxNameLen, true, false)
	}
	c.sources(o.Sources)
	return ps
}

func (c checker) sources(s []string) {
	c.list("sources", len(s))
	for i, x := range s {
		c.id(fmt.Sprintf("sources[%d]", i), x, "excerpt", true)
	}
}

// Validate checks the person's own fields, not their references.
func (p *Person) Validate() Problems {
	var ps Problems
	c := checker{&ps, "people[" + p.ID + "]"}
	c.meta(p.Record, "person")
	c.text("name", p.Name, MaxNameLen, true, false)
	if p.Name != "" && len(NameTokens(p.Name)) == 0 {
		c.add("name", "must contain a letter or digit")
	}
	c.text("summary", p.Summary, MaxSummaryLen, false, true)
	c.list("aliases", len(p.Aliases))
	for i, a := range p.Aliases {
		f := fmt.Sprintf("aliases[%d]", i)
		c.text(f+".name", a.Name, MaxNameLen, true, false)
		if a.Name != "" && len(NameTokens(a.Name)) == 0 {
			c.add(f+".name", "must contain a letter or digit")
		}
		if !oneOf(a.Kind, AliasSurname, AliasTitle, AliasRole, AliasNickname, AliasOther) {
			c.add(f+".kind", "%q is not one of surname, title, role, nickname, other", clip(string(a.Kind), 30))
		}
		c.id(f+".excerpt", a.Excerpt, "excerpt", false)
	}
	c.list("roles", len(p.Roles))
	for i, r := range p.Roles {
		f := fmt.Sprintf("roles[%d]", i)
		c.text(f+".title", r.Title, MaxNameLen, true, false)
		c.id(f+".organisation", r.Organisation, "organisation", false)
		c.date(f+".from", r.From)
		c.date(f+".to", r.To)
		if r.From != "" && r.To != "" && r.To < r.From {
			c.add(f+".to", "is before from")
		}
		c.id(f+".excerpt", r.Excerpt, "excerpt", false)
	}
	c.sources(p.Sources)
	return ps
}

// Validate checks the document's own fields, not its references.
func (d *Document) Validate() Problems {
	var ps Problems
	c := checker{&ps, "documents[" + d.ID + "]"}
	c.meta(d.Record, "document")
	c.text("title", d.Title, MaxTitleLen, true, false)
	if !oneOf(d.Kind, DocArticle, DocMemo, DocReport, DocTweet, DocStatement, DocHansard, DocCommittee, DocOther) {
		c.add("kind", "%q is not one of article, memo, report, tweet, statement, hansard, committee-session, other", clip(string(d.Kind), 30))
	}
	c.text("summary", d.Summary, MaxSummaryLen, false, true)
	c.date("date", d.Date)
	c.text("date_text", d.DateText, MaxShortLen, false, false)
	c.url("url", d.URL)
	if len(d.Text) > MaxTextLen {
		c.add("text", "is %d bytes; the limit is %d", len(d.Text), MaxTextLen)
	} else if !utf8.ValidString(d.Text) {
		c.add("text", "is not valid UTF-8 text")
	}
	c.list("parties", len(d.Parties))
	for i, p := range d.Parties {
		f := fmt.Sprintf("parties[%d]", i)
		if !oneOf(p.Role, PartyAuthor, PartySender, PartyRecipient, PartyPublisher, PartySeenBy) {
			c.add(f+".role", "%q is not one of author, sender, recipient, publisher, seen-by", clip(string(p.Role), 30))
		}
		switch {
		case p.Ref == "" && strings.TrimSpace(p.Description) == "":
			c.add(f, "needs a ref (a person or organisation id) or a description")
		case p.Ref != "" && KindOf(p.Ref) != "person" && KindOf(p.Ref) != "organisation":
			c.add(f+".ref", "%q is not a person or organisation id", clip(p.Ref, 40))
		}
		c.text(f+".description", p.Description, MaxShortLen, false, false)
		c.text(f+".hedge", p.Hedge, MaxShortLen, false, false)
		c.id(f+".excerpt", p.Excerpt, "excerpt", false)
	}
	c.sources(d.Sources)
	return ps
}

// Validate checks the excerpt's own fields. The offsets are checked against
// the document's text by ValidateDataset and by the store.
func (x *Excerpt) Validate() Problems {
	var ps Problems
	c := checker{&ps, "excerpts[" + x.ID + "]"}
	c.meta(x.Record, "excerpt")
	c.id("document", x.Document, "document", true)
	c.id("quoted_from", x.QuotedFrom, "document", false)
	c.text("text", x.Text, MaxExcerptLen, true, true)
	if x.Start < 0 || x.End < x.Start {
		c.add("start", "offsets %d..%d are not a span", x.Start, x.End)
	}
	return ps
}

// CheckSpan reports the problems with excerpt x as a span of a document
// whose held text is text (empty when the record does not hold it).
func (x *Excerpt) CheckSpan(text string) Problems {
	var ps Problems
	c := checker{&ps, "excerpts[" + x.ID + "]"}
	if text == "" {
		if x.Start != 0 || x.End != 0 {
			c.add("start", "the document's text is not held, so start and end must be 0")
		}
		return ps
	}
	switch {
	case x.Start < 0 || x.End > len(text) || x.Start >= x.End:
		c.add("end", "offsets %d..%d are outside the document's %d bytes", x.Start, x.End, len(text))
	case !utf8.RuneStart(text[x.Start]) || (x.End < len(text) && !utf8.RuneStart(text[x.End])):
		c.add("start", "offsets %d..%d split a character", x.Start, x.End)
	case text[x.Start:x.End] != x.Text:
		c.add("text", "does not equal the document's text at %d..%d", x.Start, x.End)
	}
	return ps
}

// Validate checks the claim's own fields, not its references.
func (cl *Claim) Validate() Problems {
	var ps Problems
	c := checker{&ps, "claims[" + cl.ID + "]"}
	c.meta(cl.Record, "claim")
	switch cl.Attribution {
	case AttrStated, AttrInferred:
		if cl.Speaker == "" {
			c.add("speaker", "a %s claim needs a speaker (a person or document id)", cl.Attribution)
		}
	case AttrUnattributed:
		if cl.Speaker != "" {
			c.add("speaker", "an unattributed claim has no speaker")
		}
	default:
		c.add("attribution", "%q is not one of stated, inferred, unattributed", clip(string(cl.Attribution), 30))
	}
	if cl.Speaker != "" && KindOf(cl.Speaker) != "person" && KindOf(cl.Speaker) != "document" {
		c.add("speaker", "%q is not a person or document id", clip(cl.Speaker, 40))
	}
	if cl.Attribution == AttrInferred {
		c.text("attribution_reason", cl.AttributionReason, MaxReasonLen, true, true)
	} else {
		c.text("attribution_reason", cl.AttributionReason, MaxReasonLen, false, true)
	}
	c.text("words", cl.Words, MaxWordsLen, true, true)
	if !oneOf(cl.Form, FormDirect, FormReported) {
		c.add("form", "%q is not one of direct, reported", clip(string(cl.Form), 30))
	}
	c.date("date", cl.Date)
	c.text("date_text", cl.DateText, MaxShortLen, false, false)
	c.text("venue", cl.Venue, MaxShortLen, false, false)
	c.text("medium", cl.Medium, MaxShortLen, false, false)
	c.text("context", cl.Context, MaxContextLen, false, true)
	c.list("subjects", len(cl.Subjects))
	for i, s := range cl.Subjects {
		c.id(fmt.Sprintf("subjects[%d]", i), s, "person", true)
	}
	c.id("appears_in", cl.AppearsIn, "document", false)
	c.id("excerpt", cl.Excerpt, "excerpt", false)
	c.url("source_url", cl.SourceURL)
	if cl.Verdict != nil {
		for _, p := range cl.Verdict.Validate() {
			c.add("verdict."+p.Field, "%s", p.Text)
		}
	}
	if cl.SuggestedBy != "" && !ValidSnowflake(cl.SuggestedBy) {
		c.add("suggested_by", "%q is not a Discord user id", clip(cl.SuggestedBy, 30))
	}
	c.text("source_quote", cl.SourceQuote, MaxExcerptLen, false, true)
	switch {
	case cl.Excerpt == "" && cl.SourceURL == "":
		c.add("excerpt", "a claim needs a source: an excerpt id, or a source_url with the quoted words")
	case cl.SourceURL != "" && strings.TrimSpace(cl.SourceQuote) == "":
		c.add("source_quote", "a source_url needs the quoted words it holds")
	case cl.SourceURL != "" && cl.Form == FormDirect && !strings.Contains(cl.SourceQuote, cl.Words):
		c.add("words", "are not found verbatim in source_quote")
	}
	return ps
}

// Validate checks the evidence link's own fields, not its references.
func (e *Evidence) Validate() Problems {
	var ps Problems
	c := checker{&ps, "evidence[" + e.ID + "]"}
	c.meta(e.Record, "evidence")
	c.id("claim", e.Claim, "claim", true)
	if !oneOf(e.Relation, RelContradicts, RelSupports, RelContext, RelShowsKnowledge, RelReports) {
		c.add("relation", "%q is not one of contradicts, supports, context, shows-knowledge", clip(string(e.Relation), 30))
	}
	switch {
	case e.Excerpt == "" && e.Document == "":
		c.add("excerpt", "evidence needs an excerpt or a document")
	case e.Excerpt != "" && e.Document != "":
		c.add("document", "give an excerpt or a document, not both")
	}
	c.id("excerpt", e.Excerpt, "excerpt", false)
	c.id("document", e.Document, "document", false)
	c.text("rationale", e.Rationale, MaxRationaleLen, true, true)
	return ps
}

// Validate checks the figure's own fields, not its references.
func (f *Figure) Validate() Problems {
	var ps Problems
	c := checker{&ps, "figures[" + f.ID + "]"}
	c.meta(f.Record, "figure")
	c.text("label", f.Label, MaxShortLen, true, false)
	c.text("value", f.Value, MaxShortLen, true, false)
	c.text("period", f.Period, MaxShortLen, false, false)
	c.id("claim", f.Claim, "claim", false)
	c.id("excerpt", f.Excerpt, "excerpt", true)
	return ps
}

// Validate checks the event's own fields, not its references.
func (ev *Event) Validate() Problems {
	var ps Problems
	c := checker{&ps, "events[" + ev.ID + "]"}
	c.meta(ev.Record, "event")
	c.text("summary", ev.Summary, MaxSummaryLen, true, true)
	c.date("date", ev.Date)
	c.text("date_text", ev.DateText, MaxShortLen, false, false)
	if len(ev.Actors)+len(ev.Subjects) == 0 {
		c.add("actors", "an event needs at least one actor or subject")
	}
	c.list("actors", len(ev.Actors))
	c.list("subjects", len(ev.Subjects))
	for i, a := range append(append([]string(nil), ev.Actors...), ev.Subjects...) {
		field := fmt.Sprintf("actors[%d]", i)
		if i >= len(ev.Actors) {
			field = fmt.Sprintf("subjects[%d]", i-len(ev.Actors))
		}
		if k := KindOf(a); k != "person" && k != "organisation" && k != "document" {
			c.add(field, "%q is not a person, organisation or document id", clip(a, 40))
		}
	}
	c.id("excerpt", ev.Excerpt, "excerpt", true)
	return ps
}
