package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/bot"
	"github.com/onrecord/onrecord/commands"
	"github.com/onrecord/onrecord/db"
)

// BenchmarkHandlers measures one interaction from the router's entry to
// the finished InteractionResponse (resolution, queries, rendering) on the
// seeded knowledge base, and reports p50 and p99 besides the mean.
func BenchmarkHandlers(b *testing.B) {
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(b.TempDir(), "kb.db"), db.Options{Seed: true})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	rt := commands.NewRouter(store, commands.Deps{})
	for _, line := range []string{
		"/who Hugh Ind", "/who Rudd", "/who the home secretary", "/who Hugh Indd", "/who Nobody Known",
		"/claims Amber Rudd", "/claims Diane Abbott", "/claim c-rudd-no-targets-committee", "/document the memo",
		"/contradictions", "/search removal targets", "/timeline", "/sources",
		"complete:/who H", "complete:/who Hu", "complete:/who Amber R", "complete:/claim targ",
	} {
		typ := discordgo.InteractionApplicationCommand
		parse := bot.ParseCommand
		if rest, ok := strings.CutPrefix(line, "complete:"); ok {
			line, typ, parse = rest, discordgo.InteractionApplicationCommandAutocomplete, bot.ParseAutocomplete
		}
		data, err := parse(rt.Definitions(), line)
		if err != nil {
			b.Fatal(err)
		}
		i, err := bot.Asker{}.Interaction(data, typ)
		if err != nil {
			b.Fatal(err)
		}
		actor := commands.ActorOf(i, nil)
		name := line
		if typ == discordgo.InteractionApplicationCommandAutocomplete {
			name = "autocomplete " + line
		}
		b.Run(name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				if _, err := rt.Handle(ctx, actor, i); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}
