package data

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// recordVersion is the first byte of every record. A later format gets a new number and decode
// learns to read both, so old files keep working without a rewrite.
const recordVersion byte = 1

func encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return append([]byte{recordVersion}, b...), nil
}

func decode(b []byte, v any) error {
	if len(b) == 0 {
		return fmt.Errorf("decode %T: empty record", v)
	}
	if b[0] != recordVersion {
		return fmt.Errorf("decode %T: unknown record version %d", v, b[0])
	}
	if err := json.Unmarshal(b[1:], v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func btou64(b []byte) uint64 {
	if len(b) < 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// timeKey is a time as big-endian unix nanoseconds: sorts correctly as bytes (never RFC3339Nano).
func timeKey(t time.Time) []byte { return u64(uint64(t.UnixNano())) }

// key joins parts into one composite key.
func key(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	for _, p := range parts {
		k = append(k, p...)
	}
	return k
}

// str0 is a string part of a composite key followed by its 0 separator.
func str0(s string) []byte { return append([]byte(s), 0) }

// msgKey is ticket id | seq.
func msgKey(ticketID uint64, seq int) []byte {
	b := make([]byte, 12)
	binary.BigEndian.PutUint64(b, ticketID)
	binary.BigEndian.PutUint32(b[8:], uint32(seq))
	return b
}

// copyBytes copies b out of a transaction: bbolt's slices are only valid inside it.
func copyBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}
