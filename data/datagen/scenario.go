package datagen

import (
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// ScenarioWeek is the week the scenario's answers were worked out for: 2026-W13, 167 hours long
// (summer time starts on its Sunday), followed by the Easter week.
var ScenarioWeek = ticket.Week{Year: 2026, Week: 13}

// Scenario plays a dozen tickets around ScenarioWeek through the real services, with the clock
// set for every step: tickets that cross week and summer-time boundaries, one resolved twice in
// a week, reopened ones (by a requester's reply and by staff), one closed as spam without a
// response, one re-routed, one whose municipality staff corrected, referrals answered and not.
// data/stats_scenario_test.go checks every number of the report against answers worked out by
// hand from docs/STATISTICS.md. It leaves db.Now set to the scenario's last moment.
func Scenario(ctx context.Context, db *data.DB) error {
	p := &player{ctx: ctx, db: db, tickets: data.NewTicketService(db)}
	for _, play := range scenarioTickets {
		play(p)
		if p.err != nil {
			return fmt.Errorf("datagen scenario: %w", p.err)
		}
	}
	return nil
}

// The places of the scenario's tickets; nowhere is a requester without a known municipality.
var (
	lillehammer = place{"3405", "Lillehammer", "34", "Innlandet"}
	osloKommune = place{"0301", "Oslo", "03", "Oslo"}
	bergen      = place{"4601", "Bergen", "46", "Vestland"}
	nowhere     = place{}
)

// scenarioTickets are the histories, times in Oslo; see the test for what each one proves.
var scenarioTickets = []func(p *player){
	func(p *player) { // T0: open since the week before, never answered
		p.create("2026-03-19 10:00", "ks", ticket.ChannelEmail, lillehammer)
	},
	func(p *player) { // T1: Friday to Monday: answered and resolved in the week
		id := p.create("2026-03-20 15:00", "nav", ticket.ChannelWeb, osloKommune)
		p.reply(id, "2026-03-23 09:00", nil)
		p.status(id, "2026-03-23 12:00", ticket.StatusResolved)
	},
	func(p *player) { // T2: resolved, reopened by the requester, resolved again in the week
		id := p.create("2026-03-23 08:30", "ks", ticket.ChannelEmail, lillehammer)
		p.reply(id, "2026-03-23 10:00", nil)
		p.status(id, "2026-03-24 09:00", ticket.StatusResolved)
		p.requesterWrites(id, "2026-03-25 11:00")
		p.reply(id, "2026-03-26 14:00", ptr(ticket.StatusResolved))
	},
	func(p *player) { // T3: referred, answered by the agency, resolved
		id := p.create("2026-03-24 13:00", "skatteetaten", ticket.ChannelWeb, bergen)
		p.refer(id, "2026-03-24 15:00", "skatteetaten")
		p.agencyAnswers(id, "2026-03-26 10:00", "skatteetaten")
		p.reply(id, "2026-03-27 09:00", ptr(ticket.StatusResolved))
	},
	func(p *player) { // T4: a KS ticket referred to NAV in the week, answered the week after
		id := p.create("2026-03-25 20:00", "ks", ticket.ChannelEmail, osloKommune)
		p.refer(id, "2026-03-26 09:00", "nav")
		p.agencyAnswers(id, "2026-03-31 10:00", "nav")
	},
	func(p *player) { // T5: Saturday night, no municipality; first response after DST and Easter
		id := p.create("2026-03-28 22:00", "ks", ticket.ChannelEmail, nowhere)
		p.reply(id, "2026-04-01 15:00", nil)
	},
	func(p *player) { // T6: 01:30 before the clocks go forward, closed as spam at 04:00
		id := p.create("2026-03-29 01:30", "ks", ticket.ChannelWeb, lillehammer)
		p.status(id, "2026-03-29 04:00", ticket.StatusClosed)
	},
	func(p *player) { // T7: late on Sunday, answered on Monday morning of the next week
		id := p.create("2026-03-29 23:30", "nav", ticket.ChannelEmail, bergen)
		p.reply(id, "2026-03-30 08:15", nil)
	},
	func(p *player) { // T8: created on the stroke of Monday 00:00: the next week
		p.create("2026-03-30 00:00", "skatteetaten", ticket.ChannelWeb, osloKommune)
	},
	func(p *player) { // T9: resolved the week before, reopened by the requester in the week
		id := p.create("2026-03-18 12:00", "ks", ticket.ChannelEmail, osloKommune)
		p.reply(id, "2026-03-18 13:00", nil)
		p.status(id, "2026-03-18 14:00", ticket.StatusResolved)
		p.requesterWrites(id, "2026-03-23 09:30")
	},
	func(p *player) { // T10: closed, reopened by staff, re-routed to NAV, resolved
		id := p.create("2026-03-19 09:00", "ks", ticket.ChannelEmail, lillehammer)
		p.reply(id, "2026-03-19 10:00", nil)
		p.status(id, "2026-03-20 10:00", ticket.StatusResolved)
		p.status(id, "2026-03-23 10:00", ticket.StatusClosed)
		p.status(id, "2026-03-24 10:00", ticket.StatusOpen)
		p.update(id, "2026-03-24 10:05", ticket.TicketUpdate{Agency: ptr("nav")})
		p.status(id, "2026-03-25 10:00", ticket.StatusResolved)
	},
	func(p *player) { // T11: staff correct the municipality from Oslo to Lillehammer
		id := p.create("2026-03-24 11:00", "ks", ticket.ChannelEmail, osloKommune)
		p.update(id, "2026-03-24 11:30", ticket.TicketUpdate{
			Municipality: &ticket.Municipality{Number: "3405", Name: "Lillehammer"}, County: &ticket.County{Number: "34", Name: "Innlandet"}})
	},
	func(p *player) { // T12: referred the week before, answered in the week, still with the agency
		id := p.create("2026-03-16 10:00", "skatteetaten", ticket.ChannelEmail, bergen)
		p.refer(id, "2026-03-16 11:00", "skatteetaten")
		p.agencyAnswers(id, "2026-03-23 10:00", "skatteetaten")
	},
}

type place struct{ number, name, county, countyName string }

func ptr[T any](v T) *T { return &v }

// player runs the steps of the scenario; the first error stops it.
type player struct {
	ctx     context.Context
	db      *data.DB
	tickets *data.TicketService
	err     error
	n       int
	email   map[uint64]string
}

func (p *player) at(s string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, ticket.Oslo)
	if err != nil && p.err == nil {
		p.err = err
	}
	p.db.Now = func() time.Time { return t }
}

