package commands

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

// PersonFinder resolves a typed name to the people it may mean.
type PersonFinder interface {
	// FindPerson ranks the people visible in scope for query (a name as
	// typed, or a person's id); an empty Best means nobody fits.
	FindPerson(ctx context.Context, scope knowledge.Scope, query string) (knowledge.Resolution, error)
}

// maxQuery is the longest name or search a member may type; longer input
// is refused with a message, not searched.
const maxQuery = 200

// text returns the trimmed parameter name, or a CodeInvalid error that
// says what to type when it is required and missing or blank, or too long.
func text(p Params, name, command, example string, required bool) (string, error) {
	v := strings.TrimSpace(p[name])
	switch {
	case v == "" && required:
		return "", knowledge.FieldError(name, "type a %s, for example `/%s %s:%s`.", name, command, name, example)
	case len([]rune(v)) > maxQuery:
		return "", knowledge.FieldError(name, "that %s is %d characters long; type at most %d.", name, len([]rune(v)), maxQuery)
	}
	return v, nil
}

// status returns the status parameter, or a CodeInvalid error.
func status(p Params) (knowledge.Status, error) {
	switch s := knowledge.Status(strings.ToLower(strings.TrimSpace(p["status"]))); s {
	case "", knowledge.StatusContradicted, knowledge.StatusSupported, knowledge.StatusDisputed, knowledge.StatusUnverified:
		return s, nil
	}
	return "", knowledge.FieldError("status", "status must be contradicted, supported, disputed or unverified.")
}

// resolvePerson finds the one person named by parameter field of command.
// When the name fits nobody, or several people equally, it returns instead
// the message to show: not on record with the closest names, or a menu of
// the people it fits whose choice answers the original question.
func resolvePerson(ctx context.Context, store interface {
	PersonFinder
	Texter
}, req *Request, command, field string, p Params) (knowledge.NameMatch, *discordgo.InteractionResponseData, error) {
	query := strings.TrimSpace(p[field])
	res, err := store.FindPerson(ctx, req.Actor.Scope(), query)
	if err != nil {
		return knowledge.NameMatch{}, nil, err
	}
	if m, ok := res.Found(); ok {
		return m, nil, nil
	}
	if len(res.Best) == 0 {
		return knowledge.NameMatch{}, notOnRecord(command, query, res.Suggestions), nil
	}
	msg, err := ambiguous(ctx, store, command, field, p, res)
	return knowledge.NameMatch{}, msg, err
}

// personLine names a candidate with what tells them apart.
func personLine(m knowledge.NameMatch) string {
	line := "**" + Escape(m.Name) + "**"
	if m.Role != "" {
		line += " — " + Escape(m.Role)
	}
	return line + " · `" + m.PersonID + "`"
}

func notOnRecord(command, query string, suggestions []knowledge.NameMatch) *discordgo.InteractionResponseData {
	b := newEmbed("Not on record", ColourNotice)
	b.description(fmt.Sprintf("Nobody called “%s” is on record here. I searched names, aliases (“Ms Rudd”) and role titles (“the home secretary”), allowing for a typo or two.", EscapeFit(query, 100)))
	if len(suggestions) > 0 {
		var lines []string
		for _, s := range suggestions {
			lines = append(lines, "• "+personLine(s))
		}
		b.field("Closest names", strings.Join(lines, "\n"), false)
		b.field("Try", fmt.Sprintf("`/%s %s`", command, strings.ReplaceAll(suggestions[0].Name, "`", "")), false)
	} else {
		b.field("Try", "A surname alone (`/"+command+" Rudd`), a full name, a role (`/"+command+" the home secretary`), or `/search` for any word.", false)
	}
	return message("", b.finish())
}

// ambiguous answers with a menu of the people a name fits equally.
func ambiguous(ctx context.Context, t Texter, command, field string, p Params, res knowledge.Resolution) (*discordgo.InteractionResponseData, error) {
	st := State{Prefix: PrefixPick, Command: command, Params: maps.Clone(p)}
	delete(st.Params, field)
	delete(st.Params, "o")
	delete(st.Params, "d")
	st.Params["f"] = field
	id, err := st.Encode(ctx, t)
	if err != nil {
		return nil, err
	}
	var opts []discordgo.SelectMenuOption
	for _, m := range res.Best[:min(len(res.Best), 25)] {
		desc := m.Role
		if desc == "" {
			desc = m.PersonID
		}
		opts = append(opts, discordgo.SelectMenuOption{Label: Fit(Plain(m.Name), 100), Value: m.PersonID, Description: Fit(Plain(desc), 100)})
	}
	b := newEmbed("Several people fit", ColourNotice)
	count := thousands(res.Total)
	if res.More {
		count = "more than " + count
	}
	desc := fmt.Sprintf("“%s” fits %s people equally well. Choose one below, or ask again with the full name.", EscapeFit(res.Query, 100), count)
	if res.Total > 25 {
		desc += fmt.Sprintf(" The menu shows the 25 most prominent of %s.", count)
	}
	b.description(desc)
	var lines []string
	for _, m := range res.Best[:min(len(res.Best), 10)] {
		lines = append(lines, "• "+personLine(m))
	}
	if res.Total > 10 {
		more := "… and " + thousands(res.Total-10) + " more"
		if res.More {
			more = "… and more than " + thousands(res.Total-10) + " more"
		}
		lines = append(lines, more)
	}
	b.field("People", strings.Join(lines, "\n"), false)
	msg := message("", b.finish())
	msg.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.SelectMenu{MenuType: discordgo.StringSelectMenu, CustomID: id, Placeholder: "Which one did you mean?", Options: opts},
	}}}
	return msg, nil
}

// suggest answers autocomplete for an option naming a record of kind.
func suggest(ctx context.Context, store interface {
	Suggest(ctx context.Context, scope knowledge.Scope, kind, typed string) ([]knowledge.Choice, error)
}, req *Request, kind, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	if len([]rune(typed)) > maxQuery {
		typed = string([]rune(typed)[:maxQuery])
	}
	choices, err := store.Suggest(ctx, req.Actor.Scope(), kind, typed)
	if err != nil {
		return nil, err
	}
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, min(len(choices), 25))
	for _, c := range choices[:min(len(choices), 25)] {
		name := Fit(Plain(c.Name), 100)
		if strings.TrimSpace(name) == "" {
			name = c.Value
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: name, Value: c.Value})
	}
	return out, nil
}
