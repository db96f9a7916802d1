/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tftp: TFTP request grammar — opcode, filename, mode, RFC 2347 options; pure and resumable.
 * Mirrors net/netfilter/nf_conntrack_tftp.c (tftp_help reads the opcode); RFC 1350 5 (RRQ/WRQ
 * layout, modes), RFC 2347 (options, 512-byte cap), RFC 2348, RFC 2349, RFC 7440.
 *
 * Why more than the kernel: nf_conntrack_tftp opens a pinhole for any datagram whose first
 * two bytes are 0,1 or 0,2 — "\0\1" alone will do.  A request a server can act on has a
 * filename, a mode and well-formed options; anything else can only be garbage or a probe, and
 * the firewall has no reason to open anything for it.  Here, each stricter than the kernel:
 * - the filename is 1 or more non-NUL bytes and NUL-terminated (RFC 1350 5);
 * - the mode is netascii, octet or mail in any case (RFC 1350 5), NUL-terminated;
 * - options (RFC 2347) are name NUL value NUL pairs, names in any case and non-empty;
 *   blksize, timeout, tsize and windowsize take 1-5, 1-3, 1-19 and 1-5 decimal digits, each
 *   at most once; other options are counted and their values not read;
 * - the whole request is at most 512 bytes (RFC 2347);
 * - nothing may follow the last NUL but another whole option.
 * Ranges (RFC 2348 blksize 8-65464, ...) are policy: tftp.c checks them.
 */
#include <stdbool.h>
#include "tftp_parser.h"

/* What is being read, to name the reason when the machine fails. */
enum { S_OPCODE = 0, S_FILENAME, S_MODE, S_OPTNAME, S_VALUE };

%%{
	machine tftp;
	access st->;
	alphtype unsigned char;

	action op_hi  { st->req.opcode = (uint16_t)(fc << 8); }
	action op_lo  { if (opcode_done(st, fc)) fgoto request; fgoto rest; }

	action fstart { st->req.file_off = (uint16_t)POS(fpc); }
	action fend   { st->req.file_len = (uint16_t)(POS(fpc) - st->req.file_off); st->stage = S_MODE; }
	action netascii { st->req.mode = TFTP_MODE_NETASCII; }
	action octet  { st->req.mode = TFTP_MODE_OCTET; }
	action mail   { st->req.mode = TFTP_MODE_MAIL; }
	action next   { st->stage = S_OPTNAME; }
	action value  { st->stage = S_VALUE; st->num = 0; }
	action dig    { st->num = st->num * 10 + (fc - '0'); }
	action blksize    { if (!opt_set(st, TFTP_OPT_BLKSIZE)) fgoto bad; }
	action timeout    { if (!opt_set(st, TFTP_OPT_TIMEOUT)) fgoto bad; }
	action tsize      { if (!opt_set(st, TFTP_OPT_TSIZE)) fgoto bad; }
	action windowsize { if (!opt_set(st, TFTP_OPT_WINDOWSIZE)) fgoto bad; }
	action unknown    { st->req.unknown++; st->stage = S_OPTNAME; }

	nul  = 0;
	str  = [^\0];
	filename = ( str >fstart str* ) nul @fend;
	mode = ( 'netascii'i nul @netascii | 'octet'i nul @octet | 'mail'i nul @mail ) @next;
	known = 'blksize'i | 'timeout'i | 'tsize'i | 'windowsize'i;
	# Names that are a known one plus more ("blksize2") are unknown options.
	option = 'blksize'i    nul @value digit{1,5}  $dig nul @blksize
	       | 'timeout'i    nul @value digit{1,3}  $dig nul @timeout
	       | 'tsize'i      nul @value digit{1,19} $dig nul @tsize
	       | 'windowsize'i nul @value digit{1,5}  $dig nul @windowsize
	       | ( str+ - known ) nul @value str* nul @unknown;

	main    := any @op_hi any @op_lo;
	request := filename mode option*;
	rest    := any*;   # not a request: nothing more to read
	bad     := any*;   # malformed, the reason already set
}%%

%% write data;

static bool opcode_done(struct tftp_parser *st, unsigned lo)
{
	st->req.opcode |= (uint16_t)lo;
	st->is_req = st->req.opcode == TFTP_RRQ || st->req.opcode == TFTP_WRQ;
	st->stage = S_FILENAME;
	return st->is_req;
}

