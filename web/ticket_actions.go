package web

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// applyUpdate makes a change from a form on the ticket page and goes back to the page with a
// confirmation. A refused change shows the page again with the reason beside the field; a
// change refused because someone else changed the ticket shows the fresh ticket.
func (s *Server) applyUpdate(c *fiber.Ctx, upd ticket.TicketUpdate, notice string, errs ticket.FieldErrors) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	form := map[string]string{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) { form[string(k)] = string(v) })
	if len(errs) == 0 {
		_, err = s.Tickets.UpdateTicket(c.UserContext(), t.ID, upd)
		switch ticket.ErrorCode(err) {
		case "":
			return c.Redirect("/saker/"+t.Ref.String()+"?ok="+notice, fiber.StatusSeeOther)
		case ticket.EINVALID:
			errs = ticket.FieldErrorsOf(err)
		case ticket.ECONFLICT:
			conflict := ticket.FieldErrors{ticket.FieldError("", "%s", ticket.ErrorMessage(err))}
			if t, err = s.findTicketParam(c); err != nil {
				return err
			}
			c.Status(fiber.StatusConflict)
			return s.renderTicket(c, t, conflict, form)
		default:
			return err
		}
	}
	c.Status(fiber.StatusBadRequest)
	return s.renderTicket(c, t, errs, form)
}

func (s *Server) handleAssign(c *fiber.Ctx) error {
	var who string
	switch k := c.FormValue("tildelt"); k {
	case "meg":
		who = userFrom(c).Email
	case "ingen", "":
	default:
		users, err := s.Users.FindUsers(c.UserContext())
		if err != nil {
			return err
		}
		u := userByKey(users, k)
		if u == nil || u.Disabled {
			return s.applyUpdate(c, ticket.TicketUpdate{}, "", ticket.FieldErrors{ticket.FieldError("tildelt", "Velg en saksbehandler fra listen.")})
		}
		who = u.Email
	}
	return s.applyUpdate(c, ticket.TicketUpdate{Assignee: &who}, "tildelt", nil)
}

func (s *Server) handleStatusChange(c *fiber.Ctx) error {
	st := ticket.Status(c.FormValue("status"))
	if !st.Valid() {
		return s.applyUpdate(c, ticket.TicketUpdate{}, "", ticket.FieldErrors{ticket.FieldError("status", "Velg en status fra listen.")})
	}
	return s.applyUpdate(c, ticket.TicketUpdate{Status: &st, IfVersion: formVersion(c, "versjon")}, "status", nil)
}

func (s *Server) handleAgency(c *fiber.Ctx) error {
	key := c.FormValue("etat")
	reason := strings.TrimSpace(c.FormValue("begrunnelse"))
	var errs ticket.FieldErrors
	if _, ok := s.Agencies.Find(key); !ok {
		errs = append(errs, ticket.FieldError("etat", "Velg en etat fra listen."))
	}
	if reason == "" {
		errs = append(errs, ticket.FieldError("begrunnelse", "Skriv hvorfor saken flyttes, så andre kan se det."))
	} else if utf8.RuneCountInString(reason) > 500 {
		errs = append(errs, ticket.FieldError("begrunnelse", "Begrunnelsen kan være høyst 500 tegn."))
	}
	upd := ticket.TicketUpdate{Agency: &key, Routing: &ticket.Routing{Rule: ticket.RuleManual, Reason: reason}, IfVersion: formVersion(c, "versjon")}
	return s.applyUpdate(c, upd, "etat", errs)
}

func (s *Server) handlePriority(c *fiber.Ctx) error {
	p := ticket.Priority(c.FormValue("prioritet"))
	if !p.Valid() {
		return s.applyUpdate(c, ticket.TicketUpdate{}, "", ticket.FieldErrors{ticket.FieldError("prioritet", "Velg en prioritet fra listen.")})
	}
	return s.applyUpdate(c, ticket.TicketUpdate{Priority: &p}, "prioritet", nil)
}

// maxTags and maxTagLen keep tags short labels, not notes.
const (
	maxTags   = 20
	maxTagLen = 40
)

func (s *Server) handleTags(c *fiber.Ctx) error {
	tags := []string{}
	for _, t := range strings.Split(c.FormValue("stikkord"), ",") {
		t = strings.ToLower(strings.Join(strings.Fields(t), " "))
		if t == "" || containsString(tags, t) {
			continue
		}
		if utf8.RuneCountInString(t) > maxTagLen {
			return s.applyUpdate(c, ticket.TicketUpdate{}, "", ticket.FieldErrors{ticket.FieldError("stikkord", "Stikkordet «%s» er for langt (høyst %d tegn).", t, maxTagLen)})
		}
		tags = append(tags, t)
	}
	if len(tags) > maxTags {
		return s.applyUpdate(c, ticket.TicketUpdate{}, "", ticket.FieldErrors{ticket.FieldError("stikkord", "En sak kan ha høyst %d stikkord.", maxTags)})
	}
	return s.applyUpdate(c, ticket.TicketUpdate{Tags: &tags}, "stikkord", nil)
}

func (s *Server) handleMunicipality(c *fiber.Ctx) error {
	in := strings.TrimSpace(c.FormValue("kommune"))
	p, ok := s.findPlace(in)
	if !ok && s.Places == nil && digits(in, 4) {
		p, ok = ticket.Place{Municipality: ticket.Municipality{Number: in, Name: strings.TrimSpace(c.FormValue("kommunenavn"))}}, true
	}
	if !ok {
		return s.applyUpdate(c, ticket.TicketUpdate{}, "", ticket.FieldErrors{ticket.FieldError("kommune", "Fant ingen kommune «%s». Skriv kommunenavnet eller det firesifrede kommunenummeret.", in)})
	}
	return s.applyUpdate(c, ticket.TicketUpdate{Municipality: &p.Municipality, County: &p.County}, "kommune", nil)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
