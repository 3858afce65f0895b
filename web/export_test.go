package web

import (
	"strings"
	"testing"
)

// The tests sign in and create accounts hundreds of times under the race detector, where a
// hash at OWASP's cost takes a quarter of a second: the test binary's new hashes are cheap.
// The format, and checking by the parameters each hash carries, stay the same.
func init() { argonMemory, argonTime = 64, 1 }

// TestArgonParameters: outside the tests, new hashes use OWASP's minimum for argon2id, and a
// hash made with other parameters still checks by its own.
func TestArgonParameters(t *testing.T) {
	if owaspArgonMemory < 19*1024 || owaspArgonTime < 2 || argonThreads != 1 {
		t.Fatalf("argon2id below OWASP's minimum: m=%d t=%d p=%d", owaspArgonMemory, owaspArgonTime, argonThreads)
	}
	cheap, err := HashPassword("et-langt-passord")
	if err != nil {
		t.Fatal(err)
	}
	argonMemory, argonTime = owaspArgonMemory, owaspArgonTime
	defer func() { argonMemory, argonTime = 64, 1 }()
	strong, err := HashPassword("et-langt-passord")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{cheap, strong} {
		if !CheckPassword(h, "et-langt-passord") || CheckPassword(h, "et-annet-passord") {
			t.Errorf("hash %s does not check by its own parameters", h)
		}
	}
	if want := "$m=19456,t=2,p=1$"; !strings.Contains(strong, want) {
		t.Errorf("production hash %s, want %s", strong, want)
	}
}
