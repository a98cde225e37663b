/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <libsoup/soup.h>

#include "ga-test-utils.h"

G_BEGIN_DECLS

/*
 * A programmable stand-in for GREEN-API and for the image host: a real SoupServer on
 * 127.0.0.1, port 0, running in the thread-default main context of the caller. A test queues
 * replies per path; each request consumes the next reply queued for its path. A request for
 * which nothing is queued is answered 599 and fails the test (at ga_test_server_free() at the
 * latest). Replies can be delayed, dripped, dropped or never sent.
 */

typedef struct _GaTestServer GaTestServer;
typedef struct _GaTestReply  GaTestReply;

#define GA_TEST_ID_INSTANCE "1101000001"
/* Looks like a real token; tests assert it never shows up in output. */
#define GA_TEST_TOKEN       "d75b3a66374942c5b3c019c698abc2067e151558acbd412345"

GaTestServer *ga_test_server_new                 (void);
/* Same, but serving HTTPS with a self-signed certificate (for TLS failure tests). */
GaTestServer *ga_test_server_new_tls             (void);
void          ga_test_server_free                (GaTestServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaTestServer, ga_test_server_free)

/* "http://127.0.0.1:PORT", no trailing slash. */
const char   *ga_test_server_get_url             (GaTestServer *server);
/* "/waInstance" GA_TEST_ID_INSTANCE "/@method/" GA_TEST_TOKEN */
char         *ga_test_server_api_path            (const char   *method);

/**
 * ga_test_server_expect:
 * Queues one reply for the next request to @path (query string ignored). The reply
 * defaults to 200 with an empty body; configure it with the setters below.
 */
GaTestReply  *ga_test_server_expect              (GaTestServer *server,
                                                  const char   *path);
/* Shorthand: ga_test_server_expect (server, api_path ("getAvatar")) + status + JSON body. */
GaTestReply  *ga_test_server_expect_api          (GaTestServer *server,
                                                  const char   *method,
                                                  guint         status,
                                                  const char   *json);

void          ga_test_reply_set_status           (GaTestReply  *reply,
                                                  guint         status);
void          ga_test_reply_set_body             (GaTestReply  *reply,
                                                  const char   *content_type,
                                                  const void   *data,
                                                  gssize        length);
void          ga_test_reply_set_body_bytes       (GaTestReply  *reply,
                                                  const char   *content_type,
                                                  GBytes       *bytes);
void          ga_test_reply_set_header           (GaTestReply  *reply,
                                                  const char   *name,
                                                  const char   *value);
/* Wait before answering. */
void          ga_test_reply_set_delay            (GaTestReply  *reply,
                                                  guint         delay_ms);
/* Close the connection without answering. */
void          ga_test_reply_set_drop             (GaTestReply  *reply);
/* Accept the request and never answer. */
void          ga_test_reply_set_hang             (GaTestReply  *reply);
/* Accept the request and answer it (after its delay, if any) only once
 * ga_test_server_release() was called: a test can look at what happens meanwhile without
 * racing the answer. */
void          ga_test_reply_set_hold             (GaTestReply  *reply);
/* Send the body in chunks of @chunk_size bytes, @interval_ms apart. */
void          ga_test_reply_set_drip             (GaTestReply  *reply,
                                                  gsize         chunk_size,
                                                  guint         interval_ms);

/* Requests received for @path so far (NULL: all paths). */
guint         ga_test_server_get_request_count   (GaTestServer *server,
                                                  const char   *path);
/* The body of the last request to @path, NUL-terminated, or NULL. */
const char   *ga_test_server_get_last_body       (GaTestServer *server,
                                                  const char   *path);
/* When each request to @path arrived (g_get_monotonic_time() in µs, in order): a new
 * reference to an array of gint64, empty when none came. */
GArray       *ga_test_server_get_arrival_times   (GaTestServer *server,
                                                  const char   *path);
/* The most of @times (sorted) that fall into any one window of @window_us. */
guint         ga_test_max_in_window              (GArray       *times,
                                                  gint64        window_us);
/* Answers the held replies: those whose request came now, the others when it comes. */
void          ga_test_server_release             (GaTestServer *server);
/* Asserts that every queued reply was consumed and nothing unexpected came. */
void          ga_test_server_assert_done         (GaTestServer *server);

G_END_DECLS
