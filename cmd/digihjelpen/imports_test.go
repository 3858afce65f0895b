package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/ks-no/digihjelpen"

// importViolations checks the import rule on a package → dependencies map: ticket imports only
// the standard library; data, mailbridge, routing and web import ticket and never each other.
// Only cmd may import them all.
func importViolations(deps map[string][]string, standard map[string]bool) []string {
	var bad []string
	layer := func(pkg string) string {
		rest, ok := strings.CutPrefix(pkg, module+"/")
		if !ok {
			return ""
		}
		top, _, _ := strings.Cut(rest, "/")
		return top
	}
	for pkg, list := range deps {
		from := layer(pkg)
		for _, dep := range list {
			to := layer(dep)
			switch {
			case from == "ticket" && to == "" && !standard[dep]:
				bad = append(bad, fmt.Sprintf("%s imports %s: ticket may import only the standard library", pkg, dep))
			case from == "cmd" || to == "" || to == from:
			case to == "cmd":
				bad = append(bad, fmt.Sprintf("%s imports %s: nothing imports cmd", pkg, dep))
			case to != "ticket":
				bad = append(bad, fmt.Sprintf("%s imports %s: %s may import only ticket of ours", pkg, dep, from))
			}
		}
	}
	sort.Strings(bad)
	return bad
}

func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-json", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	standard := map[string]bool{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Standard   bool
			Deps       []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		standard[p.ImportPath] = p.Standard
		if strings.HasPrefix(p.ImportPath, module+"/") {
			deps[p.ImportPath] = p.Deps
		}
	}
	for _, want := range []string{"ticket", "data", "mailbridge", "routing", "web", "cmd/digihjelpen"} {
		if _, ok := deps[module+"/"+want]; !ok {
			t.Errorf("package %s is missing", want)
		}
	}
	for _, v := range importViolations(deps, standard) {
		t.Error(v)
	}
}

func TestImportViolations(t *testing.T) {
	std := map[string]bool{"fmt": true, "time": true}
	p := func(s string) string { return module + "/" + s }
	tests := []struct {
		name string
		deps map[string][]string
		want int
	}{
		{"OK", map[string][]string{p("ticket"): {"fmt"}, p("data"): {p("ticket"), "go.etcd.io/bbolt"}, p("cmd/digihjelpen"): {p("data"), p("web")}}, 0},
		{"ticket imports a module", map[string][]string{p("ticket"): {"go.etcd.io/bbolt"}}, 1},
		{"ticket imports data", map[string][]string{p("ticket"): {p("data")}}, 1},
		{"web imports data", map[string][]string{p("web"): {p("ticket"), p("data")}}, 1},
		{"routing imports mailbridge", map[string][]string{p("routing"): {p("mailbridge")}}, 1},
		{"data imports cmd", map[string][]string{p("data"): {p("cmd/digihjelpen")}}, 1},
	}
	for _, tt := range tests {
		if got := importViolations(tt.deps, std); len(got) != tt.want {
			t.Errorf("%s: got %v, want %d violations", tt.name, got, tt.want)
		}
	}
}
