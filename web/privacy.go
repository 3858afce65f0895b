package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"

	"github.com/gofiber/fiber/v2"
)

// ipTag is what logs say about a client address: a keyed hash, so repeated attempts from one
// address can be told apart without the address (personal data) being written anywhere.
func (s *Server) ipTag(c *fiber.Ctx) string {
	mac := hmac.New(sha256.New, s.Secret)
	mac.Write([]byte(s.clientKey(c)))
	return hex.EncodeToString(mac.Sum(nil))[:12]
}
