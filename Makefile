# minitls — every command a newcomer needs. Works on a fresh machine with only Go installed.
#
#   make demo     walk the HTTPS story live on a real loopback connection
#   make test     gofmt check, go vet, go test ./... (what CI runs)
#   make lint     make test's checks plus staticcheck (pinned)
#   make fuzz     every Fuzz target in turn for FUZZTIME (default 10s)
#   make fuzz-cover  how much of handshake/ the state-machine fuzz corpora reach, before and after
#   make bench    every benchmark, -count 6, into bench.txt, compared with benchstat
#   make mutate   mutation testing of the protocol and crypto packages (slow: see docs/mutation.md)

SHELL     := /bin/bash
GO        ?= go
FUZZTIME  ?= 10s
BENCHTIME ?= 1s
COUNT     ?= 6
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
BENCHSTAT   = golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
GREMLINS    = github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
# make mutate PKG=./record runs one package; cipher/rsa comes last (its keygen tests are slow).
PKG         ?= ./record ./x509lite ./handshake ./cipher/aes ./cipher/gcm ./cipher/chacha20poly1305 ./cipher/ecdsa ./cipher/rsa
MUTATE_TIMEOUT ?= 30
# MUTATE_FILES='^(client|conn)' mutates only the files whose names match (an ERE); the others are
# excluded, so a large package can run in parts side by side. Generators (//go:build ignore) are
# never mutated: they are not part of any build.
MUTATE_FILES ?= .

.PHONY: all demo test fmt-check vet lint fuzz fuzz-cover bench mutate mutate-canary build clean

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

# make fuzz-cover: how far the state-machine fuzz targets' corpora (seeds in fuzz/testdata and f.Add) reach into handshake/:
# coverage before (the two TLS 1.2 full-handshake targets alone) and after (with the resumption,
# TLS 1.3 and mutual-TLS targets), in total and per function of the resumption, client-authentication
# and TLS 1.3 code.
FUZZ_BEFORE = FuzzServerHandshake|FuzzClientHandshake
FUZZ_AFTER  = $(FUZZ_BEFORE)|FuzzServerResume|FuzzClientResume|FuzzTLS13ServerHandshake|FuzzTLS13ClientHandshake|FuzzServerMutual|FuzzClientMutual
fuzz-cover:
	@set -e; out=$$(mktemp -d); \
	$(GO) test -count=1 -run '^($(FUZZ_BEFORE))$$' -coverpkg ./handshake -coverprofile $$out/before.out ./fuzz >/dev/null; \
	$(GO) test -count=1 -run '^($(FUZZ_AFTER))$$' -coverpkg ./handshake -coverprofile $$out/after.out ./fuzz >/dev/null; \
	$(GO) tool cover -func $$out/before.out > $$out/before.txt; $(GO) tool cover -func $$out/after.out > $$out/after.txt; \
	printf '%-44s %-28s %8s %8s\n' file function before after; \
	awk 'NR == FNR { b[$$1 " " $$2] = $$3; next } \
	  { f = $$1; sub(/^minitls\/handshake\//, "", f); sub(/:[0-9]+:$$/, "", f); \
	    if ($$1 == "total:") printf "%-44s %-28s %8s %8s\n", "handshake/ (all statements)", "", b["total: (statements)"], $$3; \
	    else if (f ~ /(resume|session|ticket|clientauth|13)[a-z_]*\.go$$/) printf "%-44s %-28s %8s %8s\n", f, $$2, b[$$1 " " $$2], $$3 }' \
	  $$out/before.txt $$out/after.txt

# Sub-benchmarks are named .../minitls/... and .../stdlib/...; benchstat compares the two
# columns once the names are rewritten as impl=minitls / impl=stdlib.
bench:
	set -o pipefail; $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(COUNT) ./... | tee bench.txt
	sed -E 's#/(minitls|stdlib)(/|-[0-9]+ |[[:space:]])#/impl=\1\2#' bench.txt > bench-impl.txt
	$(GO) run $(BENCHSTAT) -col /impl bench-impl.txt || echo "benchstat unavailable: raw results are in bench.txt"

