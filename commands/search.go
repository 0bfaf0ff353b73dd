package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

// linesPerPage is how many lines a line-list page shows (search, timeline,
// sources): short enough to read, well inside the embed limits.
const linesPerPage = 10

func searchCommand(store Store) *Command {
	return &Command{
		Shared: true, // the answer depends on the server, the question and the record only
		Def: &discordgo.ApplicationCommand{
			Name:        "search",
			Description: "Search everything on record: people, statements, quotes and documents",
			Contexts:    allContexts(),
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: "query", Required: true, MaxLength: maxQuery,
				Description: "Words to find: removal targets, memo, resign",
			}},
		},
		Example: "/search removal targets",
		Run: func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
			q, err := text(p, "query", "search", "removal targets", true)
			if err != nil {
				return nil, err
			}
			if len(knowledge.SearchTerms(q)) == 0 {
				return nil, knowledge.FieldError("query", "type at least one word with letters or digits, for example `/search targets`.")
			}
			offset := p.Int("o")
			page, err := store.Search(ctx, req.Actor.Scope(), q, offset, linesPerPage)
			if err != nil {
				return nil, err
			}
			if page.Total == 0 {
				return notFound("Nothing on record matches “"+EscapeFit(q, 100)+"”.",
					"Fewer or different words (every word must match), a name with `/who`, or `/sources` to see what the record draws on."), nil
			}
			var lines []string
			for _, h := range page.Items {
				lines = append(lines, searchLine(h))
			}
			total := thousands(page.Total)
			if page.Capped {
				total = "over " + total
			}
			b := newEmbed("Search: "+EscapeFit(q, 200), ColourRecord)
			b.description(fitLines(lines, LimitDescription))
			order := "best first"
			switch {
			case page.Unranked:
				order = "newest first (words this common are not ranked)"
			case page.Newest > 0:
				order = fmt.Sprintf("best of the %s newest first", thousands(page.Newest))
			}
			b.footer(fmt.Sprintf("%s matches, %s · showing %s", total, order, rangeText(offset, len(page.Items), page.Total)))
			msg := message("", b.finish())
			if msg.Components, err = pager(ctx, store, "search", Params{"query": q}, offset, len(page.Items), page.Total, linesPerPage); err != nil {
				return nil, err
			}
			return msg, nil
		},
	}
}

// searchLine renders a hit: its kind, what it belongs to, the snippet with
// the matching words in bold, and its id.
func searchLine(h knowledge.SearchHit) string {
	snippet := Highlight(h.Snippet, 260)
	line := "**" + upperFirst(kindLabel(h.Kind)) + "**"
	if h.Context != "" {
		line += " · " + EscapeFit(h.Context, 80)
	}
	return line + " — " + snippet + " `" + h.ID + "`"
}

func kindLabel(kind string) string {
	switch kind {
	case "claim":
		return "statement"
	case "excerpt":
		return "quote"
	case "evidence":
		return "evidence"
	}
	return kind
}

// Highlight renders a snippet whose matches sit between \x02 and \x03:
// the text escaped, the matches in bold, within limit units and with its
// bold closed even when cut.
func Highlight(snippet string, limit int) string {
	var b strings.Builder
	bold := false
	rest := strings.ReplaceAll(snippet, "\n", " ")
	for rest != "" {
		i := strings.IndexAny(rest, "\x02\x03")
		if i < 0 {
			b.WriteString(Escape(rest))
			break
		}
		b.WriteString(Escape(rest[:i]))
		open := rest[i] == '\x02'
		if open != bold {
			b.WriteString("**")
			bold = open
		}
		rest = rest[i+1:]
	}
	if bold {
		b.WriteString("**")
	}
	out := Fit(b.String(), limit-2)
	if strings.Count(out, "**")%2 == 1 {
		out += "**"
	}
	return out
}
