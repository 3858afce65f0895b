package mailbridge

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// lenientBase64 is the decoder as it was, a character at a time: the reference the block
// decoder must match byte for byte.
func lenientBase64(in []byte) []byte {
	var clean []byte
	for _, c := range in {
		if c == '=' {
			break
		}
		if base64Alphabet[c] {
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}

// TestDecodeBase64Blocks: the block decoder (whole, and a block at a time as a large file is
// stored) gives what the lenient decoder gave, at and around its block of 4096 characters,
// with line breaks, stray characters, padding in the middle and a lone trailing character.
func TestDecodeBase64Blocks(t *testing.T) {
	enc := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rand.Uint32())
		}
		return base64.RawStdEncoding.EncodeToString(b)
	}
	lines := func(s string) string {
		var b strings.Builder
		for len(s) > 76 {
			b.WriteString(s[:76] + "\r\n")
			s = s[76:]
		}
		return b.String() + s
	}
	tests := map[string]string{
		"empty":                  "",
		"one byte padded":        "QQ==",
		"one byte unpadded":      "QQ",
		"lone trailing char":     "QUJDQ",
		"stray characters":       "Q!U*J\tD RA",
		"padding in the middle":  "QUJD=RUZH",
		"only junk":              "!!!\r\n***",
		"one short of a block":   enc(4095 / 4 * 3),
		"exactly a block":        enc(3072),
		"one over a block":       enc(3072) + "QQ",
		"lines over blocks":      lines(enc(3 << 20)),
		"lines and lone char":    lines(enc(10000)) + "\r\nQ",
		"two blocks and padding": enc(6144) + "QQ==" + enc(30),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			want := lenientBase64([]byte(in))
			if got := decodeBase64([]byte(in)); !bytes.Equal(got, want) {
				t.Errorf("decodeBase64: %d bytes, want %d", len(got), len(want))
			}
			var pieces bytes.Buffer
			if err := decodeBase64Blocks([]byte(in), func(b []byte) error { pieces.Write(b); return nil }); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pieces.Bytes(), want) {
				t.Errorf("in blocks: %d bytes, want %d", pieces.Len(), len(want))
			}
		})
	}
}
