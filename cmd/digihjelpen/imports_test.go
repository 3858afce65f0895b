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

// leaves are packages beneath a layer that stand apart from it: a leaf imports only ticket of
// ours (libraries as it needs), and only cmd and the layer it sits in import it. So cmd can
// use it without importing the whole layer, and it can never reach into its layer. Name a
// leaf here, with why, before adding one. (Packages beneath ticket need no entry: they are
// ticket's layer, which imports only the standard library.)
var leaves = map[string]string{
	"web/report": "the statistics files (CSV, XLSX, JSON) and the weekly report mail: the web's downloads, " +
		"cmd's export command and its weekly mail write the same files, as WTF Dial keeps its encoders apart",
	"web/personexport": "a person's data as a zip (JSON, a readable summary, the files): the admin page, the API and " +
		"«digihjelpen person export» write the same file",
}

// importViolations checks the import rule on a package → dependencies map: ticket imports only
// the standard library; data, mailbridge, routing and web import ticket and never each other;
// a leaf (see leaves) imports only ticket. Only cmd may import them all.
func importViolations(deps map[string][]string, standard map[string]bool) []string {
	var bad []string
	layer := func(pkg string) string {
		rest, ok := strings.CutPrefix(pkg, module+"/")
		if !ok {
			return ""
		}
		for leaf := range leaves {
			if rest == leaf || strings.HasPrefix(rest, leaf+"/") {
				return leaf
			}
		}
		top, _, _ := strings.Cut(rest, "/")
		return top
	}
	for pkg, list := range deps {
		from := layer(pkg)
		for _, dep := range list {
			to := layer(dep)
			_, toLeaf := leaves[to]
			switch {
			case from == "ticket" && to == "" && !standard[dep]:
				bad = append(bad, fmt.Sprintf("%s imports %s: ticket may import only the standard library", pkg, dep))
			case from == "cmd" || to == "" || to == from:
			case to == "cmd":
				bad = append(bad, fmt.Sprintf("%s imports %s: nothing imports cmd", pkg, dep))
			case toLeaf && strings.HasPrefix(to, from+"/"):
			case toLeaf:
				bad = append(bad, fmt.Sprintf("%s imports %s: only cmd and its own layer import the leaf %s", pkg, dep, to))
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
	for leaf := range leaves {
		if _, ok := deps[module+"/"+leaf]; !ok {
			t.Errorf("leaf %s is missing: take it off the list", leaf)
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
		{"OK leaf", map[string][]string{p("web/report"): {p("ticket"), "github.com/xuri/excelize/v2"}, p("web"): {p("web/report"), p("ticket")},
			p("cmd/digihjelpen"): {p("web/report")}}, 0},
		{"leaf imports its layer", map[string][]string{p("web/report"): {p("ticket"), p("web")}}, 1},
		{"leaf imports another layer", map[string][]string{p("web/report"): {p("data")}}, 1},
		{"another layer imports a leaf", map[string][]string{p("data"): {p("web/report")}}, 1},
		{"ticket below ticket", map[string][]string{p("ticket/quote"): {"fmt", p("ticket")}, p("web"): {p("ticket/quote")}}, 0},
		{"below ticket imports a module", map[string][]string{p("ticket/quote"): {"go.etcd.io/bbolt"}}, 1},
	}
	for _, tt := range tests {
		if got := importViolations(tt.deps, std); len(got) != tt.want {
			t.Errorf("%s: got %v, want %d violations", tt.name, got, tt.want)
		}
	}
}
