package data

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// Webhooks are kept in their own bucket; their posts wait in the outbox (idx_webhook_due), so
// they are retried, parked and shown like mail.
var bucketWebhooks = []byte("webhooks") // id -> webhook record

func init() { registerBuckets(bucketWebhooks) }

// WebhookService implements ticket.WebhookService and is the webhook sender's outbox.
type WebhookService struct {
	db *DB
}

var _ ticket.WebhookService = (*WebhookService)(nil)

// NewWebhookService returns the webhooks of db.
func NewWebhookService(db *DB) *WebhookService { return &WebhookService{db: db} }

type webhookRecord struct {
	ID        uint64    `json:"id"`
	Name      string    `json:"n"`
	URL       string    `json:"url"`
	Secret    string    `json:"sec"`
	Agencies  []string  `json:"ag,omitempty"`
	Kinds     []string  `json:"k"`
	Format    string    `json:"f"`
	CreatedBy string    `json:"by,omitempty"`
	CreatedAt time.Time `json:"at"`
}

func (r *webhookRecord) webhook() *ticket.Webhook {
	w := &ticket.Webhook{ID: r.ID, Name: r.Name, URL: r.URL, Secret: r.Secret, Agencies: r.Agencies,
		Format: ticket.WebhookFormat(r.Format), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
	for _, k := range r.Kinds {
		w.Kinds = append(w.Kinds, ticket.NotifyKind(k))
	}
	return w
}

func toWebhookRecord(w *ticket.Webhook) *webhookRecord {
	r := &webhookRecord{ID: w.ID, Name: w.Name, URL: w.URL, Secret: w.Secret, Agencies: w.Agencies,
		Format: string(w.Format), CreatedBy: w.CreatedBy, CreatedAt: w.CreatedAt}
	for _, k := range w.Kinds {
		r.Kinds = append(r.Kinds, string(k))
	}
	return r
}

func (tx *Tx) findWebhooks() ([]*ticket.Webhook, error) {
	var list []*ticket.Webhook
	err := tx.Bucket(bucketWebhooks).ForEach(func(k, v []byte) error {
		var r webhookRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("webhook %d: %w", btou64(k), err)
		}
		list = append(list, r.webhook())
		return nil
	})
	return list, err
}

func (tx *Tx) findWebhook(id uint64) (*ticket.Webhook, error) {
	v := tx.Bucket(bucketWebhooks).Get(u64(id))
	if v == nil {
		return nil, notFound("webhooken")
	}
	var r webhookRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("webhook %d: %w", id, err)
	}
	return r.webhook(), nil
}

func (tx *Tx) putWebhook(w *ticket.Webhook) error {
	buf, err := encode(toWebhookRecord(w))
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketWebhooks).Put(u64(w.ID), buf); err != nil {
		return fmt.Errorf("put webhook %d: %w", w.ID, err)
	}
	return nil
}

// FindWebhooks lists the webhooks, oldest first.
func (s *WebhookService) FindWebhooks(ctx context.Context) ([]*ticket.Webhook, error) {
	var list []*ticket.Webhook
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		list, err = tx.findWebhooks()
		return err
	})
	return list, err
}

// FindWebhook returns one webhook; ENOTFOUND when there is none.
func (s *WebhookService) FindWebhook(ctx context.Context, id uint64) (*ticket.Webhook, error) {
	var w *ticket.Webhook
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		w, err = tx.findWebhook(id)
		return err
	})
	return w, err
}

// CreateWebhook stores w (validated by the caller against the agencies) with the actor of ctx.
func (s *WebhookService) CreateWebhook(ctx context.Context, w *ticket.Webhook) error {
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		id, err := tx.Bucket(bucketWebhooks).NextSequence()
		if err != nil {
			return fmt.Errorf("next webhook id: %w", err)
		}
		w.ID, w.CreatedAt, w.CreatedBy = id, tx.now, actor
		if err := tx.putWebhook(w); err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventWebhook, actor, "", w.Name, "webhook opprettet")
	})
}

// SetWebhookSecret replaces a webhook's secret; posts still queued are signed with it.
func (s *WebhookService) SetWebhookSecret(ctx context.Context, id uint64, secret string) error {
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		w, err := tx.findWebhook(id)
		if err != nil {
			return err
		}
		w.Secret = secret
		if err := tx.putWebhook(w); err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventWebhook, actor, "", w.Name, "ny hemmelighet for webhook")
	})
}

// DeleteWebhook removes a webhook; its queued posts are parked when they come due.
func (s *WebhookService) DeleteWebhook(ctx context.Context, id uint64) error {
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		w, err := tx.findWebhook(id)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketWebhooks).Delete(u64(id)); err != nil {
			return fmt.Errorf("delete webhook %d: %w", id, err)
		}
		return tx.addEvent(0, ticket.EventWebhook, actor, "", w.Name, "webhook slettet")
	})
}

// QueueWebhookPost puts one post in the outbox.
func (s *WebhookService) QueueWebhookPost(ctx context.Context, post *ticket.OutboundMail) error {
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.findWebhook(post.WebhookID); err != nil {
			return err
		}
		return tx.putWebhookPosts([]*ticket.OutboundMail{post})
	})
}

// putWebhookPosts queues webhook posts in the outbox, in their own due index.
func (tx *Tx) putWebhookPosts(posts []*ticket.OutboundMail) error {
	for _, p := range posts {
		if p.Kind != ticket.MailWebhook || p.WebhookID == 0 {
			return fmt.Errorf("queue webhook post: kind %s, webhook %d", p.Kind, p.WebhookID)
		}
		if err := tx.putOutbound(p); err != nil {
			return err
		}
	}
	if len(posts) > 0 && tx.db.MailQueued != nil {
		tx.OnCommit(tx.db.MailQueued)
	}
	return nil
}

// FindDueWebhooks returns up to limit queued webhook posts whose next try has come, soonest
// first, each with its webhook (nil when it was deleted).
func (s *WebhookService) FindDueWebhooks(ctx context.Context, limit int) ([]ticket.WebhookDelivery, error) {
	var list []ticket.WebhookDelivery
	err := s.db.view(ctx, func(tx *Tx) error {
		now := timeKey(tx.now)
		c := tx.Bucket(idxWebhookDue).Cursor()
		for k, _ := c.First(); k != nil && len(list) < limit && bytes.Compare(k[:8], now) <= 0; k, _ = c.Next() {
			p, err := tx.findOutbound(btou64(k[8:]))
			if err != nil {
				return err
			}
			w, err := tx.findWebhook(p.WebhookID)
			if ticket.ErrorCode(err) == ticket.ENOTFOUND {
				w = nil
			} else if err != nil {
				return err
			}
			list = append(list, ticket.WebhookDelivery{Post: p, Hook: w})
		}
		return nil
	})
	return list, err
}

// The sender marks posts as it marks mail.

// MarkMailSent records that the webhook took the post.
func (s *WebhookService) MarkMailSent(ctx context.Context, id uint64) error {
	return NewOutboxService(s.db).MarkMailSent(ctx, id)
}

// MarkMailFailed records a failed post: retried later or parked.
func (s *WebhookService) MarkMailFailed(ctx context.Context, id uint64, f ticket.MailFailure) (*ticket.OutboundMail, error) {
	return NewOutboxService(s.db).MarkMailFailed(ctx, id, f)
}
