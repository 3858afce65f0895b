package web

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Sealed cookies carry a short-lived step of a sign-in in the browser (a sign-in at the
// OpenID provider under way, a password accepted that waits for its two-factor code): AES-GCM
// under a key derived from the server secret, so the browser can neither read nor change them,
// and nothing is written to the database for a visitor who is not signed in yet.

var errSealed = errors.New("sealed cookie missing, forged or expired")

type sealedEnvelope struct {
	Expires int64           `json:"exp"`
	Value   json.RawMessage `json:"v"`
}

// sealCookie sets cookie name to v, readable by openCookie for ttl.
func (s *Server) sealCookie(c *fiber.Ctx, name string, v any, ttl time.Duration) error {
	inner, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("seal %s: %w", name, err)
	}
	plain, err := json.Marshal(sealedEnvelope{Expires: s.Now().Add(ttl).Unix(), Value: inner})
	if err != nil {
		return fmt.Errorf("seal %s: %w", name, err)
	}
	aead, err := s.cookieAEAD(name)
	if err != nil {
		return err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return fmt.Errorf("seal %s: %w", name, err)
	}
	sealed := aead.Seal(nonce, nonce, plain, []byte(name))
	s.setCookie(c, name, base64.RawURLEncoding.EncodeToString(sealed), ttl)
	return nil
}

// openCookie reads cookie name into v; errSealed when it is missing, altered or expired.
func (s *Server) openCookie(c *fiber.Ctx, name string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(c.Cookies(name))
	if err != nil || len(raw) == 0 {
		return errSealed
	}
	aead, err := s.cookieAEAD(name)
	if err != nil {
		return err
	}
	if len(raw) < aead.NonceSize() {
		return errSealed
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(name))
	if err != nil {
		return errSealed
	}
	var env sealedEnvelope
	if err := json.Unmarshal(plain, &env); err != nil || s.Now().Unix() >= env.Expires {
		return errSealed
	}
	if err := json.Unmarshal(env.Value, v); err != nil {
		return errSealed
	}
	return nil
}

// clearCookie removes cookie name from the browser.
func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	s.setCookie(c, name, "", -time.Second)
}

// cookieAEAD is AES-256-GCM under a key for this cookie alone, derived from the server secret.
func (s *Server) cookieAEAD(name string) (cipher.AEAD, error) {
	mac := hmac.New(sha256.New, s.Secret)
	mac.Write([]byte("sealed-cookie:" + name))
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("cookie cipher: %w", err)
	}
	return cipher.NewGCM(block)
}
