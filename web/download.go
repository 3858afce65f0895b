package web

import (
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// inlineSafe are the types a browser may show itself; everything is still sent as an
// attachment, and with nosniff (set for every response) it cannot be read as HTML or script.
var inlineSafe = map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// sendDownload sends a file from outside with safe headers: Content-Disposition attachment
// with the name encoded as RFC 6266 asks, a type we trust or octet-stream, and a sandboxing CSP.
func sendDownload(c *fiber.Ctx, name, typ string, data []byte) error {
	base, _, _ := strings.Cut(typ, ";")
	if !inlineSafe[strings.TrimSpace(base)] {
		typ = "application/octet-stream"
	}
	c.Set(fiber.HeaderContentType, typ)
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disp == "" { // a name mime cannot encode
		disp = "attachment"
	}
	c.Set(fiber.HeaderContentDisposition, disp)
	c.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(data)
}
