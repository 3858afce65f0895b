// Package notify decides who on staff is told what about a burst of ticket events, and writes
// it: one mail per recipient (the reference, subject and a link; never a message's text), the
// items of a daily digest, and one signed JSON post per team webhook. Like ticket/compose it is
// pure and in memory, because it runs inside the transaction that takes the events off the
// notification queue (ticket.NotifyFunc), and it imports only the standard library and ticket.
package notify

import (
	"fmt"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

// Planner plans notifications; its Plan is the ticket.NotifyFunc and Digest the
// ticket.DigestFunc the notification job passes to storage.
type Planner struct {
	// BaseURL is the server's public address, for the links.
	BaseURL string
	// Domain is the domain of our Message-IDs (compose.Composer.Domain).
	Domain   string
	Agencies ticket.Agencies
}

// MaxListed is how many notifications one mail lists; the rest are counted.
const MaxListed = 50

// Plan turns a batch (a burst of events) into one mail per recipient who wants it now, the
// items of those who take a digest, and one post per webhook.
func (p *Planner) Plan(b ticket.NotifyBatch) (ticket.NotifyPlan, error) {
	plan := ticket.NotifyPlan{Digest: map[uint64][]ticket.Notification{}}
	for _, r := range recipients(b) {
		s := b.SettingsOf(r.user)
		if s.Digest {
			plan.Digest[r.user.ID] = append(plan.Digest[r.user.ID], r.items...)
			continue
		}
		plan.Mails = append(plan.Mails, p.mail(r.user, r.items))
	}
	for _, w := range b.Webhooks {
		items := webhookItems(b, w)
		if len(items) == 0 {
			continue
		}
		post, err := p.post(w, items, b.Now)
		if err != nil {
			return plan, err
		}
		plan.Webhooks = append(plan.Webhooks, post)
	}
	return plan, nil
}

// link is the ticket's page.
func (p *Planner) link(ref ticket.Ref) string {
	return strings.TrimRight(p.BaseURL, "/") + "/saker/" + ref.String()
}

func (p *Planner) settingsLink() string { return strings.TrimRight(p.BaseURL, "/") + "/konto/varsler" }

func (p *Planner) inboxLink() string { return strings.TrimRight(p.BaseURL, "/") + "/innboks" }

// newMail is a notification mail to u with a fresh Message-ID that names no ticket: a reply
// to it must not thread into one.
func (p *Planner) newMail(kind ticket.MailKind, u *ticket.User, subject, text string) *ticket.OutboundMail {
	return &ticket.OutboundMail{Kind: kind, To: []string{u.Email}, Subject: subject, Text: text,
		MessageID: compose.NewMessageID(p.Domain, ticket.Ref{})}
}

// osloTime is a time as staff read it.
func osloTime(t time.Time) string { return t.In(ticket.Oslo).Format("02.01.2006 kl. 15:04") }

// plural picks the singular or plural form for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
