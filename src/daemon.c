// SPDX-License-Identifier: GPL-2.0-or-later
/* daemon: wait on the queue and event sockets, answer every packet, free the state of
 * ended conntracks, stop cleanly on SIGTERM/SIGINT. */
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ct.h"
#include "daemon.h"
#include "dispatch.h"
#include "expect.h"
#include "log.h"
#include "notify.h"
#include "setup.h"
#include "stats.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* All but the last expectation go through ctnetlink before the verdict releases the packet,
 * so they exist before the peer can act on the command: in one round trip. */
static void send_extra(struct setup_socks *s, const struct help_result *res)
{
	int errs[HELP_EXP_MAX], err = expect_create_batch(&s->ctreq, res->zone, &res->master, res->exp,
							  res->nexp - 1, errs);

	if (err) {
		log_rl(LOG_INFO, "cannot create the extra expectations of a packet: %s", strerror(-err));
		return;
	}
	for (unsigned i = 0; i + 1 < res->nexp; i++)
		if (errs[i])
			log_rl(LOG_INFO, "cannot create expectation %u of a packet: %s", i, strerror(-errs[i]));
}

/* The synchronous path for NAT port selection and for undoing a dropped packet's work. */
static int ct_create(void *arg, uint16_t zone, const struct ct_tuple *master, const struct ct_expect *e)
{
	struct setup_socks *s = arg;

	return expect_create_sync(&s->ctreq, zone, master, e);
}

static int ct_del(void *arg, uint16_t zone, const struct ct_tuple *tuple)
{
	struct setup_socks *s = arg;

	return expect_delete(&s->ctreq, zone, tuple);
}

static int ct_flush(void *arg, uint16_t zone, const struct ct_tuple *master, uint32_t class)
{
	struct setup_socks *s = arg;

	return expect_flush(&s->ctreq, zone, master, class);
}

static const struct help_ct_ops ct_ops = {
	.create = ct_create, .del = ct_del, .flush = ct_flush,
};

static void on_queue_msg(struct setup_socks *s, struct dispatch *dp, const struct nlmsghdr *nlh)
{
	const struct nlmsghdr *v;
	struct help_result res;
	int err;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		/* Verdicts ask for no ACK: an error here names a verdict the kernel refused. */
		err = nl_msg_error(nlh);
		if (err)
			log_rl(LOG_WARNING, "the kernel refused a verdict: %s", strerror(-err));
		return;
	}
	if (nlh->nlmsg_type != ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET))
		return;
	v = dispatch_packet(dp, nlh, ++s->queue.seq, &res);
	if (!v)
		return;
	if (res.nexp > 1 && !res.unconfirmed)
		send_extra(s, &res);
	err = nl_sock_send(&s->queue, v);
	if (err < 0)
		log_rl(LOG_WARNING, "cannot send verdict: %s", strerror(-err));
	/* An unconfirmed master exists for ctnetlink only once its packet has passed: the
	 * kernel reinjects it within this send (nf_reinject up to the confirm hook), so the
	 * rest follow at once, before any packet of theirs can arrive. */
	else if (res.nexp > 1 && res.unconfirmed)
		send_extra(s, &res);
}

static void on_event_msg(struct dispatch *dp, const struct nlmsghdr *nlh)
{
	struct ct_info ct;

	if (nlh->nlmsg_type != ((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE))
		return;
	if (ct_event_decode(nlh, &ct) == 0)
		dispatch_conn_end(dp, ct.id, &ct.tuple[CT_DIR_ORIGINAL]);
}

/* Read one datagram from s and hand each message to the right handler. */
static bool drain_one(struct setup_socks *s, struct nl_sock *from, struct dispatch *dp, uint8_t *buf)
{
	const struct nlmsghdr *nlh;
	size_t off = 0;
	ssize_t n = nl_sock_recv(from, buf, DISPATCH_MSG_MAX);
	int err = 0;

	if (n < 0) {
		if (n == -ENOBUFS && from == &s->events)
			log_rl(LOG_WARNING, "conntrack events were lost; state of ended connections is "
			       "recycled when the table is full instead");
		else if (n != -EAGAIN && n != -EINTR)
			log_rl(LOG_WARNING, "cannot receive: %s", strerror((int)-n));
		return n != -EAGAIN && n != -EWOULDBLOCK;
	}
	while ((nlh = nl_msg_next(buf, (size_t)n, &off, &err))) {
		if (from == &s->queue)
			on_queue_msg(s, dp, nlh);
		else
			on_event_msg(dp, nlh);
	}
	if (err)
		log_rl(LOG_WARNING, "malformed netlink datagram ignored");
	return true;
}

/* Read what is waiting, a bounded batch per wake-up so neither socket starves the other. */
static void drain(struct setup_socks *s, struct nl_sock *from, struct dispatch *dp, uint8_t *buf)
{
	for (int i = 0; i < 64 && drain_one(s, from, dp, buf); i++)
		;
}

static void signals_block(sigset_t *old)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	/* Signals are only delivered inside ppoll, never in the middle of a packet. */
	sigprocmask(SIG_BLOCK, &set, old);
}

/* Registered and bound, sockets open: tell the service manager (a unit ordered before the
 * ruleset may let it load now; the socket is opened here, before the filter allows none),
 * then allow only the loop's system calls. */
static void sandbox_enter(const struct sandbox_cfg *sb, const char *proto, const struct helper_cfg *cfg)
{
	int e;

	notify_ready(proto, cfg->name, cfg->queue);
	if (!sb->seccomp)
		return;
	e = sandbox_seccomp();
	if (e < 0)
		log_msg(LOG_WARNING, "cannot install the seccomp filter (%s): running without it; a "
			"kernel with CONFIG_SECCOMP_FILTER gives it", strerror(-e));
}

