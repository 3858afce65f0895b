// Package datagen fills a database with realistic generated tickets, with whole histories
// (messages, events, referrals, reopens), for benchmarks at 100k and 1M tickets and for
// statistics tests. The same seed gives the same data.
package datagen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// Options say how much to generate, over which time span.
type Options struct {
	N        int       // number of tickets
	From, To time.Time // creation times fall in [From, To); To is also "now" for statuses
	Seed     uint64
	Batch    int // tickets per transaction; 0 means 5000
}

// Generate adds opt.N tickets to db, in creation order.
func Generate(ctx context.Context, db *data.DB, opt Options) error {
	if opt.N <= 0 || !opt.From.Before(opt.To) {
		return fmt.Errorf("datagen: need N > 0 and From before To")
	}
	if opt.Batch <= 0 {
		opt.Batch = 5000
	}
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	span := opt.To.Sub(opt.From)
	step := span / time.Duration(opt.N)
	batch := make([]data.BulkTicket, 0, opt.Batch)
	for i := range opt.N {
		created := opt.From.Add(time.Duration(i)*step + time.Duration(rng.Int64N(int64(max(step, 1)))))
		batch = append(batch, generateOne(rng, i, created, opt.To))
		if len(batch) == opt.Batch || i == opt.N-1 {
			if err := db.BulkLoad(ctx, batch); err != nil {
				return fmt.Errorf("datagen: load up to ticket %d: %w", i, err)
			}
			batch = batch[:0]
		}
	}
	return nil
}

// agencyShare is how questions spread over agencies, in per cent.
var agencyShare = []struct {
	key   string
	share int
}{{"ks", 45}, {"nav", 20}, {"skatteetaten", 15}, {"kompetanse-norge", 15}, {"nasjonalbiblioteket", 5}}

func pickAgency(rng *rand.Rand) string {
	n := rng.IntN(100)
	for _, a := range agencyShare {
		if n < a.share {
			return a.key
		}
		n -= a.share
	}
	return ticket.AgencyKS
}

func hours(rng *rand.Rand, lo, hi float64) time.Duration {
	return time.Duration((lo + rng.Float64()*(hi-lo)) * float64(time.Hour))
}

func generateOne(rng *rand.Rand, i int, created, now time.Time) data.BulkTicket {
	agency := pickAgency(rng)
	q := questions[agency][rng.IntN(len(questions[agency]))]
	mun := municipalities[rng.IntN(len(municipalities))]
	email := fmt.Sprintf("%s.%d@%s", firstNames[rng.IntN(len(firstNames))], i%997, mun.domain)
	channel := ticket.ChannelEmail
	if rng.IntN(10) < 3 {
		channel = ticket.ChannelWeb
	}
	t := &ticket.Ticket{
		Subject: q.subject, Status: ticket.StatusNew, Agency: agency, Priority: ticket.PriorityNormal, Channel: channel,
		Requester: ticket.Requester{Name: firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))], Email: email,
			Municipality: ticket.Municipality{Number: mun.number, Name: mun.name}, County: ticket.County{Number: mun.county, Name: mun.countyName}},
		Routing:   ticket.Routing{Rule: "generert", Reason: "generert testdata"},
		CreatedAt: created, UpdatedAt: created,
		Tags: []string{topicTags[agency][i%len(topicTags[agency])]},
	}
	if channel == ticket.ChannelWeb {
		t.Category = formTopics[agency]
	}
	h := history{rng: rng, t: t, now: now}
	h.message(ticket.DirectionIn, email, q.text, created)
	h.event(ticket.EventCreated, email, "", string(channel), created)
	h.live()
	return data.BulkTicket{Ticket: t, Messages: h.messages, Events: h.events}
}

// topicTags are the tags routing gives an agency's questions (routing/rules_default.toml), and
// formTopics the topic a web form's asker picks for them: taken in turn, so that no extra random
// draw changes the data of a seed.
var (
	topicTags = map[string][]string{
		"ks": {"organisering", "tilskudd", "personvern", "frivillige", "møteplass"}, "nav": {"nav"},
		"skatteetaten": {"skatt"}, "kompetanse-norge": {"opplæring"}, "nasjonalbiblioteket": {"bibliotek"},
	}
	formTopics = map[string]string{
		"ks": "digihjelpen", "nav": "nav", "skatteetaten": "skatt", "kompetanse-norge": "kurs", "nasjonalbiblioteket": "bibliotek",
	}
)

// history plays a ticket's life forward from its creation until now.
type history struct {
	rng      *rand.Rand
	t        *ticket.Ticket
	now      time.Time
	messages []*ticket.Message
	events   []*ticket.Event
}

func (h *history) message(dir ticket.Direction, from, text string, at time.Time) {
	h.messages = append(h.messages, &ticket.Message{Direction: dir, From: from, Subject: h.t.Subject, Text: text,
		MessageID: fmt.Sprintf("<gen-%d-%d@datagen.invalid>", at.UnixNano(), len(h.messages)), CreatedAt: at})
	h.t.UpdatedAt = at
}

