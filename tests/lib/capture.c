/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capture: decode a corpus transcript (tests/corpus/README) into payload segments.
 * Each block's decoded length is checked against the len= of its header line, so a
 * transcript that does not round-trip fails loudly instead of feeding a parser junk. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture.h"
#include "tap.h"

static int hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One line of escaped text: \r \n \t \\ \xNN; the line's own newline is not payload. */
static size_t decode_text(const char *s, const char *end, uint8_t *out)
{
	size_t n = 0;

	while (s < end) {
		if (*s != '\\' || s + 1 >= end) {
			out[n++] = (uint8_t)*s++;
			continue;
		}
		switch (s[1]) {
		case 'r': out[n++] = '\r'; s += 2; break;
		case 'n': out[n++] = '\n'; s += 2; break;
		case 't': out[n++] = '\t'; s += 2; break;
		case '\\': out[n++] = '\\'; s += 2; break;
		case 'x':
			if (s + 3 < end && hexdig(s[2]) >= 0 && hexdig(s[3]) >= 0) {
				out[n++] = (uint8_t)(hexdig(s[2]) << 4 | hexdig(s[3]));
				s += 4;
				break;
			}
			/* fall through */
		default:
			out[n++] = (uint8_t)*s++;
		}
	}
	return n;
}

/* "0010  00 9c 00 01 ...  |ascii|": the bytes between the offset and the ascii column. */
static size_t decode_hex(const char *s, const char *end, uint8_t *out)
{
	size_t n = 0;

	while (s < end && *s != ' ')
		s++;
	for (;;) {
		while (s < end && *s == ' ')
			s++;
		if (s + 1 >= end || *s == '|' || hexdig(s[0]) < 0 || hexdig(s[1]) < 0)
			return n;
		out[n++] = (uint8_t)(hexdig(s[0]) << 4 | hexdig(s[1]));
		s += 2;
	}
}

/* "### frame=N t=T C->S src -> dst tcp len=L [notes]" or "### frame=N t=T GRE src -> dst
 * fields..." (GRE blocks carry no payload). */
static int parse_header(const char *s, const char *end, struct capture_seg *g, size_t *len)
{
	char line[512], dir[8], proto[8];
	int used = 0;

	if ((size_t)(end - s) >= sizeof(line))
		return -EINVAL;
	memcpy(line, s, (size_t)(end - s));
	line[end - s] = 0;
	*len = 0;
	if (sscanf(line, "### frame=%u t=%*s GRE %63s -> %63s%n", &g->frame, g->src, g->dst,
		   &used) == 3 && used) {
		g->proto = CAPTURE_GRE;
	} else if (sscanf(line, "### frame=%u t=%*s %7s %63s -> %63s %7s len=%zu%n", &g->frame, dir,
			  g->src, g->dst, proto, len, &used) == 6 && used &&
		   (!strcmp(dir, "C->S") || !strcmp(dir, "S->C")) &&
		   (!strcmp(proto, "tcp") || !strcmp(proto, "udp"))) {
		g->proto = strcmp(proto, "udp") ? CAPTURE_TCP : CAPTURE_UDP;
		g->to_server = !strcmp(dir, "C->S");
	} else {
		return -EINVAL;
	}
	snprintf(g->note, sizeof(g->note), "%s", line + used + (line[used] == ' '));
	g->retrans = strstr(g->note, "retransmission") != NULL;
	return 0;
}

static unsigned flow_of(const struct capture *c, const struct capture_seg *g)
{
	unsigned nflow = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct capture_seg *o = &c->seg[i];

		if ((!strcmp(o->src, g->src) && !strcmp(o->dst, g->dst)) ||
		    (!strcmp(o->src, g->dst) && !strcmp(o->dst, g->src)))
			return o->flow;
		if (o->flow + 1 > nflow)
			nflow = o->flow + 1;
	}
	return nflow;
}

static int load(struct capture *c, const char *text, size_t tlen, const char *path)
{
	const char *s = text, *end = text + tlen;
	bool hex = false;
	size_t nblocks = 0, out = 0;

	for (const char *q = text; (q = strstr(q, "\n### ")); q++)
		nblocks++;
	c->seg = calloc(nblocks + 1, sizeof(*c->seg));
	c->bytes = malloc(tlen + 1);
	if (!c->seg || !c->bytes)
		return -ENOMEM;
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		struct capture_seg *g = &c->seg[c->n];
		size_t want;

		if (!eol)
			eol = end;
		if (strncmp(s, "### ", 4)) {
			if (!c->n && memmem(s, (size_t)(eol - s), "payload as hex dump", 19))
				hex = true;
			s = eol + 1;
			continue;
		}
		if (c->n > nblocks || parse_header(s, eol, g, &want)) {
			tap_diag("%s: bad block header: %.*s", path, (int)(eol - s), s);
			return -EINVAL;
		}
		g->data = c->bytes + out;
		for (s = eol + 1; s < end && *s != '\n' && strncmp(s, "### ", 4); s = eol + 1) {
			eol = memchr(s, '\n', (size_t)(end - s));
			if (!eol)
				eol = end;
			if (hex && *s != '#')
				out += decode_hex(s, eol, c->bytes + out);
			else if (!hex)
				out += decode_text(s, eol, c->bytes + out);
		}
		g->len = (size_t)(c->bytes + out - g->data);
		if (g->len != want) {
			tap_diag("%s: frame %u decodes to %zu bytes, header says %zu", path, g->frame,
				 g->len, want);
			return -EINVAL;
		}
		g->flow = flow_of(c, g);
		c->n++;
	}
	return 0;
}

int capture_load(struct capture *c, const char *path)
{
	size_t tlen;
	uint8_t *text = tap_slurp(path, &tlen), *z;
	int rc;

	*c = (struct capture){ 0 };
	if (!text)
		return -ENOENT;
	if (!(z = realloc(text, tlen + 1))) {
		free(text);
		return -ENOMEM;
	}
	text = z;
	text[tlen] = 0; /* the block scan uses string functions */
	rc = load(c, (const char *)text, tlen, path);
	free(text);
	if (rc)
		capture_free(c);
	return rc;
}

void capture_free(struct capture *c)
{
	free(c->seg);
	free(c->bytes);
	*c = (struct capture){ 0 };
}
