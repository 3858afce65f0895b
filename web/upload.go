package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/ks-no/digihjelpen/ticket"
)

// Limits on files from outside (the form and the status page). The request body limit
// (maxBodyBytes) is above maxUploadTotal, so a too-large upload gets an error beside the field
// rather than a bare 413.
const (
	maxUploadFiles = 5
	maxUploadFile  = 10 << 20
	maxUploadTotal = 20 << 20
)

// uploadTypes are the files people may send, by extension, with the type they are stored and
// served as and what their first bytes must look like. Office files are zip archives.
var uploadTypes = map[string]struct{ mime, sniff string }{
	".pdf":  {"application/pdf", "application/pdf"},
	".png":  {"image/png", "image/png"},
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
	".gif":  {"image/gif", "image/gif"},
	".webp": {"image/webp", "image/webp"},
	".txt":  {"text/plain; charset=utf-8", "text/plain"},
	".csv":  {"text/csv; charset=utf-8", "text/plain"},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
	".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/zip"},
	".odt":  {"application/vnd.oasis.opendocument.text", "application/zip"},
	".ods":  {"application/vnd.oasis.opendocument.spreadsheet", "application/zip"},
}

// uploadHint is what the form says about attachments, and what an error repeats.
const uploadHint = "Du kan legge ved opptil 5 filer, høyst 10 MB hver og 20 MB til sammen: PDF, bilder (PNG, JPEG, GIF, WebP), tekst (TXT, CSV) og Office-filer (DOCX, XLSX, PPTX, ODT, ODS)."

// formFiles returns the files sent in field, or none when the form was not multipart.
func formFiles(c *fiber.Ctx, field string) ([]*multipart.FileHeader, error) {
	form, err := c.MultipartForm()
	if errors.Is(err, fasthttp.ErrNoMultipartForm) {
		return nil, nil
	} else if err != nil {
		return nil, ticket.FieldError(field, "Vedleggene kunne ikke leses. Prøv igjen.")
	}
	var files []*multipart.FileHeader
	for _, fh := range form.File[field] {
		if fh.Filename != "" || fh.Size > 0 { // an empty file input sends a nameless part
			files = append(files, fh)
		}
	}
	return files, nil
}

// readUploads checks the files against the limits and reads them. Every problem is an error
// on field, in a sentence that names the file.
func readUploads(field string, files []*multipart.FileHeader) ([]ticket.Attachment, error) {
	if len(files) > maxUploadFiles {
		return nil, ticket.FieldError(field, "Du kan legge ved høyst %d filer; du valgte %d.", maxUploadFiles, len(files))
	}
	var total int64
	var out []ticket.Attachment
	for _, fh := range files {
		a, err := readUpload(field, fh)
		if err != nil {
			return nil, err
		}
		if total += a.Size; total > maxUploadTotal {
			return nil, ticket.FieldError(field, "Vedleggene er til sammen større enn 20 MB. Send færre eller mindre filer.")
		}
		out = append(out, a)
	}
	return out, nil
}

func readUpload(field string, fh *multipart.FileHeader) (ticket.Attachment, error) {
	name := cleanFilename(fh.Filename)
	ext := strings.ToLower(filepath.Ext(name))
	kind, ok := uploadTypes[ext]
	if !ok {
		return ticket.Attachment{}, ticket.FieldError(field, "Filen «%s» har en filtype vi ikke tar imot. %s", name, uploadHint)
	}
	if fh.Size > maxUploadFile {
		return ticket.Attachment{}, ticket.FieldError(field, "Filen «%s» er større enn 10 MB.", name)
	}
	if fh.Size == 0 {
		return ticket.Attachment{}, ticket.FieldError(field, "Filen «%s» er tom.", name)
	}
	f, err := fh.Open()
	if err != nil {
		return ticket.Attachment{}, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxUploadFile+1))
	if err != nil {
		return ticket.Attachment{}, fmt.Errorf("read upload: %w", err)
	}
	if !contentMatches(data, kind.sniff) {
		return ticket.Attachment{}, ticket.FieldError(field, "Filen «%s» ser ikke ut som en %s-fil. Sjekk at det er riktig fil.", name, strings.ToUpper(ext[1:]))
	}
	typ := kind.mime
	if kind.sniff == "text/plain" && !utf8.Valid(data) {
		typ = strings.TrimSuffix(typ, "; charset=utf-8") // an old Windows file; say no charset rather than a wrong one
	}
	return ticket.Attachment{Name: name, Type: typ, Size: int64(len(data)), Data: data}, nil
}

// contentMatches checks the first bytes against the type the extension promises, so a
// program renamed to .pdf is refused.
func contentMatches(data []byte, want string) bool {
	got := http.DetectContentType(data)
	return strings.HasPrefix(got, want)
}

// cleanFilename keeps the base name of an uploaded file, without paths or control characters.
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" || name == "" {
		return "vedlegg"
	}
	if utf8.RuneCountInString(name) > 150 {
		name = string([]rune(name)[:150])
	}
	return name
}
