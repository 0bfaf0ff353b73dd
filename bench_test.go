package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/bot"
	"github.com/onrecord/onrecord/commands"
	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
)

// BenchmarkHandlers measures one interaction from the router's entry to
// the finished InteractionResponse (parsing the interaction's options,
// resolution, queries, rendering) on the seeded knowledge base, with the
// answer cache off so that every answer is computed, and reports p50 and
// p99 besides the mean.
func BenchmarkHandlers(b *testing.B) {
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(b.TempDir(), "kb.db"), db.Options{Seed: true})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	benchLines(b, store, []string{
		"/who Hugh Ind", "/who Rudd", "/who the home secretary", "/who Hugh Indd", "/who Nobody Known",
		"/claims Amber Rudd", "/claims Diane Abbott", "/claim c-rudd-no-targets-committee", "/document the memo",
		"/contradictions", "/search removal targets", "/search targets", "/search the", "/timeline", "/sources",
		"complete:/who H", "complete:/who Hu", "complete:/who Amb", "complete:/who Amber R", "complete:/claim targ",
	})
}

// BenchmarkLarge is BenchmarkHandlers on the knowledge base at
// ONRECORD_BENCH_DB, made by onrecord gen (see BENCHMARKS.md); it skips
// when that is unset.
func BenchmarkLarge(b *testing.B) {
	path := os.Getenv("ONRECORD_BENCH_DB")
	if path == "" {
		b.Skip("set ONRECORD_BENCH_DB to a database made by onrecord gen")
	}
	if _, err := os.Stat(path); err != nil {
		b.Fatalf("ONRECORD_BENCH_DB: %v", err)
	}
	ctx := context.Background()
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	// The busiest speaker is the generator's first person.
	res, err := store.FindPerson(ctx, knowledge.Scope{}, "p-synthetic-0")
	if err != nil || len(res.Best) == 0 {
		b.Fatalf("ONRECORD_BENCH_DB is not a generated knowledge base: %v", err)
	}
	top := res.Best[0].Name
	typo := top[:len(top)-2] + top[len(top)-1:] + top[len(top)-2:len(top)-1] // the last two letters swapped
	benchLines(b, store, []string{
		"/who " + top, "/who Smith", "/who " + typo, "/who James Smith",
		"/claims p-synthetic-0", "/claims " + top, "/claim c-synthetic-123456", "/document Synthetic debate 777", "/timeline",
		"complete:/who S", "complete:/who Sm", "complete:/who Smi", "complete:/who James Sm", "complete:/who Zo",
		"complete:/claims Smith", "complete:/claim immigration targ", "complete:/claim t", "complete:/claim the m",
		"/search interim", "/search immigration targets", "/search government", "/search the minister said",
	})
}

// benchLines runs each command line as a sub-benchmark.
func benchLines(b *testing.B, store *db.Store, lines []string) {
	ctx := context.Background()
	rt := commands.NewRouter(store, commands.Deps{})
	rt.SetAnswerCache(0) // measure the work, not the cache
	for _, line := range lines {
		i, err := lineInteraction(rt.Definitions(), bot.Asker{}, line)
		if err != nil {
			b.Fatal(err)
		}
		name := line
		if rest, ok := strings.CutPrefix(line, "complete:"); ok {
			name = "autocomplete " + rest
		}
		actor := commands.ActorOf(i, nil)
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

// lineInteraction turns a command line, as typed in Discord, into the
// interaction asker would send; "complete:" before it sends it as
// autocomplete does while it is typed.
func lineInteraction(defs []*discordgo.ApplicationCommand, asker bot.Asker, line string) (*discordgo.Interaction, error) {
	typ, parse := discordgo.InteractionApplicationCommand, bot.ParseCommand
	if rest, ok := strings.CutPrefix(line, "complete:"); ok {
		line, typ, parse = rest, discordgo.InteractionApplicationCommandAutocomplete, bot.ParseAutocomplete
	}
	data, err := parse(defs, line)
	if err != nil {
		return nil, err
	}
	return asker.Interaction(data, typ)
}
