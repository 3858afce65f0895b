package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/ks-no/digihjelpen/ticket"
)

// runRegister reads and writes the municipality register as CSV (the same file as
// /kommuner/eksport.csv and the import there):
//
//	digihjelpen register export [-format csv|csv-comma] [-o FILE]
//	digihjelpen register import FILE
//
// While the server runs, it runs inside the server through the control socket (control.go), the
// files read and written on the caller's side, like export.
func runRegister(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		return fmt.Errorf("%w: expected «register export [-o FILE]» or «register import FILE»", errUsage)
	}
	fs, configPath := newFlags("register "+args[0], e)
	format := fs.String("format", "csv", "csv (norsk Excel: semikolon) eller csv-comma")
	out := fs.String("o", "", "fil å skrive til (standard: standard ut)")
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if *format != "csv" && *format != "csv-comma" {
		return fmt.Errorf("%w: -format must be csv or csv-comma, got %q", errUsage, *format)
	}
	switch {
	case args[0] == "export" && len(rest) > 0:
		return fmt.Errorf("%w: register export takes no arguments, got %q", errUsage, rest)
	case args[0] == "import" && len(rest) != 1:
		return fmt.Errorf("%w: expected «register import FILE»", errUsage)
	}
	a, err := openApp(*configPath, e)
	if err != nil {
		return err
	}
	defer a.Close()
	if args[0] == "export" {
		return writeOutput(e, *out, func(w io.Writer) error { return exportRegister(ctx, a, w, *format == "csv") })
	}
	return importRegister(ctx, a, e.fs(), rest[0], e.stdout)
}

func exportRegister(ctx context.Context, a *app, w io.Writer, excel bool) error {
	offers, err := a.register.FindOffers(ctx)
	if err != nil {
		return err
	}
	byNumber := map[string]*ticket.Offer{}
	for _, o := range offers {
		byNumber[o.Number] = o
	}
	var rows []ticket.RegisterRow
	for _, u := range a.places.RegisterUnits().All() {
		rows = append(rows, ticket.RegisterRow{Unit: u, Offer: byNumber[u.Number]})
	}
	return ticket.WriteRegisterCSV(w, rows, excel)
}

func importRegister(ctx context.Context, a *app, cf callerFiles, path string, stdout io.Writer) error {
	f, err := cf.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	defer f.Close()
	units := a.places.RegisterUnits()
	offers, err := ticket.ReadRegisterCSV(f, func(n string) bool { _, ok := units.Find(n); return ok })
	var csvErrs ticket.CSVErrors
	if errors.As(err, &csvErrs) {
		return fmt.Errorf("%s: ingenting er lest inn:\n%w", path, err)
	} else if err != nil {
		return err
	}
	res, err := a.register.ImportOffers(cliContext(ctx), offers)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "%s: %d oppføringer endret, %d uendret.\n", path, res.Changed, res.Unchanged)
	return nil
}
