# kumalint developer targets. `make test` is what CI runs.
GO ?= go
BIN ?= bin/kumalint

.PHONY: build test lint bench fmt golden validate-sarif fuzz

build:
	$(GO) build -o $(BIN) ./cmd/kumalint

test:
	$(GO) test -race -count=1 ./...

lint:
	golangci-lint run ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./bench

fuzz:
	bash .ci/fuzz

fmt:
	gofmt -w $$(git ls-files '*.go')

# Rewrite testdata/golden after an intended output change; review the diff.
golden:
	$(GO) test ./lint ./plan ./report -run "Golden|Diff" -update

validate-sarif:
	bash .ci/validate-sarif
