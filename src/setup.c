// SPDX-License-Identifier: GPL-2.0-or-later
/* setup: open ctnetlink, bind the queue (nfnetlink_queue) and register the helper through its
 * protocol's backend; the nfnetlink_cthelper backend is here.  Mirrors what conntrackd's
 * cthelper mode does, with errors a user can act on. */
#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "log.h"
#include "queue.h"
#include "setup.h"

#define SETUP_BUF 8192
#define QUEUE_RCVBUF (8 << 20)  /* a burst of full-size packets must not overflow */
#define QUEUE_MAXLEN 4096       /* packets the kernel holds for us before failing open */

static const uint8_t families[] = { AF_INET, AF_INET6 };

static const char *family_name(uint8_t l3)
{
	return l3 == AF_INET ? "IPv4" : "IPv6";
}

/* Errors every request can meet. */
bool setup_common_error(const char *what, int err)
{
	if (err == -EPERM || err == -EACCES) {
		log_msg(LOG_ERR, "cannot %s: permission denied; run as root or with CAP_NET_ADMIN "
			"(registering a helper needs it in the initial user namespace)", what);
		return true;
	}
	return false;
}

/* nfnetlink_cthelper's backend: one registration per L3 and L4 protocol, all under one name
 * and queue.  What the probe found is kept for the messages of the registration after it. */
struct cthelper_state {
	const char *name;
	const struct helper_proto *proto;
	bool ours[ARRAY_SIZE(families)][2]; /* registered already by a userspace helper: [family][l4] */
};
static struct cthelper_state cthelper_state;	/* one helper per process */

static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct cthelper_state *d = arg;
	struct cthelper_entry e;

	if (cthelper_entry_decode(nlh, &e) < 0 || strcmp(e.name, d->name))
		return 0;
	for (unsigned j = 0; j < d->proto->nl4 && j < ARRAY_SIZE(d->ours[0]); j++)
		if (e.l4 == d->proto->l4[j].proto && (e.l3 == AF_INET || e.l3 == AF_INET6))
			d->ours[e.l3 == AF_INET6][j] = true;
	return 0;
}

static int register_one(struct nl_sock *s, const struct cthelper_reg *r, bool existed)
{
	uint8_t buf[SETUP_BUF] __attribute__((aligned(4)));
	struct nl_msg m;
	char what[64];
	int err;

	snprintf(what, sizeof(what), "register helper %s (%s)", r->name, family_name(r->l3));
	if (!cthelper_new_build(&m, buf, sizeof(buf), ++s->seq, r) || !nl_msg_ok(&m))
		return log_msg(LOG_ERR, "cannot %s: message too large", what), -1;
	err = nl_sock_request(s, m.nlh, NULL, NULL);
	if (!err)
		return 0;
	if (setup_common_error(what, err))
		return -1;
	if (err == -EBUSY && existed)
		log_msg(LOG_ERR, "cannot %s: it is registered already with other settings (conntrackd, "
			"or another nfhelper version); run 'nfhelper %s --unregister' first",
			what, r->name);
	else if (err == -EBUSY || err == -EEXIST)
		log_msg(LOG_ERR, "cannot %s: the kernel's own helper of that name is loaded; unload it "
			"(modprobe -r nf_nat_%s nf_conntrack_%s) or choose another --name",
			what, r->name, r->name);
	else
		log_msg(LOG_ERR, "cannot %s: %s", what, strerror(-err));
	return -1;
}

/* List the userspace helpers: proves nfnetlink_cthelper is there and tells whether our
 * name is registered already (a restart after kill -9: the registration outlives us). */
