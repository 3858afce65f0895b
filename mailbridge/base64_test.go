package mailbridge_test

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/mailbridge"
)

// TestDecodeBase64 decodes what encoders write (lines of 76 and CRLF, sizes around the
// decoder's blocks) to the bytes encoded, and stays lenient: junk between the characters, text
// after the padding and a lone last character are left out.
func TestDecodeBase64(t *testing.T) {
	for _, size := range []int{0, 1, 2, 3, 56, 57, 3071, 3072, 3073, 6144, 100_000} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rand.Uint32())
		}
		enc := base64.StdEncoding.EncodeToString(data)
		var lines strings.Builder
		for len(enc) > 76 {
			lines.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		lines.WriteString(enc + "\r\n")
		if got := mailbridge.DecodeBase64([]byte(lines.String())); !bytes.Equal(got, data) {
			t.Errorf("size %d: decoded %d bytes, not the ones encoded", size, len(got))
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"aGVp\r\n", "hei"},
		{"aG Vp!\t", "hei"},
		{"aGVpIA==ignored", "hei "},
		{"aGVpI", "hei"},
	} {
		if got := string(mailbridge.DecodeBase64([]byte(tt.in))); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}
