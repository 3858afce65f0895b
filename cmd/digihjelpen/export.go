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

// runExport writes the weekly report of a week, the report of a period with the change from the
// period before, or with -tickets every ticket created in a week or a period
// (docs/STATISTICS.md):
//
//	digihjelpen export -week 2026-W47 -format csv|csv-comma|xlsx|json [-o FILE]
//	digihjelpen export -from 2026-01-01 -to 2026-03-31 -format xlsx -o kvartal.xlsx
//	digihjelpen export -tickets -from 2026-01-01 -to 2026-03-31 -format xlsx -o saker.xlsx
//
// While the server runs, the server writes them (control.go); the API gives the same files
// (GET /api/v1/stats/weekly, /api/v1/stats/period and /api/v1/stats/tickets).
func runExport(ctx context.Context, args []string, e env) error {
	fs, configPath := newFlags("export", e)
	var f exportFlags
	fs.StringVar(&f.week, "week", "", "uke som 2026-W47 (standard: forrige hele uke)")
	fs.StringVar(&f.format, "format", "csv", "csv (norsk Excel), csv-comma, xlsx eller json")
	fs.StringVar(&f.out, "o", "", "fil å skrive til (standard: standard ut)")
	fs.BoolVar(&f.tickets, "tickets", false, "saksliste i stedet for ukerapport: én rad per sak opprettet i perioden")
	fs.StringVar(&f.from, "from", "", "periodens første dato, 2026-01-01 (perioderapport, eller saksliste med -tickets)")
	fs.StringVar(&f.to, "to", "", "periodens siste dato (tas med), 2026-03-31")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("%w: export takes no arguments, got %q", errUsage, rest)
	}
	format, err := report.ParseFormat(f.format)
	if err != nil {
		return cliError(err)
	}
	if (f.from != "" || f.to != "") && f.week != "" {
		return fmt.Errorf("%w: give -week or -from and -to, not both", errUsage)
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
		switch {
		case f.tickets:
			return x.tickets(ctx, w)
		case f.from != "" || f.to != "":
			return x.period(ctx, w)
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

// period writes the report of -from to -to (days, both included) and of the period of the same
// length before it.
func (x exporter) period(ctx context.Context, w io.Writer) error {
	p, err := ticket.ParsePeriod(x.flags.from, x.flags.to, "from", "to")
	if err != nil {
		return cliError(err)
	}
	if p.Days() > ticket.MaxPeriodDays {
		return fmt.Errorf("%w: a period is at most %d days", errUsage, ticket.MaxPeriodDays)
	}
	cur, err := x.stats.PeriodReport(ctx, p.From, p.To)
	if err != nil {
		return cliError(err)
	}
	before := p.Previous()
	prev, err := x.stats.PeriodReport(ctx, before.From, before.To)
	if err != nil {
		return cliError(err)
	}
	return report.WritePeriod(w, report.Period{Current: cur, Previous: prev}, x.format, x.a.agencies)
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
