package personexport

import (
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The JSON of an export (person.json): every field stored, named in English as the API's are,
// with the files given by their path in the zip.

type personJSON struct {
	Email       string           `json:"email"`
	Names       []string         `json:"names"`
	CollectedAt time.Time        `json:"collected_at"`
	Tickets     []ticketJSON     `json:"tickets"`
	Events      []eventJSON      `json:"events"`
	Mail        []mailJSON       `json:"mail"`
	Quarantine  []quarantineJSON `json:"quarantine"`
	Account     *accountJSON     `json:"account"`
	// RegisterEntries are municipality register entries whose contact or note names them.
	RegisterEntries []registerJSON `json:"register_entries"`
}

type ticketJSON struct {
	Ref          string         `json:"ref"`
	Role         string         `json:"role"`
	Subject      string         `json:"subject"`
	Status       string         `json:"status"`
	Agency       string         `json:"agency"`
	Channel      string         `json:"channel"`
	Category     string         `json:"category,omitempty"`
	Tags         []string       `json:"tags"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
	ResolvedAt   *time.Time     `json:"resolved_at"`
	Requester    requesterJSON  `json:"requester"`
	Participants []string       `json:"participants"`
	Referrals    []referralJSON `json:"referrals"`
	Messages     []messageJSON  `json:"messages"`
	Events       []eventJSON    `json:"events"`
	Mail         []mailJSON     `json:"mail"`
}

type requesterJSON struct {
	Name         string `json:"name"`
	Email        string `json:"email"`
	Municipality string `json:"municipality"`
	County       string `json:"county"`
}

type referralJSON struct {
	Agency string    `json:"agency"`
	Note   string    `json:"note"`
	SentAt time.Time `json:"sent_at"`
}

type messageJSON struct {
	Seq         int              `json:"seq"`
	Direction   string           `json:"direction"`
	From        string           `json:"from"`
	FromName    string           `json:"from_name,omitempty"`
	To          []string         `json:"to"`
	Cc          []string         `json:"cc"`
	Subject     string           `json:"subject"`
	Text        string           `json:"text"`
	CreatedAt   time.Time        `json:"created_at"`
	MessageID   string           `json:"message_id,omitempty"`
	Attachments []attachmentJSON `json:"attachments"`
	Source      string           `json:"source,omitempty"` // path of the .eml in the zip
}

type attachmentJSON struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
	File string `json:"file"` // path in the zip
}

type eventJSON struct {
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`
	Actor  string    `json:"actor"`
	From   string    `json:"from,omitempty"`
	To     string    `json:"to,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

type mailJSON struct {
	Kind      string     `json:"kind"`
	To        []string   `json:"to"`
	Cc        []string   `json:"cc"`
	Subject   string     `json:"subject"`
	Text      string     `json:"text"`
	State     string     `json:"state"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

type quarantineJSON struct {
	ID         uint64    `json:"id"`
	Reason     string    `json:"reason"`
	From       string    `json:"from"`
	Subject    string    `json:"subject"`
	ReceivedAt time.Time `json:"received_at"`
	Source     string    `json:"source,omitempty"`
}

type accountJSON struct {
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	Role        string     `json:"role"`
	CreatedAt   time.Time  `json:"created_at"`
	LastLoginAt *time.Time `json:"last_login_at"`
	SSO         bool       `json:"sso"`
	Disabled    bool       `json:"disabled"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func eventsJSON(list []*ticket.Event) []eventJSON {
	out := []eventJSON{}
	for _, e := range list {
		out = append(out, eventJSON{At: e.At.UTC(), Kind: string(e.Kind), Actor: e.Actor, From: e.From, To: e.To, Detail: e.Detail})
	}
	return out
}

func mailsJSON(list []*ticket.OutboundMail) []mailJSON {
	out := []mailJSON{}
	for _, m := range list {
		out = append(out, mailJSON{Kind: string(m.Kind), To: orEmpty(m.To), Cc: orEmpty(m.Cc), Subject: m.Subject, Text: m.Text,
			State: string(m.State), CreatedAt: m.CreatedAt.UTC(), SentAt: optTime(m.SentAt)})
	}
	return out
}

type registerJSON struct {
	Municipality string    `json:"municipality"`
	Contact      string    `json:"contact"`
	Note         string    `json:"note"`
	Version      int       `json:"version"`
	UpdatedAt    time.Time `json:"updated_at"`
}
