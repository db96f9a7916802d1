// SPDX-License-Identifier: GPL-2.0-or-later
/* sandbox_seccomp: the seccomp filter installed once the helper is registered.  A static
 * musl binary makes the packet loop's system calls few and known: wait (ppoll), read a
 * netlink datagram (recvmsg, recvfrom), send one (sendto), log (write, writev), answer a stats
 * reader on the socket opened before (accept4, sendto, close: stats.h), the clock
 * behind the log's rate limit, signal delivery, and what a clean stop does (close, free,
 * exit).  Nothing opens a file, a socket or executable memory after set-up, so a parser bug
 * turned into code execution finds no system call to do harm with. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "array_size.h"
#include "sandbox.h"

#if defined(__x86_64__)
#define SANDBOX_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__) && !defined(__ARMEB__)
#define SANDBOX_ARCH AUDIT_ARCH_ARM
#endif

#ifdef SANDBOX_ARCH
static const long sandbox_allowed[] = {
	SYS_ppoll, SYS_recvmsg, SYS_recvfrom, SYS_sendto, SYS_write, SYS_writev, SYS_accept4,
	SYS_rt_sigprocmask, SYS_rt_sigreturn, SYS_restart_syscall,
	SYS_close, SYS_munmap, SYS_madvise, SYS_brk, SYS_mremap, SYS_exit, SYS_exit_group,
#ifdef SYS_clock_gettime
	SYS_clock_gettime,
#endif
#ifdef SYS_clock_gettime32	/* 32-bit ARM: musl names the time32 call so */
	SYS_clock_gettime32,
#endif
#ifdef SYS_ppoll_time64		/* 32-bit ARM: musl's time64 calls, the legacy return */
	SYS_ppoll_time64,
#endif
#ifdef SYS_clock_gettime64
	SYS_clock_gettime64,
#endif
#ifdef SYS_sigreturn
	SYS_sigreturn,
#endif
};

#ifdef SYS_mmap2
#define SANDBOX_MMAP SYS_mmap2
#else
#define SANDBOX_MMAP SYS_mmap
#endif

/* The program: the architecture, then the allowed numbers, then mmap without PROT_EXEC.
 * Jumps are patched once the positions of the two verdicts at the end are known. */
#define PROG_MAX (ARRAY_SIZE(sandbox_allowed) + 16)

static unsigned prog_build(struct sock_filter *f)
{
	unsigned n = 0, trap, allow, jsys[ARRAY_SIZE(sandbox_allowed)], jx32 = 0, jmmap, jexec;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0);
	/* Another ABI's numbers mean other calls: no message can be trusted, just stop. */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#ifdef __x86_64__
	jx32 = n;	/* x32 calls share the architecture value, with this bit set */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 0);
#endif
	for (unsigned i = 0; i < ARRAY_SIZE(sandbox_allowed); i++) {
		jsys[i] = n;
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)sandbox_allowed[i], 0, 0);
	}
	jmmap = n;
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_MMAP, 0, 0);
	/* prot, the third argument: its low word on these little-endian ABIs */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2]));
	jexec = n;
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 0);
	allow = n + 1;
	trap = n;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	if (jx32)
		f[jx32].jt = (uint8_t)(trap - jx32 - 1);
	for (unsigned i = 0; i < ARRAY_SIZE(sandbox_allowed); i++)
		f[jsys[i]].jt = (uint8_t)(allow - jsys[i] - 1);
	f[jmmap].jf = (uint8_t)(trap - jmmap - 1);
	f[jexec].jt = (uint8_t)(trap - jexec - 1);
	f[jexec].jf = (uint8_t)(allow - jexec - 1);
	return n;
}

/* A refused call is a bug of ours (or an attack): say which, and stop. */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	static const char head[] = "nfhelper: the seccomp filter stopped system call ";
	static const char tail[] = ", which nfhelper never makes after start-up: please report "
				   "it (--no-seccomp works around it)\n";
	char num[16];
	unsigned n = sizeof(num), v = (unsigned)si->si_syscall;

	(void)sig;
	(void)uc;
	do
		num[--n] = (char)('0' + v % 10);
	while ((v /= 10) && n);
	/* Raw calls: no wrapper (a sanitizer's _exit runs a leak check) may make another one. */
	syscall(SYS_write, 2, head, sizeof(head) - 1);
	syscall(SYS_write, 2, num + n, sizeof(num) - n);
	syscall(SYS_write, 2, tail, sizeof(tail) - 1);
	syscall(SYS_exit_group, SANDBOX_EXIT_SYSCALL);
}

int sandbox_seccomp(void)
{
	struct sock_filter f[PROG_MAX];
	struct sock_fprog prog = { .filter = f };
	struct sigaction sa;

	_Static_assert(ARRAY_SIZE(sandbox_allowed) < 200, "BPF jumps reach 255 instructions");
	prog.len = (unsigned short)prog_build(f);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return -errno;
	return 0;
}
#else
int sandbox_seccomp(void)
{
	return -ENOSYS;
}
#endif
