/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <libsoup/soup.h>

#include "ga-cache.h"
#include "ga-lookup.h"

G_BEGIN_DECLS

/*
 * What the benchmarks talk to: a GREEN-API stand-in and a WhatsApp-CDN stand-in, both HTTPS
 * with tests/data/test-cert.pem, each in its own thread and main context (so that nothing the
 * measured client does on its main thread slows the "remote" side down), optionally behind a
 * relay that makes loopback behave like a network with a given round-trip time.
 */

/* Not a secret: a made-up token in the shape of a real one. */
#define GA_BENCH_ID_INSTANCE "1101000001"
#define GA_BENCH_TOKEN       "0b1e5c0de0b1e5c0de0b1e5c0de0b1e5c0de0b1e5c0de0b1e5"

typedef struct _GaBenchServers GaBenchServers;
typedef struct _GaBenchRelay   GaBenchRelay;

/* The certificate both servers present; clients must trust it (and only it). */
const char     *ga_bench_cert_file              (void);

/* Starts both servers on 127.0.0.1, port 0. */
GaBenchServers *ga_bench_servers_new            (void);
/* "https://127.0.0.1:PORT" of the servers themselves (no relay). */
guint16         ga_bench_servers_get_api_port   (GaBenchServers *self);
guint16         ga_bench_servers_get_image_port (GaBenchServers *self);
/* The origin getAvatar answers put into urlAvatar, e.g. the image relay's. */
void            ga_bench_servers_set_image_origin (GaBenchServers *self,
                                                   const char     *origin);
/* The JPEG the image host serves: 640x640, about the size of a WhatsApp avatar. */
GBytes         *ga_bench_servers_get_jpeg       (GaBenchServers *self);
guint           ga_bench_servers_get_api_requests   (GaBenchServers *self);
guint           ga_bench_servers_get_image_requests (GaBenchServers *self);
void            ga_bench_servers_set_avatar_rate (GaBenchServers *self,
                                                  guint           per_second);
guint           ga_bench_servers_get_n_429      (GaBenchServers *self);

/**
 * ga_bench_relay_new:
 * @target_port: the port on 127.0.0.1 to forward to
 * @rtt_us: the round-trip time to emulate
 *
 * A TCP relay on 127.0.0.1 (port 0) that delays every byte by @rtt_us / 2 in each direction,
 * keeping order, and delays the first delivery to the server by one more round trip after
 * the connection was accepted: a client that writes as soon as connect() returns (TLS, HTTP)
 * then sees what a real TCP handshake costs, one round trip before its first byte can leave.
 */
GaBenchRelay   *ga_bench_relay_new              (guint16         target_port,
                                                 gint64          rtt_us,
                                                 GError        **error);
guint16         ga_bench_relay_get_port         (GaBenchRelay   *self);
/* Connections accepted so far. */
guint           ga_bench_relay_get_connections  (GaBenchRelay   *self);

/* Sets up the process as src/main.c sets up the app's (the malloc arenas); first thing in
 * main(), before any thread starts. */
void            ga_bench_init_like_app          (void);

/* A session made by ga_http_session_new() that trusts the bench certificate. */
SoupSession    *ga_bench_session_new            (void);

/* A client of the bench API on @session, with a limiter of its own that does not pace (10
 * getAvatar a second would dominate what the benchmark measures). */
GaClient       *ga_bench_client_new_unpaced     (SoupSession    *session,
                                                 const char     *api_url);

/* Resident set size of this process, in bytes (from /proc/self/statm). */
guint64         ga_bench_rss_bytes              (void);

/* The app's lookup of @input (parsed first, as the window does), waited for by spinning the
 * thread-default main context: ga_lookup_with_cache_async() (which preconnects to the cache's
 * image origin and stores the picture), or ga_lookup_async() when @cache is %NULL. */
GaLookupResult *ga_bench_lookup                 (GaClient       *client,
                                                 GaCache        *cache,
                                                 const char     *input,
                                                 GError        **error);
/* What the app does with a downloaded picture: ga_cache_store_async(), waited for. */
void            ga_bench_cache_store            (GaCache        *cache,
                                                 GaLookupResult *result);

/* Deletes a temporary directory the benchmark made, with everything in it. */
void            ga_bench_remove_tree            (const char     *directory);

/* Spins the thread-default main context until *@flag is TRUE. */
void            ga_bench_wait_for               (gboolean       *flag);

int             ga_bench_compare_double         (gconstpointer   a,
                                                 gconstpointer   b);
/* Sorts @values in place. */
double          ga_bench_median                 (GArray         *values);
double          ga_bench_percentile             (GArray         *values,
                                                 double          fraction);

G_END_DECLS
