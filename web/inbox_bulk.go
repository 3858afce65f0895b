package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// Bulk work: tickets ticked in the inbox (checkboxes, or x on the keyboard) get one change,
// asked for on the inbox and confirmed on a page of its own that lists them. Each ticket
// carries the version the inbox showed; one changed meanwhile is left out and named.

// bulkOptions is what the inbox's bulk form offers.
type bulkOptions struct {
	Users    []userOption // those a ticket may be given to: active agents and admins
	Statuses []ticket.Status
	Agencies ticket.Agencies
}

func (s *Server) bulkOptions(c *fiber.Ctx, users []*ticket.User) *bulkOptions {
	if !s.mayUse(userFrom(c), fiber.MethodPost, "/innboks/masse") {
		return nil
	}
	o := &bulkOptions{Statuses: ticket.Statuses, Agencies: s.agencyNames(c)}
	for _, u := range users {
		if !u.Disabled && u.Role.Allows(ticket.RoleAgent) {
			o.Users = append(o.Users, userOption{Key: userKey(u), Name: u.Name, Email: u.Email})
		}
	}
	return o
}

// The actions, as the buttons name them in handling.
const (
	bulkAssign = "tildel"
	bulkStatus = "status"
	bulkAgency = "etat"
	bulkTags   = "stikkord"
	bulkMerge  = "slaa-sammen"
)

// bulkRequest is a bulk form as posted (the same fields on the inbox and the confirmation).
type bulkRequest struct {
	Items    []ticket.BulkItem
	Action   string
	Assignee string // tildel-til: "meg", "ingen" or a user key
	Status   string // ny-status
	Agency   string // ny-etat
	Reason   string // begrunnelse
	Tags     string // nye-stikkord
	Into     uint64 // inn-i: the ticket the others are merged into
	Back     string // tilbake: the inbox page to return to
}

func readBulkRequest(c *fiber.Ctx) (bulkRequest, error) {
	r := bulkRequest{Action: c.FormValue("handling"), Assignee: c.FormValue("tildel-til"), Status: c.FormValue("ny-status"),
		Agency: c.FormValue("ny-etat"), Reason: strings.TrimSpace(c.FormValue("begrunnelse")), Tags: c.FormValue("nye-stikkord"),
		Back: c.FormValue("tilbake")}
	if !strings.HasPrefix(r.Back, "/innboks") {
		r.Back = "/innboks"
	}
	r.Into, _ = strconv.ParseUint(c.FormValue("inn-i"), 10, 64)
	for _, v := range formValues(c, "sak") {
		id, version, ok := strings.Cut(v, ":")
		tid, err1 := strconv.ParseUint(id, 10, 64)
		ver, err2 := strconv.ParseUint(version, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			return r, ticket.Errorf(ticket.EINVALID, "Valget av saker kunne ikke leses. Gå tilbake til innboksen og velg på nytt.")
		}
		if !slices.ContainsFunc(r.Items, func(it ticket.BulkItem) bool { return it.TicketID == tid }) {
			r.Items = append(r.Items, ticket.BulkItem{TicketID: tid, Version: ver})
		}
	}
	return r, nil
}

// hidden are the fields that carry the request through the confirmation page.
func (r bulkRequest) hidden() [][2]string {
	out := [][2]string{{"handling", r.Action}, {"tildel-til", r.Assignee}, {"ny-status", r.Status}, {"ny-etat", r.Agency},
		{"begrunnelse", r.Reason}, {"nye-stikkord", r.Tags}, {"tilbake", r.Back}}
	for _, it := range r.Items {
		out = append(out, [2]string{"sak", fmt.Sprintf("%d:%d", it.TicketID, it.Version)})
	}
	return out
}

// maxBulk bounds the tickets of one bulk change (a page of the inbox is 50).
const maxBulk = ticket.MaxLimit

// change checks the request and says in a sentence what will happen.
func (s *Server) change(c *fiber.Ctx, r bulkRequest) (ticket.BulkChange, string, error) {
	var ch ticket.BulkChange
	n := plural(len(r.Items), "sak", "saker")
	switch r.Action {
	case bulkAssign:
		email, name, err := s.bulkAssignee(c, r.Assignee)
		if err != nil {
			return ch, "", err
		}
		ch.Update.Assignee = &email
		if email == "" {
			return ch, "Fjern tildelingen av " + n + ".", nil
		}
		return ch, "Tildel " + n + " til " + name + ".", nil
	case bulkStatus:
		st := ticket.Status(r.Status)
		if !st.Valid() {
			return ch, "", ticket.FieldError("ny-status", "Velg en status fra listen.")
		}
		ch.Update.Status = &st
		return ch, "Sett status «" + st.Label() + "» på " + n + ".", nil
	case bulkAgency:
		a, ok := s.Agencies.Find(r.Agency)
		if !ok {
			return ch, "", ticket.FieldError("ny-etat", "Velg en etat fra listen.")
		}
		if r.Reason == "" || utf8.RuneCountInString(r.Reason) > 500 {
			return ch, "", ticket.FieldError("begrunnelse", "Skriv hvorfor sakene flyttes (høyst 500 tegn), så andre kan se det.")
		}
		ch.Update.Agency, ch.Update.Routing = &a.Key, &ticket.Routing{Rule: ticket.RuleManual, Reason: r.Reason}
		return ch, "Flytt " + n + " til " + a.Name + ". Begrunnelse: " + r.Reason, nil
	case bulkTags:
		tags, err := parseNewTags(r.Tags)
		if err != nil {
			return ch, "", err
		}
		ch.AddTags = tags
		return ch, "Legg til stikkord " + strings.Join(tags, ", ") + " på " + n + ".", nil
	case bulkMerge:
		if len(r.Items) < 2 {
			return ch, "", ticket.Errorf(ticket.EINVALID, "Velg minst to saker for å slå dem sammen.")
		}
		return ch, "Slå sammen " + n + " til én.", nil
	}
	return ch, "", ticket.Errorf(ticket.EINVALID, "Velg hva som skal gjøres med de valgte sakene.")
}

func (s *Server) bulkAssignee(c *fiber.Ctx, key string) (email, name string, err error) {
	me := userFrom(c)
	switch key {
	case "ingen":
		return "", "", nil
	case "meg":
		return me.Email, "deg", nil
	}
	users, err := s.Users.FindUsers(c.UserContext())
	if err != nil {
		return "", "", err
	}
	if u := userByKey(users, key); u != nil && !u.Disabled && u.Role.Allows(ticket.RoleAgent) {
		return u.Email, u.Name, nil
	}
	return "", "", ticket.FieldError("tildel-til", "Velg en saksbehandler fra listen.")
}

// parseNewTags reads «a, b» as tags, as the ticket page does.
func parseNewTags(in string) ([]string, error) {
	var tags []string
	for _, t := range strings.Split(in, ",") {
		t = strings.ToLower(strings.Join(strings.Fields(t), " "))
		if t == "" || slices.Contains(tags, t) {
			continue
		}
		if utf8.RuneCountInString(t) > maxTagLen {
			return nil, ticket.FieldError("nye-stikkord", "Stikkordet «%s» er for langt (høyst %d tegn).", t, maxTagLen)
		}
		tags = append(tags, t)
	}
	if len(tags) == 0 {
		return nil, ticket.FieldError("nye-stikkord", "Skriv ett eller flere stikkord, skilt med komma.")
	}
	if len(tags) > maxTags {
		return nil, ticket.FieldError("nye-stikkord", "Høyst %d stikkord.", maxTags)
	}
	return tags, nil
}

// plural is n with the singular or plural noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
