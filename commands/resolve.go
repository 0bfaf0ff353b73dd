package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

// PersonFinder resolves a typed name to the people it may mean.
type PersonFinder interface {
	// FindPerson ranks the people visible in scope for query; an empty
	// Best means nobody fits.
	FindPerson(ctx context.Context, scope knowledge.Scope, query string) (knowledge.Resolution, error)
}

// maxQuery is the longest name a member may type; longer input is refused
// with a message, not searched.
const maxQuery = 200

// stringOption returns the value of the string option called name, and
// whether it was given.
func stringOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (string, bool) {
	for _, o := range opts {
		if o.Name == name && o.Type == discordgo.ApplicationCommandOptionString {
			if v, ok := o.Value.(string); ok {
				return v, true
			}
		}
	}
	return "", false
}

// requiredText returns the trimmed string option name, or a CodeInvalid
// error that says what to type when it is missing, blank or too long.
func requiredText(req *Request, name, example string) (string, error) {
	v, _ := stringOption(req.Data.Options, name)
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", knowledge.FieldError(name, "type a %s, for example `/%s %s:%s`.", name, req.Data.Name, name, example)
	case len([]rune(v)) > maxQuery:
		return "", knowledge.FieldError(name, "that %s is %d characters long; type at most %d.", name, len([]rune(v)), maxQuery)
	}
	return v, nil
}

// resolvePerson finds the one person query names. When it names nobody or
// several people equally, it returns instead the answer to show: not on
// record with the closest names, or the list of people it fits.
func resolvePerson(ctx context.Context, store PersonFinder, actor knowledge.Actor, command, query string) (knowledge.NameMatch, *discordgo.InteractionResponse, error) {
	res, err := store.FindPerson(ctx, actor.Scope(), query)
	if err != nil {
		return knowledge.NameMatch{}, nil, err
	}
	if m, ok := res.Found(); ok {
		return m, nil, nil
	}
	if len(res.Best) == 0 {
		return knowledge.NameMatch{}, notOnRecord(command, query, res.Suggestions), nil
	}
	return knowledge.NameMatch{}, ambiguous(command, query, res), nil
}

// personLine names a candidate with what tells them apart.
func personLine(m knowledge.NameMatch) string {
	line := "**" + Escape(m.Name) + "**"
	if m.Role != "" {
		line += " — " + Escape(m.Role)
	}
	return line + " · `" + m.PersonID + "`"
}

func notOnRecord(command, query string, suggestions []knowledge.NameMatch) *discordgo.InteractionResponse {
	b := newEmbed("Not on record", ColourNotice)
	desc := fmt.Sprintf("Nobody called “%s” is on record here. I searched names, aliases (“Ms Rudd”) and role titles (“the home secretary”), allowing for a typo or two.", EscapeFit(query, 100))
	b.description(desc)
	if len(suggestions) > 0 {
		var lines []string
		for _, s := range suggestions {
			lines = append(lines, "• "+personLine(s))
		}
		b.field("Closest names", strings.Join(lines, "\n"), false)
		b.field("Try", fmt.Sprintf("`/%s %s`", command, strings.ReplaceAll(suggestions[0].Name, "`", "")), false)
	} else {
		b.field("Try", "A surname alone (`/"+command+" Rudd`), a full name, or a role (`/"+command+" the home secretary`).", false)
	}
	return Message("", b.e)
}

func ambiguous(command, query string, res knowledge.Resolution) *discordgo.InteractionResponse {
	b := newEmbed("Several people fit", ColourNotice)
	b.description(fmt.Sprintf("“%s” fits %d people equally well. Which one did you mean?", EscapeFit(query, 100), res.Total))
	var lines []string
	for i, m := range res.Best {
		if i == 10 {
			lines = append(lines, fmt.Sprintf("… and %d more", res.Total-i))
			break
		}
		lines = append(lines, "• "+personLine(m))
	}
	b.field("People", strings.Join(lines, "\n"), false)
	b.field("Try", fmt.Sprintf("Ask again with the full name, for example `/%s %s`.", command, strings.ReplaceAll(res.Best[0].Name, "`", "")), false)
	return Message("", b.e)
}
