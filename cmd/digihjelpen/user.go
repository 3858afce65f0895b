package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

func runUser(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("%w: expected «user add EMAIL -name NAME -role admin|agent|leser»", errUsage)
	}
	fs, configPath := newFlags("user add", e)
	name := fs.String("name", "", "navnet som vises")
	role := fs.String("role", "agent", "admin, agent eller leser (bare statistikk)")
	fromStdin := fs.Bool("password-stdin", false, "les passordet fra første linje på standard inn")
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("%w: expected one email address, got %d arguments", errUsage, len(rest))
	}
	password := web.GeneratePassword()
	if *fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read password from standard input: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	hash, err := web.HashPassword(password)
	if err != nil {
		return fmt.Errorf("%s", ticket.ErrorMessage(err))
	}
	a, err := openApp(*configPath, e)
	if err != nil {
		return err
	}
	defer a.Close()
	u := &ticket.User{Email: rest[0], Name: *name, Role: ticket.Role(*role), PasswordHash: hash}
	if err := a.users.CreateUser(cliContext(ctx), u); err != nil {
		return fmt.Errorf("%s", ticket.ErrorMessage(err))
	}
	fmt.Fprintf(e.stdout, "Brukeren %s (%s) er opprettet.\n", u.Email, u.Role)
	if !a.cfg.Server.PasswordLogin {
		fmt.Fprintf(e.stdout, "Innlogging med passord er slått av (server.password_login = false): bare lokale administratorer logger inn med passord, på %s/logg-inn?lokal=1.\n",
			strings.TrimSuffix(a.cfg.Server.BaseURL, "/"))
	}
	if !*fromStdin {
		fmt.Fprintf(e.stdout, "Passord: %s\nPassordet vises bare denne ene gangen.\n", password)
	}
	return nil
}
