# SPDX-License-Identifier: GPL-2.0-or-later
# nfhelper's outputs with dependency tracking: the generated parsers, the release binary, the
# unit, fuzz and bench binaries, the nfh_pptp module, the arm64 and armhf binaries and unit
# suites.  ./build.sh is the entry point (packages, VM, demo, test); it runs `make -j$(nproc)
# B=BUILD_DIR TARGET`.  Each configuration compiles into its own folder under $(B)/obj; -MMD
# -MP records which headers an object read, so editing one rebuilds exactly what includes it.
#   make [release] | unit | fuzz | fuzz_NAME | bench | kmod KVERS="6.1.0-… 6.12…" | arm64 |
#   armhf | clean
# CC builds the release binary (musl-gcc -static by default; gcc and clang link it statically
# against glibc), SANCC the ASan/UBSan and libFuzzer builds (clang-14), BENCHCC the bench,
# CROSS_arm64 / CROSS_armhf the cross tools' prefix.

B ?= $(or $(BUILD_DIR),build)
ifeq ($(origin CC),default)
CC := musl-gcc
endif
SANCC ?= clang-14
BENCHCC ?= gcc
RAGEL ?= ragel
AR ?= ar
# Quiet like kbuild ("  CC      build/obj/asan/ftp.o"); V=1 prints every command.
ifeq ($(V),1)
Q :=
say = @:
else
Q := @
say = @printf '  %-7s %s\n' $(1) $@
endif

CWARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
# Ragel's -G2 output is generated: relax only the warnings it is known to trigger.
GENWARN := -Wno-implicit-fallthrough -Wno-unused-variable -Wno-unused-const-variable \
	   -Wno-missing-prototypes
INC := -Isrc -I$(B)/gen
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1

