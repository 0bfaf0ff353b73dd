package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

func timelineCommand(store Store) *Command {
	return &Command{
		Shared: true, // the answer depends on the server, the question and the record only
		Def: &discordgo.ApplicationCommand{
			Name:        "timeline",
			Description: "What happened when: documents, statements and events in date order",
			Contexts:    allContexts(),
			Options: []*discordgo.ApplicationCommandOption{
				personOption("person", "Only what this person said, did or was party to", false),
				aboutOption("Only items that mention this: memo, targets"),
			},
		},
		Example: "/timeline person:Amber Rudd",
		Run: func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
			about, err := text(p, "about", "timeline", "memo", false)
			if err != nil {
				return nil, err
			}
			q := knowledge.TimelineQuery{About: about, Offset: p.Int("o"), Limit: linesPerPage}
			who := ""
			if name, err := text(p, "person", "timeline", "Amber Rudd", false); err != nil {
				return nil, err
			} else if name != "" {
				m, answer, err := resolvePerson(ctx, store, req, "timeline", "person", p)
				if err != nil || answer != nil {
					return answer, err
				}
				q.Person, who = m.PersonID, m.Name
			}
			page, err := store.Timeline(ctx, req.Actor.Scope(), q)
			if err != nil {
				return nil, err
			}
			filter := ""
			if who != "" {
				filter += " involving " + Escape(who)
			}
			if about != "" {
				filter += " about “" + EscapeFit(about, 80) + "”"
			}
			if page.Total == 0 {
				return notFound("Nothing dated on record"+filter+".", "`/timeline` without filters, or `/search` for any word."), nil
			}
			var cites citations
			var lines []string
			undatedHeading := false
			for _, it := range page.Items {
				if it.Date == "" && !undatedHeading {
					lines = append(lines, "*Dated only in the source's words, so placed last:*")
					undatedHeading = true
				}
				lines = append(lines, timelineLine(it, &cites))
			}
			b := newEmbed("Timeline"+filter, ColourRecord)
			b.description(fitLines(lines, 3000))
			b.field("Sources", cites.field(LimitFieldValue), false)
			shown := rangeText(q.Offset, len(page.Items), page.Total)
			if page.Capped {
				shown = strings.Replace(shown, " of ", " of over ", 1)
			}
			b.footer(fmt.Sprintf("%s items, as precisely dated as their sources", shown))
			msg := message("", b.finish())
			params := Params{"person": q.Person, "about": about}
			if msg.Components, err = pager(ctx, store, "timeline", params, q.Offset, len(page.Items), page.Total, linesPerPage); err != nil {
				return nil, err
			}
			return msg, nil
		},
		Complete: func(ctx context.Context, req *Request, _, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
			return suggest(ctx, store, req, "person", typed)
		},
	}
}

// timelineLine renders an item with its date as precise as its source
// gives it, never more.
func timelineLine(it knowledge.TimelineItem, cites *citations) string {
	date := spellDate(it.Date)
	if date == "" {
		date = "“" + Escape(it.DateText) + "”"
	} else if it.DateText != "" && !strings.EqualFold(it.DateText, date) {
		date += " (" + Escape(it.DateText) + ")"
	}
	line := "**" + date + "** · "
	if it.Who != "" {
		line += Escape(it.Who) + ": "
	}
	return line + EscapeFit(it.Text, 200) + cites.cite(it.Source) + " `" + it.ID + "`"
}

func sourcesCommand(store Store) *Command {
	return &Command{
		Shared: true, // the answer depends on the server, the question and the record only
		Def: &discordgo.ApplicationCommand{
			Name:        "sources",
			Description: "The documents OnRecord's facts come from, with links",
			Contexts:    allContexts(),
		},
		Example: "/sources",
		Run: func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
			offset := p.Int("o")
			page, err := store.Sources(ctx, req.Actor.Scope(), offset, linesPerPage)
			if err != nil {
				return nil, err
			}
			if len(page.Items) == 0 && offset > 0 && page.Total > 0 {
				// Past the end (the record shrank since the button was
				// made): the last page.
				offset = (page.Total - 1) / linesPerPage * linesPerPage
				if page, err = store.Sources(ctx, req.Actor.Scope(), offset, linesPerPage); err != nil {
					return nil, err
				}
			}
			if len(page.Items) == 0 {
				return notFound("The record holds no documents yet.", "Moderators add them with `/kb document add`."), nil
			}
			shown := page.Items
			var lines []string
			for _, d := range shown {
				line := "• " + docName(d.Ref, 120)
				if d.Ref.URL == "" {
					line += " · no link: the source gives none"
				}
				line += fmt.Sprintf("\n  %d %s quoted · cited by %d %s · `%s`", d.Excerpts, plural(d.Excerpts, "excerpt", "excerpts"),
					d.Claims, plural(d.Claims, "statement or evidence link", "statements and evidence links"), d.Ref.ID)
				if d.Summary != "" {
					line += "\n  " + EscapeFit(d.Summary, 200)
				}
				lines = append(lines, line)
			}
			b := newEmbed("Sources", ColourRecord)
			b.description(fitLines(lines, LimitDescription))
			b.footer(fmt.Sprintf("%s documents · /document shows one in full", rangeText(offset, len(shown), page.Total)))
			msg := message("", b.finish())
			if msg.Components, err = pager(ctx, store, "sources", Params{}, offset, len(shown), page.Total, linesPerPage); err != nil {
				return nil, err
			}
			return msg, nil
		},
	}
}

