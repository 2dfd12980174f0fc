# nvtrace — GNU make.  `make` builds build/nvtrace; see README.md for the rest.
VERSION  := 0.1.0
PREFIX   ?= /usr/local
BUILD    ?= build
CC       ?= cc
CLANG    ?= clang
BPFTOOL  ?= bpftool

PKGS     := sqlite3 libtracecmd libtraceevent libtracefs libbpf ncursesw zlib liblzma libzstd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# SAN=1 builds with AddressSanitizer and UBSan (the test build).
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined
OPT      := -O1 -g -fno-omit-frame-pointer $(SANFLAGS)
else
OPT      := -O2 -g
endif
CFLAGS   ?=
# Includes name their folder ("schema/db.h"): the include line shows which layer a file uses.
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra $(OPT)
CFLAGS   += $(BASE_CFLAGS) \
            -DNVTRACE_VERSION='"$(VERSION)"' -DNVTRACE_DATADIR='"$(PREFIX)/share/nvtrace"' \
            -I. -I$(BUILD)/gen $(PKG_CFLAGS)
# model/ is pure: its objects see only model/ (through $(BUILD)/inc/model, a link to
# it) and no library's headers; model-check fails on an include that leaves model/.
MODEL_INC    := $(BUILD)/inc
MODEL_CFLAGS := $(BASE_CFLAGS) -I$(MODEL_INC)
LDFLAGS  += $(SANFLAGS)
LDLIBS   += $(PKG_LIBS) -lm -lpthread

# The BPF backend needs clang, bpftool and this machine's BTF at build time;
# without them nvtrace is built with collector/record_nobpf.c instead (record
# then says so for --backend bpf; tracefs works).  HAVE_BPF=0 forces that.
HAVE_BPF ?= $(shell $(CLANG) --version >/dev/null 2>&1 && $(BPFTOOL) version >/dev/null 2>&1 && \
	      test -r /sys/kernel/btf/vmlinux && echo 1 || echo 0)
ifeq ($(HAVE_BPF),1)
NO_BPF_SRC := collector/record_nobpf.c
else
NO_BPF_SRC := collector/record_bpf.c
endif

