package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestRetentionLoop runs the daily job with short intervals on a real file: a ticket closed
// long ago is anonymised, one closed today is not.
func TestRetentionLoop(t *testing.T) {
	past := time.Now().Add(-400 * 24 * time.Hour)
	db, tickets, file := storeAt(t, &past)
	closeTicket := func() *ticket.Ticket { return file(ticket.StatusClosed) }
	old := closeTicket()
	db.Now = time.Now
	recent := closeTicket()

	var logs bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		retention := data.NewRetentionService(db)
		retention.Default = 365 * 24 * time.Hour
		job := privacyJob{retention: retention, audit: data.NewAuditService(db), keep: ticket.DefaultAuditKeep, scrub: db.ScrubFreePages, sweep: db.SweepStoredAhead}
		retentionLoop(ctx, job, time.Millisecond, time.Hour, time.Now, slog.New(slog.NewTextHandler(&logs, nil)))
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		// wait for a whole run, not just its first commit: cancelling in the middle of the run
		// (its sweep) logs a failed run instead of the one this test looks for
		got, _ := tickets.FindTicketByID(context.Background(), old.ID)
		if run, _ := data.NewRetentionService(db).LastRetentionRun(context.Background()); !got.AnonymisedAt.IsZero() && run.Total > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the old ticket was not anonymised")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if got, _ := tickets.FindTicketByID(context.Background(), recent.ID); got.Requester.Email == "" {
		t.Fatal("a ticket closed today was anonymised")
	}
	if !strings.Contains(logs.String(), "anonymised=1") || strings.Contains(logs.String(), "kari@") {
		t.Fatalf("got log %q", logs.String())
	}
}
