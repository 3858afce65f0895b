package data

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// verifyChunks checks the values stored in chunks (chunks.go): every chunk of a manifest is
// there with its length and the chunks hash to the value's key; every chunk belongs to a
// manifest or to a value still being stored ahead (pending); every source reference and every
// file a message, an outbox mail or a draft names has its bytes, whole or in chunks.
func (tx *Tx) verifyChunks() error {
	err := tx.Bucket(bucketChunked).ForEach(func(k, v []byte) error {
		if len(k) != 1+sha256.Size || (k[0] != chunkFile && k[0] != chunkSource) || len(v) != 12 {
			return fmt.Errorf("chunk manifest %x: malformed", k)
		}
		h := sha256.New()
		if err := tx.eachChunk(k[0], k[1:], func(c []byte) error { _, err := h.Write(c); return err }); err != nil {
			return err
		}
		if !bytes.Equal(h.Sum(nil), k[1:]) {
			return fmt.Errorf("value %c/%x: its chunks hash to %x", k[0], k[1:], h.Sum(nil))
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketChunks).ForEach(func(k, _ []byte) error {
		if len(k) != 1+sha256.Size+4 {
			return fmt.Errorf("chunk %x: malformed key", k)
		}
		kind, sum, i := k[0], k[1:1+sha256.Size], int(binary.BigEndian.Uint32(k[1+sha256.Size:]))
		size, chunk, ok := tx.chunkManifest(kind, sum)
		if !ok {
			if tx.Bucket(bucketChunkPending).Get(k[:1+sha256.Size]) == nil {
				return fmt.Errorf("chunk %d of %c/%x: no value it belongs to, and not pending", i, kind, sum)
			}
			return nil
		}
		if int64(i)*int64(chunk) >= size {
			return fmt.Errorf("chunk %d of %c/%x: beyond the value's %d bytes", i, kind, sum, size)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketRawRef).ForEach(func(k, v []byte) error {
		if _, _, ok := tx.chunkManifest(chunkSource, v); !ok {
			return fmt.Errorf("source of message %x: its chunks %x are missing", k, v)
		}
		if tx.Bucket(bucketMessages).Get(k) == nil {
			return fmt.Errorf("source reference %x: no such message", k)
		}
		if tx.Bucket(bucketRaw).Get(k) != nil {
			return fmt.Errorf("source of message %x: stored whole and in chunks", k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, b := range [][]byte{bucketMessages, bucketOutbox, bucketDrafts} {
		err := tx.Bucket(b).ForEach(func(k, v []byte) error {
			if !bytes.Contains(v, []byte(`"att":`)) {
				return nil
			}
			var r struct {
				Attachments []attachmentRecord `json:"att"`
			}
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("%s %x: %w", b, k, err)
			}
			for _, a := range r.Attachments {
				sum, err := hex.DecodeString(a.SHA256)
				if err != nil || !tx.hasBlob(sum) {
					return fmt.Errorf("%s %x: the bytes of file %q (%s) are missing", b, k, a.Name, a.SHA256)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
