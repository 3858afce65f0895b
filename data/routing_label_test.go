package data_test

import (
	"context"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// labels lists the labelled tickets as ForEachRoutingLabel gives them: ref, agency, source and
// the start of the first message.
func labels(t *testing.T, s *data.TicketService) []string {
	t.Helper()
	var out []string
	err := s.ForEachRoutingLabel(context.Background(), func(tk *ticket.Ticket, first *ticket.Message) error {
		agency, source, ok := tk.RoutingLabel()
		if !ok || first == nil {
			t.Errorf("%s listed without a label (%v) or a first message", tk.Ref, ok)
			return nil
		}
		out = append(out, tk.Subject+" "+agency+" "+string(source)+" "+first.Text[:4])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func labelsVersion(t *testing.T, s *data.TicketService) uint64 {
	t.Helper()
	v, err := s.RoutingLabelsVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRoutingLabels: staff moving a ticket to another agency, and resolving or closing one
// where routing put it, are labels; every change of them changes the version; deleted, merged
// and anonymised tickets are no labels; the index stays whole (Verify).
func TestRoutingLabels(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "kari@ks.no", Role: ticket.RoleAgent})
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	data.SetLabelBatchForTest(1) // one ticket per read: the batches must join up
	t.Cleanup(func() { data.SetLabelBatchForTest(2000) })
	moved := mustCreate(t, s, "Flyttet", "a@hamar.kommune.no", "ks")
	resolved := mustCreate(t, s, "Løst", "b@hamar.kommune.no", "nav")
	open := mustCreate(t, s, "Åpen", "c@hamar.kommune.no", "skatteetaten")
	steps := []struct {
		name    string
		do      func() error
		want    []string
		changed bool
	}{
		{"new tickets are no labels", func() error { return nil }, nil, false},
		{"staff move a ticket", func() error {
			_, err := s.UpdateTicket(ctx, moved.ID, ticket.TicketUpdate{Agency: ptr("kompetanse-norge")})
			return err
		}, []string{"Flyttet kompetanse-norge flyttet Hei!"}, true},
		{"staff resolve a ticket where it was routed", func() error {
			_, err := s.UpdateTicket(ctx, resolved.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusResolved)})
			return err
		}, []string{"Flyttet kompetanse-norge flyttet Hei!", "Løst nav løst Hei!"}, true},
		{"a status change between open states is no label", func() error {
			_, err := s.UpdateTicket(ctx, open.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusWaiting)})
			return err
		}, []string{"Flyttet kompetanse-norge flyttet Hei!", "Løst nav løst Hei!"}, false},
		{"moving a resolved ticket makes it a move", func() error {
			_, err := s.UpdateTicket(ctx, resolved.ID, ticket.TicketUpdate{Agency: ptr("skatteetaten")})
			return err
		}, []string{"Flyttet kompetanse-norge flyttet Hei!", "Løst skatteetaten flyttet Hei!"}, true},
		{"a priority change is no change of label", func() error {
			_, err := s.UpdateTicket(ctx, resolved.ID, ticket.TicketUpdate{Priority: ptr(ticket.PriorityHigh)})
			return err
		}, []string{"Flyttet kompetanse-norge flyttet Hei!", "Løst skatteetaten flyttet Hei!"}, false},
		{"a deleted ticket is no label", func() error { return s.DeleteTicket(ctx, moved.ID) },
			[]string{"Løst skatteetaten flyttet Hei!"}, true},
		{"a merged ticket is no label", func() error {
			clock.Add(time.Minute)
			_, err := s.MergeTickets(ctx, ticket.MergeRequest{SourceID: resolved.ID, Into: open.Ref})
			return err
		}, nil, true},
	}
	version := labelsVersion(t, s)
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		mustVerify(t, db)
		if got := labels(t, s); !slices.Equal(got, st.want) {
			t.Errorf("%s: labels %q, want %q", st.name, got, st.want)
		}
		v := labelsVersion(t, s)
		if (v != version) != st.changed {
			t.Errorf("%s: version %d -> %d, want changed %v", st.name, version, v, st.changed)
		}
		version = v
	}
}

func TestRoutingLabelsAnonymised(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "kari@ks.no", Role: ticket.RoleAgent})
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	tk := mustCreate(t, s, "Lukket", "a@hamar.kommune.no", "nav")
	if _, err := s.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	if got := labels(t, s); len(got) != 1 {
		t.Fatalf("labels %q, want the closed ticket", got)
	}
	clock.Add(400 * 24 * time.Hour)
	if _, err := data.NewRetentionService(db).AnonymiseClosedBefore(ctx, clock.Now().Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	if got := labels(t, s); len(got) != 0 {
		t.Errorf("labels %q after anonymisation, want none: its text is gone", got)
	}
}

// TestRoutingLabelsMigration opens a file written before the label index (schema 8) and
// checks that Open builds it from the tickets staff moved or resolved.
func TestRoutingLabelsMigration(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "kari@ks.no", Role: ticket.RoleAgent})
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	a := mustCreate(t, s, "A", "a@hamar.kommune.no", "ks")
	mustCreate(t, s, "B", "b@hamar.kommune.no", "ks")
	if _, err := s.UpdateTicket(ctx, a.ID, ticket.TicketUpdate{Agency: ptr("nav")}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := bolt.Open(db.Path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("idx_routing_label")); err != nil {
			return err
		}
		if err := tx.Bucket([]byte("meta")).Delete([]byte("routing_labels_version")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 8})
	})
	if cerr := raw.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	if got := labels(t, s); !slices.Equal(got, []string{"A nav flyttet Hei!"}) {
		t.Errorf("labels after migration %q", got)
	}
	if labelsVersion(t, s) == 0 {
		t.Error("the version is 0 after labels were found: a learner would not train")
	}
}
