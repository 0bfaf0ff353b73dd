package knowledge

import "strings"

// Ref is one reference from a record to another: the field it is made in
// and the id it names.
type Ref struct {
	Field string // "speaker", "subject", "excerpt", "party:sender", ...
	ID    string
}

// Entry is what every record kind offers a store: its record metadata
// (KindOf its id gives its kind), the name lists show it by, the text search indexes, and its references.
type Entry interface {
	Meta() Record
	// Header returns the record's metadata for the store to set (id,
	// guild, origin, retraction).
	Header() *Record
	// Validate checks the record's own fields, not its references.
	Validate() Problems
	Display() string
	SearchText() string
	Refs() []Ref
}

func refs(field string, ids ...string) []Ref {
	var out []Ref
	for _, id := range ids {
		if id != "" {
			out = append(out, Ref{Field: field, ID: id})
		}
	}
	return out
}

// joinText joins the non-blank parts with " · ", so that a search
// snippet spanning two of them reads as separate phrases.
func joinText(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			if b.Len() > 0 {
				b.WriteString(" · ")
			}
			b.WriteString(p)
		}
	}
	return b.String()
}

// Meta returns the record metadata.
func (o *Organisation) Meta() Record { return o.Record }

func (o *Organisation) Header() *Record { return &o.Record }

// Display returns the organisation's name.
func (o *Organisation) Display() string { return o.Name }

// SearchText returns the name, aliases and summary.
func (o *Organisation) SearchText() string {
	return joinText(o.Name, strings.Join(o.Aliases, ", "), o.Summary)
}

// Refs returns the parent and the sources.
func (o *Organisation) Refs() []Ref {
	return append(refs("parent", o.Parent), refs("source", o.Sources...)...)
}

// Meta returns the record metadata.
func (p *Person) Meta() Record { return p.Record }

func (p *Person) Header() *Record { return &p.Record }

// Display returns the person's name.
func (p *Person) Display() string { return p.Name }

// SearchText returns the name, aliases, role titles and summary.
func (p *Person) SearchText() string {
	var aliases, roles []string
	for _, a := range p.Aliases {
		aliases = append(aliases, a.Name)
	}
	for _, r := range p.Roles {
		roles = append(roles, r.Title)
	}
	return joinText(p.Name, strings.Join(aliases, ", "), strings.Join(roles, ", "), p.Summary)
}

// Refs returns role organisations and every excerpt the person's facts cite.
func (p *Person) Refs() []Ref {
	var out []Ref
	for _, a := range p.Aliases {
		out = append(out, refs("source", a.Excerpt)...)
	}
	for _, r := range p.Roles {
		out = append(out, refs("role", r.Organisation)...)
		out = append(out, refs("source", r.Excerpt)...)
	}
	return append(out, refs("source", p.Sources...)...)
}

// NameForms returns every form of the person's name a user may type: the
// display name, the aliases, and the titles of roles without an end date.
func (p *Person) NameForms() []string {
	forms := []string{p.Name}
	for _, a := range p.Aliases {
		forms = append(forms, a.Name)
	}
	for _, r := range p.Roles {
		if r.To == "" {
			forms = append(forms, r.Title)
		}
	}
	return forms
}

// CurrentRole returns the title of the person's first role without an end
// date, or "".
func (p *Person) CurrentRole() string {
	for _, r := range p.Roles {
		if r.To == "" {
			return r.Title
		}
	}
	return ""
}

// Meta returns the record metadata.
func (d *Document) Meta() Record { return d.Record }

func (d *Document) Header() *Record { return &d.Record }

// Display returns the title.
func (d *Document) Display() string { return d.Title }

// SearchText returns the title, summary and date text (not the full text,
// whose excerpts are indexed on their own).
func (d *Document) SearchText() string { return joinText(d.Title, d.Summary, d.DateText) }

// Refs returns the parties and the sources.
func (d *Document) Refs() []Ref {
	var out []Ref
	for _, p := range d.Parties {
		out = append(out, refs("party:"+string(p.Role), p.Ref)...)
		out = append(out, refs("source", p.Excerpt)...)
	}
	return append(out, refs("source", d.Sources...)...)
}

