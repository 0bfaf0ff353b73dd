package bot_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/bot"
)

// defs are command definitions shaped like OnRecord's: a command with a
// required and an optional option, one with typed options and choices, and
// one with a subcommand group.
func defs() []*discordgo.ApplicationCommand {
	str := discordgo.ApplicationCommandOptionString
	return []*discordgo.ApplicationCommand{
		{Name: "who", Options: []*discordgo.ApplicationCommandOption{{Name: "name", Type: str, Required: true}}},
		{Name: "claims", Options: []*discordgo.ApplicationCommandOption{
			{Name: "person", Type: str, Required: true},
			{Name: "status", Type: str, Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "Contradicted", Value: "contradicted"}, {Name: "Supported", Value: "supported"}}},
			{Name: "about", Type: str},
			{Name: "page", Type: discordgo.ApplicationCommandOptionInteger},
			{Name: "inferred", Type: discordgo.ApplicationCommandOptionBoolean},
		}},
		{Name: "about"},
		{Name: "kb", Options: []*discordgo.ApplicationCommandOption{
			{Name: "person", Type: discordgo.ApplicationCommandOptionSubCommandGroup, Options: []*discordgo.ApplicationCommandOption{
				{Name: "add", Type: discordgo.ApplicationCommandOptionSubCommand, Options: []*discordgo.ApplicationCommandOption{
					{Name: "name", Type: str, Required: true}, {Name: "summary", Type: str}, {Name: "aliases", Type: str},
				}},
			}},
			{Name: "history", Type: discordgo.ApplicationCommandOptionSubCommand, Options: []*discordgo.ApplicationCommandOption{{Name: "id", Type: str, Required: true}}},
		}},
	}
}

// flat renders parsed command data as "path | name=value; ..." for comparison.
func flat(d discordgo.ApplicationCommandInteractionData) string {
	path := "/" + d.Name
	opts := d.Options
	for len(opts) == 1 && (opts[0].Type == discordgo.ApplicationCommandOptionSubCommand || opts[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
		path += " " + opts[0].Name
		opts = opts[0].Options
	}
	var kv []string
	for _, o := range opts {
		kv = append(kv, fmt.Sprintf("%s=%v", o.Name, o.Value))
	}
	sort.Strings(kv)
	return path + " | " + strings.Join(kv, "; ")
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		line string
		want string
	}{
		{"/who Hugh Ind", "/who | name=Hugh Ind"},
		{"who Hugh Ind", "/who | name=Hugh Ind"},
		{"/WHO hugh", "/who | name=hugh"},
		{"/who name:Hugh Ind", "/who | name=Hugh Ind"},
		{"/who   name:  Hugh   Ind  ", "/who | name=Hugh   Ind"},
		{`/who name:"Sir Nicholas Soames"`, "/who | name=Sir Nicholas Soames"},
		{`/who "Sir Nicholas Soames"`, "/who | name=Sir Nicholas Soames"},
		{`/who name:"say \"hi\" \\ ok"`, `/who | name=say "hi" \ ok`},
		{`/who name:"person: not an option"`, "/who | name=person: not an option"},
		{"/who Rudd said: no", "/who | name=Rudd said: no"},
		{"/who name:", "/who | name="},
		{`/who ""`, "/who | name="},
		{"/claims person:Amber Rudd status:contradicted", "/claims | person=Amber Rudd; status=contradicted"},
		{"/claims Amber Rudd status:Contradicted", "/claims | person=Amber Rudd; status=contradicted"},
		{"/claims Rudd about:targets and memos page:2 inferred:yes", "/claims | about=targets and memos; inferred=true; page=2; person=Rudd"},
		{"/claims status:supported person:Abbott", "/claims | person=Abbott; status=supported"},
		{"/about", "/about | "},
		{"/kb person add name:Jane Doe summary:A new MP aliases:Jane, Ms Doe", "/kb person add | aliases=Jane, Ms Doe; name=Jane Doe; summary=A new MP"},
		{"/kb history id:c-rudd-tweet", "/kb history | id=c-rudd-tweet"},
		{"/who @everyone", "/who | name=@everyone"},
		{"/who ' OR 1=1 --", "/who | name=' OR 1=1 --"},
		{"/who זה בעברית", "/who | name=זה בעברית"},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			d, err := bot.ParseCommand(defs(), tc.line)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if got := flat(d); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseCommandUsageErrors(t *testing.T) {
	tests := []struct{ line, want string }{
		{"", "type a command"},
		{"/", "type a command"},
		{"/nope Rudd", "unknown command /nope"},
		{"/who", "needs the option name"},
		{"/claims status:supported", "needs the option person"},
		{"/claims persn:Rudd", `no option "persn"`},
		{"/claims Rudd status:refuted", "is not one of contradicted, supported"},
		{"/claims Rudd page:two", "not a whole number"},
		{"/claims Rudd inferred:maybe", "not true or false"},
		{`/who name:"unclosed`, "not closed"},
		{`/who name:"Rudd"x`, "after the closing quote"},
		{"/who Rudd name:Ind", "given twice"},
		{"/about something", "takes no options"},
		{"/kb", "needs a subcommand"},
		{"/kb person remove name:x", `unknown subcommand "remove"`},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			_, err := bot.ParseCommand(defs(), tc.line)
			var ue *bot.UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a usage error", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/who Hugh Ind", `/who name:"a \" b"`, "/claims person:x status:supported about:y", "/kb person add name:a summary:b", "/who \"", ":::", "/claims Rudd page:-9"} {
		f.Add(s)
	}
	ds := defs()
	f.Fuzz(func(t *testing.T, line string) {
		d, err := bot.ParseCommand(ds, line)
		if err != nil {
			var ue *bot.UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("non-usage error %v", err)
			}
			return
		}
		// A parsed command is one of the definitions, with only its options.
		var def *discordgo.ApplicationCommand
		for _, c := range ds {
			if c.Name == d.Name {
				def = c
			}
		}
		if def == nil {
			t.Fatalf("parsed unknown command %q", d.Name)
		}
	})
}
