package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// runHandbook imports articles into the handbook from a folder of Markdown files:
//
//	digihjelpen handbook import DIR
//
// Each NAME.md becomes the article /handbok/NAME (the name made into an address), titled by
// its first «# heading», which is taken out of the text. A file may start with a block of
// «key: value» lines between two «---» lines: tittel, stikkord (comma-separated), etater
// (agency keys). An article that says what the file says is left as it is; the rest become new
// versions, all in one transaction. While the server runs, it runs inside the server through
// the control socket (control.go), the files read on the caller's side.
func runHandbook(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("%w: expected «handbook import DIR»", errUsage)
	}
	fs, configPath := newFlags("handbook import", e)
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	} else if len(rest) != 1 {
		return fmt.Errorf("%w: expected «handbook import DIR»", errUsage)
	}
	articles, err := readArticleDir(e.fs(), rest[0])
	if err != nil {
		return err
	}
	a, err := openApp(*configPath, e)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.handbook().ImportArticles(cliContext(ctx), articles)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "%s: %d nye artikler, %d endret, %d uendret.\n", rest[0], res.Created, res.Changed, res.Unchanged)
	return nil
}

// readArticleDir reads every .md file of dir (not of its subfolders), in name order.
func readArticleDir(cf callerFiles, dir string) ([]*ticket.Article, error) {
	if _, err := cf.Stat(dir); err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", dir, errors.Unwrap(err))
	}
	all, err := cf.Walk(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", dir, err)
	}
	var paths []string
	for _, p := range all {
		if filepath.Dir(p) == filepath.Clean(dir) && strings.HasSuffix(p, ".md") {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s has no .md files", dir)
	}
	sort.Strings(paths)
	var out []*ticket.Article
	for _, p := range paths {
		f, err := cf.Open(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", p, errors.Unwrap(err))
		}
		a, err := parseArticle(f, strings.TrimSuffix(filepath.Base(p), ".md"))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// parseArticle reads one Markdown file as an article named name.
func parseArticle(r io.Reader, name string) (*ticket.Article, error) {
	b, err := io.ReadAll(io.LimitReader(r, 2*ticket.MaxArticleText))
	if err != nil {
		return nil, err
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	a := &ticket.Article{Slug: ticket.MakeSlug(name)}
	if head, body, ok := frontMatter(text); ok {
		text = body
		for _, line := range strings.Split(head, "\n") {
			k, v, found := strings.Cut(line, ":")
			if !found {
				continue
			}
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "tittel", "title":
				a.Title = strings.TrimSpace(v)
			case "stikkord", "tags":
				a.Tags = strings.Split(v, ",")
			case "etater", "agencies":
				a.Agencies = strings.Split(v, ",")
			default:
				return nil, fmt.Errorf("ukjent felt «%s» i innledningen; kjente felt er tittel, stikkord og etater", strings.TrimSpace(k))
			}
		}
	}
	if first, rest, _ := strings.Cut(strings.TrimLeft(text, "\n"), "\n"); strings.HasPrefix(first, "# ") {
		if a.Title == "" {
			a.Title = strings.TrimSpace(first[2:])
		}
		text = rest
	}
	if a.Title == "" {
		a.Title = name
	}
	a.Text = text
	return a, nil
}

// frontMatter splits a leading «---» block from the text.
func frontMatter(text string) (head, body string, ok bool) {
	rest, found := strings.CutPrefix(text, "---\n")
	if !found {
		return "", text, false
	}
	head, body, found = strings.Cut(rest, "\n---\n")
	return head, body, found
}
