package extract

import (
	"github.com/onrecord/onrecord/knowledge"
)

// MapDirectory is a Directory held in memory: people by every form of
// their name.
type MapDirectory map[string][]knowledge.Candidate

// Lookup returns the people with a name form whose knowledge.NameKey is
// name's.
func (m MapDirectory) Lookup(name string) []knowledge.Candidate {
	return m[knowledge.NameKey(name)]
}

// NewMapDirectory returns the directory of ds's people that are not
// retracted: their names, aliases and role titles.
func NewMapDirectory(ds *knowledge.Dataset) MapDirectory {
	m := MapDirectory{}
	for _, p := range ds.People {
		if p.Retracted != nil {
			continue
		}
		c := knowledge.Candidate{PersonID: p.ID, Name: p.Name}
		c.Forms = append(c.Forms, p.Name)
		for _, a := range p.Aliases {
			c.Forms = append(c.Forms, a.Name)
		}
		for _, r := range p.Roles {
			if r.To == "" {
				c.Forms = append(c.Forms, r.Title)
			}
		}
		if len(p.Roles) > 0 {
			c.Role = p.Roles[0].Title
		}
		seen := map[string]bool{}
		for _, f := range c.Forms {
			k := knowledge.NameKey(f)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			m[k] = append(m[k], c)
		}
	}
	return m
}

// FuncDirectory is a Directory backed by a lookup that can fail (a
// database). The first error is kept for Err, and every later lookup
// finds nobody, so that a failing record never yields a guess.
type FuncDirectory struct {
	lookup func(name string) ([]knowledge.Candidate, error)
	err    error
}

// NewFuncDirectory returns a FuncDirectory calling lookup.
func NewFuncDirectory(lookup func(name string) ([]knowledge.Candidate, error)) *FuncDirectory {
	return &FuncDirectory{lookup: lookup}
}

// Lookup returns lookup's people for name, or none once a lookup failed.
func (f *FuncDirectory) Lookup(name string) []knowledge.Candidate {
	if f.err != nil {
		return nil
	}
	c, err := f.lookup(name)
	if err != nil {
		f.err = err
		return nil
	}
	return c
}

// Err returns the first lookup error, or nil.
func (f *FuncDirectory) Err() error { return f.err }
