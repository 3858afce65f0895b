package web

import (
	"fmt"
	"mime"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// safeTypes are the attachment types served as they are; anything else (HTML, SVG, scripts,
// unknown) goes out as application/octet-stream, so a browser can never run it as ours.
var safeTypes = map[string]bool{
	"application/pdf": true, "image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"text/plain": true, "text/csv": true, "application/zip": true,
	"application/msword": true, "application/vnd.ms-excel": true, "application/vnd.ms-powerpoint": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
	"application/vnd.oasis.opendocument.text":                                   true,
	"application/vnd.oasis.opendocument.spreadsheet":                            true,
}

// safeContentType is the type an attachment is served with.
func safeContentType(declared string) string {
	mt, _, err := mime.ParseMediaType(declared)
	if err != nil || !safeTypes[mt] {
		return "application/octet-stream"
	}
	if strings.HasPrefix(mt, "text/") {
		return mt + "; charset=utf-8"
	}
	return mt
}

// contentDisposition is "attachment" with the name in ASCII for old clients and in UTF-8
// (RFC 5987/6266) for the rest, so "Søknad å.pdf" keeps its letters.
func contentDisposition(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	if strings.TrimSpace(name) == "" {
		name = "vedlegg"
	}
	ascii := strings.Map(func(r rune) rune {
		if r > 0x7e || r == '"' || r == ';' || r == '%' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name))
}

// sendDownload sends bytes as a file to save, never to show: attachment disposition, nosniff,
// a type from the safe list, and a CSP that forbids everything should it be opened anyway.
func sendDownload(c *fiber.Ctx, name, contentType string, body []byte) error {
	c.Set(fiber.HeaderContentType, safeContentType(contentType))
	c.Set(fiber.HeaderContentDisposition, contentDisposition(name))
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}
