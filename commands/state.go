package commands

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/onrecord/onrecord/knowledge"
)

// Component custom_ids carry everything needed to answer a button press or
// a menu choice, so that any instance of the bot can answer it, even after
// a restart: "PREFIX:COMMAND?PARAMS" with the parameters URL-encoded in
// key order. Free text too long to fit (a search query) is kept in the
// database under a short key; its parameter then holds "~KEY".
const (
	// PrefixPage is a Previous or Next button of a list.
	PrefixPage = "pg"
	// PrefixPick is a menu choosing one of several people a name fits.
	PrefixPick = "pk"
	// PrefixAction is a button that acts: approve or reject a suggestion.
	PrefixAction = "ac"
	// PrefixModal is a form: an edit, a rejection's reason.
	PrefixModal = "md"
	// MaxCustomID is Discord's limit on a custom_id.
	MaxCustomID = 100
)

// Params are a command's option values by name, plus the paging
// parameters: "o" (offset) and "d" ("n" for the page starting at o, "p"
// for the page ending before o).
type Params map[string]string

// Int returns parameter k as a non-negative integer, or 0.
func (p Params) Int(k string) int {
	n, err := strconv.Atoi(p[k])
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// State is what a component's custom_id encodes.
type State struct {
	Prefix  string
	Command string
	Params  Params
}

// Texter keeps free text under short keys for custom_ids.
type Texter interface {
	// SaveText keeps text and returns its key (the same text, the same key).
	SaveText(ctx context.Context, text string) (string, error)
	// LoadText returns the text under key; CodeNotFound when there is none.
	LoadText(ctx context.Context, key string) (string, error)
}

// freeText names the parameters that hold what a user typed freely, which
// may be moved into the database when the custom_id would be too long.
func freeText(k string) bool { return k == "about" || k == "query" }

// Encode returns the custom_id for s, moving free text into the database
// through t when it would not fit in 100 characters. Errors: CodeInternal
// when even then it does not fit.
func (s State) Encode(ctx context.Context, t Texter) (string, error) {
	id := s.encode()
	if len(id) <= MaxCustomID {
		return id, nil
	}
	short := State{Prefix: s.Prefix, Command: s.Command, Params: Params{}}
	for k, v := range s.Params {
		if freeText(k) && v != "" {
			key, err := t.SaveText(ctx, v)
			if err != nil {
				return "", err
			}
			v = "~" + key
		}
		short.Params[k] = v
	}
	id = short.encode()
	if len(id) > MaxCustomID {
		return "", fmt.Errorf("custom_id for /%s is %d characters even with its text stored", s.Command, len(id))
	}
	return id, nil
}

func (s State) encode() string {
	v := url.Values{}
	for k, x := range s.Params {
		if x != "" {
			v.Set(k, x)
		}
	}
	return s.Prefix + ":" + s.Command + "?" + v.Encode()
}

// DecodeState parses a custom_id made by Encode, loading stored free text
// through t. Errors: CodeInvalid for a custom_id OnRecord did not make;
// CodeNotFound when stored text has gone.
func DecodeState(ctx context.Context, t Texter, customID string) (State, error) {
	var s State
	bad := knowledge.Errorf(knowledge.CodeInvalid, "That button is not one of OnRecord's. Run the command again.")
	if len(customID) > MaxCustomID {
		return s, bad
	}
	prefix, rest, ok := strings.Cut(customID, ":")
	if !ok || (prefix != PrefixPage && prefix != PrefixPick && prefix != PrefixAction && prefix != PrefixModal) {
		return s, bad
	}
	cmd, query, ok := strings.Cut(rest, "?")
	if !ok || cmd == "" || len(cmd) > 32 {
		return s, bad
	}
	vals, err := url.ParseQuery(query)
	if err != nil {
		return s, bad
	}
	s = State{Prefix: prefix, Command: cmd, Params: Params{}}
	for k, vs := range vals {
		if len(vs) != 1 {
			return State{}, bad
		}
		v := vs[0]
		if key, stored := strings.CutPrefix(v, "~"); stored && freeText(k) {
			if v, err = t.LoadText(ctx, key); err != nil {
				return State{}, err
			}
		}
		s.Params[k] = v
	}
	return s, nil
}
