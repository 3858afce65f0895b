package mailbridge_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/mailbridge"
)

// TestLargeFileDecodedLater: a base64 file of a megabyte or more is not decoded whole while the
// mail is parsed: it comes with its size and hash and a Decode that writes the bytes a piece
// at a time; a smaller file, or one not in base64, comes decoded as before.
func TestLargeFileDecodedLater(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name     string
		size     int // decoded bytes
		encoding string
		later    bool
	}{
		{"small", 1000, "base64", false},
		{"just under a megabyte of base64", mb*4/3/78*57 - 1000, "base64", false},
		{"two megabytes", 2 * mb, "base64", true},
		{"three megabytes and a bit", 3*mb + 17, "base64", true},
		{"two megabytes unencoded", 2 * mb, "8bit", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := bytes.Repeat([]byte("skannet søknad\n"), tt.size/15+1)[:tt.size]
			body := string(file)
			if tt.encoding == "base64" {
				enc := base64.StdEncoding.EncodeToString(file)
				var b strings.Builder
				for len(enc) > 76 {
					b.WriteString(enc[:76] + "\r\n")
					enc = enc[76:]
				}
				body = b.String() + enc
			}
			raw := "From: kari@hamar.kommune.no\r\nTo: kontakt@digihjelpen.test\r\nSubject: Søknad\r\nMIME-Version: 1.0\r\n" +
				"Content-Type: multipart/mixed; boundary=\"g\"\r\n\r\n--g\r\nContent-Type: text/plain\r\n\r\nHei!\r\n--g\r\n" +
				"Content-Type: application/octet-stream; name=\"soknad.bin\"\r\nContent-Transfer-Encoding: " + tt.encoding + "\r\n\r\n" +
				body + "\r\n--g--\r\n"
			in, err := mailbridge.Parse([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Message.Attachments) != 1 {
				t.Fatalf("%d attachments", len(in.Message.Attachments))
			}
			a := in.Message.Attachments[0]
			sum := sha256.Sum256(file)
			if a.Size != int64(len(file)) || a.SHA256 != hex.EncodeToString(sum[:]) || a.Name != "soknad.bin" {
				t.Errorf("attachment %q of %d bytes, %s; want %d, %x", a.Name, a.Size, a.SHA256, len(file), sum)
			}
			if later := a.Decode != nil; later != tt.later || (later && a.Data != nil) {
				t.Fatalf("decoded later %v (data %d bytes), want %v", later, len(a.Data), tt.later)
			}
			got := a.Data
			if a.Decode != nil {
				var b bytes.Buffer
				if err := a.Decode(&b); err != nil {
					t.Fatal(err)
				}
				got = b.Bytes()
			}
			if !bytes.Equal(got, file) {
				t.Errorf("got %d bytes, want the %d sent", len(got), len(file))
			}
		})
	}
}
