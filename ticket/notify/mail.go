package notify

import (
	"fmt"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// mail is the mail to u about items: the one event in full, or a burst as a list.
func (p *Planner) mail(u *ticket.User, items []ticket.Notification) *ticket.OutboundMail {
	if len(items) == 1 {
		n := items[0]
		what := p.what(n, false)
		subject := fmt.Sprintf("[Digihjelpen] %s: %s %s", what, n.Ref, n.Subject)
		var b strings.Builder
		fmt.Fprintf(&b, "Hei %s,\n\n%s.\n\n", u.Name, what)
		p.writeTicket(&b, n)
		p.writeFooter(&b, "varselet «"+n.Kind.Label()+"» er på")
		return p.newMail(ticket.MailNotification, u, subject, b.String())
	}
	subject := fmt.Sprintf("[Digihjelpen] %s i %s", plural(len(items), "varsel", "varsler"), plural(countTickets(items), "sak", "saker"))
	var b strings.Builder
	fmt.Fprintf(&b, "Hei %s,\n\nDette har skjedd i sakene dine:\n\n", u.Name)
	p.writeList(&b, items)
	p.writeFooter(&b, "varslene dine er på")
	return p.newMail(ticket.MailNotification, u, subject, b.String())
}

// Digest is the daily digest of u: everything held since the last one, by kind (the
// ticket.DigestFunc).
func (p *Planner) Digest(u *ticket.User, items []ticket.Notification, now time.Time) (*ticket.OutboundMail, error) {
	if len(items) == 0 {
		return nil, nil
	}
	subject := fmt.Sprintf("[Digihjelpen] Daglig oppsummering %s: %s", now.In(ticket.Oslo).Format("02.01.2006"), plural(len(items), "varsel", "varsler"))
	var b strings.Builder
	fmt.Fprintf(&b, "Hei %s,\n\nDette har skjedd siden forrige oppsummering:\n", u.Name)
	for _, k := range ticket.NotifyKinds {
		var of []ticket.Notification
		for _, n := range items {
			if n.Kind == k {
				of = append(of, n)
			}
		}
		if len(of) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s (%d)\n\n", k.Label(), len(of))
		p.writeList(&b, of)
	}
	p.writeFooter(&b, "du har valgt daglig oppsummering")
	return p.newMail(ticket.MailDigest, u, subject, b.String()), nil
}

// writeTicket writes the reference, subject, agency and link of one ticket.
func (p *Planner) writeTicket(b *strings.Builder, n ticket.Notification) {
	fmt.Fprintf(b, "Sak:   %s\nEmne:  %s\nEtat:  %s\nÅpne:  %s\n", n.Ref, n.Subject, p.Agencies.Name(n.Agency), p.link(n.Ref))
}

// writeList writes up to MaxListed notifications, two lines each, and counts the rest.
func (p *Planner) writeList(b *strings.Builder, items []ticket.Notification) {
	for i, n := range items {
		if i == MaxListed {
			fmt.Fprintf(b, "… og %s til. Se innboksen: %s\n", plural(len(items)-MaxListed, "varsel", "varsler"), p.inboxLink())
			return
		}
		fmt.Fprintf(b, "%s  %s: %s\n    %s\n", n.Ref, p.what(n, false), n.Subject, p.link(n.Ref))
	}
}

// writeFooter says why the mail came and where to change it; a reply would go nowhere useful.
func (p *Planner) writeFooter(b *strings.Builder, why string) {
	fmt.Fprintf(b, "\n-- \nDu får denne e-posten fordi %s. Endre varslene dine: %s\n", why, p.settingsLink())
	b.WriteString("Ikke svar på denne e-posten; svar i saken.\n")
}

func countTickets(items []ticket.Notification) int {
	seen := map[uint64]bool{}
	for _, n := range items {
		seen[n.TicketID] = true
	}
	return len(seen)
}