/* The network namespace the helper serves ("net:[4026531840]"): a container with its own
 * network registers a helper only there, so the ready line says which one. */
static void netns_name(char *out, size_t len)
{
	ssize_t n = readlink("/proc/self/ns/net", out, len - 1);

	if (n < 0)
		snprintf(out, len, "unknown (%s)", strerror(errno));
	else
		out[n] = '\0';
}

/* The last line of a clean stop (with -v): what `nfhelper stats` would have said. */
static void log_counters(const struct dispatch *dp)
{
	log_msg(LOG_INFO, "stopping: %llu packets, %llu rewritten, %llu expectations, %llu dropped, "
		"%llu refused as malformed, %llu connections recycled early, %llu of expected "
		"connections passed unread; buffers: %llu messages not held back, %llu "
		"retransmissions dropped without their journal, %llu segments dropped with no "
		"sequence number the kernel's correction maps right; path bound (MSS, DF): %llu "
		"rewrites given up, %llu segments sent with DF cleared, %llu IPv6 segments over it",
		(unsigned long long)dp->stats.packets, (unsigned long long)dp->stats.rewritten,
		(unsigned long long)dp->stats.expectations, (unsigned long long)dp->stats.dropped,
		(unsigned long long)dp->stats.refused, (unsigned long long)dp->conns.evicted,
		(unsigned long long)dp->stats.children, (unsigned long long)dp->pool.unheld,
		(unsigned long long)dp->pool.unrepeated, (unsigned long long)dp->pool.unplaced,
		(unsigned long long)dp->pool.unbounded, (unsigned long long)dp->pool.dfcleared,
		(unsigned long long)dp->pool.overbound);
}

/* A reader of the stats socket: one snapshot each, formatted once per wake-up. */
static void on_stats(int fd, const struct dispatch *dp, const struct helper_cfg *cfg, const char *version)
{
	static char text[STATS_TEXT_MAX];
	int n = stats_format(dp, cfg, version, text, sizeof(text));

	if (n > 0)
		stats_serve(fd, text, (size_t)n);
}

/* The stats socket, opened before the seccomp filter; without it the helper still works. */
static int stats_open(const struct helper_cfg *cfg)
{
	int fd = stats_listen(cfg->name);

	if (fd < 0)
		log_msg(LOG_WARNING, "no stats for 'nfhelper stats %s': cannot listen on @nfhelper/%s (%s)%s",
			cfg->name, cfg->name, strerror(-fd), fd == -EADDRINUSE ?
			"; another process in this network namespace has it" : "");
	return fd;
}

int daemon_run(const struct helper_proto *proto, const struct helper_cfg *cfg,
	       const struct sandbox_cfg *sb, const char *version)
{
	struct setup_socks s;
	struct dispatch dp;
	sigset_t waitmask;
	char err[256], netns[64];
	uint8_t *buf;
	int rc = 0, stats_fd = -1;

	signals_block(&waitmask);
	if (dispatch_init(&dp, proto, cfg) < 0 || !(buf = malloc(DISPATCH_MSG_MAX))) {
		log_msg(LOG_ERR, "cannot allocate state for %u connections: out of memory; lower --max-conns",
			cfg->max_conns);
		return 1;
	}
	if (setup_open(&s, proto, cfg) < 0) {
		dispatch_free(&dp);
		free(buf);
		return 1;
	}
	/* Non-blocking from here: the loop reads until a socket is empty. */
	fcntl(s.queue.fd, F_SETFL, fcntl(s.queue.fd, F_GETFL) | O_NONBLOCK);
	fcntl(s.events.fd, F_SETFL, fcntl(s.events.fd, F_GETFL) | O_NONBLOCK);
	dp.ops = &ct_ops;
	dp.ops_arg = &s;
	dp.backend = s.backend_priv;
	if (sandbox_drop(&sb->user, err, sizeof(err)) < 0) {
		log_msg(LOG_ERR, "%s", err);
		rc = 1;
		stop_signal = SIGTERM;
	} else {
		stats_fd = stats_open(cfg);
		netns_name(netns, sizeof(netns));	/* before the filter: it allows no readlink */
		sandbox_enter(sb, proto->name, cfg);
		/* Last: whoever waits for this line finds the process as it will stay. */
		log_msg(LOG_WARNING, "helper %s ready (queue %u, %s, network namespace %s)", cfg->name,
			cfg->queue, s.backend->scope, netns);
	}
	while (!stop_signal) {
		struct pollfd pfd[3] = {
			{ .fd = s.queue.fd, .events = POLLIN },
			{ .fd = s.events.fd, .events = POLLIN },
			{ .fd = stats_fd, .events = POLLIN },	/* -1: ignored */
		};

		if (ppoll(pfd, 3, NULL, &waitmask) < 0) {
			if (errno == EINTR)
				continue;
			log_msg(LOG_ERR, "cannot wait for packets: %s", strerror(errno));
			rc = 1;
			break;
		}
		if (pfd[0].revents)
			drain(&s, &s.queue, &dp, buf);
		if (pfd[1].revents)
			drain(&s, &s.events, &dp, buf);
		if (pfd[2].revents)
			on_stats(stats_fd, &dp, cfg, version);
	}
	if (stats_fd >= 0)
		close(stats_fd);
	notify_stopping();
	log_counters(&dp);
	/* Closing the queue socket unbinds the queue; the kernel registration stays (see README). */
	setup_close(&s);
	dispatch_free(&dp);
	free(buf);
	return rc;
}