func aboutCommand(store Store) *Command {
	return &Command{
		Shared: true, // the answer depends on the server, the question and the record only
		Def: &discordgo.ApplicationCommand{
			Name:        "about",
			Description: "What OnRecord is, how much it knows, and where its facts come from",
			Contexts:    allContexts(),
		},
		Example: "/about",
		Run: func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
			stats, err := store.Stats(ctx, req.Actor.Scope())
			if err != nil {
				return nil, err
			}
			docs, err := store.Sources(ctx, req.Actor.Scope(), 0, 5)
			if err != nil {
				return nil, err
			}
			b := newEmbed("About OnRecord", ColourRecord)
			b.description("OnRecord keeps politicians on the record: who they are, what they said, when and to whom, " +
				"and which evidence supports or contradicts it. Every fact is quoted verbatim from its source; " +
				"a speaker the source only implies is shown as inferred, with the reason.")
			count := func(kind, one, many string) string {
				return thousands(stats[kind]) + " " + plural(stats[kind], one, many)
			}
			b.field("The record here", strings.Join([]string{
				count("person", "person", "people"), count("claim", "statement", "statements"),
				count("evidence", "evidence link", "evidence links"), count("document", "document", "documents"),
				count("excerpt", "verbatim excerpt", "verbatim excerpts"), count("organisation", "organisation", "organisations"),
			}, " · "), false)
			var src []string
			for _, d := range docs.Items {
				src = append(src, "• "+docName(d.Ref, 100))
			}
			if docs.Total > len(docs.Items) {
				src = append(src, "… and "+thousands(docs.Total-len(docs.Items))+" more: `/sources`")
			}
			b.field("Where the facts come from", fitLines(src, LimitFieldValue), false)
			b.field("Statuses", "**contradicted**: only contradicting evidence · **supported**: only supporting · "+
				"**disputed**: both · **unverified**: neither yet", false)
			b.field("Start", "`/who Hugh Ind` · `/claims Rudd` · `/contradictions` · `/help` for every command", false)
			return message("", b.finish()), nil
		},
	}
}

func helpCommand(rt *Router) *Command {
	return &Command{
		Def: &discordgo.ApplicationCommand{
			Name:        "help",
			Description: "Every OnRecord command, with an example",
			Contexts:    allContexts(),
		},
		Example: "/help",
		Run: func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
			var members, mods []string
			for _, c := range rt.commands {
				if !c.Moderators {
					members = append(members, fmt.Sprintf("`%s` — %s", c.Example, Escape(c.Def.Description)))
					continue
				}
				mods = append(mods, usages("/"+c.Def.Name, c.Def.Options)...)
			}
			b := newEmbed("OnRecord commands", ColourRecord)
			b.description(strings.Join(members, "\n"))
			if req.Actor.Rank >= knowledge.RankModerator && len(mods) > 0 {
				// As many fields as the list takes.
				heading := "For moderators"
				for len(mods) > 0 {
					n := 1
					for n < len(mods) && Units(strings.Join(mods[:n+1], "\n")) <= LimitFieldValue {
						n++
					}
					b.field(heading, strings.Join(mods[:n], "\n"), false)
					mods, heading = mods[n:], "For moderators (continued)"
				}
			}
			b.footer("Names autocomplete as you type · ids in footers work in /claim and /document")
			msg := message("", b.finish())
			msg.Flags = discordgo.MessageFlagsEphemeral
			return msg, nil
		},
	}
}

// usages lists a command's subcommands as "/kb claim add person: quote:
// source: — Add a statement", required options shown.
func usages(path string, opts []*discordgo.ApplicationCommandOption) []string {
	var out []string
	for _, o := range opts {
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommandGroup:
			out = append(out, usages(path+" "+o.Name, o.Options)...)
		case discordgo.ApplicationCommandOptionSubCommand:
			var req []string
			for _, x := range o.Options {
				if x.Required {
					req = append(req, x.Name+":")
				}
			}
			line := "`" + strings.TrimSpace(path+" "+o.Name+" "+strings.Join(req, " ")) + "` — " + o.Description
			out = append(out, line)
		}
	}
	return out
}