static int cthelper_probe(struct nl_sock *s, struct cthelper_state *d)
{
	uint8_t buf[SETUP_BUF] __attribute__((aligned(4)));
	struct nl_msg m;
	int err;

	if (!cthelper_dump_build(&m, buf, sizeof(buf), ++s->seq) || !nl_msg_ok(&m))
		return -1;
	err = nl_sock_request(s, m.nlh, dump_cb, d);
	if (!err)
		return 0;
	if (!setup_common_error("list conntrack helpers", err))
		log_msg(LOG_ERR, "cannot list conntrack helpers: %s; the kernel lacks nfnetlink_cthelper "
			"(CONFIG_NF_CT_NETLINK_HELPER): modprobe nfnetlink_cthelper", strerror(-err));
	return -1;
}

static int cthelper_register(struct nl_sock *s, const struct helper_proto *proto, const struct helper_cfg *cfg,
			     const struct cthelper_state *d)
{
	/* One registration per L3 and L4 protocol, all under one name and queue. */
	for (unsigned j = 0; j < proto->nl4 && j < ARRAY_SIZE(d->ours[0]); j++) {
		for (unsigned i = 0; i < ARRAY_SIZE(families); i++) {
			struct cthelper_reg r = {
				.name = cfg->name, .l3 = families[i], .l4 = proto->l4[j].proto,
				.queue = cfg->queue, .priv_data_len = proto->priv_data_len,
				.npolicy = proto->npolicy, .policy = cfg->policy,
			};

			if (register_one(s, &r, d->ours[i][j]) < 0)
				return -1;
		}
	}
	return 0;
}

static int cthelper_open(struct setup_socks *s, const struct helper_proto *proto,
			 const struct helper_cfg *cfg)
{
	memset(&cthelper_state, 0, sizeof(cthelper_state));
	cthelper_state.name = cfg->name;
	cthelper_state.proto = proto;
	if (cthelper_probe(&s->ctreq, &cthelper_state) < 0)
		return -1;
	s->backend_priv = &cthelper_state;
	return 0;
}

static int cthelper_reg(struct setup_socks *s, const struct helper_proto *proto, const struct helper_cfg *cfg)
{
	return cthelper_register(&s->ctreq, proto, cfg, s->backend_priv);
}

/* ctnetlink and module requests are made on the packet path: never wait on one for long. */
void setup_packet_path_timeout(int fd)
{
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){ .tv_sec = 1 }, sizeof(struct timeval));
}

static int queue_request(struct nl_sock *s, struct nl_msg *m, const char *what, uint16_t queue)
{
	int err = nl_msg_ok(m) ? nl_sock_request(s, m->nlh, NULL, NULL) : -EMSGSIZE;

	if (!err)
		return 0;
	/* nfqnl_recv_config answers EPERM when another socket owns the queue; a missing
	 * CAP_NET_ADMIN was ruled out when the event subscription before this succeeded. */
	if (err == -EPERM || err == -EBUSY)
		log_msg(LOG_ERR, "cannot %s: another process holds queue %u (another nfhelper, conntrackd "
			"or an NFQUEUE program); stop it or choose another --queue", what, queue);
	else if (err == -EOPNOTSUPP)
		log_msg(LOG_ERR, "cannot %s: the kernel cannot attach conntrack data to queued packets "
			"(CONFIG_NETFILTER_NETLINK_GLUE_CT)", what);
	else
		log_msg(LOG_ERR, "cannot %s: %s; is nfnetlink_queue available (modprobe nfnetlink_queue)?",
			what, strerror(-err));
	return -1;
}

static int setup_queue(struct nl_sock *s, const struct helper_cfg *cfg)
{
	uint8_t buf[SETUP_BUF] __attribute__((aligned(4)));
	struct nl_msg m;
	char what[48];

	/* One message binds and configures, so no packet arrives before the settings apply:
	 * the whole packet (we may rewrite it), fail open when the queue is full (the connection
	 * keeps working, only its related connections may miss), and the conntrack attributes. */
	snprintf(what, sizeof(what), "bind queue %u", cfg->queue);
	queue_cfg_bind_build(&m, buf, sizeof(buf), ++s->seq, cfg->queue, 0xffff, QUEUE_MAXLEN,
			     NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_CONNTRACK);
	if (queue_request(s, &m, what, cfg->queue) < 0)
		return -1;
	nl_sock_set_bufs(s, QUEUE_RCVBUF, 1 << 20);
	nl_sock_set_no_enobufs(s);
	return 0;
}

