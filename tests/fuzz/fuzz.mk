# libFuzzer harnesses (issue 13), included by the Makefile.
#   make fuzz [FUZZ_SECONDS=600]   build, seed, and run each target for FUZZ_SECONDS
#   make fuzz-bin fuzz-seeds       build the harnesses and their seed corpora only
# Everything is built with clang -fsanitize=fuzzer,address,undefined in FUZZ_BUILD.
FUZZ_BUILD   ?= build/fuzz
FUZZ_SECONDS ?= 60
# seconds one input may take (wall clock: a loaded shared machine needs more than 1)
FUZZ_TIMEOUT ?= 5
FUZZ_CC      ?= clang
FUZZ_TARGETS := text dat profile db
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) \
                -DNVTRACE_VERSION='"$(VERSION)"' -DNVTRACE_DATADIR='"$(PREFIX)/share/nvtrace"' \
                -I. -Itests/fuzz -I$(FUZZ_BUILD)/gen -I$(FUZZ_BUILD)/inc $(PKG_CFLAGS)
# the input side only: no BPF, no views
FUZZ_LIB_SRC := $(wildcard schema/*.c model/*.c) $(addprefix collector/,import.c import_src.c \
                import_text.c import_dat.c dat_overrides.c dat_zchunk.c decode.c names.c text_format.c tep_field.c)
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o) $(FUZZ_BUILD)/obj/gen/schema_sql.o \
                $(FUZZ_BUILD)/obj/gen/profiles_data.o
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

.PHONY: fuzz fuzz-bin fuzz-seeds
fuzz: fuzz-bin fuzz-seeds
	@rc=0; for t in $(FUZZ_TARGETS); do \
		sh tests/fuzz/run.sh $(FUZZ_BUILD) $$t $(FUZZ_SECONDS) $(FUZZ_TIMEOUT) || rc=1; done; exit $$rc

fuzz-bin: $(FUZZ_BIN)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/gen/schema_sql.c: $(wildcard schema/sql/*.sql) schema/embed.sh model/exit_kinds.def
	@mkdir -p $(dir $@)
	sh schema/embed.sh $@ model/exit_kinds.def $(sort $(wildcard schema/sql/[0-9]*.sql)) -- schema/sql/indexes.sql

$(FUZZ_BUILD)/gen/profiles_data.c: $(wildcard examples/profiles/*.prof) scripts/embed_profiles.sh
	@mkdir -p $(dir $@)
	sh scripts/embed_profiles.sh $@

$(FUZZ_BUILD)/obj/gen/%.o: $(FUZZ_BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/inc/model:
	@mkdir -p $(dir $@)
	ln -sfn $(CURDIR)/model $@

$(FUZZ_LIB_OBJ): | $(FUZZ_BUILD)/gen/schema_sql.c $(FUZZ_BUILD)/inc/model

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_input.h $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) $(PKG_LIBS) -lm -lpthread

# Seeds from tests/fixtures (and the shared real traces when present); the
# database seeds are fixtures imported by the release build, so it comes first.
fuzz-seeds: $(FUZZ_BIN) $(BUILD)/nvtrace
	NVTRACE=$(BUILD)/nvtrace sh tests/fuzz/seeds.sh $(FUZZ_BUILD)/seeds

-include $(shell find $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)