# Every .c in these folders is part of nvtrace; model/ is also a library of its own.
MODEL_SRC := $(wildcard model/*.c)
CORE_SRC  := $(filter-out %.bpf.c $(NO_BPF_SRC),$(wildcard schema/*.c collector/*.c replay/*.c)) \
	     $(filter-out cli/main.c,$(wildcard view/*.c tui/*.c cli/*.c))
GEN_SRC   := $(BUILD)/gen/schema_sql.c
MODEL_OBJ := $(MODEL_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/profiles_data.o
CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/schema_sql.o
MAIN_OBJ  := $(BUILD)/obj/cli/main.o

# BPF: collector/*.bpf.c -> $(BUILD)/gen/*.skel.h, generated against this machine's BTF.
BPF_SRC   := $(wildcard collector/*.bpf.c)
BPF_SKEL  := $(BPF_SRC:collector/%.bpf.c=$(BUILD)/gen/%.skel.h)
VMLINUX_H := $(BUILD)/gen/vmlinux.h
ARCH_BPF  := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

TEST_SRC  := $(wildcard tests/unit/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
GUEST_BIN := $(BUILD)/nvguest

.PHONY: all deps demo test bench install install-files clean model-check
all: $(BUILD)/nvtrace $(GUEST_BIN) $(BUILD)/share/.stamp

# Man pages and bash completion, generated from the option tables (cli/opts.c).
$(BUILD)/share/.stamp: $(BUILD)/nvtrace scripts/gen_docs.sh
	sh scripts/gen_docs.sh $(BUILD)/nvtrace $(BUILD)/share
	@touch $@

$(BUILD)/nvtrace: $(MAIN_OBJ) $(BUILD)/libnvtrace.a $(BUILD)/libnvmodel.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libnvtrace.a: $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libnvmodel.a: $(MODEL_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: %.c | $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# Only the BPF loader includes the skeleton.
$(BUILD)/obj/collector/record_bpf.o: $(BPF_SKEL)

$(BUILD)/obj/model/%.o: model/%.c | $(MODEL_INC)/model model-check
	@mkdir -p $(dir $@)
	$(CC) $(MODEL_CFLAGS) -MMD -MP -c -o $@ $<

# The built-in guest-hypervisor profiles, generated from examples/profiles.
$(BUILD)/gen/profiles_data.c: $(wildcard examples/profiles/*.prof) scripts/embed_profiles.sh
	@mkdir -p $(dir $@)
	sh scripts/embed_profiles.sh $@

$(BUILD)/obj/gen/profiles_data.o: $(BUILD)/gen/profiles_data.c | $(MODEL_INC)/model
	@mkdir -p $(dir $@)
	$(CC) $(MODEL_CFLAGS) -MMD -MP -c -o $@ $<

$(MODEL_INC)/model:
	@mkdir -p $(dir $@)
	ln -sfn $(CURDIR)/model $@

# Every quoted include in model/ names a model/ header; no SQLite, no libraries.
model-check:
	@sh scripts/check_model_includes.sh model

$(BUILD)/obj/gen/schema_sql.o: $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(GEN_SRC): $(wildcard schema/sql/*.sql) schema/embed.sh model/exit_kinds.def
	@mkdir -p $(dir $@)
	sh schema/embed.sh $@ model/exit_kinds.def $(sort $(wildcard schema/sql/[0-9]*.sql)) -- schema/sql/indexes.sql

$(VMLINUX_H):
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/%.bpf.o: collector/%.bpf.c $(VMLINUX_H) $(wildcard collector/*.h)
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH_BPF) -I$(BUILD)/gen -I. -c $< -o $@

# keep them: make would delete these intermediates and rebuild every object next time
.SECONDARY: $(BPF_SKEL) $(BPF_SKEL:.skel.h=.bpf.o)

$(BUILD)/gen/%.skel.h: $(BUILD)/gen/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

# The example KVM guest (examples/guest): its own small program.
$(GUEST_BIN): $(wildcard examples/guest/*.c examples/guest/*.h)
	@mkdir -p $(dir $@)
	$(if $(wildcard examples/guest/*.c),$(CC) $(CFLAGS) -o $@ $(wildcard examples/guest/*.c) $(LDFLAGS),@true)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(BUILD)/libnvtrace.a $(BUILD)/libnvmodel.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libnvtrace.a $(BUILD)/libnvmodel.a $(LDLIBS)

deps:
	sh scripts/deps.sh

# The main job on the bundled example.
demo: deps
	$(MAKE) all
	sh scripts/demo.sh $(BUILD)/nvtrace

# Every test, built with ASan+UBSan in build/san; ends with "N passed, N failed".
test:
	$(MAKE) SAN=1 BUILD=build/san all tests-bin
	sh tests/run.sh build/san

tests-bin: $(TEST_BIN)

bench: all
	sh bench/run.sh $(BUILD)

# PREFIX/bin/nvtrace finds its data in PREFIX/share/nvtrace (relative to the
# binary, whatever PREFIX it was built with); nvguest is an example, not on PATH.
install: all
	$(MAKE) install-files

# The copying alone (tests/e2e/install.sh uses it on a finished build: no rebuild).
install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/nvtrace \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(BUILD)/nvtrace $(DESTDIR)$(PREFIX)/bin/nvtrace
	rm -rf $(DESTDIR)$(PREFIX)/share/nvtrace/examples
	cp -r examples $(DESTDIR)$(PREFIX)/share/nvtrace/
	$(if $(wildcard $(GUEST_BIN)),install -m 755 $(GUEST_BIN) $(DESTDIR)$(PREFIX)/share/nvtrace/examples/nvguest)
	install -m 644 $(BUILD)/share/man1/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(BUILD)/share/completion/nvtrace $(DESTDIR)$(PREFIX)/share/bash-completion/completions/nvtrace

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
include tests/fuzz/fuzz.mk