func (h *history) event(kind ticket.EventKind, actor, from, to string, at time.Time) {
	h.events = append(h.events, &ticket.Event{Kind: kind, Actor: actor, From: from, To: to, At: at})
}

func (h *history) status(to ticket.Status, at time.Time) {
	h.event(ticket.EventStatus, "saksbehandler@ks.no", string(h.t.Status), string(to), at)
	if !to.Active() && h.t.Status.Active() {
		h.t.ResolvedAt = at
	} else if to.Active() && !h.t.Status.Active() {
		h.t.ResolvedAt = time.Time{}
		h.t.ReopenCount++
	}
	h.t.Status = to
	h.t.UpdatedAt = at
}

// live moves the ticket through a typical course: most are answered within days, some are
// referred and answered by the agency, some reopen, a few never get a response.
func (h *history) live() {
	t, rng := h.t, h.rng
	at := t.CreatedAt.Add(hours(rng, 0.2, 6))
	if rng.IntN(100) < 4 || !at.Before(h.now) {
		return // never touched (yet)
	}
	h.status(ticket.StatusOpen, at)
	at = at.Add(hours(rng, 0.5, 70))
	if !at.Before(h.now) {
		return
	}
	if t.Agency != ticket.AgencyKS && rng.IntN(100) < 60 {
		h.message(ticket.DirectionOut, "kontaktpunkt@ks.no", "Vi har sendt spørsmålet videre til riktig etat.", at)
		t.FirstResponseAt = at
		t.Referrals = append(t.Referrals, ticket.Referral{Agency: t.Agency, Status: ticket.ReferralSent, SentAt: at, By: "saksbehandler@ks.no"})
		h.event(ticket.EventReferred, "saksbehandler@ks.no", "", t.Agency, at)
		h.status(ticket.StatusReferred, at)
		at = at.Add(hours(rng, 2, 200))
		if !at.Before(h.now) || rng.IntN(100) < 15 {
			return
		}
		h.message(ticket.DirectionIn, "svar@"+t.Agency+".no", "Svar fra etaten: dette er løst slik ...", at)
		t.Referrals[0].Status, t.Referrals[0].AnsweredAt = ticket.ReferralAnswered, at
		h.event(ticket.EventAnswered, "svar@"+t.Agency+".no", "", t.Agency, at)
	} else {
		text := "Takk for spørsmålet. Se Digihjelpen-håndboken, kapittel 3."
		if t.CreatedAt.UnixNano()%3 == 0 { // about a third of the answers link an article
			text = "Takk for spørsmålet. «Kom i gang»: https://digihjelpen.ks.no/handbok/kom-i-gang"
		}
		h.message(ticket.DirectionOut, "kontaktpunkt@ks.no", text, at)
		t.LinkArticles(text)
		t.FirstResponseAt = at
		h.event(ticket.EventReplied, "saksbehandler@ks.no", "", t.Requester.Email, at)
	}
	at = at.Add(hours(rng, 0.1, 24))
	if !at.Before(h.now) {
		return
	}
	h.status(ticket.StatusResolved, at)
	if rng.IntN(100) < 8 { // the requester writes again
		at = at.Add(hours(rng, 1, 120))
		if !at.Before(h.now) {
			return
		}
		h.message(ticket.DirectionIn, t.Requester.Email, "Takk, men vi har et oppfølgingsspørsmål.", at)
		h.event(ticket.EventReopened, t.Requester.Email, string(ticket.StatusResolved), string(ticket.StatusOpen), at)
		h.t.Status, h.t.ResolvedAt, h.t.ReopenCount = ticket.StatusOpen, time.Time{}, h.t.ReopenCount+1
		at = at.Add(hours(rng, 1, 48))
		if !at.Before(h.now) {
			return
		}
		h.status(ticket.StatusResolved, at)
	}
	if at = at.Add(hours(rng, 24*7, 24*14)); at.Before(h.now) {
		h.status(ticket.StatusClosed, at)
	}
}

// Cached returns the path of a database with opt's tickets under dir, generating it with its
// search index built the first time (about six minutes per million tickets on two cores) and
// reusing it after. Open it with
// ReadOnly so that benchmarks in several packages can share it. The schema version is in the
// file's name, since a read-only open refuses a file of another schema.
func Cached(ctx context.Context, dir string, opt Options) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("datagen-s%d-%d-%d-%s-%s.db", data.SchemaVersion(), opt.N, opt.Seed, opt.From.Format("20060102"), opt.To.Format("20060102")))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp := path + ".tmp"
	os.Remove(tmp)
	db := data.NewDB(tmp)
	if err := db.Open(); err != nil {
		return "", err
	}
	if err := Generate(ctx, db, opt); err != nil {
		db.Close()
		return "", err
	}
	if err := indexSearch(ctx, db); err != nil {
		db.Close()
		return "", err
	}
	if err := db.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}

// indexSearch drains the search queue the generated tickets left, so the file is searchable
// when it is opened read-only.
func indexSearch(ctx context.Context, db *data.DB) error {
	for {
		n, err := db.IndexSearch(ctx, 5000)
		if err != nil {
			return fmt.Errorf("index generated tickets: %w", err)
		}
		if n < 5000 {
			return nil
		}
	}
}
