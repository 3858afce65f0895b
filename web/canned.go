package web

import (
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The admin page of the texts staff and requesters get: the acknowledgement templates new
// tickets get (acktemplate*.go; the routing rules pick one) and the canned responses
// (svarmaler) staff insert into replies (canned_edit.go).

type placeholderHelp struct{ Name, About string }

func placeholderHelps() []placeholderHelp {
	var list []placeholderHelp
	for k, about := range ticket.Placeholders {
		list = append(list, placeholderHelp{Name: "{" + k + "}", About: about})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list
}

// ackRow is an acknowledgement template in the list, with the rules in force that pick it.
type ackRow struct {
	*ticket.AckTemplate
	Rules []ticket.TemplateRef
}

type cannedPage struct {
	Acks []ackRow
	// Missing are rules in force that name a template that does not exist.
	Missing      []ticket.TemplateRef
	Canned       []*ticket.CannedResponse
	Placeholders []placeholderHelp
}

var cannedNotices = map[string]string{
	"kvittering":         "Kvitteringsmalen er lagret og brukes fra nå av.",
	"kvittering-slettet": "Kvitteringsmalen er slettet. Saker fra regler som nevnte den, får standardkvitteringen.",
	"lagret":             "Svarmalen er lagret.",
	"slettet":            "Svarmalen er slettet.",
}

func (s *Server) handleCanned(c *fiber.Ctx) error {
	ctx := c.UserContext()
	acks, err := s.Templates.FindAckTemplates(ctx)
	if err != nil {
		return err
	}
	d := cannedPage{Placeholders: placeholderHelps()}
	refs := s.templateRefs()
	exists := map[string]bool{}
	for _, a := range acks {
		exists[a.Name] = true
		d.Acks = append(d.Acks, ackRow{AckTemplate: a, Rules: refsTo(refs, a.Name)})
	}
	for _, ref := range refs {
		if !exists[ref.Template] {
			d.Missing = append(d.Missing, ref)
		}
	}
	if d.Canned, err = s.Templates.FindCannedResponses(ctx); err != nil {
		return err
	}
	return s.renderAdmin(c, "canned", "svarmaler", pageData{Title: "Svarmaler og kvitteringer", Data: d, Notice: cannedNotices[c.Query("ok")]})
}

// templateRefs returns the rules in force that name an acknowledgement template (none when
// the routing pages are not wired).
func (s *Server) templateRefs() []ticket.TemplateRef {
	if s.Rules == nil {
		return nil
	}
	return s.Rules.TemplateRefs()
}

func refsTo(refs []ticket.TemplateRef, name string) []ticket.TemplateRef {
	var out []ticket.TemplateRef
	for _, r := range refs {
		if r.Template == name {
			out = append(out, r)
		}
	}
	return out
}

// sampleTicket is what the previews of the acknowledgement templates show.
func sampleTicket(now time.Time) *ticket.Ticket {
	return &ticket.Ticket{Ref: ticket.Ref{Year: now.In(ticket.Oslo).Year(), Number: 42}, Subject: "Meldekort for en innbygger uten BankID", StatusToken: "eksempel",
		Agency: "nav", Requester: ticket.Requester{Name: "Kari Nordmann", Municipality: ticket.Municipality{Name: "Lillehammer"}}}
}