/* A known option's value is complete: keep it, unless the option came before (which of
 * two values a server takes is its choice, and a firewall must not guess). */
static bool opt_set(struct tftp_parser *st, uint32_t bit)
{
	if (st->req.present & bit) {
		st->req.reason = TFTP_BAD_DUPLICATE;
		return false;
	}
	st->req.present |= bit;
	switch (bit) {
	case TFTP_OPT_BLKSIZE:
		st->req.blksize = (uint32_t)st->num;
		break;
	case TFTP_OPT_TIMEOUT:
		st->req.timeout = (uint32_t)st->num;
		break;
	case TFTP_OPT_TSIZE:
		st->req.tsize = st->num;
		break;
	default:
		st->req.windowsize = (uint32_t)st->num;
	}
	st->stage = S_OPTNAME;
	return true;
}

/* The machine failed on a byte: what was being read says why. */
static enum tftp_bad stage_reason(unsigned stage)
{
	switch (stage) {
	case S_FILENAME:
		return TFTP_BAD_FILENAME;	/* only a NUL as its first byte fails it */
	case S_MODE:
		return TFTP_BAD_MODE;
	case S_OPTNAME:
		return TFTP_BAD_OPTION;		/* only a NUL as its first byte fails it */
	default:
		return TFTP_BAD_VALUE;
	}
}

void tftp_parser_init(struct tftp_parser *st)
{
	*st = (struct tftp_parser){ 0 };
	st->cs = tftp_start;
}

#define POS(x) (base + (uint32_t)((x) - data))

void tftp_parser_execute(struct tftp_parser *st, const uint8_t *data, size_t len)
{
	/* The grammar never sees more than a request may hold: past it, a request is too long
	 * and nothing else needs reading.  A problem earlier in the bytes is reported first. */
	size_t room = st->pos < TFTP_REQ_MAX ? TFTP_REQ_MAX - st->pos : 0;
	size_t n = len < room ? len : room;
	const uint8_t *p = data, *pe = data + n, *eof = NULL;
	uint32_t base = st->pos;

	/* -G2 code has no case for the error state: never enter it there. */
	if (n && st->cs != tftp_error) {
		%% write exec;
	}
	if (st->cs == tftp_error && !st->req.reason)
		st->req.reason = stage_reason(st->stage);
	if (len > n && st->is_req && !st->req.reason)
		st->req.reason = TFTP_BAD_OVERSIZE;
	st->pos = len > room ? TFTP_REQ_MAX + 1 : st->pos + (uint32_t)len;
}

enum tftp_result tftp_parser_finish(struct tftp_parser *st, struct tftp_request *r)
{
	*r = st->req;
	if (st->pos < 2) {
		r->reason = TFTP_BAD_SHORT;
		r->result = TFTP_MALFORMED;
	} else if (!st->is_req) {
		r->result = TFTP_OTHER;
	} else if (r->reason) {
		r->result = TFTP_MALFORMED;
	} else if (st->cs < tftp_first_final) {
		r->reason = st->stage == S_FILENAME && st->pos == 2 ? TFTP_BAD_FILENAME
								    : TFTP_BAD_UNTERMINATED;
		r->result = TFTP_MALFORMED;
	} else {
		r->result = TFTP_REQUEST;
	}
	return r->result;
}

enum tftp_result tftp_parse(const uint8_t *data, size_t len, struct tftp_request *r)
{
	struct tftp_parser st;

	tftp_parser_init(&st);
	tftp_parser_execute(&st, data, len);
	return tftp_parser_finish(&st, r);
}

const char *tftp_bad_str(enum tftp_bad reason)
{
	static const char *const s[] = {
		[TFTP_BAD_NONE] = "well formed",
		[TFTP_BAD_SHORT] = "no whole opcode",
		[TFTP_BAD_FILENAME] = "empty filename",
		[TFTP_BAD_MODE] = "unknown mode",
		[TFTP_BAD_UNTERMINATED] = "truncated (no closing NUL)",
		[TFTP_BAD_OPTION] = "empty option name",
		[TFTP_BAD_VALUE] = "bad option value",
		[TFTP_BAD_DUPLICATE] = "option given twice",
		[TFTP_BAD_OVERSIZE] = "longer than 512 bytes",
		[TFTP_BAD_RANGE] = "option value out of range",
	};

	return (unsigned)reason < sizeof(s) / sizeof(s[0]) ? s[reason] : "?";
}
