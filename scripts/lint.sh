#!/usr/bin/env bash
# lint.sh - gofmt, go vet and the import rule (`make lint`).
set -euo pipefail
cd "$(dirname "$0")/.."
# every Go file of the module (tracked or not), never an empty list: gofmt would read stdin
unformatted=$(find . -name '*.go' -not -path './var/*' -not -path './.git/*' -print0 | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
go test -count=1 -run 'TestImportRules' ./cmd/digihjelpen
echo "lint: ok"
