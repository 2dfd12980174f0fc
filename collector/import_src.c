/*
 * An input of import read exactly once: open, detect compression from the
 * first raw bytes, decompress through zlib / liblzma / libzstd as a stream,
 * keep the first decompressed bytes for format detection, then hand the data
 * on as a stdio stream (text) or a seekable descriptor (trace.dat).
 */
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>
#include "collector/import_src.h"

#define RAW_CAP (64 * 1024)
#define XZ_MEMLIMIT (512ull << 20)	/* a crafted xz header may ask for any amount */
#define ZSTD_WINDOW_LOG_MAX 27		/* 128 MB, zstd's own default limit */

struct import_src {
	char *path;
	int fd, own_fd;
	int regular;
	uint64_t size, consumed;
	enum import_comp comp;
	enum import_format fmt;
	unsigned char *in;		/* raw bytes read, not yet decompressed */
	size_t in_pos, in_len;
	int in_eof;
	z_stream z;
	lzma_stream x;
	ZSTD_DStream *zs;
	int z_on, x_on;
	size_t zs_left;			/* zstd: nonzero while a frame is unfinished */
	int dec_end;			/* the decompressed data ended */
	unsigned char head[IMPORT_SNIFF];	/* first decompressed bytes */
	size_t head_len, head_pos;
	FILE *stream;
	int tmp_fd;
	char err[512];
};

static const unsigned char dat_magic[] = "\x17\x08\x44tracing";

/* Compressed formats by their magic. */
static const struct { const char *magic; size_t len; enum import_comp comp; const char *name; } comps[] = {
	{ "\x1f\x8b", 2, COMP_GZIP, "gzip" },
	{ "\xfd" "7zXZ\x00", 6, COMP_XZ, "xz" },
	{ "\x28\xb5\x2f\xfd", 4, COMP_ZSTD, "zstd" },
};

/* Known non-trace formats, so the error says what the file is. */
static const struct { const char *magic; size_t len; const char *what; } others[] = {
	{ "\x89PNG\r\n\x1a\n", 8, "a PNG image" },
	{ "SQLite format 3", 16, "an SQLite database" },
	{ "\x7f" "ELF", 4, "an ELF binary" },
	{ "%PDF", 4, "a PDF document" },
	{ "PK\x03\x04", 4, "a zip archive" },
	{ "BZh", 3, "bzip2 data (decompress it first)" },
};

/* Read more raw bytes when the buffer is used up; -1 on a read error. */
static int raw_fill(struct import_src *s)
{
	ssize_t n;
	if (s->in_pos < s->in_len || s->in_eof)
		return 0;
	do
		n = read(s->fd, s->in, RAW_CAP);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		snprintf(s->err, sizeof(s->err), "%s: read error: %s", s->path, strerror(errno));
		return -1;
	}
	s->in_pos = 0;
	s->in_len = (size_t)n;
	s->consumed += (uint64_t)n;
	if (n == 0)
		s->in_eof = 1;
	return 0;
}

/* The name of the compression, for messages. */
static const char *comp_name(enum import_comp c)
{
	for (size_t i = 0; i < sizeof(comps) / sizeof(comps[0]); i++)
		if (comps[i].comp == c)
			return comps[i].name;
	return "plain";
}

/* Set the error of corrupt or truncated compressed data; returns -1. */
static int bad_data(struct import_src *s, const char *what)
{
	snprintf(s->err, sizeof(s->err), "%s: %s %s data", s->path, what, comp_name(s->comp));
	return -1;
}

