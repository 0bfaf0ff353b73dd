package main

import (
	"context"
	"path/filepath"
	"slices"
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
	rt := commands.NewRouter(store)
	for _, line := range []string{
		"/who Hugh Ind", "/who Rudd", "/who the home secretary", "/who Hugh Indd", "/who Nobody Known",
		"/claims Amber Rudd", "/claims Diane Abbott",
	} {
		data, err := bot.ParseCommand(rt.Definitions(), line)
		if err != nil {
			b.Fatal(err)
		}
		i, err := bot.Asker{}.Interaction(data, discordgo.InteractionApplicationCommand)
		if err != nil {
			b.Fatal(err)
		}
		actor := commands.ActorOf(i, nil)
		b.Run(line, func(b *testing.B) {
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
