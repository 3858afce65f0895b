package web

import (
	"bufio"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/gofiber/fiber/v2"
)

// streamBody sends the response body as write produces it, after the handler has returned.
// fasthttp runs write in a goroutine of its own, where recoverPanic cannot reach: a panic
// there would stop the whole server. So it is recovered here, logged, and the download ends
// cut short (the client sees an incomplete file, as with a broken connection).
func streamBody(c *fiber.Ctx, log *slog.Logger, what string, write func(w *bufio.Writer)) {
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic in download", "download", what, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
		}()
		write(w)
	})
}
