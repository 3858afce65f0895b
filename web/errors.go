package web

import (
	"errors"
	"fmt"
	"net/url"
	"runtime/debug"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// statusOf maps a domain error code to an HTTP status. This is the only place that knows both.
var statusOf = map[string]int{
	ticket.ECONFLICT:       fiber.StatusConflict,
	ticket.EINVALID:        fiber.StatusBadRequest,
	ticket.ENOTFOUND:       fiber.StatusNotFound,
	ticket.ENOTIMPLEMENTED: fiber.StatusNotImplemented,
	ticket.EUNAUTHORIZED:   fiber.StatusUnauthorized,
	ticket.EFORBIDDEN:      fiber.StatusForbidden,
	ticket.ERATELIMIT:      fiber.StatusTooManyRequests,
	ticket.ETOOLARGE:       fiber.StatusRequestEntityTooLarge,
	ticket.EINTERNAL:       fiber.StatusInternalServerError,
}

// handleError is fiber's one error handler: a page or JSON with a Norwegian sentence, the
// right status, and the details in the log only.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	code := ticket.ErrorCode(err)
	status := statusOf[code]
	msg := ticket.ErrorMessage(err)
	var fe *fiber.Error
	if errors.As(err, &fe) { // fiber's own: body too large, method not allowed, ...
		status, msg = fe.Code, fiberMessage(fe)
	}
	if status >= 500 {
		s.Logger.Error("request failed", "method", c.Method(), "path", c.Route().Path, "status", status, "err", err)
	}
	if status == fiber.StatusUnauthorized && !isAPI(c) {
		return c.Redirect("/logg-inn?neste="+url.QueryEscape(localPath(c.OriginalURL())), fiber.StatusSeeOther)
	}
	c.Status(status)
	if isAPI(c) || strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON) {
		return c.JSON(fiber.Map{"error": fiber.Map{"code": codeName(code, status), "message": msg}})
	}
	return s.render(c, "error", pageData{Title: errorTitle(status), Message: msg, Status: status})
}

func codeName(code string, status int) string {
	if code == ticket.EINTERNAL && status < 500 {
		return "http_" + fmt.Sprint(status)
	}
	return code
}

func fiberMessage(fe *fiber.Error) string {
	switch fe.Code {
	case fiber.StatusRequestEntityTooLarge:
		return "Forespørselen er for stor. Vedlegg kan til sammen være høyst 20 MB; send færre eller mindre filer."
	case fiber.StatusMethodNotAllowed:
		return "Denne handlingen er ikke tillatt her."
	case fiber.StatusNotFound:
		return "Siden finnes ikke."
	case fiber.StatusRequestTimeout:
		return "Forespørselen tok for lang tid."
	case fiber.StatusServiceUnavailable:
		return "Serveren starter på nytt. Prøv igjen om litt."
	}
	if fe.Code >= 500 {
		return "Det oppstod en intern feil. Prøv igjen, eller kontakt administrator."
	}
	return "Forespørselen kunne ikke behandles."
}

func errorTitle(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "Fant ikke siden"
	case fiber.StatusForbidden:
		return "Ingen tilgang"
	case fiber.StatusTooManyRequests:
		return "For mange forsøk"
	case fiber.StatusConflict:
		return "Saken er endret"
	}
	if status >= 500 {
		return "Noe gikk galt"
	}
	return "Kunne ikke utføre handlingen"
}

// isAPI reports whether the request is for a machine (bearer token, JSON, no redirects).
func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") || c.Path() == "/metrics" }

// recoverPanic turns a panic in a handler into a logged internal error: people see a plain
// Norwegian page, never a stack trace.
func (s *Server) recoverPanic(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.Logger.Error("panic in handler", "path", c.Route().Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Next()
}