/* gzip: inflate; concatenated members go on. */
static ssize_t read_gzip(struct import_src *s, unsigned char *buf, size_t n)
{
	s->z.next_out = buf;
	s->z.avail_out = (uInt)n;
	while (s->z.avail_out == n) {
		int rc;
		if (raw_fill(s))
			return -1;
		if (s->in_pos == s->in_len) {
			if (s->z.total_in == 0 && s->z.total_out == 0)
				break;	/* ended cleanly after the last member */
			return bad_data(s, "truncated");
		}
		s->z.next_in = s->in + s->in_pos;
		s->z.avail_in = (uInt)(s->in_len - s->in_pos);
		rc = inflate(&s->z, Z_NO_FLUSH);
		s->in_pos = s->in_len - s->z.avail_in;
		if (rc == Z_STREAM_END) {
			inflateReset(&s->z);	/* the next member, if any, starts afresh */
			s->z.total_in = s->z.total_out = 0;
			if (s->z.avail_out == n)
				continue;
			break;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return bad_data(s, "corrupt");
	}
	return (ssize_t)(n - s->z.avail_out);
}

/* xz: liblzma with concatenated streams and a memory limit. */
static ssize_t read_xz(struct import_src *s, unsigned char *buf, size_t n)
{
	s->x.next_out = buf;
	s->x.avail_out = n;
	while (s->x.avail_out == n) {
		lzma_ret rc;
		if (raw_fill(s))
			return -1;
		s->x.next_in = s->in + s->in_pos;
		s->x.avail_in = s->in_len - s->in_pos;
		rc = lzma_code(&s->x, s->in_eof ? LZMA_FINISH : LZMA_RUN);
		s->in_pos = s->in_len - s->x.avail_in;
		if (rc == LZMA_STREAM_END)
			break;
		if (rc == LZMA_MEMLIMIT_ERROR || rc == LZMA_MEM_ERROR) {
			snprintf(s->err, sizeof(s->err), "%s: xz data that needs more than %llu MB "
				 "to decompress", s->path, XZ_MEMLIMIT >> 20);
			return -1;
		}
		if (rc == LZMA_BUF_ERROR)
			return bad_data(s, "truncated");
		if (rc != LZMA_OK)
			return bad_data(s, "corrupt");
	}
	return (ssize_t)(n - s->x.avail_out);
}

/* zstd: frames one after another. */
static ssize_t read_zstd(struct import_src *s, unsigned char *buf, size_t n)
{
	ZSTD_outBuffer out = { buf, n, 0 };
	while (out.pos == 0) {
		ZSTD_inBuffer in;
		size_t rc;
		if (raw_fill(s))
			return -1;
		if (s->in_pos == s->in_len) {
			if (s->zs_left)
				return bad_data(s, "truncated");
			break;
		}
		in.src = s->in;
		in.size = s->in_len;
		in.pos = s->in_pos;
		rc = ZSTD_decompressStream(s->zs, &out, &in);
		s->in_pos = in.pos;
		if (ZSTD_isError(rc)) {
			if (ZSTD_getErrorCode(rc) == ZSTD_error_frameParameter_windowTooLarge)
				snprintf(s->err, sizeof(s->err), "%s: zstd data that needs a window "
					 "over %d MB", s->path, 1 << (ZSTD_WINDOW_LOG_MAX - 20));
			else
				bad_data(s, "corrupt");
			return -1;
		}
		s->zs_left = rc;
	}
	return (ssize_t)out.pos;
}

/* Up to n decompressed bytes; 0 at the end, -1 with s->err set. */
static ssize_t dec_read(struct import_src *s, unsigned char *buf, size_t n)
{
	size_t got;
	if (s->dec_end || n == 0)
		return 0;
	switch (s->comp) {
	case COMP_GZIP:
		return read_gzip(s, buf, n);
	case COMP_XZ:
		return read_xz(s, buf, n);
	case COMP_ZSTD:
		return read_zstd(s, buf, n);
	case COMP_NONE:
		break;
	}
	if (raw_fill(s))
		return -1;
	got = s->in_len - s->in_pos < n ? s->in_len - s->in_pos : n;
	memcpy(buf, s->in + s->in_pos, got);
	s->in_pos += got;
	return (ssize_t)got;
}

/* Set up the decompressor named by the first raw bytes. */
static int start_decoder(struct import_src *s)
{
	while (s->in_len < 8 && !s->in_eof) {	/* a pipe may hand over a few bytes at a time */
		ssize_t n;
		do
			n = read(s->fd, s->in + s->in_len, RAW_CAP - s->in_len);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			snprintf(s->err, sizeof(s->err), "%s: %s", s->path, strerror(errno));
			return -1;
		}
		if (n == 0)
			s->in_eof = 1;
		s->in_len += (size_t)n;
		s->consumed += (uint64_t)n;
	}
	for (size_t i = 0; i < sizeof(comps) / sizeof(comps[0]); i++)
		if (s->in_len >= comps[i].len && !memcmp(s->in, comps[i].magic, comps[i].len))
			s->comp = comps[i].comp;
	if (s->comp == COMP_GZIP) {
		if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
			goto nomem;
		s->z_on = 1;
	} else if (s->comp == COMP_XZ) {
		lzma_stream init = LZMA_STREAM_INIT;
		s->x = init;
		if (lzma_stream_decoder(&s->x, XZ_MEMLIMIT, LZMA_CONCATENATED) != LZMA_OK)
			goto nomem;
		s->x_on = 1;
	} else if (s->comp == COMP_ZSTD) {
		if (!(s->zs = ZSTD_createDStream()))
			goto nomem;
		ZSTD_DCtx_setParameter(s->zs, ZSTD_d_windowLogMax, ZSTD_WINDOW_LOG_MAX);
	}
	return 0;
nomem:
	snprintf(s->err, sizeof(s->err), "%s: out of memory", s->path);
	return -1;
}

