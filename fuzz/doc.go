// Package fuzz holds minitls's fuzz targets, one place for every parser and
// primitive. Most targets are differential: they feed the same bytes to
// minitls and to the Go standard library and insist that both agree.
//
// Run one target:
//
//	go test -run '^$' -fuzz '^FuzzGCM$' -fuzztime 30s ./fuzz
//
// Run them all in turn with `make fuzz FUZZTIME=30s`. Seed corpora live in
// testdata/fuzz/<Target>/; a crasher the fuzzer finds is written there too and
// from then on runs as a regression test in plain `go test`.
package fuzz
