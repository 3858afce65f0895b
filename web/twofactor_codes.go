package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpOpts are RFC 6238's defaults, the ones every authenticator app reads from a QR code.
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// totpIssuer is the name the authenticator app shows above the code.
const totpIssuer = "Digihjelpen kontaktpunkt"

// matchTOTP returns the 30-second step code belongs to: the current step or one on either side
// (a phone's clock a little off, a code typed as it turned). The caller records the step, so
// each code works once.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	step := now.Unix() / 30
	for _, d := range []int64{0, -1, 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix((step+d)*30, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step + d, true
		}
	}
	return 0, false
}

// recoveryEncoding is Crockford's base32: no i, l, o or u, so a code copied from paper reads
// one way (recoveryHash reads i and l as 1, o as 0).
var recoveryEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// newRecoveryCodes returns ticket.RecoveryCodeCount codes to show once, and the hashes to
// keep. Each code has 80 random bits, so a plain SHA-256 is as good as a slow hash for them.
func newRecoveryCodes(n int) (codes, hashes []string) {
	for range n {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			panic("crypto/rand failed: " + err.Error())
		}
		raw := recoveryEncoding.EncodeToString(b)[:16]
		codes = append(codes, raw[0:4]+"-"+raw[4:8]+"-"+raw[8:12]+"-"+raw[12:16])
		hashes = append(hashes, recoveryHash(raw))
	}
	return codes, hashes
}

// recoveryHash is how a recovery code is stored and looked up, however it was typed.
func recoveryHash(code string) string {
	norm := strings.ToLower(strings.Join(strings.FieldsFunc(code, func(r rune) bool { return r == '-' || r == ' ' }), ""))
	norm = strings.NewReplacer("i", "1", "l", "1", "o", "0").Replace(norm)
	return hashSecret("recovery:" + norm)
}
