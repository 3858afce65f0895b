package data

import (
	"fmt"
	"slices"

	"github.com/ks-no/digihjelpen/ticket"
)

// verifyMerges checks that merges agree on both sides: a merged ticket is closed and its target
// exists and lists it; every ticket a target lists points back at it.
func (tx *Tx) verifyMerges() error {
	into, from := map[uint64]uint64{}, map[uint64][]uint64{}
	status := map[uint64]ticket.Status{}
	err := tx.Bucket(bucketTickets).ForEach(func(k, v []byte) error {
		var r ticketRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("ticket %d: %w", btou64(k), err)
		}
		status[r.ID] = ticket.Status(r.Status)
		if r.MergedInto != 0 {
			into[r.ID] = r.MergedInto
		}
		if len(r.MergedFrom) > 0 {
			from[r.ID] = r.MergedFrom
		}
		return nil
	})
	if err != nil {
		return err
	}
	for src, dst := range into {
		switch {
		case status[src] != ticket.StatusClosed:
			return fmt.Errorf("merge: ticket %d merged into %d is %s, want %s", src, dst, status[src], ticket.StatusClosed)
		case status[dst] == "":
			return fmt.Errorf("merge: ticket %d merged into %d, which does not exist", src, dst)
		case !slices.Contains(from[dst], src):
			return fmt.Errorf("merge: ticket %d merged into %d, which does not list it", src, dst)
		}
	}
	for dst, srcs := range from {
		for _, src := range srcs {
			if into[src] != dst {
				return fmt.Errorf("merge: ticket %d lists %d as merged into it, which points at %d", dst, src, into[src])
			}
		}
	}
	return nil
}