func (p *player) create(at, agency string, ch ticket.Channel, pl place) uint64 {
	if p.err != nil {
		return 0
	}
	p.at(at)
	p.n++
	email := fmt.Sprintf("innbygger%d@example.no", p.n)
	t := &ticket.Ticket{Subject: fmt.Sprintf("Scenario T%d", p.n-1), Status: ticket.StatusNew, Agency: agency,
		Priority: ticket.PriorityNormal, Channel: ch,
		Requester: ticket.Requester{Name: "Innbygger", Email: email,
			Municipality: ticket.Municipality{Number: pl.number, Name: pl.name}, County: ticket.County{Number: pl.county, Name: pl.countyName}}}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: email, Subject: t.Subject, Text: "Spørsmål"}
	if p.err = p.tickets.CreateTicket(p.ctx, t, m, ticket.CreateOptions{}); p.err != nil {
		return 0
	}
	if p.email == nil {
		p.email = map[uint64]string{}
	}
	p.email[t.ID] = email
	return t.ID
}

func (p *player) append(id uint64, at string, m *ticket.Message, opts ticket.AppendOptions) {
	if p.err != nil {
		return
	}
	p.at(at)
	_, p.err = p.tickets.AppendMessage(p.ctx, id, m, opts)
}

func (p *player) reply(id uint64, at string, status *ticket.Status) {
	p.append(id, at, &ticket.Message{Direction: ticket.DirectionOut, To: []string{p.email[id]}, Text: "Svar", Author: "agent@ks.no"},
		ticket.AppendOptions{Status: status})
}

func (p *player) requesterWrites(id uint64, at string) {
	p.append(id, at, &ticket.Message{Direction: ticket.DirectionIn, From: p.email[id], Text: "Takk, men ..."}, ticket.AppendOptions{})
}

func (p *player) refer(id uint64, at, agency string) {
	p.append(id, at, &ticket.Message{Direction: ticket.DirectionOut, To: []string{agency + "@etat.example.no"}, Text: "Henvisning"},
		ticket.AppendOptions{Referral: &ticket.Referral{Agency: agency, By: "agent@ks.no"}})
}

func (p *player) agencyAnswers(id uint64, at, agency string) {
	p.append(id, at, &ticket.Message{Direction: ticket.DirectionIn, From: agency + "@etat.example.no", Text: "Svar fra etaten"},
		ticket.AppendOptions{AnsweredBy: agency})
}

func (p *player) status(id uint64, at string, s ticket.Status) {
	p.update(id, at, ticket.TicketUpdate{Status: &s})
}

func (p *player) update(id uint64, at string, upd ticket.TicketUpdate) {
	if p.err != nil {
		return
	}
	p.at(at)
	_, p.err = p.tickets.UpdateTicket(p.ctx, id, upd)
}
