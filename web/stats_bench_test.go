package web_test

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// benchTo ends the three generated years (the same file as data's benchmarks).
var benchTo = time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)

func openBench(b *testing.B) *data.DB {
	b.Helper()
	path, err := datagen.Cached(context.Background(), filepath.Join("..", "var", "bench"),
		datagen.Options{N: 1_000_000, From: benchTo.AddDate(-3, 0, 0), To: benchTo, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	db := &data.DB{Path: path, Now: func() time.Time { return benchTo }, ReadOnly: true}
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkTicketExport streams the ticket export of the 1M store in each format, over a week and
// over the three years, and reports rows and the peak heap in use: it must stay flat however many
// rows there are.
func BenchmarkTicketExport(b *testing.B) {
	stats := data.NewStatsService(openBench(b))
	for _, bc := range []struct {
		name   string
		format web.ExportFormat
		from   time.Time
	}{
		{"csv/week", web.FormatCSV, benchTo.AddDate(0, 0, -7)},
		{"csv/3years", web.FormatCSV, benchTo.AddDate(-3, 0, 0)},
		{"json/3years", web.FormatJSON, benchTo.AddDate(-3, 0, 0)},
		{"xlsx/week", web.FormatXLSX, benchTo.AddDate(0, 0, -7)},
		{"xlsx/year", web.FormatXLSX, benchTo.AddDate(-1, 0, 0)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				var rows int
				var err error
				peak := datagen.PeakHeap(func() {
					rows, err = web.WriteTicketExport(context.Background(), io.Discard, stats,
						ticket.ExportFilter{From: bc.from, To: benchTo}, bc.format, routing.DefaultAgencies())
				})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(rows), "rows")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			}
		})
	}
}
