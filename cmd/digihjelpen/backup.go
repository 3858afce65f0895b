package main

import (
	"context"
	"fmt"
)

// runBackup writes a consistent copy of the database (one read transaction) to FILE, through
// a temporary file beside it that is renamed only when the copy is whole and on disk. While
// the server runs, the server writes it (into the file this command creates: the caller's).
func runBackup(ctx context.Context, args []string, e env) error {
	fs, configPath := newFlags("backup", e)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("%w: expected «backup FILE»", errUsage)
	}
	a, err := openApp(*configPath, e)
	if err != nil {
		return err
	}
	defer a.Close()
	out, err := e.fs().Create(rest[0])
	if err != nil {
		return err
	}
	n, err := a.db.Backup(ctx, ctxWriter{ctx, out.File()})
	if err != nil {
		out.Abort()
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Sikkerhetskopi skrevet til %s (%d byte).\n", rest[0], n)
	return nil
}
