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
  digihjelpen restore FIL                            (serveren stoppet) kontroller en kopi og legg den på plass
  digihjelpen person  export EPOST -o FIL.zip        alt som er lagret om en person (innsyn)
  digihjelpen person  erase EPOST                    slett (anonymiser) alt om en person
  digihjelpen register export [-format csv|csv-comma] [-o FIL] | import FIL   kommuneregisteret som CSV
  digihjelpen handbook import MAPPE                  artikler til håndboken fra Markdown-filer

Alle kommandoer tar -config FIL. Miljøvariabler DIGIHJELPEN_<SEKSJON>_<NØKKEL> overstyrer filen.
Kjører serveren, gjør den jobben for kommandoene (unntatt serve og restore) gjennom
kontrollkontakten ved siden av databasen, med samme utskrift.
`

// env is what a command gets from the outside world, so tests can run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	environ        []string
	// files are the files the command line names; nil means this process's (localFiles).
	files callerFiles
	// server is the running server's app when the command runs inside it for a caller on
	// the control socket: openApp lends it instead of opening the database.
	server *app
}

// fs returns the files the command line names.
func (e env) fs() callerFiles {
	if e.files == nil {
		return localFiles{}
	}
	return e.files
}

// command is one subcommand. onServer marks those that work on the database: while a server
// runs on it, they run inside the server (control.go), the same function with the same output.
type command struct {
	run      func(context.Context, []string, env) error
	onServer bool
}

// commands are the subcommands. A new one that works on the database opens it with openApp
// (or loadConfig for the configuration alone), reads and writes the files it is given through
// e.fs(), and is marked onServer: it then works while the server runs, with nothing more.
var commands map[string]command

// The table is set in init: serve runs commands from it (control_server.go), so an
// initialiser would refer to itself.
func init() {
	commands = map[string]command{
		"serve":    {runServe, false},
		"restore":  {runRestore, false},
		"user":     {runUser, true},
		"token":    {runToken, true},
		"backup":   {runBackup, true},
		"import":   {runImport, true},
		"export":   {runExport, true},
		"rules":    {runRules, true},
		"person":   {runPerson, true},
		"register": {runRegister, true},
		"handbook": {runHandbook, true},
	}
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
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "Ukjent kommando «%s».\n\n%s", args[0], usage)
		return 2
	}
	if cmd.onServer && e.server == nil && !isHelp(args[1:]) {
		if code, handled := runOnServer(ctx, args, e); handled {
			return code
		}
	}
	err := cmd.run(ctx, args[1:], e)
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

// isHelp reports whether the command line asks for a command's flags, which need no server.
func isHelp(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			return true
		}
	}
	return false
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
