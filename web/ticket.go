package web

import (
	"context"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The ticket page (templates/ticket.html) is made of one partial per panel: the thread
// (_ticket_thread.html), similar questions (_ticket_similar.html), the reply, note and referral
// forms (_compose*.html), the facts (_ticket_facts.html), the one update panel
// (_ticket_update.html), the merge box (_ticket_merge_box.html) and the history
// (_ticket_history.html). Each reads its own part of ticketPage.

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
	Others       string   // who else has the ticket open
	Drafting     []string // colleagues with a draft of a reply, with when they saved it
	Similar      []similarEntry
	Update       *updatePanel
	Compose      *composeView // reply, note and referral forms, and the ticket's outgoing mail
	// MergedInto is the ticket this one was merged into (nil: none); MergedFrom those merged
	// into this one.
	MergedInto *ticket.Ticket
	MergedFrom []*ticket.Ticket
	// Suggestion is the routing model's «Forslag» (nil: none shown; ticket_suggestion.go).
	Suggestion *suggestionView
	// MergeRef is what was typed in the merge box (kept after a refusal).
	MergeRef string
	// MailOff: outgoing mail is not set up, so what is queued waits.
	MailOff bool
	// List is the inbox view the ticket was opened from (its query string), for «Send og gå
	// til neste»; InboxLink goes back to it.
	List      string
	InboxLink string
	// Card is the municipality's offer and earlier tickets (issue 16; nil: unknown place).
	Card *placeCard
	// Articles are the handbook's articles like the question.
	Articles []articleLink
}

// ticketView is what an action brings back to the page: errors, the update panel's values
// kept, and what changed meanwhile.
type ticketView struct {
	errs     ticket.FieldErrors
	form     map[string]string
	conflict []changeLine
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
	if err := s.recordOpening(c, t); err != nil {
		return err
	}
	return s.renderTicket(c, t, ticketView{})
}

// ticketOpener records an opening in the audit log and the user's time seen in one commit
// (data.EventService): one fsync per page instead of two.
type ticketOpener interface {
	OpenTicket(ctx context.Context, userID uint64, t *ticket.Ticket, detail string) error
}

// recordOpening puts the opening of t in the audit log (a page whose opening cannot be recorded
// is not shown) and clears the user's markers of it.
func (s *Server) recordOpening(c *fiber.Ctx, t *ticket.Ticket) error {
	if o, ok := s.Events.(ticketOpener); ok && s.Seen != nil {
		return o.OpenTicket(c.UserContext(), userFrom(c).ID, t, "saksside")
	}
	if err := s.Events.AddEvent(c.UserContext(), t.ID, ticket.EventOpened, "saksside"); err != nil {
		return err
	}
	s.markSeen(c, t)
	return nil
}

// markSeen records that the user opened t, for the inbox's markers. A failure costs only a
// marker, so it is logged and the page shown.
func (s *Server) markSeen(c *fiber.Ctx, t *ticket.Ticket) {
	if s.Seen == nil {
		return
	}
	if err := s.Seen.MarkSeen(c.UserContext(), userFrom(c).ID, t); err != nil {
		s.Logger.Warn("mark ticket seen", "ticket", t.Ref.String(), "err", err)
	}
}

// ticketParts are what the page reads once and several panels share.
type ticketParts struct {
	users  []*ticket.User
	events []*ticket.Event
	mails  []*ticket.OutboundMail
	as     ticket.Agencies
}

func (s *Server) loadTicketParts(c *fiber.Ctx, t *ticket.Ticket) (ticketParts, error) {
	ctx := c.UserContext()
	var p ticketParts
	var err error
	if p.users, err = s.Users.FindUsers(ctx); err != nil {
		return p, err
	}
	if p.events, err = s.Events.FindEvents(ctx, t.ID); err != nil {
		return p, err
	}
	if s.Outbox != nil {
		if p.mails, err = s.Outbox.FindOutbox(ctx, ticket.OutboxFilter{TicketID: &t.ID, Limit: ticket.MaxLimit}); err != nil {
			return p, err
		}
	}
	p.as, err = s.agencies(ctx)
	return p, err
}

// renderTicket shows the ticket page, with what a refused action brought back in v.
func (s *Server) renderTicket(c *fiber.Ctx, t *ticket.Ticket, v ticketView) error {
	ctx := c.UserContext()
	msgs, err := s.Tickets.FindMessages(ctx, t.ID)
	if err != nil {
		return err
	}
	parts, err := s.loadTicketParts(c, t)
	if err != nil {
		return err
	}
	me := userFrom(c)
	desc := describer{agencies: parts.as, users: parts.users}
	d := ticketPage{
		Ticket: t, Thread: threadEntries(t, msgs, parts.users, parts.mails, s.mailOff()), History: desc.lines(parts.events),
		Agency: parts.as.Name(t.Agency), AssigneeName: userName(parts.users, t.Assignee), Overdue: t.OverdueReason(s.Now()),
		Routing: routingExplanation(t, parts.as), Referrals: referralLines(t, parts.as, parts.users, s.Now()),
		Others: presenceText(s.presence.see(t.ID, me.Email, me.Name)), Similar: s.similar(c, t),
		MergeRef: v.form[ticket.MergeField], MailOff: s.mailOff(), List: listParam(c), InboxLink: "/innboks",
	}
	if d.List != "" {
		d.InboxLink += "?" + d.List
	}
	d.Update = s.updatePanel(c, t, parts, v)
	d.Suggestion = s.suggestion(t, msgs)
	d.Card = s.placeCard(c, t)
	if d.MergedInto, err = s.mergedInto(ctx, t); err != nil {
		return err
	}
	if d.MergedFrom, err = s.mergedFrom(ctx, t); err != nil {
		return err
	}
	if d.Compose, d.Drafting, err = s.composeView(c, t, parts, d.List); err != nil {
		return err
	}
	d.Articles = s.ticketArticles(c, t, msgs)
	if d.Compose != nil {
		d.Compose.Articles = s.articleOptions(c, d.Articles)
	}
	p := pageData{Title: t.Ref.String() + " " + t.Subject, Nav: "innboks", Data: d, Errors: v.errs, Notice: noticeText(c.Query("ok")), Scripts: staffScripts}
	switch msg := v.errs.ByField(""); {
	case msg != "":
		p.Message = msg
	case len(v.conflict) > 0:
		p.Message = "Saken ble endret av noen andre mens du hadde den åpen, så endringene dine er ikke lagret. Valgene dine står i skjemaet; se hva som er endret, og lagre igjen."
	case len(v.errs) > 0:
		p.Message = "Endringen ble ikke lagret. Se feilen under."
	}
	return s.render(c, "ticket", p)
}

// listParam is the inbox view a ticket was opened from (?liste=), kept through the forms: only
// the inbox's own filter parameters, in a canonical order (it goes back into links).
func listParam(c *fiber.Ctx) string {
	raw := c.FormValue("liste")
	if raw == "" {
		raw = c.Query("liste")
	}
	vals, err := url.ParseQuery(raw)
	if err != nil || raw == "" {
		return ""
	}
	return readInboxQuery(vals.Get).values(vals.Get("vis")).Encode()
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
