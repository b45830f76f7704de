# Parley. `make run` builds, migrates, seeds the demo working group on first
# start and serves on http://127.0.0.1:8080. `make test` runs every test.

GO      ?= go
DB      ?= data/parley.db
ADDR    ?= 127.0.0.1:8080
BIN     := bin/parley

.PHONY: run build test generate check bench clean

build:
	$(GO) tool templ generate -log-level error
	$(GO) build -o $(BIN) ./cmd/parley

run: build
	./$(BIN) serve --demo --db $(DB) --addr $(ADDR)

# Browser tests need Debian's chromium (apt-get install chromium fonts-noto-cjk).
test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

generate:
	$(GO) tool templ generate -log-level error

# What CI checks besides the tests: formatting and generated code.
check: generate
	@$(GO) tool templ fmt -fail views >/dev/null 2>&1 || { echo "templ fmt needed: run go tool templ fmt views"; exit 1; }
	@test -z "$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }
	@git diff --exit-code -- '*_templ.go' || { echo "generated templ code is stale: run make generate"; exit 1; }

# Benchmarks of every main page at 1,000 and 100,000 items (time and SQL
# statements per page), then the load run: a real `parley serve` on a
# 100,000-item database under 64 connections, beside a bare echo handler
# (PARLEY_LOAD_ITEMS and PARLEY_LOAD_SECONDS change its size and length).
# Building each large database takes a minute or two.
bench:
	$(GO) test -run '^$$' -bench 'Pages' -benchtime 100x -timeout 30m ./app/web
	$(GO) test -run '^$$' -bench 'Load' -benchtime 1x -timeout 30m ./cmd/parley

clean:
	rm -rf bin
