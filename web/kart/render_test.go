package kart

import (
	"bytes"
	"encoding/xml"
	"os"
	"strings"
	"testing"
)

func TestLoadDrawsEveryMunicipality(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(m.Numbers()); got != 357 {
		t.Fatalf("got %d municipalities, want 357", got)
	}
	if m.Width < 2000 || m.Width > 3000 || m.Height < 2500 || m.Height > 3500 {
		t.Errorf("size %d × %d units, want about 2,450 × 3,000 (Norway is taller than wide)", m.Width, m.Height)
	}
	points := 0
	for _, s := range m.shapes {
		points += strings.Count(s.path, " ")
	}
	t.Logf("%d × %d units, about %d points", m.Width, m.Height, points/2)
	var buf bytes.Buffer
	m.Render(&buf, Options{ID: "kart", Title: "Kart", Desc: "Kartdata: © Kartverket"}, func(n string) Area {
		return Area{Href: "/kart/" + n, Label: n}
	})
	if os.Getenv("KART_SVG") != "" {
		os.WriteFile(os.Getenv("KART_SVG"), buf.Bytes(), 0o644)
	}
	if err := xml.Unmarshal(buf.Bytes(), new(struct{})); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	t.Logf("SVG of %d bytes", buf.Len())
}

// BenchmarkRender draws the whole country, every municipality linked and labelled: the work
// of one /kart request besides reading the register (budget: 20 ms).
func BenchmarkRender(b *testing.B) {
	m, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	styles := []Style{{Key: "a", Fill: "#1c6b35"}, {Key: "b", Fill: "#fbe3c2", Ink: "#8a4b00", Pattern: Hatch}, {Key: "c", Fill: "#eef0f2", Ink: "#4a535d", Pattern: Dots}}
	keys := []string{"a", "b", "c"}
	var buf bytes.Buffer
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf.Reset()
		n := 0
		m.Render(&buf, Options{ID: "kart", Title: "Kart", Desc: "Kartdata: © Kartverket", Styles: styles}, func(number string) Area {
			n++
			return Area{Style: keys[n%3], Href: "/kart/" + number, Label: "Kommune " + number + ": Har tilbud"}
		})
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

// BenchmarkLoad is the one-time work at the first map: parse, project and simplify.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
