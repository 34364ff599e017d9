# Two commands matter: `make run` and `make test`. Both set everything up first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.setup-stamp
APT_PACKAGES := fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji libjpeg-dev zlib1g-dev libfreetype-dev \
	libraqm-dev libharfbuzz-dev libfribidi-dev liblcms2-dev libpng-dev libwebp-dev chromium nginx-light wrk binutils
ATLAS := build/atlas/current/manifest.json
comma := ,

.PHONY: setup run test bench bench-envs profile atlas samples image

setup: $(STAMP) $(ATLAS)

# Debian packages: installed only when one is missing, so a second `make setup` is quick.
.apt-stamp: Makefile
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@touch $@

$(STAMP): .apt-stamp pyproject.toml sdk/pyproject.toml scripts/install_pillow_simd.sh scripts/check_pillow_build.py
	@test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -U pip setuptools wheel pybind11
	bash scripts/install_pillow_simd.sh $(VENV)
	# freetype-py from source binds the system FreeType that pillow-simd links (its wheel
	# bundles another version): glyph masks then equal Pillow's.
	$(VENV)/bin/pip install -q --no-binary freetype-py "freetype-py>=2.4"
	$(VENV)/bin/pip install -q -e ".[test]"
	$(VENV)/bin/pip install -q --no-deps -e ./sdk
	$(PY) scripts/check_no_stock_pillow.py
	@touch $@

$(ATLAS): $(STAMP) $(shell find assets atlas_builder -type f -not -name "*.pyc" 2>/dev/null)
	$(VENV)/bin/citizen-atlas build --assets assets --out build/atlas

atlas: $(ATLAS)

# One sample card per language (the README's pictures come from here).
samples: setup
	$(VENV)/bin/citizen-card render --samples docs/img/ --date 2026-11-26

run: setup
	$(VENV)/bin/citizen-card serve

# The tiers in order, fast first (tests/conftest.py gives each test module its tier): unit (no
# server), http (the app in process), system (server processes). The browser tests run on
# their own: Playwright's sync API keeps an event loop running in the main thread, which the
# asyncio tests after it would trip over. The container tests (tests/system/) run last, on the
# image `make image` builds.
TEST_TIER = $(VENV)/bin/pytest -q tests --ignore=tests/test_browser.py --ignore=tests/system -m
test: setup
	$(TEST_TIER) unit
	$(TEST_TIER) http
	$(TEST_TIER) system
	$(VENV)/bin/pytest -q tests/test_browser.py
	$(MAKE) image
	CITIZEN_TEST_IMAGE=$(IMAGE) $(VENV)/bin/pytest -q tests/system

# The container image, with podman (no Docker engine here): deploy/README.md. The base image
# is made locally from Debian packages (no registry is reachable) and cached; build layers
# are cached too. The host's CA bundle goes in as a build secret (TLS-intercepting proxy).
# IMAGE is per checkout, so checkouts building at once do not take each other's image.
CONTAINER_APT := podman runc debootstrap
PODMAN := podman --runtime runc --cgroup-manager cgroupfs
export CONTAINERS_CONF ?= $(CURDIR)/deploy/podman/containers.conf
IMAGE ?= localhost/citizen-card:$(shell basename "$(CURDIR)" | tr -c 'a-zA-Z0-9_.\n-' - | tr A-Z a-z)
CA_BUNDLE ?= /etc/ssl/certs/ca-certificates.crt

.container-apt-stamp:
	@missing=$$(for p in $(CONTAINER_APT); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@touch $@

image: .container-apt-stamp
	@started=$$(date +%s); \
	base=$$(PODMAN="$(PODMAN)" deploy/podman/base-image.sh) && \
	$(PODMAN) build --format docker --layers --network host --isolation chroot \
		--ignorefile deploy/Dockerfile.dockerignore -f deploy/Dockerfile \
		--build-arg PYTHON_IMAGE=$$base $(if $(wildcard $(CA_BUNDLE)),--secret id=ca$(comma)src=$(CA_BUNDLE)) \
		-t $(IMAGE) . && \
	echo "image $(IMAGE) ($$($(PODMAN) image inspect --format '{{.Size}}' $(IMAGE)) bytes) built in $$(( $$(date +%s) - started )) s"

# matplotlib needs stock Pillow: it gets its own venv, away from pillow-simd.
build/plotenv/bin/python:
	python3 -m venv build/plotenv
	build/plotenv/bin/pip install -q matplotlib

# The same code under other PIL builds, for side-by-side figures (issue 11): the latest stock
# Pillow wheel, and pillow-simd compiled as the first pass did (no -O: gcc's -O0).
RUNTIME_DEPS = $(shell python3 -c "import tomllib; print(' '.join(repr(d) for d in tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))")
build/stockenv/.stamp: pyproject.toml
	python3 -m venv build/stockenv
	build/stockenv/bin/pip install -q -U pip
	build/stockenv/bin/pip install -q -U pillow $(RUNTIME_DEPS) psutil
	@touch $@

build/o0env/.stamp: pyproject.toml
	python3 -m venv build/o0env
	build/o0env/bin/pip install -q -U pip setuptools wheel pybind11
	CFLAGS="-O0 -mavx2 -frecord-gcc-switches" build/o0env/bin/pip install -q --no-binary :all: \
		--no-build-isolation --no-cache-dir "pillow-simd==$${PILLOW_SIMD_VERSION:-12.1.1.post0}"
	build/o0env/bin/pip install -q $(RUNTIME_DEPS) psutil
	@touch $@

bench-envs: build/stockenv/.stamp build/o0env/.stamp

# The benchmarks' spent cards are deleted once, at the end (tests/perf/spent_cards.py).
bench: export CITIZEN_BENCH_GRAVEYARD = $(CURDIR)/build/bench/spent
bench: setup build/plotenv/bin/python bench-envs
	$(PY) tests/perf/render_bench.py
	$(PY) tests/perf/build_bench.py
	$(PY) tests/perf/names_bench.py
	$(PY) tests/perf/variants_bench.py
	$(PY) tests/perf/e2e_bench.py
	$(PY) tests/perf/latency_tail.py
	$(PY) tests/perf/server_floor.py
	$(PY) tests/perf/memory_bench.py
	rm -rf build/bench/spent

# A flamegraph of the server (parent and render workers) under wrk load.
profile: setup
	$(PY) tests/perf/profile.py