/* Format of the first decompressed bytes; err says why when it is no trace. */
static enum import_format sniff(struct import_src *s)
{
	const unsigned char *b = s->head;
	size_t n = s->head_len;
	const char *c = s->comp ? comp_name(s->comp) : NULL;

	if (n == 0) {
		snprintf(s->err, sizeof(s->err), "%s: empty %s%s, not a trace", s->path,
			 c ? c : "file", c ? " data" : "");
		return IMPORT_UNKNOWN;
	}
	if (n >= sizeof(dat_magic) - 1 && memcmp(b, dat_magic, sizeof(dat_magic) - 1) == 0)
		return IMPORT_DAT;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (n >= others[i].len && memcmp(b, others[i].magic, others[i].len) == 0) {
			snprintf(s->err, sizeof(s->err), "%s: is %s, not a trace", s->path,
				 others[i].what);
			return IMPORT_UNKNOWN;
		}
	if (memchr(b, 0, n)) {
		snprintf(s->err, sizeof(s->err), "%s: binary data, not a trace.dat or text trace",
			 s->path);
		return IMPORT_UNKNOWN;
	}
	return IMPORT_TEXT;
}

/* Open, start decompression, read the head and detect the format. */
struct import_src *import_src_open(const char *path, char *err, size_t len)
{
	struct import_src *s = calloc(1, sizeof(*s));
	struct stat st;

	if (!s || !(s->in = malloc(RAW_CAP)) || !(s->path = strdup(path))) {
		snprintf(err, len, "%s: out of memory", path);
		goto fail;
	}
	s->tmp_fd = -1;
	if (!strcmp(path, "-")) {
		s->fd = STDIN_FILENO;
	} else {
		s->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->fd < 0) {
			snprintf(err, len, "%s: %s", path, strerror(errno));
			goto fail;
		}
		s->own_fd = 1;
	}
	if (fstat(s->fd, &st) != 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, len, "%s: is a directory, not a trace", path);
		goto fail;
	}
	s->regular = S_ISREG(st.st_mode);
	s->size = s->regular ? (uint64_t)st.st_size : 0;
	if (start_decoder(s))
		goto fail_msg;
	while (s->head_len < sizeof(s->head)) {
		ssize_t n = dec_read(s, s->head + s->head_len, sizeof(s->head) - s->head_len);
		if (n < 0)
			goto fail_msg;
		if (n == 0) {
			s->dec_end = 1;
			break;
		}
		s->head_len += (size_t)n;
	}
	s->fmt = sniff(s);
	if (s->fmt == IMPORT_UNKNOWN)
		goto fail_msg;
	return s;
