package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"

	"github.com/gofiber/fiber/v2"
)

//go:embed static
var staticFS embed.FS

// staticFiles maps a file name to its bytes and a short content hash. URLs carry the hash, so
// browsers may cache a file forever and still get a new version after an upgrade.
var staticFiles = loadStatic()

type staticFile struct {
	body []byte
	hash string
}

func loadStatic() map[string]staticFile {
	files := map[string]staticFile{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		files[p[len("static/"):]] = staticFile{body: b, hash: hex.EncodeToString(sum[:])[:12]}
		return nil
	})
	if err != nil {
		panic("embedded static files: " + err.Error()) // a build fault, not input
	}
	return files
}

// staticURL is the template function that links a static file by its hash.
func staticURL(name string) string {
	f, ok := staticFiles[name]
	if !ok {
		panic("no static file " + name) // caught when the template is first rendered in tests
	}
	return "/static/" + f.hash + "/" + name
}

func (s *Server) handleStatic(c *fiber.Ctx) error {
	f, ok := staticFiles[c.Params("*")]
	if !ok {
		return fiber.ErrNotFound
	}
	if c.Params("hash") == f.hash {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	c.Set(fiber.HeaderContentType, mime.TypeByExtension(path.Ext(c.Params("*"))))
	return c.Send(f.body)
}
