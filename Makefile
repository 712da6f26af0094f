# minitls — every command a newcomer needs. Works on a fresh machine with only Go installed.
#
#   make demo     walk the HTTPS story live on a real loopback connection
#   make test     gofmt check, go vet, go test ./... (what CI runs)
#   make lint     make test's checks plus staticcheck (pinned)
#   make fuzz     every Fuzz target in turn for FUZZTIME (default 10s)
#   make bench    every benchmark, -count 6, into bench.txt, compared with benchstat

SHELL     := /bin/bash
GO        ?= go
FUZZTIME  ?= 10s
BENCHTIME ?= 1s
COUNT     ?= 6
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
BENCHSTAT   = golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

.PHONY: all demo test fmt-check vet lint fuzz bench build clean

all: test

demo:
	$(GO) run ./cmd/minitls demo

build:
	$(GO) build -o bin/minitls ./cmd/minitls

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	$(GO) vet -tags purego ./cipher/... ./internal/...
	GOARCH=386 $(GO) build ./... && GOARCH=arm64 $(GO) build ./...

# go test ./... runs the cipher tests on every path this CPU supports (each forced in turn, see
# internal/impl); the second line runs them on the portable build that the purego tag selects.
test: fmt-check vet
	$(GO) test ./...
	$(GO) test -tags purego ./cipher/... ./internal/...

lint: fmt-check vet
	$(GO) run $(STATICCHECK) ./...

# Runs each fuzz target alone (go test -fuzz takes one target at a time), says which is running,
# and ends with a summary. A crasher is written by Go to <pkg>/testdata/fuzz/<Target>/ and from then
# on runs as a regression test in plain go test.
fuzz:
	@pass=0; fail=0; failed=""; \
	for dir in $$(grep -l '^func Fuzz' $$(find . -name '*_test.go' -not -path './.git/*') | xargs -n1 dirname | sort -u); do \
	  for target in $$(grep -h '^func Fuzz' $$dir/*_test.go | sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/' | sort); do \
	    echo "== fuzzing $$target in $$dir for $(FUZZTIME)"; \
	    if $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$dir; then pass=$$((pass+1)); \
	    else fail=$$((fail+1)); failed="$$failed $$target"; fi; \
	  done; \
	done; \
	echo "fuzz: $$pass passed, $$fail failed"; \
	if [ $$fail -ne 0 ]; then echo "failing targets:$$failed (crashers are in testdata/fuzz/<Target>/)"; exit 1; fi

# Sub-benchmarks are named .../minitls/... and .../stdlib/...; benchstat compares the two
# columns once the names are rewritten as impl=minitls / impl=stdlib.
bench:
	set -o pipefail; $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(COUNT) ./... | tee bench.txt
	sed -E 's#/(minitls|stdlib)(/|-[0-9]+ |[[:space:]])#/impl=\1\2#' bench.txt > bench-impl.txt
	$(GO) run $(BENCHSTAT) -col /impl bench-impl.txt || echo "benchstat unavailable: raw results are in bench.txt"

clean:
	rm -rf bin bench.txt bench-impl.txt
