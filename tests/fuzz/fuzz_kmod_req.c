/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_kmod_req: the nfh_pptp module's request decoder (kmod/nfh_pptp_req.h) on any bytes:
 * first byte the command, the rest the attributes.  It must stay inside the buffer (ASan),
 * and what it accepts must be what the module relies on: every attribute the command needs,
 * none it does not allow, a NUL-terminated printable name, the policy in range. */
#include <stdint.h>
#include <stdlib.h>
#include "../../kmod/nfh_pptp_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len);

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len)
{
	struct nfh_pptp_req r;
	uint8_t *copy;
	unsigned cmd;

	if (len < 1 || len > 4096)
		return 0;
	cmd = d[0] % (NFH_PPTP_CMD_MAX + 2);
	/* An exact-size copy: a read past the message is an ASan report. */
	copy = malloc(len - 1 ? len - 1 : 1);
	memcpy(copy, d + 1, len - 1);
	if (nfh_pptp_req_decode(cmd, copy, (unsigned)(len - 1), &r) == 0) {
		check(cmd >= NFH_PPTP_CMD_HELPER_SET && cmd <= NFH_PPTP_CMD_MAX);
		if (cmd == NFH_PPTP_CMD_HELPER_SET || cmd == NFH_PPTP_CMD_HELPER_DEL)
			check(r.name[0] && memchr(r.name, 0, sizeof(r.name)) &&
			      nfh_pptp_name_ok(r.name, (unsigned)strlen(r.name) + 1));
		if (cmd == NFH_PPTP_CMD_HELPER_SET)
			check(r.max_expected >= 1 && r.max_expected <= 255 && r.timeout >= 1 &&
			      r.timeout <= 86400);
		if (cmd == NFH_PPTP_CMD_CALL_ADD || cmd == NFH_PPTP_CMD_CALL_DEL)
			check((r.present & NFH_PPTP_MASTER_ATTRS) == NFH_PPTP_MASTER_ATTRS &&
			      !(r.present & (1U << NFH_PPTP_A_HELPER_NAME)));
		if (cmd == NFH_PPTP_CMD_CALL_ADD)
			check((r.present & NFH_PPTP_CALL_ATTRS) == NFH_PPTP_CALL_ATTRS);
	}
	free(copy);
	return 0;
}
