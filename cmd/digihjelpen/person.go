package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/personexport"
)

// runPerson answers a person who asks what is stored about them, or to be erased:
//
//	digihjelpen person export EMAIL -o FILE.zip    everything stored about EMAIL (innsyn)
//	digihjelpen person erase EMAIL                 anonymise all of it (statistics kept)
//
// Flags may stand before or after the address. Both are written to the audit log. The work is
// in personExport and personErase, which take the store, so the running server can do the same.
func runPerson(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "erase") {
		return fmt.Errorf("%w: expected «person export EMAIL -o FILE.zip» or «person erase EMAIL»", errUsage)
	}
	fs, configPath := newFlags("person "+args[0], e)
	var out *string
	if args[0] == "export" {
		out = fs.String("o", "", "zip-filen å skrive til")
	}
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("%w: expected one email address, got %d arguments", errUsage, len(rest))
	}
	if out != nil && *out == "" && isTerminal(e.stdout) {
		return fmt.Errorf("%w: a zip file is binary; give -o FILE.zip", errUsage)
	}
	a, err := openApp(*configPath, e)
	if err != nil {
		return err
	}
	defer a.Close()
	ctx = cliContext(ctx)
	if out != nil {
		var d *ticket.PersonData
		err := writeOutput(e, *out, func(w io.Writer) (err error) {
			d, err = personExport(ctx, a.db, rest[0], w)
			return err
		})
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(e.stderr, "Opplysningene om %s er skrevet: %d saker. Utleveringen står i revisjonsloggen.\n", d.Email, len(d.Tickets))
		return nil
	}
	er, err := personErase(ctx, a.db, rest[0])
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintln(e.stdout, erasureText(er))
	return nil
}

// personExport writes the zip of everything stored about email to w (web/personexport) and
// returns what it wrote; the access is in the audit log.
func personExport(ctx context.Context, db *data.DB, email string, w io.Writer) (*ticket.PersonData, error) {
	d, err := data.NewPersonService(db).FindPerson(ctx, email)
	if err != nil {
		return nil, err
	}
	return d, personexport.Write(ctx, w, d, data.NewTicketService(db))
}

// personErase anonymises everything stored about email (data.PersonService.ErasePerson).
func personErase(ctx context.Context, db *data.DB, email string) (ticket.Erasure, error) {
	return data.NewPersonService(db).ErasePerson(ctx, email)
}

// erasureText says what an erasure did, in Norwegian.
func erasureText(er ticket.Erasure) string {
	s := fmt.Sprintf("Personopplysningene er slettet: %d egne saker anonymisert, %d andre saker renset, %d andre oppføringer. Statistikken er uendret.\nRevisjonsloggen nevner slettingen med kjennetegnet %s, ikke adressen.",
		er.Tickets, er.Scrubbed, er.Other, er.Tag)
	if er.Remaining > 0 {
		s += fmt.Sprintf("\nEt søk etter adressen eller navnet finner fortsatt %d saker: sjekk om de gjelder en annen person med samme navn.", er.Remaining)
	}
	return s
}
