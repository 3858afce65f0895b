package data

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// notificationRecord is a notification held for a user's daily digest.
type notificationRecord struct {
	EventID   uint64    `json:"e"`
	Kind      string    `json:"k"`
	Event     string    `json:"ev,omitempty"`
	TicketID  uint64    `json:"tid"`
	RefYear   int       `json:"ry"`
	RefNumber int       `json:"rn"`
	Subject   string    `json:"s"`
	Agency    string    `json:"ag,omitempty"`
	Actor     string    `json:"a,omitempty"`
	ActorName string    `json:"an,omitempty"`
	Party     string    `json:"p,omitempty"`
	At        time.Time `json:"at"`
	Due       time.Time `json:"due,omitzero"`
}

func (r notificationRecord) notification() ticket.Notification {
	return ticket.Notification{EventID: r.EventID, Kind: ticket.NotifyKind(r.Kind), Event: ticket.EventKind(r.Event), TicketID: r.TicketID,
		Ref: ticket.Ref{Year: r.RefYear, Number: r.RefNumber}, Subject: r.Subject, Agency: r.Agency,
		Actor: r.Actor, ActorName: r.ActorName, Party: r.Party, At: r.At, Due: r.Due}
}

func (tx *Tx) holdForDigest(userID uint64, n ticket.Notification) error {
	buf, err := encode(notificationRecord{EventID: n.EventID, Kind: string(n.Kind), Event: string(n.Event), TicketID: n.TicketID,
		RefYear: n.Ref.Year, RefNumber: n.Ref.Number, Subject: n.Subject, Agency: n.Agency, Actor: n.Actor, ActorName: n.ActorName,
		Party: n.Party, At: n.At, Due: n.Due})
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketNotifyDigest).Put(key(u64(userID), u64(n.EventID)), buf); err != nil {
		return fmt.Errorf("hold notification for the digest of user %d: %w", userID, err)
	}
	return nil
}

// SendDigests queues the daily digest of every user whose hour has come today (Oslo time) and
// who has not had today's, and at once the held notifications of a user who has gone back to
// a mail per event. It returns how many digests it queued. A day without news sends nothing,
// but counts as sent, so what comes later that day waits for tomorrow's.
func (s *NotifyService) SendDigests(ctx context.Context, compose ticket.DigestFunc) (int, error) {
	var sent int
	err := s.db.update(ctx, func(tx *Tx) error {
		today, hour := osloDate(tx.now), tx.now.In(ticket.Oslo).Hour()
		settings, err := tx.allNotifySettings()
		if err != nil {
			return err
		}
		for _, userID := range tx.digestUsers(settings) {
			ns, ok := settings[userID]
			if !ok {
				ns = ticket.DefaultNotifySettings(userID)
			}
			if ns.Digest && (hour < ns.DigestHour || ns.DigestSentOn == today) {
				continue
			}
			n, err := tx.sendDigest(userID, compose)
			if err != nil {
				return err
			}
			sent += n
			if ns.Digest {
				ns.DigestSentOn = today
				if err := tx.putNotifySettings(ns); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return sent, err
}

// digestUsers are the users with a digest on and those with notifications held.
func (tx *Tx) digestUsers(settings map[uint64]ticket.NotifySettings) []uint64 {
	seen := map[uint64]bool{}
	var out []uint64
	for id, ns := range settings {
		if ns.Digest {
			seen[id] = true
			out = append(out, id)
		}
	}
	c := tx.Bucket(bucketNotifyDigest).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Seek(u64(btou64(k) + 1)) {
		id := btou64(k)
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
		if id == ^uint64(0) {
			break
		}
	}
	return out
}

// sendDigest composes and queues one user's digest from what is held, and clears it.
func (tx *Tx) sendDigest(userID uint64, compose ticket.DigestFunc) (int, error) {
	prefix := u64(userID)
	var items []ticket.Notification
	var keys [][]byte
	c := tx.Bucket(bucketNotifyDigest).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r notificationRecord
		if err := decode(v, &r); err != nil {
			return 0, fmt.Errorf("digest item %x: %w", k, err)
		}
		keys = append(keys, copyBytes(k))
		if tx.Bucket(bucketTickets).Get(u64(r.TicketID)) != nil { // a ticket deleted since is not told of
			items = append(items, r.notification())
		}
	}
	if len(items) == 0 {
		return 0, nil
	}
	for _, k := range keys {
		if err := tx.Bucket(bucketNotifyDigest).Delete(k); err != nil {
			return 0, fmt.Errorf("clear digest of user %d: %w", userID, err)
		}
	}
	u, err := tx.findUser(userID)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND || err == nil && (u.Disabled || !u.Role.Allows(ticket.RoleAgent)) {
		return 0, nil // gone, off or no longer staff who work tickets: the items go
	} else if err != nil {
		return 0, err
	}
	m, err := compose(u, items, tx.now)
	if err != nil || m == nil {
		return 0, err
	}
	return 1, tx.enqueueMails(nil, []*ticket.OutboundMail{m})
}
