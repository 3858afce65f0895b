package data

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The administrators' versions of the agencies, keyed key|0|version (big-endian): the last
// version of a key is the one in force. The configuration's agencies are the defaults; a key
// without versions is as configured.
var bucketAgencies = []byte("agencies") // key|0|version -> agency version record

func init() { registerBuckets(bucketAgencies) }

var _ ticket.AgencyService = (*AgencyService)(nil)

// AgencyService keeps the agencies as administrators edit them, over Defaults.
type AgencyService struct {
	db       *DB
	defaults ticket.Agencies
}

// NewAgencyService returns the agency store of db over defaults (the configured agencies).
func NewAgencyService(db *DB, defaults ticket.Agencies) *AgencyService {
	return &AgencyService{db: db, defaults: defaults}
}

// Defaults returns the agencies as configured, before any edit.
func (s *AgencyService) Defaults() ticket.Agencies { return s.defaults }

type agencyRecord struct {
	Key         string    `json:"key"`
	Name        string    `json:"name"`
	Email       string    `json:"email,omitempty"`
	Description string    `json:"desc,omitempty"`
	Version     int       `json:"v"`
	By          string    `json:"by"`
	At          time.Time `json:"at"`
}

func (r *agencyRecord) version() *ticket.AgencyVersion {
	return &ticket.AgencyVersion{Agency: ticket.Agency{Key: r.Key, Name: r.Name, Email: r.Email, Description: r.Description},
		Version: r.Version, By: r.By, At: r.At}
}

func agencyKey(k string, version int) []byte {
	return key(str0(k), binary.BigEndian.AppendUint32(nil, uint32(version)))
}

// FindAgencies returns the defaults with the latest saved version of each.
func (s *AgencyService) FindAgencies(ctx context.Context) (ticket.Agencies, error) {
	var out ticket.Agencies
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.agenciesInForce(s.defaults)
		return err
	})
	return out, err
}

// agenciesInForce applies the saved versions to defaults.
func (tx *Tx) agenciesInForce(defaults ticket.Agencies) (ticket.Agencies, error) {
	out := make(ticket.Agencies, len(defaults))
	copy(out, defaults)
	for i := range out {
		r, err := tx.latestAgency(out[i].Key)
		if err != nil {
			return nil, err
		}
		if r != nil {
			out[i] = r.version().Agency
		}
	}
	return out, nil
}

// latestAgency reads the last saved version of key (nil: none).
func (tx *Tx) latestAgency(k string) (*agencyRecord, error) {
	prefix := str0(k)
	c := tx.Bucket(bucketAgencies).Cursor()
	hi := agencyKey(k, math.MaxUint32)
	kk, v := c.Seek(hi)
	switch {
	case kk == nil:
		kk, v = c.Last()
	case !bytes.Equal(kk, hi):
		kk, v = c.Prev()
	}
	if kk == nil || !bytes.HasPrefix(kk, prefix) {
		return nil, nil
	}
	var r agencyRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("agency %s: %w", k, err)
	}
	return &r, nil
}

// FindAgencyVersions returns the saved versions of one agency, newest first.
func (s *AgencyService) FindAgencyVersions(ctx context.Context, k string) ([]*ticket.AgencyVersion, error) {
	if _, ok := s.defaults.Find(k); !ok {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Fant ingen etat «%s».", k)
	}
	var list []*ticket.AgencyVersion
	err := s.db.view(ctx, func(tx *Tx) error {
		prefix := str0(k)
		c := tx.Bucket(bucketAgencies).Cursor()
		for kk, v := c.Seek(prefix); kk != nil && bytes.HasPrefix(kk, prefix); kk, v = c.Next() {
			var r agencyRecord
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("agency %s: %w", k, err)
			}
			list = append([]*ticket.AgencyVersion{r.version()}, list...)
		}
		return nil
	})
	return list, err
}

// SaveAgency stores the next version of an agency and records what changed.
func (s *AgencyService) SaveAgency(ctx context.Context, a ticket.Agency) (*ticket.AgencyVersion, error) {
	def, ok := s.defaults.Find(a.Key)
	if !ok {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Fant ingen etat «%s».", a.Key)
	}
	if err := a.CheckEdit(); err != nil {
		return nil, err
	}
	actor := ticket.ActorFromContext(ctx).Name
	var saved *ticket.AgencyVersion
	err := s.db.update(ctx, func(tx *Tx) error {
		last, err := tx.latestAgency(a.Key)
		if err != nil {
			return err
		}
		before, n := def, 1
		if last != nil {
			before, n = last.version().Agency, last.Version+1
		}
		changed := agencyChanges(before, a)
		if len(changed) == 0 {
			return ticket.Errorf(ticket.EINVALID, "Ingenting er endret.")
		}
		r := agencyRecord{Key: a.Key, Name: a.Name, Email: a.Email, Description: a.Description, Version: n, By: actor, At: tx.now}
		buf, err := encode(&r)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketAgencies).Put(agencyKey(a.Key, n), buf); err != nil {
			return fmt.Errorf("put agency %s: %w", a.Key, err)
		}
		saved = r.version()
		return tx.addEvent(0, ticket.EventAgencyEdit, actor, a.Key, "versjon "+strconv.Itoa(n), strings.Join(changed, "; "))
	})
	return saved, err
}

// agencyChanges says what differs between two versions, for the audit trail.
func agencyChanges(before, after ticket.Agency) []string {
	var out []string
	if before.Name != after.Name {
		out = append(out, fmt.Sprintf("navn «%s» → «%s»", before.Name, after.Name))
	}
	if before.Email != after.Email {
		out = append(out, fmt.Sprintf("henvisningsadresse «%s» → «%s»", before.Email, after.Email))
	}
	if before.Description != after.Description {
		out = append(out, "beskrivelse endret")
	}
	return out
}
