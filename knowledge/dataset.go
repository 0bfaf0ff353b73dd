package knowledge

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Lookup tells dataset validation about records that exist outside the
// dataset (in the database it is being loaded into). It returns the
// record's guild ("" for global) and whether the record exists. A nil
// Lookup means the dataset must be self-contained.
type Lookup func(id string) (guild string, ok bool)

// Sort puts every slice of the dataset in id order, the canonical order
// that export writes.
func (ds *Dataset) Sort() {
	byID := func(a, b Record) int { return cmp.Compare(a.ID, b.ID) }
	slices.SortFunc(ds.Organisations, func(a, b Organisation) int { return byID(a.Record, b.Record) })
	slices.SortFunc(ds.People, func(a, b Person) int { return byID(a.Record, b.Record) })
	slices.SortFunc(ds.Documents, func(a, b Document) int { return byID(a.Record, b.Record) })
	slices.SortFunc(ds.Excerpts, func(a, b Excerpt) int { return byID(a.Record, b.Record) })
	slices.SortFunc(ds.Claims, func(a, b Claim) int { return byID(a.Record, b.Record) })
	slices.SortFunc(ds.Evidence, func(a, b Evidence) int { return byID(a.Record, b.Record) })
	slices.SortFunc(ds.Figures, func(a, b Figure) int { return byID(a.Record, b.Record) })
	slices.SortFunc(ds.Events, func(a, b Event) int { return byID(a.Record, b.Record) })
}

// FillDefaults gives every record without an origin the one its scope
// implies: moderator for a server's record, owner for a global one.
func (ds *Dataset) FillDefaults() {
	for _, e := range ds.Entries() {
		r := e.Header()
		if r.Origin == "" {
			r.Origin = OriginOwner
			if r.Guild != "" {
				r.Origin = OriginModerator
			}
		}
	}
}

// Len returns the number of records in the dataset.
func (ds *Dataset) Len() int {
	return len(ds.Organisations) + len(ds.People) + len(ds.Documents) + len(ds.Excerpts) +
		len(ds.Claims) + len(ds.Evidence) + len(ds.Figures) + len(ds.Events)
}

// Validate checks every record of the dataset and every reference between
// records: ids unique and of the right kind, references resolvable within
// the dataset or through known, excerpts equal to their document's text at
// their offsets, direct claims found verbatim in their excerpt, global
// records referring only to global records, a server's records only to
// global ones or its own. It returns every problem found, each naming the
// record and the field.
func (ds *Dataset) Validate(known Lookup) Problems {
	var ps Problems
	if ds.Format != Format {
		ps = append(ps, Problem{Field: "format", Text: fmt.Sprintf("is %q; this version of OnRecord reads %q", clip(ds.Format, 30), Format)})
		return ps
	}
	guild := map[string]string{} // id -> guild of every record in the dataset
	add := func(section string, r Record) {
		if _, dup := guild[r.ID]; dup && r.ID != "" {
			ps = append(ps, Problem{Record: section + "[" + r.ID + "]", Field: "id", Text: "is used by another record in the file"})
		}
		guild[r.ID] = r.Guild
	}
	for i := range ds.Organisations {
		add("organisations", ds.Organisations[i].Record)
		ps = append(ps, ds.Organisations[i].Validate()...)
	}
	for i := range ds.People {
		add("people", ds.People[i].Record)
		ps = append(ps, ds.People[i].Validate()...)
	}
	docs := map[string]*Document{}
	for i := range ds.Documents {
		d := &ds.Documents[i]
		add("documents", d.Record)
		docs[d.ID] = d
		ps = append(ps, d.Validate()...)
	}
	excerpts := map[string]*Excerpt{}
	for i := range ds.Excerpts {
		x := &ds.Excerpts[i]
		add("excerpts", x.Record)
		excerpts[x.ID] = x
		ps = append(ps, x.Validate()...)
	}
	for i := range ds.Claims {
		add("claims", ds.Claims[i].Record)
		ps = append(ps, ds.Claims[i].Validate()...)
	}
	for i := range ds.Evidence {
		add("evidence", ds.Evidence[i].Record)
		ps = append(ps, ds.Evidence[i].Validate()...)
	}
	for i := range ds.Figures {
		add("figures", ds.Figures[i].Record)
		ps = append(ps, ds.Figures[i].Validate()...)
	}
	for i := range ds.Events {
		add("events", ds.Events[i].Record)
		ps = append(ps, ds.Events[i].Validate()...)
	}
	if len(ps) > 0 {
		return ps // references are only worth checking between well-formed records
	}

	// ref checks that id exists and that a record of guild g may refer to it.
	ref := func(section string, r Record, field, id string) {
		if id == "" {
			return
		}
		target, ok := guild[id]
		if !ok && known != nil {
			target, ok = known(id)
		}
		c := checker{&ps, section + "[" + r.ID + "]"}
		switch {
		case !ok:
			c.add(field, "refers to %s, which is not in the file or the record", id)
		case target != "" && target != r.Guild:
			c.add(field, "refers to %s, which belongs to another server", id)
		}
	}
	refs := func(section string, r Record, field string, ids []string) {
		for i, id := range ids {
			ref(section, r, fmt.Sprintf("%s[%d]", field, i), id)
		}
	}
	for _, o := range ds.Organisations {
		ref("organisations", o.Record, "parent", o.Parent)
		refs("organisations", o.Record, "sources", o.Sources)
	}
	for _, p := range ds.People {
		for i, a := range p.Aliases {
			ref("people", p.Record, fmt.Sprintf("aliases[%d].excerpt", i), a.Excerpt)
		}
		for i, r := range p.Roles {
			ref("people", p.Record, fmt.Sprintf("roles[%d].organisation", i), r.Organisation)
			ref("people", p.Record, fmt.Sprintf("roles[%d].excerpt", i), r.Excerpt)
		}
		refs("people", p.Record, "sources", p.Sources)
	}
	for _, d := range ds.Documents {
		for i, p := range d.Parties {
			ref("documents", d.Record, fmt.Sprintf("parties[%d].ref", i), p.Ref)
			ref("documents", d.Record, fmt.Sprintf("parties[%d].excerpt", i), p.Excerpt)
		}
		refs("documents", d.Record, "sources", d.Sources)
	}
	for _, x := range ds.Excerpts {
		ref("excerpts", x.Record, "document", x.Document)
		ref("excerpts", x.Record, "quoted_from", x.QuotedFrom)
		if d, ok := docs[x.Document]; ok {
			ps = append(ps, x.CheckSpan(d.Text)...)
		}
	}
	for _, cl := range ds.Claims {
		ref("claims", cl.Record, "speaker", cl.Speaker)
		refs("claims", cl.Record, "subjects", cl.Subjects)
		ref("claims", cl.Record, "appears_in", cl.AppearsIn)
		ref("claims", cl.Record, "excerpt", cl.Excerpt)
		if x, ok := excerpts[cl.Excerpt]; ok && cl.Form == FormDirect && !strings.Contains(x.Text, cl.Words) {
			checker{&ps, "claims[" + cl.ID + "]"}.add("words", "are not found verbatim in excerpt %s", x.ID)
		}
	}
	for _, e := range ds.Evidence {
		ref("evidence", e.Record, "claim", e.Claim)
		ref("evidence", e.Record, "excerpt", e.Excerpt)
		ref("evidence", e.Record, "document", e.Document)
	}
	for _, f := range ds.Figures {
		ref("figures", f.Record, "claim", f.Claim)
		ref("figures", f.Record, "excerpt", f.Excerpt)
		if x, ok := excerpts[f.Excerpt]; ok && !strings.Contains(x.Text, f.Value) {
			checker{&ps, "figures[" + f.ID + "]"}.add("value", "%q is not found in excerpt %s", f.Value, x.ID)
		}
	}
	for _, ev := range ds.Events {
		refs("events", ev.Record, "actors", ev.Actors)
		refs("events", ev.Record, "subjects", ev.Subjects)
		ref("events", ev.Record, "excerpt", ev.Excerpt)
	}
	ps = append(ps, parentCycles(ds.Organisations)...)
	return ps
}

