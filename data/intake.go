package data

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

var (
	bucketIntake = []byte("intake") // "cp" 0 mailbox -> UIDVALIDITY(4) | last UID(4)
)

func init() { registerBuckets(bucketIntake) }

// DefaultSenderLimit is how many tickets one address may open per hour before more of its mail
// is held in quarantine: enough for a busy service office, few enough to stop an autoresponder
// loop within minutes.
const DefaultSenderLimit = 20

// IntakeService stores mail from IMAP and from import: dedupe, thread, create or append, route,
// acknowledge, quarantine and advance the checkpoint, all in the transaction of the mail.
type IntakeService struct {
	db *DB
	// Router places a new ticket; nil sends every ticket to KS.
	Router ticket.Router
	// Acknowledge composes the acknowledgement of a new ticket; nil sends none. It is never
	// called for automatic mail, forced mail, or a sender who asked for no automatic answers.
	Acknowledge ticket.AckFunc
	// Agencies are the referral addresses, to know an agency's answer by its domain.
	Agencies ticket.Agencies
	// OwnAddresses are the contact point's own addresses; they never become participants.
	OwnAddresses []string
	// SenderLimit tickets per SenderWindow from one address; more go to quarantine. 0: no limit.
	SenderLimit  int
	SenderWindow time.Duration
}

// NewIntakeService returns the intake store of db with the default sender limit.
func NewIntakeService(db *DB) *IntakeService {
	return &IntakeService{db: db, SenderLimit: DefaultSenderLimit, SenderWindow: time.Hour}
}

// Ingest stores one mail; see IngestBatch.
func (s *IntakeService) Ingest(ctx context.Context, m *ticket.InboundMail, opts ticket.IngestOptions) (ticket.IntakeResult, error) {
	res, err := s.IngestBatch(ctx, []ticket.IngestItem{{Mail: m, Options: opts}})
	if err != nil {
		return ticket.IntakeResult{}, err
	}
	return res[0], nil
}

// IngestBatch stores mails in order. Each mail is all or nothing: its ticket or message,
// indexes, events, acknowledgement and checkpoint. Mails that arrive together share one commit
// (one fsync instead of one per mail); when any of them fails, that commit is rolled back and
// every mail is stored in a transaction of its own, so a mail that cannot be stored goes to
// quarantine alone. An error means the storage itself failed: the results returned are the
// mails committed before it, in order, and nothing after them was stored.
func (s *IntakeService) IngestBatch(ctx context.Context, items []ticket.IngestItem) ([]ticket.IntakeResult, error) {
	staff := ticket.ActorFromContext(ctx).Name
	if err := s.storeLargeValues(ctx, items); err != nil {
		return nil, err
	}
	if len(items) > 1 {
		var results []ticket.IntakeResult
		err := s.db.update(ctx, func(tx *Tx) error {
			results = results[:0]
			for _, it := range items {
				res, err := s.ingestTx(tx, it, staff)
				if err != nil {
					return err
				}
				results = append(results, res)
			}
			return nil
		})
		if err == nil {
			return results, nil
		} else if ctx.Err() != nil {
			return nil, err
		}
	}
	results := make([]ticket.IntakeResult, 0, len(items))
	for _, it := range items {
		res, err := s.ingestSolo(ctx, it, staff)
		if err != nil {
			return results, err
		}
		results = append(results, res)
	}
	return results, nil
}

// storeLargeValues stores the bytes of large attachments (those decoded as they are stored, too)
// and large sources in chunks, a megabyte per transaction, before the mails' transaction
// (chunks.go), and lets go of the attachments' bytes. bbolt copies every value a transaction writes into new pages at its
// commit: stored with its mail, a 25 MB mail had its source and its file in memory twice over.
// Values are stored once per content and stay pending until the mail's transaction refers to
// them; a mail that is then not stored (a duplicate, a crash) leaves bytes SweepStoredAhead
// deletes.
func (s *IntakeService) storeLargeValues(ctx context.Context, items []ticket.IngestItem) error {
	for _, it := range items {
		if it.Mail == nil || it.Mail.Message == nil {
			continue
		}
		m := it.Mail.Message
		for i := range m.Attachments {
			a := &m.Attachments[i]
			if a.Decode != nil && a.Data == nil {
				sum, err := hex.DecodeString(a.SHA256)
				if err == nil {
					err = s.db.storeAheadFrom(ctx, chunkFile, sum, a.Size, a.Decode)
				}
				if err != nil {
					return fmt.Errorf("store attachment %s: %w", a.Name, err)
				}
				a.Decode = nil
				continue
			}
			if len(a.Data) < largeValue {
				continue
			}
			sum := sha256.Sum256(a.Data)
			if err := s.db.storeAhead(ctx, chunkFile, sum[:], a.Data); err != nil {
				return fmt.Errorf("store attachment %s: %w", a.Name, err)
			}
			a.SHA256, a.Size, a.Data = hex.EncodeToString(sum[:]), int64(len(a.Data)), nil
		}
		if len(m.Raw) >= largeValue {
			sum := sha256.Sum256(m.Raw)
			if err := s.db.storeAhead(ctx, chunkSource, sum[:], m.Raw); err != nil {
				return fmt.Errorf("store source: %w", err)
			}
		}
	}
	return nil
}

