# Shipshape: `make run` starts the demo warehouse, `make test` runs every test.
# Both install the Debian packages they need first (apt-get, as root or via sudo).

GO       ?= go
BIN      := bin/shipshape
export CGO_ENABLED := 1

# The C compiler for cgo (SQLite is compiled in) and libusb for USB scanners
# and printers (google/gousb).
BUILD_PKGS := gcc pkg-config libusb-1.0-0-dev
# Headless Chromium for the PWA browser tests; socat for serial-port tests.
TEST_PKGS  := $(BUILD_PKGS) chromium socat

.PHONY: run build test check deps-build deps-test clean

run: build
	./$(BIN) serve --demo

build: deps-build
	$(GO) build -o $(BIN) ./cmd/shipshape

test: deps-test check
	$(GO) test -race -count=1 ./...

check:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

deps-build:
	@$(call apt_install,$(BUILD_PKGS))

deps-test:
	@$(call apt_install,$(TEST_PKGS))

clean:
	rm -rf bin

# apt_install installs the Debian packages of $(1) that are not installed yet.
define apt_install
missing=""; \
for p in $(1); do \
	dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
	echo "installing Debian packages:$$missing"; \
	sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
fi
endef
