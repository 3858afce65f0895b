// Command digihjelpen is the Digihjelpen contact point: one binary with the server and the
// administration commands. It reads the configuration and wires the packages together; it is
// the only package that knows them all.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `digihjelpen – Digihjelpen kontaktpunkt

Bruk:
  digihjelpen serve   [-config FIL]                  start serveren
  digihjelpen user    add EPOST -name NAVN -role admin|agent|leser [-password-stdin]
  digihjelpen token   create -name NAVN [-role agent|admin|leser]
  digihjelpen import  FIL.eml|MAPPE ...              les inn e-post fra disk
  digihjelpen export  -week 2026-W47 -format csv|csv-comma|xlsx|json [-o FIL]
  digihjelpen export  -tickets -from 2026-01-01 -to 2026-03-31 [-format …] [-o FIL]
  digihjelpen rules   check FIL | test FIL [-since 2026-01-01]
  digihjelpen backup  FIL                            konsistent kopi av databasen

Alle kommandoer tar -config FIL. Miljøvariabler DIGIHJELPEN_<SEKSJON>_<NØKKEL> overstyrer filen.
`

// env is what a command gets from the outside world, so tests can run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	environ        []string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, environ: os.Environ()}))
}

// errUsage marks a mistake in the command line; the usage text is printed with it.
var errUsage = errors.New("usage")

// run executes one subcommand and returns the exit code.
func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	commands := map[string]func(context.Context, []string, env) error{
		"serve": runServe, "user": runUser, "token": runToken, "backup": runBackup,
		"import": runImport, "export": runExport, "rules": runRules,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "Ukjent kommando «%s».\n\n%s", args[0], usage)
		return 2
	}
	err := cmd(ctx, args[1:], e)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(e.stderr, "%v\n\n%s", err, usage)
		return 2
	}
	fmt.Fprintf(e.stderr, "digihjelpen %s: %v\n", args[0], err)
	return 1
}

// newFlags returns a flag set that reports errors instead of exiting, with -config.
func newFlags(name string, e env) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	config := fs.String("config", "", "konfigurasjonsfil (TOML); uten den brukes innebygde standardverdier")
	return fs, config
}

// parseFlags parses args, allowing flags after positional arguments ("add EMAIL -name X").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level)) // validated with the config
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}
