module minitls

go 1.26.0

require (
	filippo.io/nistec v0.0.4
	github.com/google/go-cmp v0.7.0
	golang.org/x/crypto v0.59.0
	pgregory.net/rapid v1.3.0
)

require golang.org/x/sys v0.50.0
