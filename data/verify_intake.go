package data

import (
	"bytes"
	"fmt"
)

// verifyMessageIndex checks what intake relies on: every stored message is found by its
// Message-ID, no Message-ID entry points at a ticket that is gone (a deleted ticket leaves none
// behind), and the quarantine's index and sources match its records.
func (tx *Tx) verifyMessageIndex() error {
	err := tx.Bucket(bucketMessages).ForEach(func(k, v []byte) error {
		var r messageRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("message %x: %w", k, err)
		}
		if r.MessageID != "" && tx.Bucket(idxMessageID).Get([]byte(r.MessageID)) == nil {
			return fmt.Errorf("index %s: missing %q of message %x", idxMessageID, r.MessageID, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(idxMessageID).ForEach(func(k, v []byte) error {
		if len(v) != 12 || tx.Bucket(bucketTickets).Get(v[:8]) == nil {
			return fmt.Errorf("index %s: %q points at no ticket (%x)", idxMessageID, k, v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tx.verifyQuarantine()
}

func (tx *Tx) verifyQuarantine() error {
	want := map[string][]byte{}
	byReason, counts := map[string][]byte{}, map[string]uint64{}
	err := tx.Bucket(bucketQuarantine).ForEach(func(k, v []byte) error {
		var r quarantineRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("quarantine %d: %w", btou64(k), err)
		}
		byReason[string(key(str0(r.Reason), u64(r.ID)))] = nil
		counts[r.Reason]++
		if tx.Bucket(bucketQuarantineRaw).Get(k) == nil {
			return fmt.Errorf("quarantine %d: source missing", r.ID)
		}
		if r.MessageID != "" {
			if old, ok := want[r.MessageID]; !ok || btou64(old) > r.ID {
				want[r.MessageID] = u64(r.ID)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketQuarantineRaw).ForEach(func(k, _ []byte) error {
		if tx.Bucket(bucketQuarantine).Get(k) == nil {
			return fmt.Errorf("quarantine source %d: no record", btou64(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := compareBucket(tx, string(idxQuarantineReason), byReason); err != nil {
		return err
	}
	wantCounts := map[string][]byte{}
	for reason, n := range counts {
		wantCounts[reason] = u64(n)
	}
	if err := compareBucket(tx, string(bucketQuarantineN), wantCounts); err != nil {
		return err
	}
	got := map[string][]byte{}
	err = tx.Bucket(idxQuarantineMID).ForEach(func(k, v []byte) error {
		got[string(k)] = copyBytes(v)
		return nil
	})
	if err != nil {
		return err
	}
	for k, v := range want {
		if !bytes.Equal(got[k], v) {
			return fmt.Errorf("index %s: %q is %x, want %x", idxQuarantineMID, k, got[k], v)
		}
	}
	if len(got) != len(want) {
		return fmt.Errorf("index %s: %d entries, want %d", idxQuarantineMID, len(got), len(want))
	}
	return nil
}
