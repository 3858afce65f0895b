package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// composeView is what the compose partials show on the ticket page (templates/_compose*.html):
// the reply, note and referral forms, the user's own draft, and the ticket's outgoing mail.
type composeView struct {
	composeState
	Ref      string
	CSRF     string
	Version  uint64
	Seen     uint64 // the newest event when the page was made; a conflict lists those after it
	CanReply bool
	Statuses []statusOption
	Agencies []agencyOption
	// NoAddress are the agencies a referral cannot go to yet, for the sentence beside the
	// choice (with a link to /admin/etater for administrators).
	NoAddress []agencyOption
	Canned    []cannedOption
	// Articles are the handbook's links the reply can insert (issue 16).
	Articles []cannedOption
	Mails    []mailLine
	Parked   int
	IsAdmin  bool
	Sent     string // what the last form did, after its redirect
	MailOff  bool   // outgoing mail is not set up: nothing promises a mail
	// Drafts: drafts are kept on the server (the «Lagre utkast» button and the autosave).
	Drafts     bool
	DraftSaved time.Time
	// Participants are the ticket's other addresses, offered for Cc.
	Participants []string
	Signature    string
	From         string // «Name <address>» our mail is sent as
	// AssignedTo is the assignee's name when someone else has the ticket («tildel meg» is
	// offered then); a ticket nobody has is assigned to whoever answers anyway.
	AssignedTo string
	Unassigned bool
	List       string
	UploadHint string
}

type statusOption struct {
	Value, Label string
	Checked      bool
}

type agencyOption struct {
	Key, Name string
	Disabled  bool
	Selected  bool
}

type cannedOption struct {
	ID          uint64
	Title, Text string
	// Key is the option's value when it is not a canned response's ID (a handbook article).
	Key string
}

// mailLine is one outgoing mail as staff see it. Returned is parked mail a bounce reported.
type mailLine struct {
	*ticket.OutboundMail
	Kind, State            string
	Parked, Sent, Returned bool
}

func newMailLine(m *ticket.OutboundMail) mailLine {
	parked := m.State == ticket.OutboxParked
	return mailLine{OutboundMail: m, Kind: m.Kind.Label(), State: m.StateLabel(),
		Parked: parked, Sent: m.State == ticket.OutboxSent, Returned: parked && !m.ReturnedAt.IsZero()}
}

// sentNotice is the confirmation after a form, by the key its redirect carries. It never
// promises a mail that cannot go: while outgoing mail is not set up it says the mail waits.
func sentNotice(key string, mailOff bool) string {
	switch key {
	case "svar", "henvisning", "igjen":
		if mailOff {
			return map[string]string{
				"svar":       "Svaret er lagret i saken, men ikke sendt: utgående e-post er ikke satt opp, så det venter i utboksen.",
				"henvisning": "Saken er henvist, men e-posten til etaten er ikke sendt: utgående e-post er ikke satt opp, så den venter i utboksen.",
				"igjen":      "E-posten er lagt i køen igjen, men utgående e-post er ikke satt opp, så den venter i utboksen.",
			}[key]
		}
		return map[string]string{
			"svar":       "Svaret er lagret og lagt i utboksen. Det står «Sendt» ved svaret når e-posttjeneren har tatt imot det.",
			"henvisning": "Saken er henvist, og e-posten til etaten er lagt i utboksen.",
			"igjen":      "E-posten er lagt i køen igjen og sendes nå.",
		}[key]
	case "notat":
		return "Notatet er lagret. Det er bare synlig for saksbehandlere."
	case "utkast":
		return "Utkastet er lagret. Kollegene dine ser at du har et utkast på saken."
	case "forkastet":
		return "Utkastet er forkastet."
	}
	return ""
}

// composeView builds the forms for t, with what a refused form brought back, and names the
// colleagues who have a draft of a reply; nil when the server has no outgoing mail.
func (s *Server) composeView(c *fiber.Ctx, t *ticket.Ticket, parts ticketParts, list string) (*composeView, []string, error) {
	if !s.has(outgoingMail) {
		return nil, nil, nil
	}
	me := userFrom(c)
	v := &composeView{Ref: t.Ref.String(), CSRF: s.csrfToken(c), Version: t.Version, IsAdmin: me.IsAdmin(),
		CanReply: t.CanReply(), Sent: sentNotice(c.Query("sendt"), s.mailOff()), MailOff: s.mailOff(), Drafts: s.has(drafts),
		Signature: me.Signature, From: s.Composer.FromName() + " <" + s.Composer.From() + ">", List: list, UploadHint: uploadHint,
		Unassigned: t.Assignee == ""}
	if t.Assignee != "" && t.Assignee != me.Email {
		v.AssignedTo = userName(parts.users, t.Assignee)
	}
	st, refused := c.Locals(localCompose).(*composeState)
	if refused {
		v.composeState = *st
	}
	drafting, err := s.fillDrafts(c, t, v, parts.users, refused)
	if err != nil {
		return nil, nil, err
	}
	if v.Sent == "" && c.Query("utkast") != "" {
		v.Sent = sentNotice(c.Query("utkast"), v.MailOff)
	}
	if v.ReplyStatus == "" {
		v.ReplyStatus = string(ticket.DefaultReplyStatus(t.Status))
	}
	for _, st := range ticket.ReplyStatuses {
		v.Statuses = append(v.Statuses, statusOption{Value: string(st), Label: ticket.ReplyStatusLabel(st), Checked: string(st) == v.ReplyStatus})
	}
	for _, a := range parts.as {
		if a.Key == ticket.AgencyKS {
			continue
		}
		o := agencyOption{Key: a.Key, Name: a.Name, Disabled: a.Email == "", Selected: a.Key == v.Agency}
		v.Agencies = append(v.Agencies, o)
		if o.Disabled {
			v.NoAddress = append(v.NoAddress, o)
		}
	}
	for _, p := range t.Participants {
		if !isAgencyAddress(parts.as, p) {
			v.Participants = append(v.Participants, p)
		}
	}
	if n := len(parts.events); n > 0 {
		v.Seen = parts.events[n-1].ID
	}
	if err := s.fillCanned(c, t, v); err != nil {
		return nil, nil, err
	}
	for _, m := range parts.mails {
		v.Mails = append(v.Mails, newMailLine(m))
		if m.State == ticket.OutboxParked {
			v.Parked++
		}
	}
	return v, drafting, nil
}