# Mutation testing with gremlins (pinned above; go run fetches it). One worker and a timeout of
# MUTATE_TIMEOUT times the package's own test time, so that a busy 2-core machine does not turn slow
# tests into false "timed out" mutants; -count=1 because gremlins takes that time from its coverage
# run, which a cached go test result makes a fraction of a second (and every mutant then times out);
# -failfast because one failing test kills a mutant and the rest of the package need not run.
# A mutant that loops costs the whole timeout, so MUTATE_TIMEOUT stays moderate. Never pass
# --test-cpu: gremlins v0.6.0 hands it to go test as the single argument "-cpu N", which the test
# binary refuses ("flag provided but not defined"), so every mutant is reported KILLED without a
# test having run (mutate-canary guards this). Each package runs alone
# (gremlins copies the module to a temporary directory; the checkout is never edited); then one
# table. A LIVED mutant listed in docs/mutation.md as equivalent (by `dir/file.go:line:col` and
# mutator) is counted apart and left out of the efficacy. Not part of make test or CI: it takes
# minutes to hours per package. Run it after changing a check in record/, x509lite/, handshake/ or
# cipher/. After gremlins, internal/unmapped runs the mutants gremlins calls NOT COVERED only
# because Go's coverage has no counter for constants and case conditions (its lines say RERUN);
# the table counts them like gremlins' own. Both build their test binaries under a TMPDIR of
# their own, and any binary still running there afterwards is killed: when a mutant times out,
# gremlins stops go test but not the test binary it started, which then runs on (two such
# x509lite.test processes took a third of this machine for 100 minutes). The tests read the
# vectors in ../shared beside the module, so the copies find them through $TMPDIR/shared; without
# it every mutant would be "killed" by a missing file.
MUTATE_RUN = GOFLAGS="$$GOFLAGS -count=1 -failfast -vet=off -ldflags=-w" $(GO) run $(GREMLINS) unleash --workers 1 --timeout-coefficient $(MUTATE_TIMEOUT)
mutate: mutate-canary
	@set -o pipefail; out=$$(mktemp -d); rows=""; failed=0; \
	for pkg in $(PKG); do \
	  dir=$${pkg#./}; log=$$out/$$(echo $$dir | tr / _).log; \
	  excl=(); for f in $$dir/*.go; do b=$${f##*/}; case $$b in *_test.go) continue;; esac; \
	    if ! echo "$$b" | grep -qE '$(MUTATE_FILES)' || head -1 $$f | grep -q '^//go:build ignore'; then \
	      excl+=(-E "(^|/)$$b\$$"); fi; done; \
	  echo "== gremlins on $$pkg, files matching '$(MUTATE_FILES)' (log: $$log)"; \
	  tmp=$$(mktemp -d); export TMPDIR=$$tmp; \
	  if [ -d ../shared ]; then ln -s "$$(cd .. && pwd)/shared" $$tmp/shared; fi; \
	  $(MUTATE_RUN) "$${excl[@]}" $$pkg 2>&1 | tee $$log | grep -E 'LIVED|TIMED OUT|NOT VIABLE|^Killed|^Test efficacy|^Mutator coverage' || { \
	    echo "gremlins failed on $$pkg (are its tests green?), see $$log"; failed=1; \
	    pkill -9 -f "$$tmp/" 2>/dev/null; rm -rf $$tmp; unset TMPDIR; \
	    rows="$$rows$$(printf '%-28s %s' $$dir 'no result: gremlins failed, see the log')"$$'\n'; continue; }; \
	  $(GO) run ./internal/unmapped -pkg $$pkg -timeout-coefficient $(MUTATE_TIMEOUT) < $$log > $$log.unmapped || { \
	    echo "internal/unmapped failed on $$pkg"; failed=1; }; \
	  cat $$log.unmapped >> $$log; grep -E 'LIVED|TIMED OUT|NOT VIABLE' $$log.unmapped; \
	  pkill -9 -f "$$tmp/" 2>/dev/null; rm -rf $$tmp; unset TMPDIR; \
	  row=$$(awk -v dir="$$dir" -v doc=docs/mutation.md ' \
	    function equivalent(key, typ,   line, found) { found = 0; \
	      while ((getline line < doc) > 0) if (index(line, "`" key "` | " typ)) found = 1; close(doc); return found } \
	    $$1 == "KILLED" { k++ } $$1 == "LIVED" { if (equivalent(dir "/" $$4, $$2)) e++; else l++ } \
	    $$1 == "NOT" && $$2 == "COVERED" { nc++ } $$1 == "TIMED" { to++ } $$1 == "NOT" && $$2 == "VIABLE" { nv++ } \
	    $$1 == "RERUN" { nc--; if ($$2 == "KILLED") k++; else if ($$2 == "TIMED") to++; else if ($$2 == "NOT") nv++; \
	      else if (equivalent(dir "/" $$5, $$3)) e++; else l++ } \
	    END { eff = (k + l) ? 100 * k / (k + l) : 0; cov = (k + l + e + to + nc) ? 100 * (k + l + e + to) / (k + l + e + to + nc) : 0; \
	      printf "%-28s %7d %6d %11d %12d %10d %9.2f%% %9.2f%%\n", dir, k, l, e, nc, to, eff, cov }' $$log); \
	  rows="$$rows$$row"$$'\n'; \
	done; \
	echo; printf "%-28s %7s %6s %11s %12s %10s %10s %10s\n" package killed lived equivalent "not covered" "timed out" efficacy coverage; \
	printf "%s" "$$rows"; echo "(logs: $$out)"; exit $$failed

# mutate-canary: gremlins, with make mutate's flags, on a one-line module whose test cannot tell
# x > 0 from x >= 0: that mutant must live and x <= 0 must be killed, or the tool is not really
# running the tests (as when --test-cpu made every mutant "killed") and no table can be trusted.
mutate-canary:
	@c=$$(mktemp -d); \
	printf 'module canary\n\ngo 1.26\n' > $$c/go.mod; \
	printf 'package canary\n\n// Positive reports whether x > 0.\nfunc Positive(x int) bool { return x > 0 }\n' > $$c/canary.go; \
	printf 'package canary\n\nimport "testing"\n\nfunc TestPositive(t *testing.T) {\n\tif !Positive(5) {\n\t\tt.Fatal("Positive(5) is false")\n\t}\n}\n' > $$c/canary_test.go; \
	res=$$(cd $$c && $(MUTATE_RUN) . 2>&1); rm -rf $$c; \
	if echo "$$res" | grep -q 'LIVED CONDITIONALS_BOUNDARY' && echo "$$res" | grep -q 'KILLED CONDITIONALS_NEGATION'; then \
	  echo "mutate-canary: gremlins runs the tests (a mutant no test can see lived, the other was killed)"; \
	else echo "mutate-canary: gremlins did not tell a living mutant from a killed one; its output:"; echo "$$res"; exit 1; fi

clean:
	rm -rf bin bench.txt bench-impl.txt
