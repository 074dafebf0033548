# murafiq: plain Makefile driven by pkg-config.
#   make            build build/murafiq
#   make deps       install Debian packages (and playwright-core for the browser test)
#   make run        build, create ./murafiq.db with demo data if absent, serve on :8080
#   make check      lint, then every test: unit, i18n, crash, fault and fuzz, browser; then unit
#                   and the HTTP integration suite on the ASan/UBSan build (the suite runs once,
#                   there: the sanitizers see every request; `make http` runs it on the plain build)
#   make asan       build build/asan/murafiq with AddressSanitizer and UBSan
#   make sqlmap     sqlmap against every form, query and JSON parameter of a test server (CI)

CC      ?= cc
BUILD   ?= build
PKGS    := sqlite3 libmicrohttpd jansson libsodium icu-uc icu-i18n nettle liboath libqrencode pwquality
OPT     ?= -O2 -g
SAN     ?=
FAULT   ?=
CFLAGS_ALL := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla \
	-D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(OPT) $(SAN) -Isrc -I$(BUILD)/gen \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(if $(FAULT),-DMURAFIQ_FAULT=1) $(CFLAGS)
LDLIBS_ALL := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lcrack -lpthread -lm $(LDLIBS)

DB      ?= murafiq.db
LISTEN  ?= 127.0.0.1:8080

