package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/ks-no/digihjelpen/ticket"
)

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane); about 30 ms on one core.
const (
	owaspArgonMemory = 19 * 1024
	owaspArgonTime   = 2
	argonThreads     = 1
	argonKeyLen      = 32
)

// argonMemory and argonTime are what new hashes use: OWASP's, except in this package's tests
// (export_test.go). A check reads the parameters stored in the hash, so either kind checks.
var (
	argonMemory uint32 = owaspArgonMemory
	argonTime   uint32 = owaspArgonTime
)

// HashPassword returns an argon2id hash in the PHC string format. It refuses short passwords.
func HashPassword(password string) (string, error) {
	if len([]rune(password)) < ticket.MinPasswordLen {
		return "", ticket.FieldError("password", "Passordet må ha minst %d tegn.", ticket.MinPasswordLen)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash, in constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var memory uint32
	var passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked when a login names an unknown user, so that the answer takes as long
// as for a known one and does not reveal which addresses have accounts.
var dummyHash, _ = HashPassword("ingen-bruker-har-dette-passordet")

// GeneratePassword returns a random password for a new account, easy to type from a terminal.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
