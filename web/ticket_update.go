package web

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The one update panel of the ticket page (templates/_ticket_update.html): status, assignee,
// agency with its reason, priority, tags and municipality in one form and one save. Storage
// writes one history entry per field that changed. The form carries the version the page was
// made from: if someone changed the ticket since, nothing is saved, and the page shows the
// fresh ticket, what changed, and the choices made, kept, to save again knowingly.

// updateFields are the panel's field names.
var updateFields = []string{"status", "tildelt", "etat", "begrunnelse", "prioritet", "stikkord", "kommune", "kommunenavn"}

func (s *Server) handleTicketUpdate(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	form := map[string]string{}
	for _, f := range updateFields {
		form[f] = c.FormValue(f)
	}
	upd, errs := s.readUpdate(c, t, form)
	if len(errs) == 0 {
		upd.IfVersion = formVersion(c, "versjon")
		_, err = s.Tickets.UpdateTicket(c.UserContext(), t.ID, upd)
		switch ticket.ErrorCode(err) {
		case "":
			return c.Redirect("/saker/"+t.Ref.String()+"?ok=endret", fiber.StatusSeeOther)
		case ticket.EINVALID:
			errs = ticket.FieldErrorsOf(err)
		case ticket.ECONFLICT:
			return s.updateConflict(c, form)
		default:
			return err
		}
	}
	c.Status(fiber.StatusBadRequest)
	return s.renderTicket(c, t, ticketView{errs: errs, form: form})
}

// updateConflict shows the fresh ticket with what changed since the form was made, and the
// form's choices kept.
func (s *Server) updateConflict(c *fiber.Ctx, form map[string]string) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	events, err := s.Events.FindEvents(c.UserContext(), t.ID)
	if err != nil {
		return err
	}
	c.Status(fiber.StatusConflict)
	return s.renderTicket(c, t, ticketView{form: form, conflict: changesSince(events, formUint(c, "sett"))})
}

// readUpdate checks every field of the panel and returns the change, with every error at once.
func (s *Server) readUpdate(c *fiber.Ctx, t *ticket.Ticket, form map[string]string) (ticket.TicketUpdate, ticket.FieldErrors) {
	var upd ticket.TicketUpdate
	var errs ticket.FieldErrors
	add := func(err *ticket.Error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if st := ticket.Status(form["status"]); st != "" && st != t.Status {
		if !st.Valid() {
			add(ticket.FieldError("status", "Velg en status fra listen."))
		} else {
			upd.Status = &st
		}
	}
	add(s.readAssignee(c, t, form["tildelt"], &upd))
	add(s.readAgency(c, t, form["etat"], form["begrunnelse"], &upd))
	if p := ticket.Priority(form["prioritet"]); p != "" && p != t.Priority {
		if !p.Valid() {
			add(ticket.FieldError("prioritet", "Velg en prioritet fra listen."))
		} else {
			upd.Priority = &p
		}
	}
	if c.Request().PostArgs().Has("stikkord") { // sent empty: every tag goes
		tags, err := readTags(form["stikkord"])
		add(err)
		upd.Tags = &tags
	}
	add(s.readMunicipality(t, form["kommune"], form["kommunenavn"], &upd))
	return upd, errs
}

// readAssignee reads «tildelt»: "" (not sent, or the inactive assignee kept) changes nothing.
func (s *Server) readAssignee(c *fiber.Ctx, t *ticket.Ticket, k string, upd *ticket.TicketUpdate) *ticket.Error {
	var who string
	switch k {
	case "":
		return nil
	case "meg":
		who = userFrom(c).Email
	case "ingen":
	default:
		users, err := s.Users.FindUsers(c.UserContext())
		if err != nil {
			return ticket.FieldError("tildelt", "Saksbehandlerne kunne ikke leses. Prøv igjen.")
		}
		u := userByKey(users, k)
		if u == nil || (u.Disabled && u.Email != t.Assignee) {
			return ticket.FieldError("tildelt", "Velg en saksbehandler fra listen.")
		}
		who = u.Email
	}
	if who != t.Assignee {
		upd.Assignee = &who
	}
	return nil
}

// readAgency moves the ticket to another agency; a move needs a reason, kept as a re-route.
func (s *Server) readAgency(c *fiber.Ctx, t *ticket.Ticket, key, reason string, upd *ticket.TicketUpdate) *ticket.Error {
	if key == "" || key == t.Agency {
		return nil
	}
	as, err := s.agencies(c.UserContext())
	if err != nil {
		return ticket.FieldError("etat", "Etatene kunne ikke leses. Prøv igjen.")
	}
	if _, ok := as.Find(key); !ok {
		return ticket.FieldError("etat", "Velg en etat fra listen.")
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return ticket.FieldError("begrunnelse", "Skriv hvorfor saken flyttes, så andre kan se det.")
	case utf8.RuneCountInString(reason) > 500:
		return ticket.FieldError("begrunnelse", "Begrunnelsen kan være høyst 500 tegn.")
	}
	upd.Agency, upd.Routing = &key, &ticket.Routing{Rule: ticket.RuleManual, Reason: reason}
	return nil
}

// maxTags and maxTagLen keep tags short labels, not notes.
const (
	maxTags   = 20
	maxTagLen = 40
)

// readTags reads comma-separated tags, lower case, without repeats.
func readTags(in string) ([]string, *ticket.Error) {
	tags := []string{}
	for _, t := range strings.Split(in, ",") {
		t = strings.ToLower(strings.Join(strings.Fields(t), " "))
		if t == "" || containsString(tags, t) {
			continue
		}
		if utf8.RuneCountInString(t) > maxTagLen {
			return nil, ticket.FieldError("stikkord", "Stikkordet «%s» er for langt (høyst %d tegn).", t, maxTagLen)
		}
		tags = append(tags, t)
	}
	if len(tags) > maxTags {
		return nil, ticket.FieldError("stikkord", "En sak kan ha høyst %d stikkord.", maxTags)
	}
	return tags, nil
}

func (s *Server) readMunicipality(t *ticket.Ticket, in, name string, upd *ticket.TicketUpdate) *ticket.Error {
	in = strings.TrimSpace(in)
	if in == "" || in == t.Requester.Municipality.Number {
		return nil
	}
	p, ok := s.findPlace(in)
	if !ok && s.Places == nil && digits(in, 4) {
		p, ok = ticket.Place{Municipality: ticket.Municipality{Number: in, Name: strings.TrimSpace(name)}}, true
	}
	if !ok {
		return ticket.FieldError("kommune", "Fant ingen kommune «%s». Skriv kommunenavnet eller det firesifrede kommunenummeret.", in)
	}
	upd.Municipality, upd.County = &p.Municipality, &p.County
	return nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