MAIN_SRC := src/main.c
LIB_SRC  := $(filter-out $(MAIN_SRC),$(sort $(wildcard src/*.c src/*/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
GEN_SRC  := $(BUILD)/gen/assets.c $(BUILD)/gen/catalogs.c $(BUILD)/gen/migrations.c $(BUILD)/gen/geo.c
GEN_OBJ  := $(GEN_SRC:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)
ASSETS   := $(sort $(wildcard assets/*))
LANGS    := $(basename $(notdir $(wildcard po/*.po)))
MO       := $(LANGS:%=$(BUILD)/gen/%.mo)
MIGRATIONS := $(sort $(wildcard migrations/*.sql))
GEO_CSV  := data/geo/regions.csv data/geo/provinces.csv data/geo/communes.csv
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps run check lint unit http i18n-check browser asan check-asan clean format

all: $(BUILD)/murafiq

$(BUILD)/murafiq: $(BUILD)/obj/src/main.o $(LIB_OBJ) $(GEN_OBJ)
	@echo "  LD    $@"
	@$(CC) $(SAN) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/obj/%.o: %.c $(wildcard src/*/*.h) | $(BUILD)/gen/catalogs.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CFLAGS_ALL) -Wno-overlength-strings -c -o $@ $<

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -Wall -Wextra -Werror -O1 -o $@ $<

$(BUILD)/gen/assets.c: $(BUILD)/embed $(ASSETS)
	@mkdir -p $(dir $@)
	$(BUILD)/embed $@ embedded_assets $(ASSETS)

$(BUILD)/gen/%.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check-format --check-domain -o $@ $<

$(BUILD)/gen/catalogs.c: $(BUILD)/embed $(MO)
	$(BUILD)/embed $@ embedded_catalogs $(MO)

$(BUILD)/gen/migrations.c: $(BUILD)/embed $(MIGRATIONS)
	@mkdir -p $(dir $@)
	$(BUILD)/embed $@ embedded_migrations $(MIGRATIONS)

$(BUILD)/gen/geo.c: $(BUILD)/embed $(GEO_CSV)
	@mkdir -p $(dir $@)
	$(BUILD)/embed $@ embedded_geo $(GEO_CSV)

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) $(GEN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL) -lcmocka

deps:
	sh tools/install-deps.sh

$(DB): | $(BUILD)/murafiq
	$(BUILD)/murafiq init --db $(DB).new
	$(BUILD)/murafiq demo --db $(DB).new --scale small --seed 1
	mv $(DB).new $(DB)

run: $(BUILD)/murafiq $(DB)
	@sh tools/print-demo-logins.sh $(LISTEN)
	$(BUILD)/murafiq serve --db $(DB) --listen $(LISTEN)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

http: $(BUILD)/murafiq
	MURAFIQ_BIN=$(BUILD)/murafiq node --test tests/http/

i18n-check:
	sh tools/i18n-check.sh

browser: $(BUILD)/murafiq
	MURAFIQ_BIN=$(BUILD)/murafiq node tests/browser/run.mjs

# sqlmap against every parameter of every route of a test server (about 8 minutes on 2 cores)
.PHONY: sqlmap
sqlmap: $(BUILD)/murafiq
	MURAFIQ_BIN=$(BUILD)/murafiq sh tests/security/sqlmap.sh

asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" all

check-asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" unit http

lint:
	sh tools/lint.sh

check: all
	$(MAKE) lint
	$(MAKE) unit
	$(MAKE) i18n-check
	$(MAKE) -j3 --output-sync=target crashtest faulttest fuzz-check
	$(MAKE) browser
	$(MAKE) check-asan
	@echo "check: all tests passed"

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'tools/*.c')

clean:
	rm -rf build

# make crashtest: writers on the API while the server is SIGKILLed at random moments and
# restarted, CRASH_CYCLES times (CRASH_SEED=N replays the delays). make faulttest: the fault
# injection build (FAULT=1: failing SQLite writes, syncs and request allocations) and its
# tests. Both in make check, in parallel with fuzz-check (they wait on timers and sockets more
# than on the processor, and none depends on timing); docs/DURABILITY.md.
CRASH_CYCLES ?= 200
FAULT_BUILD  ?= build/fault
.PHONY: crashtest faulttest
crashtest: $(BUILD)/murafiq
	CRASH_CYCLES=$(CRASH_CYCLES) MURAFIQ_BIN=$(BUILD)/murafiq node tests/crash/crash.mjs

faulttest:
	$(MAKE) BUILD=$(FAULT_BUILD) FAULT=1 OPT="-O0 -g" all
	MURAFIQ_BIN=$(FAULT_BUILD)/murafiq node --test tests/fault/

# make fuzz: the libFuzzer targets of tests/fuzz/ (clang, ASan, UBSan), each for FUZZ_SECONDS
# from its seed corpus tests/fuzz/corpus/<target>/ (FUZZ_TARGETS="fuzz_x ..." for some);
# make fuzz-check, in make check, replays every corpus and runs each for FUZZ_CHECK_SECONDS.
FUZZ_BUILD ?= build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 3
FUZZ_TARGETS ?= $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
.PHONY: fuzz fuzz-check fuzz-build fuzz-bins
fuzz-build:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g -fno-omit-frame-pointer" SAN="$(FUZZ_SAN)" \
		fuzz-bins

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(LIB_OBJ) $(GEN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD    $@"
	@$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(LIB_OBJ) $(GEN_OBJ) $(LDLIBS_ALL)

fuzz: fuzz-build
	sh tools/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-check: fuzz-build
	sh tools/fuzz.sh $(FUZZ_BUILD) $(FUZZ_CHECK_SECONDS) $(FUZZ_TARGETS)

# make bench: load, memory, start and import figures on the national demo data set, against
# nginx and a bare libmicrohttpd page (docs/PERFORMANCE.md). Not part of make check.
# BENCH_QUICK=1 makes short runs, to try the harness.
BENCH_BUILD ?= build/bench
.PHONY: bench
bench:
	$(MAKE) BUILD=$(BENCH_BUILD) OPT="-O2 -g" all $(BENCH_BUILD)/mhd_baseline
	sh bench/bench.sh $(BENCH_BUILD)

$(BUILD)/mhd_baseline: bench/mhd_baseline.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -O2 \
		-o $@ $< $(shell pkg-config --cflags --libs libmicrohttpd) -lpthread
