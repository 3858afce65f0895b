package data

import (
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// bucketRuleSets holds every saved version of the routing rules: version -> record. Versions
// are never changed or deleted, so the history is the audit of the rules themselves.
var bucketRuleSets = []byte("rulesets")

func init() { registerBuckets(bucketRuleSets) }

// RuleSetService implements ticket.RuleSetService.
type RuleSetService struct {
	db *DB
}

var _ ticket.RuleSetService = (*RuleSetService)(nil)

// NewRuleSetService returns the rule set versions of db.
func NewRuleSetService(db *DB) *RuleSetService { return &RuleSetService{db: db} }

type ruleSetRecord struct {
	Version      int       `json:"v"`
	Text         string    `json:"text"`
	Note         string    `json:"note,omitempty"`
	SavedBy      string    `json:"by"`
	SavedAt      time.Time `json:"at"`
	RestoredFrom int       `json:"from,omitempty"`
}

func (r *ruleSetRecord) ruleSet() *ticket.RuleSet {
	return &ticket.RuleSet{Version: r.Version, Text: r.Text, Note: r.Note, SavedBy: r.SavedBy, SavedAt: r.SavedAt, RestoredFrom: r.RestoredFrom}
}

// SaveRuleSet stores rs as the next version and records it in the audit trail.
func (s *RuleSetService) SaveRuleSet(ctx context.Context, rs *ticket.RuleSet) error {
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		b := tx.Bucket(bucketRuleSets)
		seq, err := b.NextSequence()
		if err != nil {
			return fmt.Errorf("next rule set version: %w", err)
		}
		rec := ruleSetRecord{Version: int(seq), Text: rs.Text, Note: rs.Note, SavedBy: actor, SavedAt: tx.now, RestoredFrom: rs.RestoredFrom}
		buf, err := encode(rec)
		if err != nil {
			return err
		}
		if err := b.Put(u64(seq), buf); err != nil {
			return fmt.Errorf("put rule set %d: %w", seq, err)
		}
		detail := rs.Note
		if rs.RestoredFrom > 0 {
			detail = fmt.Sprintf("gjenopprettet fra versjon %d. %s", rs.RestoredFrom, rs.Note)
		}
		if err := tx.addEvent(0, ticket.EventRules, actor, "", fmt.Sprint(seq), detail); err != nil {
			return err
		}
		*rs = *rec.ruleSet()
		return nil
	})
}

// FindRuleSet returns one version.
func (s *RuleSetService) FindRuleSet(ctx context.Context, version int) (*ticket.RuleSet, error) {
	var rs *ticket.RuleSet
	err := s.db.view(ctx, func(tx *Tx) error {
		if version <= 0 {
			return notFound(fmt.Sprintf("versjon %d av reglene", version))
		}
		v := tx.Bucket(bucketRuleSets).Get(u64(uint64(version)))
		if v == nil {
			return notFound(fmt.Sprintf("versjon %d av reglene", version))
		}
		var r ruleSetRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("rule set %d: %w", version, err)
		}
		rs = r.ruleSet()
		return nil
	})
	return rs, err
}

// LatestRuleSet returns the newest version.
func (s *RuleSetService) LatestRuleSet(ctx context.Context) (*ticket.RuleSet, error) {
	var rs *ticket.RuleSet
	err := s.db.view(ctx, func(tx *Tx) error {
		k, v := tx.Bucket(bucketRuleSets).Cursor().Last()
		if k == nil {
			return notFound("noen lagrede regler")
		}
		var r ruleSetRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("rule set %d: %w", btou64(k), err)
		}
		rs = r.ruleSet()
		return nil
	})
	return rs, err
}

// FindRuleSets lists every version, newest first, without the texts.
func (s *RuleSetService) FindRuleSets(ctx context.Context) ([]*ticket.RuleSet, error) {
	var list []*ticket.RuleSet
	err := s.db.view(ctx, func(tx *Tx) error {
		return walkBack(tx.Bucket(bucketRuleSets).Cursor(), nil, nil, func(k, v []byte) (bool, error) {
			var r ruleSetRecord
			if err := decode(v, &r); err != nil {
				return false, fmt.Errorf("rule set %d: %w", btou64(k), err)
			}
			r.Text = ""
			list = append(list, r.ruleSet())
			return true, nil
		})
	})
	return list, err
}