static int open_sock(struct nl_sock *s, uint32_t groups, const char *what)
{
	int err = nl_sock_open(s, NETLINK_NETFILTER, groups);

	if (!err)
		return 0;
	if (!setup_common_error(what, err))
		log_msg(LOG_ERR, "cannot %s: %s", what, strerror(-err));
	return -1;
}

/* --unregister: every L3 and L4 registration of the name; one not there is no error. */
static int cthelper_unreg(const struct helper_proto *proto, const struct helper_cfg *cfg)
{
	const unsigned nfam = ARRAY_SIZE(families);
	struct nl_sock s;
	uint8_t buf[SETUP_BUF] __attribute__((aligned(4)));
	struct nl_msg m;
	int err, rc = 0;

	if (open_sock(&s, 0, "open nfnetlink") < 0)
		return -1;
	for (unsigned k = 0; k < nfam * proto->nl4; k++) {
		uint8_t l3 = families[k % nfam], l4 = proto->l4[k / nfam].proto;
		char what[64];

		snprintf(what, sizeof(what), "unregister helper %s (%s)", cfg->name, family_name(l3));
		cthelper_del_build(&m, buf, sizeof(buf), ++s.seq, cfg->name, l3, l4);
		err = nl_sock_request(&s, m.nlh, NULL, NULL);
		if (!err || err == -ENOENT)
			continue;
		rc = -1;
		if (setup_common_error(what, err))
			continue;
		if (err == -EBUSY)
			log_msg(LOG_ERR, "cannot %s: a ruleset still uses it (nft ct helper object or "
				"iptables CT target); delete those rules first", what);
		else
			log_msg(LOG_ERR, "cannot %s: %s", what, strerror(-err));
	}
	nl_sock_close(&s);
	return rc;
}

const struct helper_backend cthelper_backend = {
	.scope = "IPv4 and IPv6",
	.open = cthelper_open,
	.reg = cthelper_reg,
	.unreg = cthelper_unreg,
};

int setup_open(struct setup_socks *s, const struct helper_proto *proto, const struct helper_cfg *cfg)
{
	memset(s, 0, sizeof(*s));
	s->queue.fd = s->ctreq.fd = s->events.fd = -1;
	/* The event socket comes first: binding it loads nf_conntrack_netlink, which is what
	 * attaches conntrack attributes to queued packets. */
	if (open_sock(&s->events, 1U << (NFNLGRP_CONNTRACK_DESTROY - 1), "subscribe to conntrack events") < 0 ||
	    open_sock(&s->ctreq, 0, "open ctnetlink") < 0 ||
	    open_sock(&s->queue, 0, "open nfnetlink_queue") < 0)
		goto fail;
	nl_sock_set_bufs(&s->events, 4 << 20, 0);
	setup_packet_path_timeout(s->ctreq.fd);
	/* Registration last: once the helper is enabled, its packets find the queue bound. */
	s->backend = proto->backend;
	if (s->backend->open(s, proto, cfg) < 0 || setup_queue(&s->queue, cfg) < 0 ||
	    s->backend->reg(s, proto, cfg) < 0)
		goto fail;
	if (proto->start)
		proto->start(cfg);
	return 0;
fail:
	setup_close(s);
	return -1;
}

void setup_close(struct setup_socks *s)
{
	nl_sock_close(&s->queue);
	nl_sock_close(&s->ctreq);
	nl_sock_close(&s->events);
	if (s->backend_priv && s->backend->close)
		s->backend->close(s);
	s->backend_priv = NULL;
}

int setup_unregister(const struct helper_proto *proto, const struct helper_cfg *cfg)
{
	return proto->backend->unreg(proto, cfg);
}
