package data

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

var (
	bucketAckTemplates = []byte("ack_templates") // version -> acknowledgement text record
	bucketCanned       = []byte("canned")        // id -> canned response record
)

func init() { registerBuckets(bucketAckTemplates, bucketCanned) }

// TemplateService implements ticket.TemplateService: the admin-edited texts.
type TemplateService struct {
	db *DB
}

var _ ticket.TemplateService = (*TemplateService)(nil)

// NewTemplateService returns the texts of db.
func NewTemplateService(db *DB) *TemplateService { return &TemplateService{db: db} }

type ackTemplateRecord struct {
	Version   int       `json:"v"`
	Text      string    `json:"text"`
	UpdatedBy string    `json:"by"`
	UpdatedAt time.Time `json:"at"`
}

func (r *ackTemplateRecord) template() *ticket.AckTemplate {
	return &ticket.AckTemplate{Text: r.Text, Version: r.Version, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}
}

// FindAckTemplate returns the newest saved version, or the built-in text.
func (s *TemplateService) FindAckTemplate(ctx context.Context) (*ticket.AckTemplate, error) {
	var a *ticket.AckTemplate
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		a, err = tx.currentAckTemplate()
		return err
	})
	return a, err
}

func (tx *Tx) currentAckTemplate() (*ticket.AckTemplate, error) {
	_, v := tx.Bucket(bucketAckTemplates).Cursor().Last()
	if v == nil {
		return ticket.DefaultAckTemplate(), nil
	}
	var r ackTemplateRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("acknowledgement template: %w", err)
	}
	return r.template(), nil
}

// FindAckTemplates returns every saved version, newest first.
func (s *TemplateService) FindAckTemplates(ctx context.Context) ([]*ticket.AckTemplate, error) {
	var list []*ticket.AckTemplate
	err := s.db.view(ctx, func(tx *Tx) error {
		c := tx.Bucket(bucketAckTemplates).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var r ackTemplateRecord
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("acknowledgement template %d: %w", btou64(k), err)
			}
			list = append(list, r.template())
		}
		return nil
	})
	return list, err
}

// SaveAckTemplate stores text as the next version, unless someone saved since ifVersion.
func (s *TemplateService) SaveAckTemplate(ctx context.Context, text string, ifVersion int) (*ticket.AckTemplate, error) {
	a := &ticket.AckTemplate{Text: strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	actor := ticket.ActorFromContext(ctx).Name
	err := s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.currentAckTemplate()
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return ticket.Errorf(ticket.ECONFLICT, "Kvitteringen er endret av %s siden du åpnet den (nå versjon %d). Teksten din er tatt vare på; se gjennom og lagre igjen.", cur.UpdatedBy, cur.Version)
		}
		a.Version, a.UpdatedBy, a.UpdatedAt = cur.Version+1, actor, tx.now
		buf, err := encode(ackTemplateRecord{Version: a.Version, Text: a.Text, UpdatedBy: actor, UpdatedAt: tx.now})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketAckTemplates).Put(u64(uint64(a.Version)), buf); err != nil {
			return fmt.Errorf("put acknowledgement template %d: %w", a.Version, err)
		}
		return tx.addEvent(0, ticket.EventTemplate, actor, "", "kvittering", fmt.Sprintf("versjon %d lagret", a.Version))
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
