package personexport

import (
	"archive/zip"
	_ "embed"
	"fmt"
	"html/template"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

//go:embed summary.html
var summaryText string

// summary is parsed once; a template that does not parse stops the program at start, as the
// web's templates do.
var summary = template.Must(template.New("sammendrag").Funcs(template.FuncMap{
	"oslo": func(t time.Time) string { return t.In(ticket.Oslo).Format("02.01.2006 kl. 15.04") },
	"optOslo": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(ticket.Oslo).Format("02.01.2006 kl. 15.04")
	},
	"role":      roleText,
	"direction": directionText,
	"kind":      func(k string) string { return ticket.KindLabel(ticket.EventKind(k)) },
}).Parse(summaryText))

func writeSummary(z *zip.Writer, doc *personJSON) error {
	w, err := create(z, "sammendrag.html")
	if err != nil {
		return err
	}
	if err := summary.Execute(w, doc); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

func roleText(r string) string {
	switch ticket.PersonRole(r) {
	case ticket.PersonRequester:
		return "Du stilte spørsmålet"
	case ticket.PersonParticipant:
		return "Du var med i saken (kopi eller melding)"
	case ticket.PersonMentioned:
		return "Du er nevnt i saken"
	}
	return r
}

func directionText(d string) string {
	switch ticket.Direction(d) {
	case ticket.DirectionIn:
		return "Innkommende"
	case ticket.DirectionOut:
		return "Sendt fra Digihjelpen"
	case ticket.DirectionNote:
		return "Intern merknad"
	case ticket.DirectionSystem:
		return "Systemmelding"
	}
	return d
}
