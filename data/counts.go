package data

import (
	"bytes"
	"context"

	"github.com/ks-no/digihjelpen/ticket"
)

// CountTickets returns the number of tickets per status and agency, from the counters (for
// /metrics); pairs without tickets are left out.
func (s *TicketService) CountTickets(ctx context.Context) ([]ticket.StatusCount, error) {
	var out []ticket.StatusCount
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.Bucket(bucketCounts).ForEach(func(k, v []byte) error {
			i := bytes.IndexByte(k, 0)
			out = append(out, ticket.StatusCount{Status: ticket.Status(k[:i]), Agency: string(k[i+1:]), N: int(btou64(v))})
			return nil
		})
	})
	return out, err
}