// Meta returns the record metadata.
func (x *Excerpt) Meta() Record { return x.Record }

func (x *Excerpt) Header() *Record { return &x.Record }

// Display returns the excerpt's text.
func (x *Excerpt) Display() string { return x.Text }

// SearchText returns the excerpt's text.
func (x *Excerpt) SearchText() string { return x.Text }

// Refs returns the document and the document quoted.
func (x *Excerpt) Refs() []Ref {
	return append(refs("document", x.Document), refs("quoted_from", x.QuotedFrom)...)
}

// Meta returns the record metadata.
func (cl *Claim) Meta() Record { return cl.Record }

func (cl *Claim) Header() *Record { return &cl.Record }

// Display returns the claim's words.
func (cl *Claim) Display() string { return cl.Words }

// SearchText returns the words and where, how and in what context they were said.
func (cl *Claim) SearchText() string {
	return joinText(cl.Words, cl.Venue, cl.Medium, cl.Context, cl.DateText)
}

// Refs returns the speaker, subjects, the document it appears in and its excerpt.
func (cl *Claim) Refs() []Ref {
	out := refs("speaker", cl.Speaker)
	out = append(out, refs("subject", cl.Subjects...)...)
	out = append(out, refs("appears_in", cl.AppearsIn)...)
	return append(out, refs("excerpt", cl.Excerpt)...)
}

// Meta returns the record metadata.
func (e *Evidence) Meta() Record { return e.Record }

func (e *Evidence) Header() *Record { return &e.Record }

// Display returns the rationale.
func (e *Evidence) Display() string { return e.Rationale }

// SearchText returns the rationale.
func (e *Evidence) SearchText() string { return e.Rationale }

// Refs returns the claim and the excerpt or document.
func (e *Evidence) Refs() []Ref {
	out := refs("claim", e.Claim)
	out = append(out, refs("excerpt", e.Excerpt)...)
	return append(out, refs("document", e.Document)...)
}

// Meta returns the record metadata.
func (f *Figure) Meta() Record { return f.Record }

func (f *Figure) Header() *Record { return &f.Record }

// Display returns "label: value".
func (f *Figure) Display() string { return f.Label + ": " + f.Value }

// SearchText returns the label, value and period.
func (f *Figure) SearchText() string { return joinText(f.Label, f.Value, f.Period) }

// Refs returns the claim and the excerpt.
func (f *Figure) Refs() []Ref { return append(refs("claim", f.Claim), refs("excerpt", f.Excerpt)...) }

// Meta returns the record metadata.
func (ev *Event) Meta() Record { return ev.Record }

func (ev *Event) Header() *Record { return &ev.Record }

// Display returns the summary.
func (ev *Event) Display() string { return ev.Summary }

// SearchText returns the summary and the date text.
func (ev *Event) SearchText() string { return joinText(ev.Summary, ev.DateText) }

// Refs returns the actors, subjects and the excerpt.
func (ev *Event) Refs() []Ref {
	out := refs("actor", ev.Actors...)
	out = append(out, refs("subject", ev.Subjects...)...)
	return append(out, refs("excerpt", ev.Excerpt)...)
}

// Entries returns every record of the dataset as an Entry, in dependency
// order: those a record may refer to come first where the kinds allow it.
func (ds *Dataset) Entries() []Entry {
	out := make([]Entry, 0, ds.Len())
	for i := range ds.Documents {
		out = append(out, &ds.Documents[i])
	}
	for i := range ds.Excerpts {
		out = append(out, &ds.Excerpts[i])
	}
	for i := range ds.Organisations {
		out = append(out, &ds.Organisations[i])
	}
	for i := range ds.People {
		out = append(out, &ds.People[i])
	}
	for i := range ds.Claims {
		out = append(out, &ds.Claims[i])
	}
	for i := range ds.Evidence {
		out = append(out, &ds.Evidence[i])
	}
	for i := range ds.Figures {
		out = append(out, &ds.Figures[i])
	}
	for i := range ds.Events {
		out = append(out, &ds.Events[i])
	}
	return out
}
