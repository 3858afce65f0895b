package web

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/ks-no/digihjelpen/ticket"
)

const fieldMore = "tillegg" // the text added on the status page

// statusPage is what a requester sees of their ticket: never notes, system messages, mail to
// agencies or staff addresses.
type statusPage struct {
	Ticket  *ticket.Ticket
	Token   string
	Summary string
	Agency  string
	// Conversation is the requester's own question and additions and our answers to them, in
	// order; Answered says whether any answer is among them.
	Conversation []statusEntry
	Answered     bool
	// Updated is when the requester last saw something happen (our answer, their own
	// addition); the ticket's own UpdatedAt also moves on notes and referrals they never see.
	Updated    time.Time
	CanAdd     bool
	UploadHint string
	// Mailed: our answers go out by mail too (outgoing mail is set up).
	Mailed bool
	// ContinuesAs is the ticket this one was merged into: only its reference and status are
	// shown, since its requester may be someone else.
	ContinuesAs *ticket.Ticket
	// Feedback asks «Fikk du svar du kunne bruke?» (issue 16); nil: not for this ticket.
	Feedback *feedbackView
}

// findByToken loads the ticket of a status link. Anything wrong gives the same plain 404, and
// counts against the address, so links cannot be guessed or probed.
func (s *Server) findByToken(c *fiber.Ctx) (*ticket.Ticket, error) {
	return s.ticketByToken(c, c.Params("token"))
}

// ticketByToken looks up a status link's token wherever it comes from (the URL, the receipt
// cookie), under the same limit on misses per address.
func (s *Server) ticketByToken(c *fiber.Ctx, token string) (*ticket.Ticket, error) {
	key := s.clientKey(c)
	notFound := ticket.Errorf(ticket.ENOTFOUND, "Siden finnes ikke.")
	if blocked, wait := s.misses.Blocked(key); blocked {
		c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
		return nil, ticket.Errorf(ticket.ERATELIMIT, "For mange forsøk på kort tid. Vent noen minutter og prøv igjen.")
	}
	privatePage(c)
	if u, err := uuid.Parse(token); err != nil || u.Version() != 4 || u.String() != token {
		s.misses.Fail(key)
		return nil, notFound
	}
	t, err := s.Tickets.FindTicketByToken(c.UserContext(), token)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		s.misses.Fail(key)
		return nil, notFound
	}
	return t, err
}

func (s *Server) handleStatus(c *fiber.Ctx) error {
	t, err := s.findByToken(c)
	if err != nil {
		return err
	}
	d := pageData{}
	if c.Query("sendt") == "1" {
		d.Notice = "Takk! Vi har fått tilleggsinformasjonen din."
	}
	return s.renderStatus(c, t, d)
}

func (s *Server) renderStatus(c *fiber.Ctx, t *ticket.Ticket, d pageData) error {
	msgs, err := s.Tickets.FindMessages(c.UserContext(), t.ID)
	if err != nil {
		return err
	}
	page := statusPage{Ticket: t, Token: t.StatusToken, Summary: statusSummary(t.Status), Agency: s.agencyNames(c).Name(t.Agency),
		Mailed: !s.mailOff(), Conversation: conversation(t, msgs), Updated: lastSeenByRequester(t, msgs), CanAdd: t.RequesterCanAdd(), UploadHint: uploadHint}
	for _, e := range page.Conversation {
		page.Answered = page.Answered || !e.Mine
	}
	if page.ContinuesAs, err = s.mergedInto(c.UserContext(), t); err != nil {
		return err
	}
	if page.Feedback, err = s.feedbackView(c, t, d); err != nil {
		return err
	}
	d.Title, d.Public, d.Data = "Saken din "+t.Ref.String(), true, page
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	return s.render(c, "status", d)
}

// statusEntry is a message as the requester reads it on the status page.
type statusEntry struct {
	*ticket.Message
	Mine bool // they wrote it
}

// conversation is what the requester wrote (their question and additions, by mail or on this
// page; not automatic mail) and what we answered them, in order.
func conversation(t *ticket.Ticket, msgs []*ticket.Message) []statusEntry {
	var out []statusEntry
	for _, m := range msgs {
		switch {
		case ownMessage(t, m):
			out = append(out, statusEntry{Message: m, Mine: true})
		case m.Direction == ticket.DirectionOut && slices.ContainsFunc(m.To, func(to string) bool { return sameAddress(to, t.Requester.Email) }):
			out = append(out, statusEntry{Message: m})
		}
	}
	return out
}

// ownMessage reports whether the requester wrote m: the question itself, or mail or an addition
// from their address.
func ownMessage(t *ticket.Ticket, m *ticket.Message) bool {
	return m.Direction == ticket.DirectionIn && m.Auto == "" && (m.Seq == 1 || sameAddress(m.From, t.Requester.Email))
}

