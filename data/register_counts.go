package data

import (
	"bytes"
	"context"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

var _ ticket.PlaceCounts = (*RegisterService)(nil)

// TicketsByPlace counts every stored ticket by municipality, and by county for tickets from a
// county authority. It reads the inbox's facet counters, never the tickets: a county's own
// tickets are its counter less those of its municipalities.
func (s *RegisterService) TicketsByPlace(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := s.db.view(ctx, func(tx *Tx) error {
		municipalities := tx.facetTotals(facetMunicipality)
		for number, n := range municipalities {
			if number != "" {
				out[number] = n
			}
		}
		for county, n := range tx.facetTotals(facetCounty) {
			if county == "" {
				continue
			}
			for number, m := range municipalities {
				if len(number) == 4 && number[:2] == county {
					n -= m
				}
			}
			if n > 0 {
				out[county] = n
			}
		}
		return nil
	})
	return out, err
}

// facetTotals sums the counters of facet by value, over every status and agency.
func (tx *Tx) facetTotals(facet string) map[string]int {
	out := map[string]int{}
	prefix := str0(facet)
	c := tx.Bucket(bucketFacetN).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		value, _, _ := bytes.Cut(k[len(prefix):], []byte{0})
		out[string(value)] += int(btou64(v))
	}
	return out
}

// NewTicketsByPlace counts the tickets created in [from, to), from the statistics facts.
func (s *RegisterService) NewTicketsByPlace(ctx context.Context, from, to time.Time) (map[string]int, error) {
	out := map[string]int{}
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.eachFact(ticket.FactCreated, from, to, func(f ticket.Fact) {
			switch {
			case f.Municipality != "":
				out[f.Municipality]++
			case f.County != "":
				out[f.County]++
			}
		})
	})
	return out, err
}
