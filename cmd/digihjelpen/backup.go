package main

import (
	"context"
	"fmt"
)

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
	n, err := a.db.BackupToFile(ctx, rest[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Sikkerhetskopi skrevet til %s (%d byte).\n", rest[0], n)
	return nil
}
