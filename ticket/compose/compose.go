// Package compose writes the mail the contact point sends: acknowledgements, replies, referrals,
// notices to the requester, with their threading headers and HTML part. It lies beneath ticket
// because it is pure and in memory, and the acknowledgement is composed inside the transaction
// that creates a ticket (ticket.CreateOptions.Acknowledge), so storage, intake, the web form and
// the staff pages must all reach it: like ticket, it imports only the standard library (and
// ticket). ticket keeps the vocabulary it works with: OutboundMail, AckTemplate, AckFunc, the
// placeholders.
package compose

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ks-no/digihjelpen/ticket"
)

// Composer writes the mail the contact point sends: acknowledgements, replies, referrals and
// notices to the requester. It is pure and in memory (no storage, no network) because it runs
// inside storage transactions (the acknowledgement of a new ticket, through ticket.AckFunc) as well as
// in web handlers. The acknowledgement templates are admin-editable; the composer holds them all
// and swaps them atomically when an admin saves one, so Ack never reads storage.
type Composer struct {
	from     string // bare address, lower case
	fromName string
	domain   string
	baseURL  string

	acks     atomic.Pointer[ackSet]
	acksMu   sync.Mutex // one change of acks at a time
	warned   sync.Map   // template names Ack has warned about
	log      atomic.Pointer[slog.Logger]
	agencies atomic.Pointer[ticket.Agencies]
}

// New returns a composer that sends as from ("Name <addr>" or a bare address; a missing
// name becomes ticket.DefaultFromName) with private status links under baseURL.
func New(from, baseURL string) (*Composer, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(from))
	if err != nil || ticket.EmailDomain(a.Address) == "" {
		return nil, fmt.Errorf("sender address %q: not an address such as \"Digihjelpen kontaktpunkt <kontakt@ks.no>\"", from)
	}
	c := &Composer{from: strings.ToLower(a.Address), fromName: a.Name, domain: ticket.EmailDomain(a.Address),
		baseURL: strings.TrimRight(baseURL, "/")}
	if c.fromName == "" {
		c.fromName = ticket.DefaultFromName
	}
	return c, nil
}

// From is the address our mail is sent from; replies come back to it.
func (c *Composer) From() string { return c.from }

// FromName is the display name on our mail.
func (c *Composer) FromName() string { return c.fromName }

// Domain is the domain of From; our Message-IDs are on it.
func (c *Composer) Domain() string { return c.domain }

// StatusLink is the private status page of t: <base_url>/sak/<StatusToken>.
func (c *Composer) StatusLink(t *ticket.Ticket) string {
	return c.baseURL + "/sak/" + t.StatusToken
}

// NewMessageID returns a fresh Message-ID on our domain, in angle brackets, assigned before a
// mail is queued so that a resend after a crash is the same mail to the recipient's client.
func (c *Composer) NewMessageID(ref ticket.Ref) string { return NewMessageID(c.domain, ref) }

// NewMessageID returns a fresh Message-ID on domain, in angle brackets. The ticket reference,
// when given, is in the left part, so people (and intake, as a last resort) can read it.
func NewMessageID(domain string, ref ticket.Ref) string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // the OS has no randomness; nothing is safe
	}
	left := "digihjelpen"
	if !ref.IsZero() {
		left = ref.String()
	}
	return "<" + left + "." + hex.EncodeToString(b) + "@" + domain + ">"
}

// isOurs reports whether addr is our own sender address (never acknowledge or answer ourselves).
func (c *Composer) isOurs(addr string) bool {
	return strings.EqualFold(strings.TrimSpace(addr), c.from)
}

// Draft is what a staff member wrote, with who wrote it.
type Draft struct {
	Text       string
	Author     string // staff email
	AuthorName string
	// Signature ends a reply (the author's own, from their page); "" for none.
	Signature string
	// Cc are extra recipients of a reply (checked addresses, lower case).
	Cc []string
	// Attachments go with a reply: with their bytes (Data) when new, or by SHA256 when
	// stored already (a draft's files).
	Attachments []ticket.Attachment
	// AskFeedback ends a reply that resolves the ticket with «Fikk du svar du kunne bruke?»
	// and the link to answer it on the status page.
	AskFeedback bool
}

// validate checks the text of a draft; field names the form field errors belong to.
func (d Draft) validate(field, empty string) error {
	if strings.TrimSpace(d.Text) == "" {
		return ticket.FieldError(field, "%s", empty)
	}
	if len(d.Text) > ticket.MaxTextLen {
		return ticket.FieldError(field, "Teksten kan være høyst %d tegn.", ticket.MaxTextLen)
	}
	return nil
}

// Note returns an internal note: never sent, shown to staff in the thread.
func (c *Composer) Note(d Draft) (*ticket.Message, error) {
	if err := d.validate("text", "Skriv et notat."); err != nil {
		return nil, err
	}
	return &ticket.Message{Direction: ticket.DirectionNote, From: d.Author, FromName: d.AuthorName, Author: d.Author,
		Text: strings.TrimSpace(d.Text)}, nil
}

// Values returns the placeholder values of t as c sends it, with agent as the staff name.
func (c *Composer) Values(t *ticket.Ticket, agent string) ticket.PlaceholderValues {
	return ticket.PlaceholderValues{Name: t.Requester.Name, Ref: t.Ref.String(), Subject: t.Subject,
		StatusLink: c.StatusLink(t), Municipality: t.Requester.Municipality.Name, Agent: agent,
		Agency: c.agencyName(t.Agency)}
}
