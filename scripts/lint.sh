#!/usr/bin/env bash
# lint.sh - gofmt, go vet and the import rule (`make lint`).
set -euo pipefail
cd "$(dirname "$0")/.."
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
go test -count=1 -run 'TestImportRules' ./cmd/digihjelpen
echo "lint: ok"
