package data

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The municipality register: the current entry of each number, and every version of it.
// A save writes both and its audit event in one transaction.
var (
	bucketRegister         = []byte("register")          // number -> current offerRecord
	bucketRegisterVersions = []byte("register_versions") // number|0|version -> offerRecord
)

func init() { registerBuckets(bucketRegister, bucketRegisterVersions) }

// RegisterService implements ticket.RegisterService and ticket.SpecialNeeds.
type RegisterService struct {
	db *DB
}

var (
	_ ticket.RegisterService = (*RegisterService)(nil)
	_ ticket.SpecialNeeds    = (*RegisterService)(nil)
)

// NewRegisterService returns the register of db.
func NewRegisterService(db *DB) *RegisterService { return &RegisterService{db: db} }

type offerRecord struct {
	Number      string    `json:"n"`
	Status      string    `json:"s"`
	Venues      []string  `json:"v,omitempty"`
	Address     string    `json:"a,omitempty"`
	Hours       string    `json:"h,omitempty"`
	Contact     string    `json:"c,omitempty"`
	Web         string    `json:"w,omitempty"`
	SpecialNeed bool      `json:"sn,omitempty"`
	Note        string    `json:"note,omitempty"`
	Version     int       `json:"ver"`
	UpdatedBy   string    `json:"by"`
	UpdatedAt   time.Time `json:"at"`
}

func toOfferRecord(o *ticket.Offer) offerRecord {
	r := offerRecord{Number: o.Number, Status: string(o.Status), Address: o.Address, Hours: o.Hours, Contact: o.Contact,
		Web: o.Web, SpecialNeed: o.SpecialNeed, Note: o.Note, Version: o.Version, UpdatedBy: o.UpdatedBy, UpdatedAt: o.UpdatedAt}
	for _, v := range o.Venues {
		r.Venues = append(r.Venues, string(v))
	}
	return r
}

func (r *offerRecord) offer() *ticket.Offer {
	o := &ticket.Offer{Number: r.Number, Status: ticket.OfferStatus(r.Status), Address: r.Address, Hours: r.Hours,
		Contact: r.Contact, Web: r.Web, SpecialNeed: r.SpecialNeed, Note: r.Note, Version: r.Version,
		UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}
	for _, v := range r.Venues {
		o.Venues = append(o.Venues, ticket.Venue(v))
	}
	return o
}

func decodeOffer(k, v []byte) (*ticket.Offer, error) {
	var r offerRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("register entry %q: %w", bytes.TrimRight(k, "\x00"), err)
	}
	return r.offer(), nil
}

func offerVersionKey(number string, version int) []byte {
	return key(str0(number), u64(uint64(version)))
}

// currentOffer returns the stored entry of number, or nil.
func (tx *Tx) currentOffer(number string) (*ticket.Offer, error) {
	v := tx.Bucket(bucketRegister).Get([]byte(number))
	if v == nil {
		return nil, nil
	}
	return decodeOffer([]byte(number), v)
}

// FindOffer returns the current entry of number, or an unknown one (version 0).
func (s *RegisterService) FindOffer(ctx context.Context, number string) (*ticket.Offer, error) {
	var o *ticket.Offer
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		o, err = tx.currentOffer(number)
		return err
	})
	if err == nil && o == nil {
		o = ticket.UnknownOffer(number)
	}
	return o, err
}

// FindOffers returns every stored entry, by number.
func (s *RegisterService) FindOffers(ctx context.Context) ([]*ticket.Offer, error) {
	list, generation := s.db.offers.get()
	if list != nil {
		return list, nil
	}
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.Bucket(bucketRegister).ForEach(func(k, v []byte) error {
			o, err := decodeOffer(k, v)
			if err == nil {
				list = append(list, o)
			}
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	s.db.offers.put(list, generation)
	return list, nil
}

// FindOfferVersions returns every version of number, newest first.
func (s *RegisterService) FindOfferVersions(ctx context.Context, number string) ([]*ticket.Offer, error) {
	var list []*ticket.Offer
	err := s.db.view(ctx, func(tx *Tx) error {
		c := tx.Bucket(bucketRegisterVersions).Cursor()
		prefix := str0(number)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			o, err := decodeOffer(k, v)
			if err != nil {
				return err
			}
			list = append(list, o)
		}
		return nil
	})
	slices.Reverse(list)
	return list, err
}