// parentCycles reports organisations whose parent chain loops.
func parentCycles(orgs []Organisation) Problems {
	parent := map[string]string{}
	for _, o := range orgs {
		parent[o.ID] = o.Parent
	}
	var ps Problems
	for _, o := range orgs {
		seen := map[string]bool{o.ID: true}
		for p := o.Parent; p != ""; p = parent[p] {
			if seen[p] {
				ps = append(ps, Problem{Record: "organisations[" + o.ID + "]", Field: "parent", Text: "makes a loop of parents"})
				break
			}
			seen[p] = true
		}
	}
	return ps
}

// RenameID gives the record old the id new, and makes every reference to
// it in the dataset follow.
func (ds *Dataset) RenameID(old, new string) {
	ren := func(s *string) {
		if *s == old {
			*s = new
		}
	}
	renAll := func(ss []string) {
		for i := range ss {
			ren(&ss[i])
		}
	}
	for _, e := range ds.Entries() {
		ren(&e.Header().ID)
	}
	for i := range ds.Organisations {
		o := &ds.Organisations[i]
		ren(&o.Parent)
		renAll(o.Sources)
	}
	for i := range ds.People {
		p := &ds.People[i]
		for j := range p.Aliases {
			ren(&p.Aliases[j].Excerpt)
		}
		for j := range p.Roles {
			ren(&p.Roles[j].Organisation)
			ren(&p.Roles[j].Excerpt)
		}
		renAll(p.Sources)
	}
	for i := range ds.Documents {
		d := &ds.Documents[i]
		for j := range d.Parties {
			ren(&d.Parties[j].Ref)
			ren(&d.Parties[j].Excerpt)
		}
		renAll(d.Sources)
	}
	for i := range ds.Excerpts {
		ren(&ds.Excerpts[i].Document)
		ren(&ds.Excerpts[i].QuotedFrom)
	}
	for i := range ds.Claims {
		c := &ds.Claims[i]
		ren(&c.Speaker)
		ren(&c.AppearsIn)
		ren(&c.Excerpt)
		renAll(c.Subjects)
	}
	for i := range ds.Evidence {
		e := &ds.Evidence[i]
		ren(&e.Claim)
		ren(&e.Excerpt)
		ren(&e.Document)
	}
	for i := range ds.Figures {
		ren(&ds.Figures[i].Claim)
		ren(&ds.Figures[i].Excerpt)
	}
	for i := range ds.Events {
		ev := &ds.Events[i]
		renAll(ev.Actors)
		renAll(ev.Subjects)
		ren(&ev.Excerpt)
	}
}