GRAMMARS := $(patsubst grammars/%.rl,%,$(wildcard grammars/*.rl))
GEN := $(GRAMMARS:%=$(B)/gen/%.c)
# The library: every generated parser and src/*.c but main.c, the large parsers first.
LIBSRC := $(GEN) $(filter-out src/main.c,$(wildcard src/*.c))
TESTLIB := $(wildcard tests/lib/*.c)
FUZZERS := $(patsubst tests/fuzz/fuzz_%.c,fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all release unit fuzz bench kmod clean FORCE
.DELETE_ON_ERROR:
all: release

# --- generated parsers: a grammar is remade when it or a file it includes changes -----------
$(B)/gen/%.c: grammars/%.rl | $(B)/gen
	$(call say,GEN)
	$(Q)$(RAGEL) -G2 -o $@ $<
$(B)/gen $(B)/list:
	@mkdir -p $@
# Each grammar's `include "include/x.rl"` lines, as prerequisites of its output.
$(foreach g,$(GRAMMARS),$(eval $(B)/gen/$(g).c: $(addprefix grammars/,$(shell sed -n \
	's/^[[:space:]]*include[[:space:]][^"]*"\([^"]*\)".*/\1/p' grammars/$(g).rl))))

# --- one configuration: objects, the library archive, the test library ------------------------
# obj_of DIR, FILES: the object of each source in DIR (generated parsers as gen_NAME.o).
obj_of = $(foreach f,$(2),$(1)/$(if $(filter $(B)/gen/%,$(f)),gen_$(notdir $(f:.c=.o)),$(notdir $(f:.c=.o))))

# config NAME, COMPILER, CFLAGS, GENFLAGS: the rules of $(B)/obj/NAME.  The compiler and flags
# are recorded in .flags, a prerequisite of every object, so changing them rebuilds it.
define config
$(1)_DIR := $(B)/obj/$(1)
$(1)_CC := $(2)
$(1)_CFLAGS := $(3)
$(1)_FLAGS := $$($(1)_DIR)/.flags
$$(shell mkdir -p $$($(1)_DIR); echo '$(2) $(3) $(4)' | cmp -s - $$($(1)_FLAGS) || \
	echo '$(2) $(3) $(4)' > $$($(1)_FLAGS))
$$($(1)_DIR)/%.o: src/%.c $$($(1)_FLAGS)
	$$(call say,CC)
	$$(Q)$(2) $(3) $$(CWARN) $$(INC) -MMD -MP -c $$< -o $$@
$$($(1)_DIR)/gen_%.o: $(B)/gen/%.c $$($(1)_FLAGS)
	$$(call say,CC)
	$$(Q)$(2) $(3) $(4) $$(CWARN) $$(GENWARN) $$(INC) -MMD -MP -c $$< -o $$@
$$($(1)_DIR)/test_%.o: tests/lib/%.c $$($(1)_FLAGS)
	$$(call say,CC)
	$$(Q)$(2) $(3) $$(CWARN) -Wno-missing-prototypes $$(INC) -Itests/lib -MMD -MP -c $$< -o $$@
$$($(1)_DIR)/libnfhelper.a: $$(call obj_of,$$($(1)_DIR),$$(LIBSRC))
	$$(call say,AR)
	$$(Q)rm -f $$@ && $$(AR) rcs $$@ $$^
# An archive: a binary links only what it uses (a fuzzer has no TAP runner for capture.c).
$$($(1)_DIR)/libtest.a: $$(patsubst tests/lib/%.c,$$($(1)_DIR)/test_%.o,$$(TESTLIB))
	$$(call say,AR)
	$$(Q)rm -f $$@ && $$(AR) rcs $$@ $$^
-include $$(wildcard $$($(1)_DIR)/*.d)
endef

# --- the release binary -------------------------------------------------------------------
# musl-gcc does not search the kernel's UAPI headers; give it a folder of links to them.
REL := release-$(notdir $(firstword $(CC)))
$(eval $(call config,$(REL),$(CC),-std=c11 -D_GNU_SOURCE -O2 -isystem $(B)/uapi \
	-ffunction-sections -fdata-sections,))
$(B)/uapi/.links:
	@mkdir -p $(B)/uapi
	@ln -sfn /usr/include/linux $(B)/uapi/linux
	@ln -sfn /usr/include/asm-generic $(B)/uapi/asm-generic
	@ln -sfn /usr/include/$$(gcc -print-multiarch)/asm $(B)/uapi/asm
	@touch $@
$(call obj_of,$($(REL)_DIR),$(LIBSRC) src/main.c): | $(B)/uapi/.links
# The version nfhelper --version prints: the VERSION file, and in a git checkout the commit it
# is built from ("0.2.0 (g1234abc)", "-dirty" with uncommitted changes; tags are excluded so the
# form never changes).  Rewritten only when it changes, so an unchanged tree relinks nothing.
$(B)/version.h: FORCE | $(B)/gen
	@v=$$(tr -d ' \n' < VERSION); \
	if [ -e .git ] && d=$$(git describe --always --dirty --exclude='*' 2>/dev/null); then v="$$v (g$$d)"; fi; \
	echo "#define NFHELPER_VERSION \"$$v\"" | cmp -s - $@ || echo "#define NFHELPER_VERSION \"$$v\"" > $@
# main.c as build.sh always compiled it: without per-function sections.
$($(REL)_DIR)/main.o: src/main.c $($(REL)_FLAGS) $(B)/version.h | $(B)/uapi/.links
	$(call say,CC)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -isystem $(B)/uapi $(CWARN) $(INC) -include $(B)/version.h \
		-MMD -MP -c $< -o $@
$($(REL)_DIR)/nfhelper: $($(REL)_DIR)/main.o $($(REL)_DIR)/libnfhelper.a
	$(call say,LD)
	$(Q)$(CC) -static -Wl,--gc-sections -s $^ -o $@
# The binary of the CC asked for, whichever was built last.
release: $($(REL)_DIR)/nfhelper
	@cmp -s $< $(B)/nfhelper || cp $< $(B)/nfhelper
	@echo "built $(B)/nfhelper: $$(stat -c %s $(B)/nfhelper) bytes; $$(file -b $(B)/nfhelper | cut -d, -f1-5)"

# --- found by file name: unit suites, benches, fuzz_stream's protocol models ---------------------
# (fuzz_stream's own parts, stream_harness_*.c, are linked with it as every stream_*.c is, but
# are no protocol model.)
# listing FILE, MACRO, PREFIX, FILES: "#define MACRO(X) X(a) X(b)" for PREFIXa.c PREFIXb.c,
# rewritten only when it changes (it is a header: -MMD tracks it).
HASH := \#
listing_line = $(HASH)define $(2)(X) $(foreach f,$(4),X($(patsubst $(3)%.c,%,$(notdir $(f)))))
listing = $(shell mkdir -p $(B)/list; echo '$(listing_line)' | cmp -s - $(B)/list/$(1) || \
	echo '$(listing_line)' > $(B)/list/$(1))
$(call listing,suites.h,SUITES,test_,$(wildcard tests/unit/test_*.c))
$(call listing,benches.h,BENCHES,bench_,$(wildcard tests/bench/bench_*.c))
$(call listing,stream_models.h,STREAM_MODELS,stream_,$(filter-out tests/fuzz/stream_harness_%,\
	$(wildcard tests/fuzz/stream_*.c)))

# --- unit: one TAP binary under ASan/UBSan ------------------------------------------------
# Generated parsers at -O0, as for the fuzzers: SIP's ~3000 states of -G2 goto code take clang
# four minutes under ASan at -O1, three seconds at -O0.
$(eval $(call config,asan,$(SANCC),-std=c11 -D_GNU_SOURCE $(SAN),-O0))
$(asan_DIR)/unit_%.o: tests/unit/%.c $(asan_FLAGS)
	$(call say,CC)
	$(Q)$(SANCC) -std=c11 -D_GNU_SOURCE $(SAN) $(CWARN) -Wno-missing-prototypes $(INC) -I$(B)/list \
		-Itests/lib -MMD -MP -c $< -o $@
$(B)/unit-tests: $(patsubst tests/unit/%.c,$(asan_DIR)/unit_%.o,$(wildcard tests/unit/*.c)) \
		$(asan_DIR)/libtest.a $(asan_DIR)/libnfhelper.a
	$(call say,LD)
	$(Q)$(SANCC) $(SAN) $^ -o $@
unit: $(B)/unit-tests

# --- fuzz: one libFuzzer binary per tests/fuzz/fuzz_NAME.c, with its parts NAME_*.c --------------
# Coverage instrumentation at -O1 over Ragel's -G2 goto tables takes clang minutes per grammar;
# at -O0 seconds.  The parsers' own code is what the fuzzers exercise either way.
FUZZFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined
$(eval $(call config,fuzz,$(SANCC),$(FUZZFLAGS),-O0))
$(fuzz_DIR)/fz_%.o: tests/fuzz/%.c $(fuzz_FLAGS)
	$(call say,CC)
	$(Q)$(SANCC) $(FUZZFLAGS) $(CWARN) -Wno-missing-prototypes $(INC) -I$(B)/list -Itests/lib \
		-MMD -MP -c $< -o $@
define fuzzer
$(B)/$(1): $(fuzz_DIR)/fz_$(1).o $(patsubst tests/fuzz/%.c,$(fuzz_DIR)/fz_%.o,$(wildcard \
		tests/fuzz/$(1:fuzz_%=%)_*.c)) $(fuzz_DIR)/libtest.a $(fuzz_DIR)/libnfhelper.a
	$$(call say,LD)
	$$(Q)$(SANCC) -g -fsanitize=fuzzer,address,undefined $$^ -o $$@
.PHONY: $(1)
$(1): $(B)/$(1)
endef
$(foreach f,$(FUZZERS),$(eval $(call fuzzer,$(f))))
fuzz: $(FUZZERS:%=$(B)/%)

# --- bench -----------------------------------------------------------------------------------
$(eval $(call config,bench,$(BENCHCC),-std=c11 -D_GNU_SOURCE -O2 -g,))
$(bench_DIR)/bench_%.o: tests/bench/%.c $(bench_FLAGS)
	$(call say,CC)
	$(Q)$(BENCHCC) -std=c11 -D_GNU_SOURCE -O2 -g $(CWARN) -Wno-missing-prototypes $(INC) -I$(B)/list \
		-Itests/lib -MMD -MP -c $< -o $@
$(B)/bench-nfhelper: $(patsubst tests/bench/%.c,$(bench_DIR)/bench_%.o,$(wildcard tests/bench/*.c)) \
		$(bench_DIR)/libtest.a $(bench_DIR)/libnfhelper.a
	$(call say,LD)
	$(Q)$(BENCHCC) $^ -o $@
bench: $(B)/bench-nfhelper

# --- cross: make arm64 (armhf) -> $(B)/arm64/nfhelper and $(B)/arm64/unit-tests ---------------
# Debian's cross gcc (CROSS_arm64, a tool prefix) with the target's musl (musl-dev:arm64; its
# specs file does what musl-gcc does) and kernel headers (linux-libc-dev:arm64, linked into
# $(B)/uapi-arm64).  The unit suite is linked as the binary is, static musl: ASan's runtime
# needs glibc, so UBSan alone checks it, in trap mode (no runtime; a finding kills the suite:
# SIGTRAP on arm64, SIGILL on armhf), at -O2 as the binary.  build.sh runs it under qemu-user.
CROSS_arm64 ?= aarch64-linux-gnu-
CROSS_armhf ?= arm-linux-gnueabihf-
XUNITSAN := -g -fsanitize=undefined -fsanitize-undefined-trap-on-error

# cross ARCH: the configurations ARCH (the binary) and ARCH-unit; the musl folder is the GNU
# triplet's (aarch64-linux-gnu -> aarch64-linux-musl, arm-linux-gnueabihf -> arm-linux-musleabihf).
define cross
$(1)_XCC := $$(CROSS_$(1))gcc -specs /usr/lib/$$(subst gnu,musl,$$(CROSS_$(1):-=))/musl-gcc.specs
$(1)_XFLAGS := -std=c11 -D_GNU_SOURCE -O2 -isystem $(B)/uapi-$(1)
$$(eval $$(call config,$(1),$$($(1)_XCC),$$($(1)_XFLAGS) -ffunction-sections -fdata-sections,))
$$(eval $$(call config,$(1)-unit,$$($(1)_XCC),$$($(1)_XFLAGS) $$(XUNITSAN),))
$(B)/uapi-$(1)/.links:
	@mkdir -p $(B)/uapi-$(1)
	@ln -sfn /usr/include/linux $(B)/uapi-$(1)/linux
	@ln -sfn /usr/include/asm-generic $(B)/uapi-$(1)/asm-generic
	@ln -sfn /usr/include/$$(CROSS_$(1):-=)/asm $(B)/uapi-$(1)/asm
	@touch $$@
$$(call obj_of,$$($(1)_DIR),$$(LIBSRC) src/main.c) $$(call obj_of,$$($(1)-unit_DIR),$$(LIBSRC)) \
		$$(patsubst tests/lib/%.c,$$($(1)-unit_DIR)/test_%.o,$$(TESTLIB)): | $(B)/uapi-$(1)/.links
# main.c as for the release binary: without per-function sections, with the version.
$$($(1)_DIR)/main.o: src/main.c $$($(1)_FLAGS) $(B)/version.h | $(B)/uapi-$(1)/.links
	$$(call say,CC)
	$$(Q)$$($(1)_XCC) $$($(1)_XFLAGS) $$(CWARN) $$(INC) -include $(B)/version.h -MMD -MP -c $$< -o $$@
$(B)/$(1)/nfhelper: $$($(1)_DIR)/main.o $$($(1)_DIR)/libnfhelper.a
	$$(call say,LD)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$($(1)_XCC) -static -Wl,--gc-sections -s $$^ -o $$@
$$($(1)-unit_DIR)/unit_%.o: tests/unit/%.c $$($(1)-unit_FLAGS) | $(B)/uapi-$(1)/.links
	$$(call say,CC)
	$$(Q)$$($(1)_XCC) $$($(1)_XFLAGS) $$(XUNITSAN) $$(CWARN) -Wno-missing-prototypes $$(INC) \
		-I$(B)/list -Itests/lib -MMD -MP -c $$< -o $$@
$(B)/$(1)/unit-tests: $$(patsubst tests/unit/%.c,$$($(1)-unit_DIR)/unit_%.o,$$(wildcard tests/unit/*.c)) \
		$$($(1)-unit_DIR)/libtest.a $$($(1)-unit_DIR)/libnfhelper.a
	$$(call say,LD)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$($(1)_XCC) -static $$(XUNITSAN) $$^ -o $$@
.PHONY: $(1)
$(1): $(B)/$(1)/nfhelper $(B)/$(1)/unit-tests
	@echo "built $(B)/$(1)/nfhelper: $$$$(stat -c %s $(B)/$(1)/nfhelper) bytes; $$$$(file -b $(B)/$(1)/nfhelper | cut -d, -f1-5)"
endef
$(eval $(call cross,arm64))
$(eval $(call cross,armhf))

# --- kmod: nfh_pptp.ko for each kernel version in KVERS, by that kernel's kbuild ---------------
# kbuild writes next to the sources, so each version builds in its own copy; W=1, and a warning
# fails it.  Our command line (CC=, B=) is kept from kbuild: it has its own.
KVERS ?= $(shell uname -r)
KMODSRC := kmod/Kbuild $(wildcard kmod/*.[ch])
define kmodver
$(B)/kmod/$(1)/nfh_pptp.ko: $(KMODSRC)
	$$(call say,KBUILD)
	$$(Q)mkdir -p $(B)/kmod/$(1)
	$$(Q)cp $(KMODSRC) $(B)/kmod/$(1)/
	$$(Q)env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES $(MAKE) -C /usr/src/linux-headers-$(1) \
		M=$(abspath $(B))/kmod/$(1) W=1 modules > $(B)/kmod/$(1).log 2>&1 || \
		{ cat $(B)/kmod/$(1).log; echo "kmod: build for $(1) failed" >&2; exit 1; }
	$$(Q)if grep -q 'warning:' $(B)/kmod/$(1).log; then cat $(B)/kmod/$(1).log; \
		echo "kmod: warnings building for $(1)" >&2; rm -f $$@; exit 1; fi
	@echo "built $$@"
endef
$(foreach v,$(KVERS),$(eval $(call kmodver,$(v))))
kmod: $(foreach v,$(KVERS),$(B)/kmod/$(v)/nfh_pptp.ko)

clean:
	rm -rf $(B)