fail_msg:
	snprintf(err, len, "%s", s->err);
fail:
	import_src_close(s);
	return NULL;
}

enum import_format import_src_format(const struct import_src *s) { return s->fmt; }
enum import_comp import_src_comp(const struct import_src *s) { return s->comp; }
const char *import_src_path(const struct import_src *s) { return s->path; }
int import_src_regular(const struct import_src *s) { return s->regular; }
uint64_t import_src_size(const struct import_src *s) { return s->size; }
uint64_t import_src_consumed(const struct import_src *s) { return s->consumed; }
const char *import_src_error(const struct import_src *s) { return s->err; }

/* fopencookie read: the head first, then the rest of the decompressed data. */
static ssize_t cookie_read(void *cookie, char *buf, size_t n)
{
	struct import_src *s = cookie;
	ssize_t got;
	if (s->head_pos < s->head_len) {
		size_t k = s->head_len - s->head_pos < n ? s->head_len - s->head_pos : n;
		memcpy(buf, s->head + s->head_pos, k);
		s->head_pos += k;
		return (ssize_t)k;
	}
	got = dec_read(s, (unsigned char *)buf, n);
	if (got == 0)
		s->dec_end = 1;
	if (got < 0)
		errno = EIO;
	return got;
}

FILE *import_src_stream(struct import_src *s)
{
	cookie_io_functions_t io = { .read = cookie_read };
	if (!s->stream)
		s->stream = fopencookie(s, "r", io);
	return s->stream;
}

/* Copy everything left (head first) to an unlinked temporary file. */
static int spool(struct import_src *s, char *err, size_t len)
{
	const char *dir = getenv("TMPDIR");
	unsigned char *buf = malloc(RAW_CAP);
	char tmpl[4096];
	int fd;
	ssize_t n;

	if (!dir || !*dir)
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(tmpl, sizeof(tmpl), "%s/nvtrace-import-XXXXXX", dir);
		fd = mkstemp(tmpl);
		if (fd >= 0)
			unlink(tmpl);
	}
	if (fd < 0 || !buf) {
		snprintf(err, len, "%s: cannot make a temporary copy in %s: %s", s->path, dir,
			 buf ? strerror(errno) : "out of memory");
		goto fail;
	}
	while ((n = cookie_read(s, (char *)buf, RAW_CAP)) > 0)
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				snprintf(err, len, "%s: cannot make a temporary copy in %s: %s",
					 s->path, dir, strerror(w < 0 ? errno : ENOSPC));
				goto fail;
			}
			off += w;
		}
	if (n < 0) {
		snprintf(err, len, "%s", s->err);
		goto fail;
	}
	free(buf);
	lseek(fd, 0, SEEK_SET);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return -1;
}

int import_src_fd(struct import_src *s, char *err, size_t len)
{
	if (s->tmp_fd >= 0)
		return s->tmp_fd;
	if (s->comp == COMP_NONE && s->regular && lseek(s->fd, 0, SEEK_SET) == 0)
		return s->fd;
	s->tmp_fd = spool(s, err, len);
	return s->tmp_fd;
}

void import_src_close(struct import_src *s)
{
	if (!s)
		return;
	if (s->stream)
		fclose(s->stream);
	if (s->z_on)
		inflateEnd(&s->z);
	if (s->x_on)
		lzma_end(&s->x);
	ZSTD_freeDStream(s->zs);
	if (s->own_fd)
		close(s->fd);
	if (s->tmp_fd >= 0)
		close(s->tmp_fd);
	free(s->in);
	free(s->path);
	free(s);
}
