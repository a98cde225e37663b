/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A server that writes exactly the bytes it is given, for faults that a real HTTP server
 * cannot make: a reset in the middle of the headers or the body, an answer that never comes
 * or drips one byte a second, any number of retries or redirects. Each connection carries one
 * request; connections are handled in threads of their own, so nothing here depends on the
 * test's main context. It uses no libsoup, so the heap of a test that talks only to it holds
 * nothing but the client's own memory.
 */

typedef enum
{
  GA_RAW_CLOSE,  /* write the response, then close */
  GA_RAW_RESET,  /* write the response, then reset the connection (RST) */
  GA_RAW_HANG,   /* write the response (maybe nothing), then wait until the server stops */
  GA_RAW_DRIP,   /* write the response, then one byte of body per second until stopped */
} GaRawAfter;

typedef struct _GaRawServer GaRawServer;

GaRawServer *ga_raw_server_new           (void);
void         ga_raw_server_free          (GaRawServer *raw);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaRawServer, ga_raw_server_free)

/* "http://127.0.0.1:PORT" */
const char  *ga_raw_server_get_url       (GaRawServer *raw);

/* What every request gets (unless a route matches), and resets the request count. */
void         ga_raw_server_set           (GaRawServer *raw,
                                          GaRawAfter   after,
                                          const char  *response);
/* Wait this long before answering each request. */
void         ga_raw_server_set_delay     (GaRawServer *raw,
                                          guint        delay_ms);
/* Requests whose request line contains @needle get @response instead (closed after). In any
 * response, the first "{{N}}" is replaced by the request's serial number (five digits). */
void         ga_raw_server_add_route     (GaRawServer *raw,
                                          const char  *needle,
                                          GBytes      *response);
guint        ga_raw_server_get_requests  (GaRawServer *raw);

/* A complete "HTTP/1.1 200 OK" answer with Connection: close. */
GBytes      *ga_raw_response_new         (guint        status,
                                          const char  *content_type,
                                          GBytes      *body);

G_END_DECLS
