# digihjelpen – the two commands a new user needs are `make run` and `make test`.
GO ?= go
MAILSTACK_DIR ?= /tmp/digihjelpen-mailstack
export MAILSTACK_DIR

.PHONY: run build test testdeps lint bench loadtest fuzz recovery mailstack-up mailstack-down clean

## run: start the server on embedded defaults (bbolt under ./var, web on 127.0.0.1:8080)
run:
	$(GO) run ./cmd/digihjelpen serve

## build: the binary in ./bin
build:
	$(GO) build -o bin/digihjelpen ./cmd/digihjelpen

## test: the whole suite with -race, against real Dovecot, Mailpit and Chromium (installed if missing)
test: testdeps
	scripts/test.sh

testdeps:
	scripts/testdeps.sh

## lint: gofmt, go vet and the import rule between packages
lint:
	scripts/lint.sh

## bench: the benchmarks (long; not part of make test)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

## recovery: the mail servers stopped for two minutes under the running binary (not part of make test,
## which stops them for 12-15 s): how long until mail flows again (docs/OPERATIONS.md)
recovery: testdeps
	DIGIHJELPEN_RECOVERY_OUTAGE=2m scripts/test.sh -run 'TestRecovery' -v -timeout 20m

## loadtest: the real binary on a copy of the 1M-ticket store, 50 staff sessions over HTTP
## (throughput, p50, p99, errors; fails on an error or p99 over LOADTEST_MAX_P99, default 50ms)
loadtest:
	scripts/loadtest.sh

## fuzz: each fuzz target for FUZZTIME (default 60s)
FUZZTIME ?= 60s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

mailstack-up:
	scripts/mailstack-up.sh

mailstack-down:
	scripts/mailstack-down.sh

clean:
	rm -rf bin