// lastSeenByRequester is the time of the latest message the requester sent or got.
func lastSeenByRequester(t *ticket.Ticket, msgs []*ticket.Message) time.Time {
	last := t.CreatedAt
	for _, m := range msgs {
		mine := m.Direction == ticket.DirectionIn && sameAddress(m.From, t.Requester.Email)
		theirs := m.Direction == ticket.DirectionOut && slices.ContainsFunc(m.To, func(to string) bool { return sameAddress(to, t.Requester.Email) })
		if (mine || theirs) && m.CreatedAt.After(last) {
			last = m.CreatedAt
		}
	}
	return last
}

// statusSummary says where a ticket stands in a sentence for the requester.
func statusSummary(st ticket.Status) string {
	switch st {
	case ticket.StatusNew:
		return "Vi har mottatt spørsmålet ditt. Det venter på at en saksbehandler tar det."
	case ticket.StatusOpen:
		return "En saksbehandler jobber med spørsmålet ditt."
	case ticket.StatusWaiting:
		return "Vi venter på svar fra deg. Se svaret nedenfor, og legg til det vi spør om."
	case ticket.StatusReferred:
		return "Spørsmålet er sendt videre til etaten som kan svare på det. Du får svar på e-post."
	case ticket.StatusResolved:
		return "Vi har svart på spørsmålet ditt. Skriv til oss nedenfor hvis noe fortsatt er uklart."
	case ticket.StatusClosed:
		return "Saken er avsluttet. Har du et nytt spørsmål, send det i skjemaet."
	}
	return ""
}

func (s *Server) handleStatusAdd(c *fiber.Ctx) error {
	t, err := s.findByToken(c)
	if err != nil {
		return err
	}
	if !t.RequesterCanAdd() {
		return ticket.Errorf(ticket.EINVALID, "Saken er avsluttet, så du kan ikke legge til mer her. Send et nytt spørsmål i skjemaet.")
	}
	text := strings.TrimSpace(c.FormValue(fieldMore))
	files, err := formFiles(c, fieldFiles)
	errs := validateMore(text, len(files))
	var atts []ticket.Attachment
	if err == nil {
		atts, err = readUploads(fieldFiles, files)
	}
	if fe := ticket.FieldErrorsOf(err); fe != nil {
		errs = append(errs, fe...)
	} else if err != nil {
		return err
	}
	key := s.clientKey(c)
	if len(errs) == 0 {
		if blocked, wait := s.public.Blocked(key); blocked {
			c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
			c.Status(fiber.StatusTooManyRequests)
			return s.renderStatus(c, t, pageData{Form: map[string]string{fieldMore: text},
				Message: "Det er sendt mange meldinger fra denne adressen den siste timen. Vent litt og send igjen."})
		}
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusBadRequest)
		return s.renderStatus(c, t, pageData{Form: map[string]string{fieldMore: text}, Errors: errs})
	}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: t.Requester.Email, FromName: t.Requester.Name,
		Subject: "Tillegg til " + t.Ref.String(), Text: text, Attachments: atts}
	ctx := ticket.NewContextWithActor(c.UserContext(), ticket.Actor{Name: t.Requester.Email})
	if _, err := s.Tickets.AppendMessage(ctx, t.ID, m, ticket.AppendOptions{}); err != nil {
		return err
	}
	s.public.Fail(key)
	s.Logger.Info("status page message added", "ref", t.Ref.String())
	return c.Redirect("/sak/"+t.StatusToken+"?sendt=1", fiber.StatusSeeOther)
}

func validateMore(text string, files int) ticket.FieldErrors {
	if files > 0 && text == "" {
		return nil // files alone are fine
	}
	return validateText(fieldMore, text, "Skriv det du vil legge til.")
}

// handleStatusAttachment sends a file of a message shown on the status page: our answers and
// the requester's own.
func (s *Server) handleStatusAttachment(c *fiber.Ctx) error {
	t, err := s.findByToken(c)
	if err != nil {
		return err
	}
	seq, err1 := strconv.Atoi(c.Params("seq"))
	n, err2 := strconv.Atoi(c.Params("n"))
	notFound := ticket.Errorf(ticket.ENOTFOUND, "Fant ikke vedlegget.")
	if err1 != nil || err2 != nil {
		return notFound
	}
	msgs, err := s.Tickets.FindMessages(c.UserContext(), t.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(conversation(t, msgs), func(e statusEntry) bool { return e.Seq == seq }) {
		return notFound
	}
	a, err := s.Tickets.FindAttachment(c.UserContext(), t.ID, seq, n)
	if err != nil {
		return err
	}
	return sendDownload(c, a.Name, a.Type, a.Data)
}

// sameAddress compares two addresses as mail does, ignoring case and display names.
func sameAddress(a, b string) bool {
	x, err1 := ticket.NormalizeEmail(a)
	y, err2 := ticket.NormalizeEmail(b)
	return err1 == nil && err2 == nil && x == y
}
