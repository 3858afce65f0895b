package mailbridge

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// literal is an IMAP literal of the size a server announces, whatever it then sends.
type literal struct {
	io.Reader
	size int64
}

func (l literal) Size() int64 { return l.size }

// TestReadLiteral: a fetched mail is read into one buffer of its announced size; a size far
// over the limit is not trusted with one allocation, and a literal cut short is an error.
func TestReadLiteral(t *testing.T) {
	mail := strings.Repeat("Hei! Her er søknaden.\r\n", 1000)
	tests := []struct {
		name    string
		sent    string
		size    int64
		limit   int64
		want    string
		wantErr bool
		exact   bool // the buffer is exactly the mail, no room to spare
	}{
		{"announced size", mail, int64(len(mail)), 25 << 20, mail, false, true},
		{"no limit", mail, int64(len(mail)), 0, mail, false, true},
		{"empty", "", 0, 25 << 20, "", false, true},
		{"cut short", mail[:100], int64(len(mail)), 25 << 20, "", true, false},
		{"size far over the limit is read as it comes", mail, 1 << 40, 1 << 10, mail, false, false},
		{"unknown size", mail, -1, 25 << 20, mail, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readLiteral(literal{strings.NewReader(tt.sent), tt.size}, tt.limit)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if !bytes.Equal(got, []byte(tt.want)) {
				t.Errorf("got %d bytes, want %d", len(got), len(tt.want))
			}
			if tt.exact && cap(got) != len(tt.want) {
				t.Errorf("buffer of %d for %d bytes", cap(got), len(tt.want))
			}
		})
	}
}