// ingestSolo stores one mail in its own transaction. When the mail itself fails (it cannot be
// stored as it is), it is put in quarantine with the reason in a second transaction; only when
// that fails too, or the commit does, is the error returned.
func (s *IntakeService) ingestSolo(ctx context.Context, it ticket.IngestItem, staff string) (ticket.IntakeResult, error) {
	var res ticket.IntakeResult
	var itemErr error
	err := s.db.update(ctx, func(tx *Tx) error {
		res, itemErr = s.ingestTx(tx, it, staff)
		return itemErr
	})
	if err == nil || itemErr == nil || ctx.Err() != nil {
		return res, err
	}
	err = s.db.update(ctx, func(tx *Tx) error {
		res, err = s.hold(tx, it, ticket.QuarantineUnstorable, unstorableDetail(itemErr))
		if err == nil {
			err = s.finish(tx, it, res)
		}
		return err
	})
	return res, err
}

// unstorableDetail explains to staff why a mail could not be stored: the sentence of a domain
// error as it is, or the internal error for whoever debugs it (staff see it, no outsider).
func unstorableDetail(err error) string {
	var e *ticket.Error
	var fe ticket.FieldErrors
	if errors.As(err, &e) || errors.As(err, &fe) {
		return "E-posten kunne ikke lagres: " + ticket.ErrorMessage(err)
	}
	return "E-posten kunne ikke lagres (intern feil: " + err.Error() + ")."
}

// ingestTx is one mail in the caller's transaction. The audit trail names the sender, or the
// staff member (staff) who retried or forced a mail from quarantine.
func (s *IntakeService) ingestTx(tx *Tx, it ticket.IngestItem, staff string) (ticket.IntakeResult, error) {
	if it.Mail == nil || it.Mail.Message == nil {
		return ticket.IntakeResult{}, fmt.Errorf("ingest: no message")
	}
	it = cloneItem(it)
	actor := actorOf(it.Mail.Message)
	if it.Options.QuarantineID != 0 && staff != "system" {
		actor = staff
	}
	res, err := s.place(tx, it, actor)
	if err != nil {
		return res, err
	}
	return res, s.finish(tx, it, res)
}

// finish removes the quarantine entry the mail came from once it is stored, and advances the
// checkpoint.
func (s *IntakeService) finish(tx *Tx, it ticket.IngestItem, res ticket.IntakeResult) error {
	if id := it.Options.QuarantineID; id != 0 && res.Outcome != ticket.IntakeQuarantined {
		if err := tx.deleteQuarantine(id); err != nil {
			return err
		}
	}
	if cp := it.Options.Checkpoint; cp != nil {
		return tx.advanceCheckpoint(*cp)
	}
	return nil
}

func checkpointKey(mailbox string) []byte { return append([]byte("cp\x00"), mailbox...) }

// advanceCheckpoint moves the checkpoint of a mailbox forward (never back within one
// UIDVALIDITY; a new UIDVALIDITY replaces it).
func (tx *Tx) advanceCheckpoint(cp ticket.Checkpoint) error {
	b := tx.Bucket(bucketIntake)
	k := checkpointKey(cp.Mailbox)
	if v := b.Get(k); len(v) == 8 {
		if binary.BigEndian.Uint32(v) == cp.UIDValidity && binary.BigEndian.Uint32(v[4:]) >= cp.UID {
			return nil
		}
	}
	v := make([]byte, 8)
	binary.BigEndian.PutUint32(v, cp.UIDValidity)
	binary.BigEndian.PutUint32(v[4:], cp.UID)
	if err := b.Put(k, v); err != nil {
		return fmt.Errorf("advance checkpoint of %s: %w", cp.Mailbox, err)
	}
	return nil
}

// Checkpoint returns how far intake has read mailbox (zero values when it has not started).
func (s *IntakeService) Checkpoint(ctx context.Context, mailbox string) (ticket.Checkpoint, error) {
	cp := ticket.Checkpoint{Mailbox: mailbox}
	err := s.db.view(ctx, func(tx *Tx) error {
		if v := tx.Bucket(bucketIntake).Get(checkpointKey(mailbox)); len(v) == 8 {
			cp.UIDValidity, cp.UID = binary.BigEndian.Uint32(v), binary.BigEndian.Uint32(v[4:])
		}
		return nil
	})
	return cp, err
}

// cloneItem copies what storing changes (the message, its attachments), so that a mail can be
// stored again after a rolled-back attempt: storing clears attachment bytes and sets Seq.
func cloneItem(it ticket.IngestItem) ticket.IngestItem {
	m := *it.Mail
	msg := *m.Message
	msg.Attachments = slices.Clone(msg.Attachments)
	m.Message = &msg
	it.Mail = &m
	return it
}
