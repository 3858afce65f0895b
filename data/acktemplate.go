package data

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// bucketAckVersions holds every version of every acknowledgement template, a deletion being a
// version too: name|0|version -> record. The newest version of a name is the last key with
// its prefix. Built-in templates (ticket.BuiltinAckTemplates) are version 0 and not stored.
var bucketAckVersions = []byte("ack_template_versions")

func init() { registerBuckets(bucketAckVersions) }

type ackTemplateRecord struct {
	Name      string    `json:"name"`
	Title     string    `json:"title"`
	Version   int       `json:"v"`
	Text      string    `json:"text"`
	UpdatedBy string    `json:"by"`
	UpdatedAt time.Time `json:"at"`
	Deleted   bool      `json:"del,omitempty"`
}

func (r *ackTemplateRecord) template() *ticket.AckTemplate {
	return &ticket.AckTemplate{Name: r.Name, Title: r.Title, Text: r.Text, Version: r.Version,
		UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt, Deleted: r.Deleted}
}

func ackKey(name string, version int) []byte { return key(str0(name), u64(uint64(version))) }

func decodeAck(k, v []byte) (*ticket.AckTemplate, error) {
	var r ackTemplateRecord
	if err := decode(v, &r); err != nil {
		name, _, _ := bytes.Cut(k, []byte{0})
		return nil, fmt.Errorf("acknowledgement template %q version %d: %w", name, btou64(k[len(name)+1:]), err)
	}
	return r.template(), nil
}

// latestAck returns the newest stored version of name, or nil when none is stored.
func (tx *Tx) latestAck(name string) (*ticket.AckTemplate, error) {
	var a *ticket.AckTemplate
	err := walkBack(tx.Bucket(bucketAckVersions).Cursor(), str0(name), nil, func(k, v []byte) (_ bool, err error) {
		a, err = decodeAck(k, v)
		return false, err
	})
	return a, err
}

// currentAck returns the template in use with name: the newest stored version, else the
// built-in one; ENOTFOUND when there is neither or it was deleted.
func (tx *Tx) currentAck(name string) (*ticket.AckTemplate, error) {
	a, err := tx.latestAck(name)
	if err != nil {
		return nil, err
	}
	if a == nil {
		a = builtinAck(name)
	}
	if a == nil || a.Deleted {
		return nil, notFound("kvitteringsmalen «" + name + "»")
	}
	return a, nil
}

func builtinAck(name string) *ticket.AckTemplate {
	for _, a := range ticket.BuiltinAckTemplates() {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// FindAckTemplate returns the template in use with name.
func (s *TemplateService) FindAckTemplate(ctx context.Context, name string) (*ticket.AckTemplate, error) {
	var a *ticket.AckTemplate
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		a, err = tx.currentAck(name)
		return err
	})
	return a, err
}

// FindAckTemplates returns the current version of every template that exists, the default
// first, then by title as Norwegians sort.
func (s *TemplateService) FindAckTemplates(ctx context.Context) ([]*ticket.AckTemplate, error) {
	latest := map[string]*ticket.AckTemplate{}
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.Bucket(bucketAckVersions).ForEach(func(k, v []byte) error {
			a, err := decodeAck(k, v)
			if err == nil {
				latest[a.Name] = a // keys ascend, so the last one of a name wins
			}
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	for _, a := range ticket.BuiltinAckTemplates() {
		if _, saved := latest[a.Name]; !saved {
			latest[a.Name] = a
		}
	}
	var list []*ticket.AckTemplate
	for _, a := range latest {
		if !a.Deleted {
			list = append(list, a)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].IsDefault() != list[j].IsDefault() {
			return list[i].IsDefault()
		}
		return norwegianKey(list[i].Title) < norwegianKey(list[j].Title)
	})
	return list, nil
}

// FindAckTemplateVersions returns every stored version of name, newest first.
func (s *TemplateService) FindAckTemplateVersions(ctx context.Context, name string) ([]*ticket.AckTemplate, error) {
	var list []*ticket.AckTemplate
	err := s.db.view(ctx, func(tx *Tx) error {
		prefix := str0(name)
		c := tx.Bucket(bucketAckVersions).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			a, err := decodeAck(k, v)
			if err != nil {
				return err
			}
			list = append(list, a)
		}
		return nil
	})
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list, err
}

// migrateAckTemplates moves the versions of the one acknowledgement of schema 5 (bucket
// ack_templates, version -> record) to the default template's versions, and drops the old
// bucket.
func migrateAckTemplates(btx *bolt.Tx) error {
	old := btx.Bucket([]byte("ack_templates"))
	if old == nil {
		return nil
	}
	dst := btx.Bucket(bucketAckVersions)
	err := old.ForEach(func(k, v []byte) error {
		var r ackTemplateRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("acknowledgement template %d: %w", btou64(k), err)
		}
		r.Name, r.Title = ticket.DefaultAckTemplateName, ticket.DefaultAckTemplate().Title
		buf, err := encode(r)
		if err != nil {
			return err
		}
		return dst.Put(ackKey(r.Name, r.Version), buf)
	})
	if err != nil {
		return err
	}
	return btx.DeleteBucket([]byte("ack_templates"))
}
