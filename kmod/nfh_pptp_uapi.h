/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nfh_pptp: the generic netlink family through which nfhelper asks the
 * nfh_pptp module for what PPTP needs and mainline keeps kernel-internal:
 * a conntrack helper whose private data has nf_conntrack_pptp's layout, GRE
 * keymap entries per call, and the GRE expectations whose expectfn sets up
 * call-ID NAT.  Shared by the module and nfhelper (userspace).
 *
 * Every integer attribute is in network byte order unless it says otherwise.
 */
#ifndef NFH_PPTP_UAPI_H
#define NFH_PPTP_UAPI_H

#define NFH_PPTP_GENL_NAME	"nfh_pptp"
#define NFH_PPTP_GENL_VERSION	1
/* The expectfn the module registers by name (nf_ct_helper_expectfn_register). */
#define NFH_PPTP_EXPECTFN	"nfh-pptp-gre"
/* Per network namespace: "masters N", "calls N", "keymaps N", "holders N". */
#define NFH_PPTP_PROC		"nfh_pptp"

enum nfh_pptp_cmd {
	NFH_PPTP_CMD_UNSPEC,
	/*
	 * Register (or update) the module's TCP/IPv4 helper: HELPER_NAME, QUEUE,
	 * MAX_EXPECTED and TIMEOUT.  One helper at a time; a new name replaces
	 * the old one only while no ruleset references it (else EBUSY).
	 * Needs CAP_NET_ADMIN in the initial user namespace: helpers are global.
	 */
	NFH_PPTP_CMD_HELPER_SET,
	/* Unregister it (HELPER_NAME must match); EBUSY while referenced. */
	NFH_PPTP_CMD_HELPER_DEL,
	/*
	 * A call connected: MASTER_* name the control connection, the three
	 * call IDs the call.  The module adds the two GRE keymap entries and
	 * the two GRE expectations (one per direction, whichever side sends
	 * first); the child conntrack gets call-ID NAT when the master is
	 * NATed.  Adding a call that exists already is a no-op (retransmits).
	 * Errors: ENOENT no such master or not our helper's, EBUSY the call's
	 * keys are in use by another call in this netns, ENOSPC too many calls
	 * on this master.
	 */
	NFH_PPTP_CMD_CALL_ADD,
	/*
	 * A call ended: its keymaps, pending expectations and GRE conntracks
	 * go.  Without the call-ID attributes: every call of the master
	 * (Stop-Control-Connection, TCP close).
	 */
	NFH_PPTP_CMD_CALL_DEL,
	__NFH_PPTP_CMD_MAX,
};

#define NFH_PPTP_CMD_MAX (__NFH_PPTP_CMD_MAX - 1)

enum nfh_pptp_attr {
	NFH_PPTP_A_UNSPEC,
	NFH_PPTP_A_HELPER_NAME,		/* NUL-terminated string, 1..15 chars */
	NFH_PPTP_A_QUEUE,		/* u16, host order: nfnetlink_queue number */
	NFH_PPTP_A_MAX_EXPECTED,	/* u32, host order: 1..255 */
	NFH_PPTP_A_TIMEOUT,		/* u32, host order: seconds, 1..86400 */
	NFH_PPTP_A_ZONE,		/* u16, host order: conntrack zone id */
	NFH_PPTP_A_MASTER_ID,		/* the master's CTA_ID, its bytes as is */
	NFH_PPTP_A_MASTER_SRC,		/* be32: original tuple, IPv4 */
	NFH_PPTP_A_MASTER_DST,		/* be32 */
	NFH_PPTP_A_MASTER_SPORT,	/* be16: TCP */
	NFH_PPTP_A_MASTER_DPORT,	/* be16 */
	/* The original side's (the TCP client's) own call ID as it sent it. */
	NFH_PPTP_A_ORIG_CALL_ID,	/* be16 */
	/* ... as the reply side sees it: NAT's choice; = ORIG_CALL_ID unNATed */
	NFH_PPTP_A_ORIG_CALL_ID_NAT,	/* be16 */
	/* The reply side's own call ID (never NATed, as in the kernel). */
	NFH_PPTP_A_REPLY_CALL_ID,	/* be16 */
	__NFH_PPTP_A_MAX,
};

#define NFH_PPTP_A_MAX (__NFH_PPTP_A_MAX - 1)

#endif
