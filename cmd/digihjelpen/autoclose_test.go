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

// TestAutoCloseLoop runs the job's loop on a real file: a ticket resolved 15 days ago is closed
// as the system's change, one resolved yesterday is not; the run is logged.
func TestAutoCloseLoop(t *testing.T) {
	resolvedAt := time.Now().Add(-15 * 24 * time.Hour)
	db, tickets, file := storeAt(t, &resolvedAt)
	resolve := func() *ticket.Ticket { return file(ticket.StatusResolved) }
	old := resolve()
	resolvedAt = time.Now().Add(-24 * time.Hour)
	recent := resolve()
	db.Now = time.Now

	var logs bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		autoCloseLoop(ctx, tickets, 14*24*time.Hour, time.Hour, time.Now, slog.New(slog.NewTextHandler(&logs, nil)))
	}()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if got, _ := tickets.FindTicketByID(context.Background(), old.ID); got.Status == ticket.StatusClosed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the old resolved ticket was not closed")
		}
	}
	cancel()
	<-done
	if got, _ := tickets.FindTicketByID(context.Background(), recent.ID); got.Status != ticket.StatusResolved {
		t.Errorf("resolved yesterday: %s", got.Status)
	}
	events, _ := data.NewEventService(db).FindEvents(context.Background(), old.ID)
	if last := events[len(events)-1]; last.Actor != "system" || last.Detail != "automatisk etter 14 dager uten svar fra innsenderen" {
		t.Errorf("last event %+v", last)
	}
	if !strings.Contains(logs.String(), "resolved tickets closed") || !strings.Contains(logs.String(), "closed=1") {
		t.Errorf("logs: %s", logs.String())
	}
}

// TestAutoCloseConfig: on by default (14 days), off with 0s, named in errors.
func TestAutoCloseConfig(t *testing.T) {
	cfg, err := LoadConfig("", nil)
	if err != nil || time.Duration(cfg.Tickets.CloseResolvedAfter) != 14*24*time.Hour {
		t.Fatalf("default %v %v, want 14 days", cfg.Tickets.CloseResolvedAfter, err)
	}
	cfg, err = LoadConfig(writeConfig(t, "[tickets]\nclose_resolved_after = \"0s\"\n"), nil)
	if err != nil || cfg.Tickets.CloseResolvedAfter != 0 {
		t.Fatalf("off: %v %v", cfg.Tickets.CloseResolvedAfter, err)
	}
	var logs bytes.Buffer
	jobs := newJobRunner(slog.New(slog.NewTextHandler(&logs, nil)))
	addAutoClose(jobs, &app{cfg: cfg}, slog.New(slog.NewTextHandler(&logs, nil)), time.Hour)
	if len(jobs.pending) != 0 || !strings.Contains(logs.String(), "auto-close off") {
		t.Errorf("with 0s: %d jobs, logs %s", len(jobs.pending), logs.String())
	}
	if _, err := LoadConfig(writeConfig(t, "[tickets]\nclose_resolved_after = \"fjorten dager\"\n"), nil); err == nil ||
		!strings.Contains(err.Error(), "tickets.close_resolved_after") {
		t.Errorf("a wrong value: %v, want the key named", err)
	}
}

func ptr[T any](v T) *T { return &v }
