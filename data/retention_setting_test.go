package data_test

import (
	"context"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestRetentionSettingAndPreview(t *testing.T) {
	db, clock := mustOpenDB(t)
	ctx := as("admin@ks.no")
	s, r := data.NewTicketService(db), data.NewRetentionService(db)
	r.Default = 365 * 24 * time.Hour
	if set, err := r.RetentionSetting(ctx); err != nil || set.After != r.Default || set.Stored {
		t.Fatalf("default setting: %+v %v", set, err)
	}
	var closed []*ticket.Ticket
	for i := 0; i < 5; i++ {
		closed = append(closed, closedTicket(t, s, "Sak", []byte{byte(i)}))
		clock.Add(30 * 24 * time.Hour)
	}
	mustCreate(t, s, "Åpen", "per@oslo.kommune.no", "ks") // open: never taken
	for _, bad := range []time.Duration{-time.Hour, time.Hour, 11 * 365 * 24 * time.Hour} {
		if _, err := r.SetRetention(ctx, bad); ticket.ErrorCode(err) != ticket.EINVALID {
			t.Errorf("SetRetention(%v): %v, want invalid", bad, err)
		}
	}
	set, err := r.SetRetention(ctx, 60*24*time.Hour)
	if err != nil || !set.Stored || set.SetBy != "admin@ks.no" || set.Days() != 60 {
		t.Fatalf("stored setting: %+v %v", set, err)
	}
	if got, _ := r.RetentionSetting(ctx); got != set {
		t.Fatalf("read back %+v, want %+v", got, set)
	}
	cutoff := clock.Now().Add(-set.After)
	p, err := r.PreviewRetention(ctx, cutoff, 2)
	if err != nil || p.Count != 3 || len(p.Tickets) != 2 || p.Tickets[0].ID != closed[0].ID {
		t.Fatalf("preview: %+v %v; want three tickets, the oldest first", p, err)
	}
	run, err := r.AnonymiseClosedBefore(context.Background(), cutoff)
	if err != nil || run.Anonymised != p.Count {
		t.Fatalf("run took %d, preview said %d (%v)", run.Anonymised, p.Count, err)
	}
	if p, _ := r.PreviewRetention(ctx, cutoff, 2); p.Count != 0 {
		t.Fatalf("preview after the run: %d", p.Count)
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, 0)
	if last := events[len(events)-1]; last.Kind != ticket.EventSettings || last.From != "365 dager" || last.To != "60 dager" || last.Actor != "admin@ks.no" {
		t.Fatalf("audit line %+v", last)
	}
	if _, err := r.SetRetention(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.RetentionSetting(ctx); got.Enabled() || !got.Stored {
		t.Fatalf("off: %+v", got)
	}
}
