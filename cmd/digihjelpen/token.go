package main

import (
	"context"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

func runToken(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("%w: expected «token create -name NAME»", errUsage)
	}
	fs, configPath := newFlags("token create", e)
	name := fs.String("name", "", "hva nøkkelen brukes til")
	role := fs.String("role", "agent", "agent, admin eller leser (bare statistikk-API-et og /metrics)")
	if rest, err := parseFlags(fs, args[1:]); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("%w: token create takes no arguments, got %q", errUsage, rest)
	}
	a, err := openApp(*configPath, e)
	if err != nil {
		return err
	}
	defer a.Close()
	secret, id := web.NewTokenSecret()
	t := &ticket.Token{ID: id, Name: *name, Role: ticket.Role(*role)}
	if err := a.tokens.CreateToken(cliContext(ctx), t); err != nil {
		return fmt.Errorf("%s", ticket.ErrorMessage(err))
	}
	// The secret goes to stdout alone, so scripts can capture it: TOKEN=$(digihjelpen token create …)
	fmt.Fprintln(e.stdout, secret)
	fmt.Fprintf(e.stderr, "API-nøkkelen «%s» er opprettet. Den vises bare denne ene gangen.\n", t.Name)
	return nil
}
