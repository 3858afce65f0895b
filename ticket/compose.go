package ticket

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
)

// DefaultFromName is the display name on our mail when the configuration gives none.
const DefaultFromName = "Digihjelpen kontaktpunkt"

// Composer writes the mail the contact point sends: acknowledgements, replies, referrals and
// notices to the requester. It is pure and in memory (no storage, no network) because it runs
// inside storage transactions (the acknowledgement of a new ticket, through AckFunc) as well as
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
	agencies atomic.Pointer[Agencies]
}

// NewComposer returns a composer that sends as from ("Name <addr>" or a bare address; a missing
// name becomes DefaultFromName) with private status links under baseURL.
func NewComposer(from, baseURL string) (*Composer, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(from))
	if err != nil || EmailDomain(a.Address) == "" {
		return nil, fmt.Errorf("sender address %q: not an address such as \"Digihjelpen kontaktpunkt <kontakt@ks.no>\"", from)
	}
	c := &Composer{from: strings.ToLower(a.Address), fromName: a.Name, domain: EmailDomain(a.Address),
		baseURL: strings.TrimRight(baseURL, "/")}
	if c.fromName == "" {
		c.fromName = DefaultFromName
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
func (c *Composer) StatusLink(t *Ticket) string {
	return c.baseURL + "/sak/" + t.StatusToken
}

// NewMessageID returns a fresh Message-ID on our domain, in angle brackets, assigned before a
// mail is queued so that a resend after a crash is the same mail to the recipient's client.
func (c *Composer) NewMessageID(ref Ref) string { return NewMessageID(c.domain, ref) }

// NewMessageID returns a fresh Message-ID on domain, in angle brackets. The ticket reference,
// when given, is in the left part, so people (and intake, as a last resort) can read it.
func NewMessageID(domain string, ref Ref) string {
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
}

// validate checks the text of a draft; field names the form field errors belong to.
func (d Draft) validate(field, empty string) error {
	if strings.TrimSpace(d.Text) == "" {
		return FieldError(field, "%s", empty)
	}
	if len(d.Text) > MaxTextLen {
		return FieldError(field, "Teksten kan være høyst %d tegn.", MaxTextLen)
	}
	return nil
}

// Note returns an internal note: never sent, shown to staff in the thread.
func (c *Composer) Note(d Draft) (*Message, error) {
	if err := d.validate("text", "Skriv et notat."); err != nil {
		return nil, err
	}
	return &Message{Direction: DirectionNote, From: d.Author, FromName: d.AuthorName, Author: d.Author,
		Text: strings.TrimSpace(d.Text)}, nil
}
