package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// similarShown is how many answered tickets the page suggests.
const similarShown = 5

type ticketPage struct {
	Ticket       *ticket.Ticket
	Thread       []threadEntry
	History      []historyLine
	Agency       string
	AssigneeName string
	Overdue      string
	Routing      string
	Referrals    []referralLine
	Others       string // who else has the ticket open
	Similar      []similarEntry
	Transitions  []ticket.Status
	Priorities   []ticket.Priority
	Agencies     ticket.Agencies
	Users        []userOption
	Places       []ticket.Place
	Tags         string
	Errors       ticket.FieldErrors
	Form         map[string]string
	Compose      *composeView // reply, note and referral forms, and the ticket's outgoing mail (issue 4)
	// MergedInto is the ticket this one was merged into (nil: none); MergedFrom those merged
	// into this one.
	MergedInto *ticket.Ticket
	MergedFrom []*ticket.Ticket
	// Suggestion is the routing model's «Forslag» (nil: none shown; ticket_suggestion.go).
	Suggestion *suggestionView
	// Card is the municipality's offer and earlier tickets (issue 16; nil: unknown place).
	Card *placeCard
	// Articles are the handbook's articles like the question.
	Articles []articleLink
}

// findTicketParam loads the ticket named by the :ref route parameter.
func (s *Server) findTicketParam(c *fiber.Ctx) (*ticket.Ticket, error) {
	ref, err := ticket.ParseRef(c.Params("ref"))
	if err != nil {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Fant ikke saken «%s».", c.Params("ref"))
	}
	return s.Tickets.FindTicketByRef(c.UserContext(), ref)
}

func (s *Server) handleTicketView(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	return s.renderTicket(c, t, nil, nil)
}

// renderTicket shows the ticket page; errs and form come back with a refused action.
func (s *Server) renderTicket(c *fiber.Ctx, t *ticket.Ticket, errs ticket.FieldErrors, form map[string]string) error {
	ctx := c.UserContext()
	msgs, err := s.Tickets.FindMessages(ctx, t.ID)
	if err != nil {
		return err
	}
	events, err := s.Events.FindEvents(ctx, t.ID)
	if err != nil {
		return err
	}
	users, err := s.Users.FindUsers(ctx)
	if err != nil {
		return err
	}
	me := userFrom(c)
	desc := describer{agencies: s.Agencies, users: users}
	d := ticketPage{
		Ticket: t, Thread: threadEntries(t, msgs, users), History: desc.lines(events),
		Agency: s.Agencies.Name(t.Agency), AssigneeName: userName(users, t.Assignee), Overdue: t.OverdueReason(s.Now()),
		Routing: routingExplanation(t, s.Agencies), Referrals: referralLines(t, s.Agencies, users, s.Now()),
		Others:  presenceText(s.presence.see(t.ID, me.Email, me.Name)),
		Similar: s.similar(c, t), Transitions: transitions(t.Status), Priorities: priorities,
		Agencies: s.Agencies, Users: userOptions(users), Tags: joinTags(t.Tags), Errors: errs, Form: form,
	}
	d.Places, _ = s.placeOptions()
	d.Suggestion = s.suggestion(t, msgs)
	d.Card = s.placeCard(c, t)
	if d.MergedInto, err = s.mergedInto(ctx, t); err != nil {
		return err
	}
	if d.MergedFrom, err = s.mergedFrom(ctx, t); err != nil {
		return err
	}
	if d.Compose, err = s.composeView(c, t); err != nil {
		return err
	}
	d.Articles = s.ticketArticles(c, t, msgs)
	if d.Compose != nil {
		d.Compose.Articles = s.articleOptions(c, d.Articles)
	}
	p := pageData{Title: t.Ref.String() + " " + t.Subject, Nav: "innboks", Data: d, Errors: errs, Notice: noticeText(c.Query("ok")), Scripts: staffScripts}
	if msg := errs.ByField(""); msg != "" {
		p.Message = msg
	} else if len(errs) > 0 {
		p.Message = "Endringen ble ikke lagret. Se feilen under."
	}
	return s.render(c, "ticket", p)
}

var priorities = []ticket.Priority{ticket.PriorityLow, ticket.PriorityNormal, ticket.PriorityHigh}

// transitions are the statuses a ticket may move to from s (not counting staying).
func transitions(s ticket.Status) []ticket.Status {
	var out []ticket.Status
	for _, to := range ticket.Statuses {
		if to != s && ticket.CanTransition(s, to) {
			out = append(out, to)
		}
	}
	return out
}

// handlePresence is the script's poll: it says the viewer is still here and returns the
// sentence about the others.
func (s *Server) handlePresence(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	me := userFrom(c)
	return c.JSON(fiber.Map{"others": presenceText(s.presence.see(t.ID, me.Email, me.Name)), "version": strconv.FormatUint(t.Version, 10)})
}
