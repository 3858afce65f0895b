package web_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/report"
)

// BenchmarkTicketExport streams the ticket export of the 1M store in each format, over a week and
// over the three years, and reports rows and the peak heap in use: it must stay flat however many
// rows there are.
func BenchmarkTicketExport(b *testing.B) {
	stats := data.NewStatsService(benchDB(b))
	for _, bc := range []struct {
		name   string
		format report.Format
		from   time.Time
	}{
		{"csv/week", report.FormatCSV, datagen.BenchTo.AddDate(0, 0, -7)},
		{"csv/3years", report.FormatCSV, datagen.BenchTo.AddDate(-3, 0, 0)},
		{"json/3years", report.FormatJSON, datagen.BenchTo.AddDate(-3, 0, 0)},
		{"xlsx/week", report.FormatXLSX, datagen.BenchTo.AddDate(0, 0, -7)},
		{"xlsx/year", report.FormatXLSX, datagen.BenchTo.AddDate(-1, 0, 0)},
		{"xlsx/3years", report.FormatXLSX, datagen.BenchTo.AddDate(-3, 0, 0)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				var rows int
				var err error
				peak := datagen.PeakHeap(func() {
					rows, err = report.WriteTickets(context.Background(), io.Discard, stats,
						ticket.ExportFilter{From: bc.from, To: datagen.BenchTo}, bc.format, routing.DefaultAgencies())
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
