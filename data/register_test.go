package data_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func registerEvents(t *testing.T, db *data.DB) []*ticket.Event {
	t.Helper()
	all, err := data.NewEventService(db).FindEvents(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []*ticket.Event
	for _, e := range all {
		if e.Kind == ticket.EventRegister {
			out = append(out, e)
		}
	}
	return out
}

// TestRegisterVersions saves an entry twice, refuses a stale save and a save that changes
// nothing, and checks versions, the audit trail and the flag the router reads at each step.
func TestRegisterVersions(t *testing.T) {
	db, clock := mustOpenDB(t)
	reg := data.NewRegisterService(db)
	ctx := adminCtx()

	o, err := reg.FindOffer(ctx, "3405")
	if err != nil || o.Version != 0 || o.Status != ticket.OfferUnknown {
		t.Fatalf("an entry never saved: got %+v, %v", o, err)
	}
	first := &ticket.Offer{Number: "3405", Status: ticket.OfferEstablishing, Venues: []ticket.Venue{ticket.VenueLibrary}, Address: "Wiers-Jenssens gate 1"}
	if err := reg.SaveOffer(ctx, first, 0); err != nil {
		t.Fatal(err)
	}
	if reg.SpecialNeed("3405") {
		t.Error("special need before it was set")
	}
	clock.Add(time.Hour)
	second := &ticket.Offer{Number: "3405", Status: ticket.OfferAvailable, Venues: []ticket.Venue{ticket.VenueLibrary}, Address: "Wiers-Jenssens gate 1", SpecialNeed: true}
	if err := reg.SaveOffer(ctx, second, 1); err != nil {
		t.Fatal(err)
	}
	if !reg.SpecialNeed("3405") {
		t.Error("the router must see the flag once the save committed")
	}

	stale := &ticket.Offer{Number: "3405", Status: ticket.OfferUnknown}
	err = reg.SaveOffer(ctx, stale, 1)
	if ticket.ErrorCode(err) != ticket.ECONFLICT || !strings.Contains(ticket.ErrorMessage(err), "admin@ks.no") {
		t.Errorf("a save from version 1 after version 2: got %v, want ECONFLICT naming who saved", err)
	}
	same := &ticket.Offer{Number: "3405", Status: ticket.OfferAvailable, Venues: []ticket.Venue{ticket.VenueLibrary}, Address: " Wiers-Jenssens gate 1 ", SpecialNeed: true}
	if err := reg.SaveOffer(ctx, same, 2); err != nil {
		t.Fatal(err)
	}
	if same.Version != 2 {
		t.Errorf("a save without changes got version %d, want 2 (nothing written)", same.Version)
	}
	bad := &ticket.Offer{Number: "3405", Status: ticket.OfferAvailable, Web: "javascript:alert(1)"}
	if err := reg.SaveOffer(ctx, bad, 2); ticket.FieldErrorsOf(err).ByField("nettside") == "" {
		t.Errorf("got %v, want an error on nettside", err)
	}

	versions, err := reg.FindOfferVersions(ctx, "3405")
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 2 || versions[0].Version != 2 || versions[1].Version != 1 || versions[1].Status != ticket.OfferEstablishing {
		t.Fatalf("versions: got %+v", versions)
	}
	if versions[0].UpdatedBy != "admin@ks.no" || !versions[0].UpdatedAt.Equal(clock.Now().UTC()) {
		t.Errorf("version 2 stamped %s %s", versions[0].UpdatedBy, versions[0].UpdatedAt)
	}
	events := registerEvents(t, db)
	if len(events) != 2 {
		t.Fatalf("got %d register events, want 2 (one per version)", len(events))
	}
	if e := events[1]; e.To != "3405" || e.Actor != "admin@ks.no" || e.Detail != "versjon 2: status, særskilt behov endret; status «under etablering» → «tilbud»" {
		t.Errorf("event: got %+v", e)
	}
	all, err := reg.FindOffers(ctx)
	if err != nil || len(all) != 1 || all[0].Version != 2 {
		t.Errorf("FindOffers: got %v, %v", all, err)
	}
	mustVerify(t, db)
}

// TestRegisterFlagsSurviveReopen: the router's flags come from the file when it opens.
func TestRegisterFlagsSurviveReopen(t *testing.T) {
	db, _ := mustOpenDB(t)
	if err := data.NewRegisterService(db).SaveOffer(adminCtx(), &ticket.Offer{Number: "1804", SpecialNeed: true}, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	again := data.NewDB(db.Path)
	if err := again.Open(); err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	reg := data.NewRegisterService(again)
	if !reg.SpecialNeed("1804") || reg.SpecialNeed("3405") {
		t.Errorf("after reopening: 1804 %v (want true), 3405 %v (want false)", reg.SpecialNeed("1804"), reg.SpecialNeed("3405"))
	}
}

// TestRegisterImport saves the changed entries of an import in one transaction, and none of
// them when one is wrong.
func TestRegisterImport(t *testing.T) {
	db, _ := mustOpenDB(t)
	reg := data.NewRegisterService(db)
	ctx := adminCtx()
	if err := reg.SaveOffer(ctx, &ticket.Offer{Number: "3405", Status: ticket.OfferAvailable}, 0); err != nil {
		t.Fatal(err)
	}
	res, err := reg.ImportOffers(ctx, []*ticket.Offer{
		{Number: "3405", Status: ticket.OfferAvailable},
		{Number: "3407", Status: ticket.OfferEstablishing, SpecialNeed: true},
		{Number: "34", Status: ticket.OfferAvailable},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed != 2 || res.Unchanged != 1 {
		t.Errorf("got %+v, want 2 changed and 1 unchanged", res)
	}
	if got := len(registerEvents(t, db)); got != 3 {
		t.Errorf("got %d events, want 3 (the save and two imported changes)", got)
	}
	if !reg.SpecialNeed("3407") {
		t.Error("an imported flag must reach the router")
	}
	_, err = reg.ImportOffers(ctx, []*ticket.Offer{{Number: "3412", Status: ticket.OfferAvailable}, {Number: "3413", Status: "kanskje"}})
	if ticket.ErrorCode(err) != ticket.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	if o, _ := reg.FindOffer(ctx, "3412"); o.Version != 0 {
		t.Error("a refused import must save nothing")
	}
	mustVerify(t, db)
}

// TestPlaceCounts counts tickets by municipality and county authority, all stored and in a
// period.
func TestPlaceCounts(t *testing.T) {
	db, clock := mustOpenDB(t)
	tickets := data.NewTicketService(db)
	reg := data.NewRegisterService(db)
	inn := ticket.County{Number: "34", Name: "Innlandet"}
	create := func(mun ticket.Municipality, county ticket.County) {
		tk, m := newTicket("Spørsmål", "kari@example.no", "ks")
		tk.Requester.Municipality, tk.Requester.County = mun, county
		if err := tickets.CreateTicket(context.Background(), tk, m, ticket.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	lhmr := ticket.Municipality{Number: "3405", Name: "Lillehammer"}
	create(lhmr, inn)
	create(ticket.Municipality{}, inn) // from the county authority
	start := clock.Now()
	clock.Add(48 * time.Hour)
	create(lhmr, inn)
	create(ticket.Municipality{Number: "3407", Name: "Gjøvik"}, inn)
	create(ticket.Municipality{}, ticket.County{}) // unknown: counted nowhere

	all, err := reg.TicketsByPlace(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if all["3405"] != 2 || all["3407"] != 1 || all["34"] != 1 || len(all) != 3 {
		t.Errorf("all tickets by place: got %v", all)
	}
	period, err := reg.NewTicketsByPlace(context.Background(), start.Add(time.Hour), clock.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if period["3405"] != 1 || period["3407"] != 1 || len(period) != 2 {
		t.Errorf("tickets of the period by place: got %v", period)
	}
}
