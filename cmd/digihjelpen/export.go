package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/report"
)

// exportFlags are the flags of «export».
type exportFlags struct {
	week, from, to, format, out string
	tickets                     bool
}

// runExport writes the weekly report of a week, or with -tickets every ticket created in a week
// or a period (docs/STATISTICS.md):
//
//	digihjelpen export -week 2026-W47 -format csv|csv-comma|xlsx|json [-o FILE]
//	digihjelpen export -tickets -from 2026-01-01 -to 2026-03-31 -format xlsx -o saker.xlsx
//
// While the server runs, the server writes them (control.go); the API gives the same files
// (GET /api/v1/stats/weekly and /api/v1/stats/tickets).
func runExport(ctx context.Context, args []string, e env) error {
	fs, configPath := newFlags("export", e)
	var f exportFlags
	fs.StringVar(&f.week, "week", "", "uke som 2026-W47 (standard: forrige hele uke)")
	fs.StringVar(&f.format, "format", "csv", "csv (norsk Excel), csv-comma, xlsx eller json")
	fs.StringVar(&f.out, "o", "", "fil å skrive til (standard: standard ut)")
	fs.BoolVar(&f.tickets, "tickets", false, "saksliste i stedet for ukerapport: én rad per sak opprettet i perioden")
	fs.StringVar(&f.from, "from", "", "med -tickets: første dato, 2026-01-01")
	fs.StringVar(&f.to, "to", "", "med -tickets: siste dato (tas med), 2026-03-31")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("%w: export takes no arguments, got %q", errUsage, rest)
	}
	format, err := report.ParseFormat(f.format)
	if err != nil {
		return cliError(err)
	}
	if (f.from != "" || f.to != "") && (!f.tickets || f.week != "") {
		return fmt.Errorf("%w: -from and -to go with -tickets and without -week", errUsage)
	}
	if format == report.FormatXLSX && f.out == "" && isTerminal(e.stdout) {
		return fmt.Errorf("%w: an XLSX file is binary; give -o FILE", errUsage)
	}
	a, err := openApp(*configPath, e)
	if err != nil {
		return err
	}
	defer a.Close()
	x := exporter{a: a, stats: data.NewStatsService(a.db), format: format, flags: f}
	return writeOutput(e, f.out, func(w io.Writer) error {
		if f.tickets {
			return x.tickets(ctx, w)
		}
		return x.report(ctx, w)
	})
}

type exporter struct {
	a      *app
	stats  *data.StatsService
	format report.Format
	flags  exportFlags
}

func (x exporter) week() (ticket.Week, error) {
	if x.flags.week == "" {
		return ticket.WeekOf(x.a.db.Now()).Prev(), nil
	}
	w, err := ticket.ParseWeek(x.flags.week)
	return w, cliError(err)
}

func (x exporter) report(ctx context.Context, w io.Writer) error {
	week, err := x.week()
	if err != nil {
		return err
	}
	r, err := x.stats.WeeklyReport(ctx, week)
	if err != nil {
		return cliError(err)
	}
	return report.Write(w, r, x.format, x.a.agencies)
}

func (x exporter) tickets(ctx context.Context, w io.Writer) error {
	filter := ticket.ExportFilter{}
	var err error
	if x.flags.from != "" || x.flags.to != "" {
		filter, err = ticket.ParsePeriod(x.flags.from, x.flags.to, "from", "to")
	} else {
		var week ticket.Week
		week, err = x.week()
		filter = ticket.WeekPeriod(week)
	}
	if err != nil {
		return cliError(err)
	}
	name := report.TicketsFileName(filter.From, filter.To, x.format)
	if err := data.NewEventService(x.a.db).AddEvent(cliContext(ctx), 0, ticket.EventExported, "saker: "+name); err != nil {
		return err
	}
	_, err = report.WriteTickets(ctx, w, x.stats, filter, x.format, x.a.agencies)
	return err
}

// writeOutput runs write on stdout, or on a new file that appears under path only when write
// succeeded: a failed export never leaves half a file under the name asked for.
func writeOutput(e env, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(e.stdout)
	}
	out, err := e.fs().Create(path)
	if err != nil {
		return err
	}
	if err := write(out.File()); err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}

// cliError shows a domain error as its Norwegian sentence, without the code around it.
func cliError(err error) error {
	if err == nil || ticket.ErrorCode(err) == ticket.EINTERNAL {
		return err
	}
	return fmt.Errorf("%s", ticket.ErrorMessage(err))
}

// isTerminal reports whether w is a terminal, where binary output does harm.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