// fillDrafts puts the user's own draft into the reply form (unless a refused form brought its
// own values) and names the colleagues who have one.
func (s *Server) fillDrafts(c *fiber.Ctx, t *ticket.Ticket, v *composeView, users []*ticket.User, refused bool) ([]string, error) {
	if s.Drafts == nil {
		return nil, nil
	}
	list, err := s.Drafts.FindDrafts(c.UserContext(), t.ID)
	if err != nil {
		return nil, err
	}
	me := userFrom(c)
	var drafting []string
	for _, d := range list {
		if !strings.EqualFold(d.Author, me.Email) {
			drafting = append(drafting, fmt.Sprintf("%s (lagret %s)", userName(users, d.Author), formatOslo(d.UpdatedAt)))
			continue
		}
		v.DraftSaved = d.UpdatedAt
		if !refused {
			v.Reply, v.Cc, v.ReplyStatus, v.AssignMe, v.Files = d.Text, d.Cc, string(d.Status), d.AssignMe, d.Attachments
		}
	}
	return drafting, nil
}

func (s *Server) fillCanned(c *fiber.Ctx, t *ticket.Ticket, v *composeView) error {
	canned, err := s.Templates.FindCannedResponses(c.UserContext())
	if err != nil {
		return err
	}
	values := s.Composer.Values(t, userFrom(c).Name)
	for _, r := range canned {
		v.Canned = append(v.Canned, cannedOption{ID: r.ID, Title: r.Title, Text: values.Render(r.Text)})
	}
	return nil
}

// isAgencyAddress reports whether addr is an agency's referral address: a participant by the
// referral, not someone to copy a reply to.
func isAgencyAddress(as ticket.Agencies, addr string) bool {
	for _, a := range as {
		if a.Email != "" && strings.EqualFold(a.Email, addr) {
			return true
		}
	}
	return false
}

// FieldError returns the error of a field of this form, for the template.
func (v *composeView) FieldError(form, field string) string {
	if v.Form != form {
		return ""
	}
	return v.Errors.ByField(field)
}

// errorView is a field error as the templates show it: beside the field with the id it names.
type errorView struct{ ID, Text string }

// changeLine is one change someone else made while a form was open.
type changeLine struct {
	At          time.Time
	Actor, Text string
}

// changesSince describes the events after the one with id seen.
func changesSince(events []*ticket.Event, seen uint64) []changeLine {
	var lines []changeLine
	for _, e := range events {
		if e.ID > seen && !e.Prunable() { // not an opening or a download: what changed
			lines = append(lines, changeLine{At: e.At, Actor: e.Actor, Text: describeChange(e)})
		}
	}
	return lines
}

var changeLabels = map[ticket.EventKind]string{
	ticket.EventStatus: "Status endret", ticket.EventAssigned: "Saksbehandler endret", ticket.EventAgency: "Etat endret",
	ticket.EventPriority: "Prioritet endret", ticket.EventMessage: "Ny melding fra", ticket.EventReplied: "Svar sendt til",
	ticket.EventNote: "Notat skrevet", ticket.EventReferred: "Henvist til", ticket.EventAnswered: "Svar fra etat",
	ticket.EventReopened: "Gjenåpnet", ticket.EventSubject: "Emne endret", ticket.EventTags: "Stikkord endret",
	ticket.EventMunicipal: "Kommune endret", ticket.EventNotice: "Melding sendt til",
}

func describeChange(e *ticket.Event) string {
	label, ok := changeLabels[e.Kind]
	if !ok {
		label = string(e.Kind)
	}
	switch {
	case e.Kind == ticket.EventReferred:
		return label + " " + e.To
	case e.From != "" && e.To != "":
		return fmt.Sprintf("%s: %s → %s", label, e.From, e.To)
	case e.To != "":
		return label + " " + e.To
	}
	return label
}
