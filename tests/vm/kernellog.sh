# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced: what in a guest's kernel log fails its boot, whatever its scenarios printed (a
# crashed or warning kernel is a failed test even when every check before it passed).
NFH_KERNEL_LOG_BAD='BUG:|Oops|WARNING:|refcount_t|Call Trace|rcu.*stall|soft lockup|hung_task|blocked for more than|Kernel panic|general protection'
