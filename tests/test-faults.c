/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-client.h"
#include "ga-error.h"
#include "ga-http.h"
#include "ga-lookup.h"
#include "ga-raw-server.h"
#include "ga-test-server.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

/*
 * The fault matrix: every way the GREEN-API host or the image host can misbehave, driven
 * through the real ga_lookup_async() chain. Each case checks that the lookup ends in the
 * right error, within a bounded time, without buffering what it should refuse, and that the
 * same client then completes a good lookup.
 *
 * HTTP-level faults come from the team's fixture (tests/ga-test-server.c). Transport-level
 * faults (a reset in the middle of the headers or the body, a server that never answers or
 * drips one byte a second, redirect loops, a retry count that depends on the client) come
 * from GaRawServer (tests/ga-raw-server.c): a server that writes exactly the bytes it is given.
 */

/* The client's total timeout, the picture download's deadline and the session's I/O timeout
 * in these tests. */
#define TIMEOUT_SECONDS 3
/* Every failing lookup must end within this many seconds: the timeout plus generous slack
 * for a busy two-core machine. */
#define BOUND_SECONDS 15
#define WAIT_MS ((BOUND_SECONDS + 10) * 1000)
#define MAX_RETRIES 2
#define HUGE_SIZE (50 * 1024 * 1024)

/* ──────────────────────────────── Fixture ──────────────────────────────── */

typedef struct
{
  GaTestServer *server;      /* (owned): the API and the image host */
  SoupSession  *session;     /* (owned) */
  GaClient     *client;      /* (owned): talks to @server */
  char         *avatar_path; /* (owned) */
  GBytes       *png;         /* (owned): a small good picture */
  guint         serial;      /* makes chat IDs and image paths unique */
} Fixture;

/* These tests are about the client's handling of each fault, not about pacing (test-limiter):
 * a 429 with an absurd Retry-After would otherwise pause the instance for 30 s, as it should. */
static GaLimiter *
unpaced_limiter (void)
{
  static GaLimiter *limiter;

  if (limiter == NULL)
    limiter = ga_limiter_new_unpaced ();

  return limiter;
}

static GaClient *
make_client (SoupSession *session,
             const char  *api_url)
{
  return g_object_new (GA_TYPE_CLIENT,
                       "session", session,
                       "api-url", api_url,
                       "id-instance", GA_TEST_ID_INSTANCE,
                       "limiter", unpaced_limiter (),
                       "token", GA_TEST_TOKEN,
                       "max-retries", MAX_RETRIES,
                       "retry-delay-ms", 20,
                       "timeout-seconds", TIMEOUT_SECONDS,
                       "image-timeout-seconds", TIMEOUT_SECONDS,
                       NULL);
}

static GBytes *
make_png (guint width,
          guint height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x22aa44ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  user_data)
{
  f->server = ga_test_server_new ();
  f->session = ga_http_session_new ();
  g_object_set (f->session, "timeout", TIMEOUT_SECONDS, NULL);
  f->client = make_client (f->session, ga_test_server_get_url (f->server));
  f->avatar_path = ga_test_server_api_path ("getAvatar");
  f->png = make_png (8, 8);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  user_data)
{
  ga_test_server_assert_done (f->server);
  g_clear_object (&f->client);
  g_clear_object (&f->session);
  g_clear_pointer (&f->server, ga_test_server_free);
  g_clear_pointer (&f->avatar_path, g_free);
  g_clear_pointer (&f->png, g_bytes_unref);
}

static char *
next_image_path (Fixture *f)
{
  return g_strdup_printf ("/img/v/t61.24694-24/%u_n.png", ++f->serial);
}

typedef struct
{
  gboolean        done;
  GaLookupResult *result;
  GError         *error;
} LookupData;

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LookupData *data = user_data;

  data->result = ga_lookup_finish (GA_CLIENT (source), result, &data->error);
  data->done = TRUE;
}

/* Runs one lookup to its end; *@elapsed_ms says how long it took. */
static GaLookupResult *
run_lookup (GaClient  *client,
            gint64    *elapsed_ms,
            GError   **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  static guint serial;
  g_autofree char *chat_id = g_strdup_printf ("1900555%04u@c.us", ++serial % 10000);
  LookupData data = { 0, };
  gint64 start = g_get_monotonic_time ();

  ga_lookup_async (client, chat_id, cancellable, lookup_cb, &data);
  ga_test_wait_for (&data.done, WAIT_MS);
  if (!data.done)
    {
      /* Already a failure; end the lookup before @data goes out of scope. */
      g_cancellable_cancel (cancellable);
      ga_test_wait_for (&data.done, 5000);
      if (!data.done)
        g_error ("A cancelled lookup never completed");
    }

  if (elapsed_ms != NULL)
    *elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_true ((data.result != NULL) != (data.error != NULL));
  if (data.error != NULL)
    g_propagate_error (error, data.error);

  return data.result;
}

/* Every error a person may see: non-empty, valid UTF-8, never the token. */
static void
assert_error_is_presentable (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_null (strstr (error->message, GA_TEST_TOKEN));
}

/* A call that the session's 1 s I/O timeout ended, not the client's 30 s total timeout: the
 * error is the I/O timeout's (GIO's G_IO_ERROR_TIMED_OUT in words for people), not the deadline's
 * "did not answer within 30 seconds", and it took at least the I/O timeout. Which mechanism ended
 * the call is what is checked, not how fast: load stretches the time, never the mechanism
 * (run_lookup() fails a lookup that never ends). */
static void
assert_ended_by_io_timeout (const GError *error,
                            gint64        elapsed_ms)
{
  g_assert_error (error, GA_ERROR, GA_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "did not answer in time"));
  g_assert_null (strstr (error->message, "30 seconds"));
  g_assert_cmpint (elapsed_ms, >=, 900);
}

/* Runs a lookup that must fail with @code, within the bound. */
static void
assert_lookup_fails (GaClient *client,
                     GaError   code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) result = NULL;
  gint64 elapsed_ms = 0;

  result = run_lookup (client, &elapsed_ms, &error);
  g_assert_error (error, GA_ERROR, (int) code);
  assert_error_is_presentable (error);
  g_assert_cmpint (elapsed_ms, <, BOUND_SECONDS * 1000);
}

static char *
image_url (Fixture    *f,
           const char *path)
{
  return g_strconcat (ga_test_server_get_url (f->server), path, NULL);
}

static char *
avatar_json (const char *url)
{
  return g_strdup_printf ("{\"urlAvatar\": \"%s\", \"available\": true}", url);
}

/* Queues a good picture under a fresh path and returns the getAvatar answer pointing at it. */
static char *
queue_good_image (Fixture *f)
{
  g_autofree char *path = next_image_path (f);
  g_autofree char *url = image_url (f, path);
  GaTestReply *reply = ga_test_server_expect (f->server, path);

  ga_test_reply_set_body_bytes (reply, "image/png", f->png);

  return avatar_json (url);
}

static void
assert_lookup_succeeds (GaClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) result = NULL;

  result = run_lookup (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (ga_avatar_info_get_state (ga_lookup_result_get_info (result)),
                   ==, GA_AVATAR_STATE_HAS_AVATAR);
  g_assert_nonnull (ga_lookup_result_get_texture (result));
  g_assert_cmpint (gdk_texture_get_width (ga_lookup_result_get_texture (result)), ==, 8);
}

/* The proof that a fault left nothing broken: the same client looks up a picture. */
static void
assert_still_usable (Fixture *f)
{
  g_autofree char *json = queue_good_image (f);

  ga_test_server_expect_api (f->server, "getAvatar", 200, json);
  assert_lookup_succeeds (f->client);
  ga_test_server_assert_done (f->server);
}

/* Same, for a client whose API is a GaRawServer: the picture still comes from the fixture. */
static void
assert_raw_still_usable (Fixture   *f,
                         GaClient  *client,
                         GaRawServer *raw)
{
  g_autofree char *json = queue_good_image (f);
  g_autofree char *response = NULL;

  response = g_strdup_printf ("HTTP/1.1 200 OK\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: %zu\r\n"
                              "Connection: close\r\n"
                              "\r\n%s", strlen (json), json);
  ga_raw_server_set (raw, GA_RAW_CLOSE, response);
  assert_lookup_succeeds (client);
  g_assert_cmpuint (ga_raw_server_get_requests (raw), ==, 1);
  ga_test_server_assert_done (f->server);
}

/* Watches the resident set size while a lookup runs: the peak of samples taken every few
 * milliseconds, less the size at the start. (getrusage's ru_maxrss is a high-water mark for
 * the whole process, which an earlier test may already have raised.) */
typedef struct
{
  glong baseline_kb;
  glong peak_kb;
  guint source_id;
} RssWatch;

static glong
current_rss_kb (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0;
  unsigned long resident = 0;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  g_assert_cmpint (sscanf (statm, "%lu %lu", &size, &resident), ==, 2);

  return (glong) (resident * (sysconf (_SC_PAGESIZE) / 1024));
}

static gboolean
rss_sample_cb (gpointer user_data)
{
  RssWatch *watch = user_data;

  watch->peak_kb = MAX (watch->peak_kb, current_rss_kb ());

  return G_SOURCE_CONTINUE;
}

static void
rss_watch_start (RssWatch *watch)
{
  watch->baseline_kb = watch->peak_kb = current_rss_kb ();
  watch->source_id = g_timeout_add (2, rss_sample_cb, watch);
}

/* Returns how far above the start the resident size went, in kB. */
static glong
rss_watch_stop (RssWatch *watch)
{
  rss_sample_cb (watch);
  g_clear_handle_id (&watch->source_id, g_source_remove);

  return watch->peak_kb - watch->baseline_kb;
}

/* 50 MB of zeros whose pages are never touched unless someone reads them: calloc maps them
 * lazily, so the peak RSS only grows by what the server actually sends. */
static GBytes *
huge_bytes (void)
{
  return g_bytes_new_take (g_malloc0 (HUGE_SIZE), HUGE_SIZE);
}

/* ───────────────────────────── Transport faults ───────────────────────────── */

/* "http://127.0.0.1:PORT" for a port that was just free and is closed again: nothing listens
 * there, so a connection is refused. */
static char *
closed_port_url (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  char *url;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, &error);
  g_assert_no_error (error);

  return url;
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  user_data)
{
  g_autoptr(GaClient) client = NULL;
  g_autofree char *url = closed_port_url ();

  client = make_client (f->session, url);
  assert_lookup_fails (client, GA_ERROR_NETWORK);

  /* The shared session is unharmed. */
  assert_still_usable (f);
}

typedef struct
{
  const char *response;
  GaRawAfter    after;
  GaError     code;
} RawCase;

static const RawCase reset_in_headers = {
  "HTTP/1.1 200 OK\r\nContent-Type: applica", GA_RAW_RESET, GA_ERROR_NETWORK,
};
static const RawCase close_in_headers = {
  "HTTP/1.1 200 OK\r\nContent-Type: applica", GA_RAW_CLOSE, GA_ERROR_NETWORK,
};
static const RawCase reset_before_answer = {
  "", GA_RAW_RESET, GA_ERROR_NETWORK,
};
static const RawCase reset_in_body = {
  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"
  "{\"urlAvatar\": \"https://pps.whatsapp.net/v/t61.24694-24/1", GA_RAW_RESET, GA_ERROR_NETWORK,
};
static const RawCase close_in_body = {
  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"
  "{\"urlAvatar\": \"https://pps.whatsapp.net/v/t61.24694-24/1", GA_RAW_CLOSE, GA_ERROR_NETWORK,
};
static const RawCase reset_in_chunked_body = {
  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
  "10\r\n{\"urlAvatar\": \"h\r\n", GA_RAW_RESET, GA_ERROR_NETWORK,
};
static const RawCase never_answers = {
  "", GA_RAW_HANG, GA_ERROR_TIMEOUT,
};
static const RawCase headers_then_nothing = {
  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
  GA_RAW_HANG, GA_ERROR_TIMEOUT,
};
static const RawCase drips = {
  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n",
  GA_RAW_DRIP, GA_ERROR_TIMEOUT,
};
static const RawCase redirect_loop = {
  "HTTP/1.1 307 Temporary Redirect\r\n"
  "Location: /waInstance" GA_TEST_ID_INSTANCE "/getAvatar/" GA_TEST_TOKEN "\r\n"
  "Content-Length: 0\r\nConnection: close\r\n\r\n", GA_RAW_CLOSE, GA_ERROR_HTTP,
};
static const RawCase garbage_status_line = {
  "\x89PNG\r\n\x1a\n\0\0\0 not HTTP at all\r\n\r\n", GA_RAW_CLOSE, GA_ERROR_NETWORK,
};

static void
test_raw (Fixture       *f,
          gconstpointer  user_data)
{
  const RawCase *c = user_data;
  g_autoptr(GaRawServer) raw = ga_raw_server_new ();
  g_autoptr(GaClient) client = make_client (f->session, ga_raw_server_get_url (raw));

  ga_raw_server_set (raw, c->after, c->response);
  assert_lookup_fails (client, c->code);
  g_assert_cmpuint (ga_raw_server_get_requests (raw), >=, 1);
  /* A redirect loop is cut off, not followed forever. */
  g_assert_cmpuint (ga_raw_server_get_requests (raw), <=, 25);

  assert_raw_still_usable (f, client, raw);
}

/* A redirect loop on the image host ends in an image error. */
static void
test_image_redirect_loop (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(GaRawServer) raw = ga_raw_server_new ();
  g_autofree char *url = g_strconcat (ga_raw_server_get_url (raw), "/img/loop.jpg", NULL);
  g_autofree char *json = avatar_json (url);
  g_autofree char *response = g_strdup_printf ("HTTP/1.1 302 Found\r\n"
                                               "Location: %s\r\n"
                                               "Content-Length: 0\r\n"
                                               "Connection: close\r\n\r\n", url);

  ga_raw_server_set (raw, GA_RAW_CLOSE, response);
  /* 403 would mean "expired" and ask getAvatar again; a loop must not. */
  ga_test_server_expect_api (f->server, "getAvatar", 200, json);
  assert_lookup_fails (f->client, GA_ERROR_IMAGE_DOWNLOAD);
  g_assert_cmpuint (ga_raw_server_get_requests (raw), <=, 25);

  assert_still_usable (f);
}

/* An image host that never answers: the download has a bound of its own. */
static void
test_image_hangs (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(GaRawServer) raw = ga_raw_server_new ();
  g_autofree char *url = g_strconcat (ga_raw_server_get_url (raw), "/img/hang.jpg", NULL);
  g_autofree char *json = avatar_json (url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) result = NULL;
  gint64 elapsed_ms = 0;

  ga_raw_server_set (raw, GA_RAW_HANG, "");
  ga_test_server_expect_api (f->server, "getAvatar", 200, json);
  result = run_lookup (f->client, &elapsed_ms, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_TIMEOUT);
  assert_error_is_presentable (error);
  g_assert_cmpint (elapsed_ms, <, BOUND_SECONDS * 1000);

  assert_still_usable (f);
}

/* The transport faults of the API, with the image host misbehaving instead: getAvatar answers
 * well and points at a GaRawServer. Each ends in an error of its own within the bound: the
 * drip only because the download has a deadline of its own (the session's I/O timeout
 * restarts with every byte). */
typedef struct
{
  const char *response;
  GaRawAfter  after;
  GaError     code;
  const char *contains; /* in the message, or NULL */
} ImageRawCase;

static const ImageRawCase image_reset_before_answer = {
  "", GA_RAW_RESET, GA_ERROR_NETWORK, NULL,
};
static const ImageRawCase image_reset_in_headers = {
  "HTTP/1.1 200 OK\r\nContent-Type: ima", GA_RAW_RESET, GA_ERROR_NETWORK, NULL,
};
static const ImageRawCase image_close_in_headers = {
  "HTTP/1.1 200 OK\r\nContent-Type: ima", GA_RAW_CLOSE, GA_ERROR_NETWORK, NULL,
};
static const ImageRawCase image_reset_in_body = {
  "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 40000\r\n\r\n"
  "\xff\xd8\xff\xe0 the start of a JPEG",
  GA_RAW_RESET, GA_ERROR_NETWORK, NULL,
};
static const ImageRawCase image_close_in_body = {
  "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 40000\r\n\r\n"
  "\xff\xd8\xff\xe0 the start of a JPEG",
  GA_RAW_CLOSE, GA_ERROR_NETWORK, NULL,
};
static const ImageRawCase image_reset_in_chunked_body = {
  "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n"
  "4\r\n\xff\xd8\xff\xe0\r\n", GA_RAW_RESET, GA_ERROR_NETWORK, NULL,
};
static const ImageRawCase image_headers_then_nothing = {
  "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 40000\r\n\r\n\xff",
  GA_RAW_HANG, GA_ERROR_TIMEOUT, NULL,
};
static const ImageRawCase image_drips = {
  "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 1000000\r\n\r\n",
  GA_RAW_DRIP, GA_ERROR_TIMEOUT, "picture did not arrive within 3 seconds",
};

static void
test_image_raw (Fixture       *f,
                gconstpointer  user_data)
{
  const ImageRawCase *c = user_data;
  g_autoptr(GaRawServer) raw = ga_raw_server_new ();
  g_autofree char *url = g_strdup_printf ("%s/img/v/t61.24694-24/%u_n.jpg?oh=sig",
                                          ga_raw_server_get_url (raw), ++f->serial);
  g_autofree char *json = avatar_json (url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) result = NULL;
  gint64 elapsed_ms = 0;

  ga_raw_server_set (raw, c->after, c->response);
  ga_test_server_expect_api (f->server, "getAvatar", 200, json);

  result = run_lookup (f->client, &elapsed_ms, &error);
  g_assert_error (error, GA_ERROR, (int) c->code);
  assert_error_is_presentable (error);
  if (c->contains != NULL)
    g_assert_nonnull (strstr (error->message, c->contains));
  g_assert_cmpint (elapsed_ms, <, BOUND_SECONDS * 1000);
  /* Only what the deadline ends takes that long. */
  if (c->code == GA_ERROR_TIMEOUT)
    g_assert_cmpint (elapsed_ms, >=, TIMEOUT_SECONDS * 1000 - 100);
  g_assert_cmpuint (ga_raw_server_get_requests (raw), >=, 1);
  /* No retry storm: libsoup may resend a GET once on a connection that broke early. */
  g_assert_cmpuint (ga_raw_server_get_requests (raw), <=, 2);
  ga_test_server_assert_done (f->server);

  assert_still_usable (f);
}

/* Nothing listens on the image host's port. */
static void
test_image_connection_refused (Fixture       *f,
                               gconstpointer  user_data)
{
  g_autofree char *origin = closed_port_url ();
  g_autofree char *url = g_strconcat (origin, "/img/v/t61.24694-24/1_n.jpg", NULL);
  g_autofree char *json = avatar_json (url);

  ga_test_server_expect_api (f->server, "getAvatar", 200, json);
  assert_lookup_fails (f->client, GA_ERROR_NETWORK);
  ga_test_server_assert_done (f->server);

  assert_still_usable (f);
}

/* ───────────────────────── Connections that never complete ───────────────────────── */

/*
 * A listening socket whose accept queue is full: the kernel drops further SYNs, so a connect
 * to it neither succeeds nor fails. libsoup 3.2 has no connect timeout of its own; the
 * session's "timeout" (GSocketClient's, applied to the connect too) and the client's total
 * timeout (or the download's deadline) are what end it; see ga_http_session_new().
 */
typedef struct
{
  GSocket   *listener; /* (owned) */
  GPtrArray *fillers;  /* (owned): connections that sit in the queue, never accepted */
  char      *url;      /* (owned) */
} FullListener;

static void
full_listener_free (FullListener *full)
{
  g_clear_pointer (&full->fillers, g_ptr_array_unref);
  if (full->listener != NULL)
    g_socket_close (full->listener, NULL);
  g_clear_object (&full->listener);
  g_clear_pointer (&full->url, g_free);
  g_free (full);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FullListener, full_listener_free)

/* Returns NULL when the queue could not be filled (then the test is skipped). */
static FullListener *
full_listener_new (void)
{
  g_autoptr(FullListener) full = g_new0 (FullListener, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  full->fillers = g_ptr_array_new_with_free_func (g_object_unref);
  full->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (full->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (full->listener, 0);
  g_socket_listen (full->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (full->listener, &error);
  g_assert_no_error (error);

  /* Connect until one connection stays pending: from then on the queue is full. */
  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(GSocket) filler = NULL;
      g_autoptr(GError) connect_error = NULL;

      filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                             &error);
      g_assert_no_error (error);
      g_socket_set_blocking (filler, FALSE);
      if (!g_socket_connect (filler, bound, NULL, &connect_error))
        {
          g_assert_error (connect_error, G_IO_ERROR, G_IO_ERROR_PENDING);
          g_clear_error (&connect_error);
          if (!g_socket_condition_timed_wait (filler, G_IO_OUT, 200 * G_TIME_SPAN_MILLISECOND,
                                              NULL, NULL))
            {
              full->url = g_strdup_printf ("http://127.0.0.1:%u",
                                           g_inet_socket_address_get_port (
                                             G_INET_SOCKET_ADDRESS (bound)));
              return g_steal_pointer (&full);
            }
        }
      g_ptr_array_add (full->fillers, g_steal_pointer (&filler));
    }

  return NULL;
}

/* The API host never completes the connection: the client's total timeout ends the call,
 * even with a session whose I/O timeout is far longer. */
static void
test_connect_hangs_total (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(FullListener) full = full_listener_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GaClient) client = NULL;
  gint64 elapsed_ms = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) result = NULL;

  if (full == NULL)
    {
      g_test_skip ("Could not fill a listening socket's accept queue");
      return;
    }

  session = ga_http_session_new ();
  g_object_set (session, "timeout", 60, NULL);
  client = make_client (session, full->url);
  g_object_set (client, "timeout-seconds", 2, NULL);

  result = run_lookup (client, &elapsed_ms, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_TIMEOUT);
  assert_error_is_presentable (error);
  /* The deadline's own words: it, not the session's 60 s I/O timeout, ended the call. No
   * upper bound on the time (load stretches it; run_lookup() fails a lookup that never ends). */
  g_assert_nonnull (strstr (error->message, "2 seconds"));
  g_assert_cmpint (elapsed_ms, >=, 1900);

  assert_still_usable (f);
}

/* The same, bounded by the session's I/O timeout, which covers the connect too: shorter than
 * the client's total timeout, it is the one that ends the call. */
static void
test_connect_hangs_io_timeout (Fixture       *f,
                               gconstpointer  user_data)
{
  g_autoptr(FullListener) full = full_listener_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GaClient) client = NULL;
  gint64 elapsed_ms = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) result = NULL;

  if (full == NULL)
    {
      g_test_skip ("Could not fill a listening socket's accept queue");
      return;
    }

  /* GLib 2.74's GSocketClient loses its ConnectAsyncData (96 bytes and what hangs off it,
   * allocated in g_socket_client_connect_async()) when a connect attempt ends in the socket
   * timeout; no frame of ours is involved, but valgrind's leak check would fail the run. */
  if (g_getenv ("GA_TEST_UNDER_VALGRIND") != NULL)
    {
      g_test_skip ("GSocketClient leaks when a connect times out (GLib 2.74)");
      return;
    }

  session = ga_http_session_new ();
  g_object_set (session, "timeout", 1, NULL);
  client = make_client (session, full->url);
  g_object_set (client, "timeout-seconds", 30, NULL);

  result = run_lookup (client, &elapsed_ms, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_TIMEOUT);
  assert_error_is_presentable (error);
  assert_ended_by_io_timeout (error, elapsed_ms);

  assert_still_usable (f);
}

/* The TCP connection is made but the TLS handshake never gets an answer: the session's I/O
 * timeout covers the handshake too. */
static void
test_tls_handshake_hangs (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(GaRawServer) raw = ga_raw_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = NULL;
  g_autofree char *url = NULL;
  gint64 elapsed_ms = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) result = NULL;

  g_assert_true (g_str_has_prefix (ga_raw_server_get_url (raw), "http://"));
  url = g_strconcat ("https://", ga_raw_server_get_url (raw) + strlen ("http://"), NULL);
  ga_raw_server_set (raw, GA_RAW_HANG, "");
  g_object_set (session, "timeout", 1, NULL);
  client = make_client (session, url);
  g_object_set (client, "timeout-seconds", 30, NULL);

  result = run_lookup (client, &elapsed_ms, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_TIMEOUT);
  assert_error_is_presentable (error);
  assert_ended_by_io_timeout (error, elapsed_ms);
  /* The raw server never saw a request it could read: only a ClientHello. */
  g_assert_cmpuint (ga_raw_server_get_requests (raw), ==, 0);

  assert_still_usable (f);
}

/* The image host never completes the connection: the download's deadline ends it. */
static void
test_image_connect_hangs (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(FullListener) full = full_listener_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GaClient) client = NULL;
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;
  gint64 elapsed_ms = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) result = NULL;

  if (full == NULL)
    {
      g_test_skip ("Could not fill a listening socket's accept queue");
      return;
    }

  session = ga_http_session_new ();
  g_object_set (session, "timeout", 60, NULL);
  client = make_client (session, ga_test_server_get_url (f->server));
  g_object_set (client, "image-timeout-seconds", 2, NULL);
  url = g_strconcat (full->url, "/img/v/t61.24694-24/1_n.jpg", NULL);
  json = avatar_json (url);
  ga_test_server_expect_api (f->server, "getAvatar", 200, json);

  result = run_lookup (client, &elapsed_ms, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_TIMEOUT);
  assert_error_is_presentable (error);
  /* The download's deadline ended it (its words), not the session's 60 s I/O timeout; no upper
   * bound on the time, which load stretches. */
  g_assert_nonnull (strstr (error->message, "picture did not arrive within 2 seconds"));
  g_assert_cmpint (elapsed_ms, >=, 1900);
  ga_test_server_assert_done (f->server);

  assert_still_usable (f);
}

/* ─────────────────────────────── Bad answers ─────────────────────────────── */

typedef struct
{
  const char *content_type;
  const char *body;
  GaError     code;
  gssize      length;  /* 0: up to the first NUL */
} BodyCase;

static const BodyCase truncated_json = {
  "application/json", "{\"urlAvatar\": \"https://pps.whatsapp.net/v/t61", GA_ERROR_MALFORMED_RESPONSE,
};
static const BodyCase available_string = {
  "application/json", "{\"urlAvatar\": 5, \"available\": \"yes\"}", GA_ERROR_MALFORMED_RESPONSE,
};
static const BodyCase top_level_array = {
  "application/json", "[{\"urlAvatar\": \"\", \"available\": true}]", GA_ERROR_MALFORMED_RESPONSE,
};
static const BodyCase top_level_number = {
  "application/json", "42", GA_ERROR_MALFORMED_RESPONSE,
};
static const BodyCase top_level_string = {
  "application/json", "\"https://pps.whatsapp.net/x.jpg\"", GA_ERROR_MALFORMED_RESPONSE,
};
static const BodyCase url_array = {
  "application/json", "{\"urlAvatar\": [\"https://pps.whatsapp.net/x.jpg\"], \"available\": [true]}",
  GA_ERROR_MALFORMED_RESPONSE,
};
static const BodyCase url_object = {
  "application/json", "{\"urlAvatar\": {\"href\": \"https://a\"}, \"available\": {}}",
  GA_ERROR_MALFORMED_RESPONSE,
};
static const BodyCase html_200 = {
  "text/html",
  "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
  "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
  GA_ERROR_MALFORMED_RESPONSE,
};
static const BodyCase empty_200 = {
  "application/json", "", GA_ERROR_MALFORMED_RESPONSE,
};
#define NUL_BODY "{\"urlAvatar\": \"\0\", \"available\": true}"
static const BodyCase nul_bytes = {
  "application/json", NUL_BODY, GA_ERROR_MALFORMED_RESPONSE, sizeof NUL_BODY - 1,
};

static void
test_bad_body (Fixture       *f,
               gconstpointer  user_data)
{
  const BodyCase *c = user_data;
  GaTestReply *reply = ga_test_server_expect (f->server, f->avatar_path);

  ga_test_reply_set_body (reply, c->content_type, c->body, c->length > 0 ? c->length : -1);
  assert_lookup_fails (f->client, c->code);
  assert_still_usable (f);
}

static void
test_deeply_nested (Fixture       *f,
                    gconstpointer  user_data)
{
  /* Within the size cap, but deep enough to exhaust the stack of a recursive parser. */
  guint depth = GA_CLIENT_MAX_RESPONSE_SIZE / 2 - 64;
  g_autoptr(GString) body = g_string_sized_new (GA_CLIENT_MAX_RESPONSE_SIZE);
  GaTestReply *reply;

  for (guint i = 0; i < depth; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (body, ']');
  g_assert_cmpuint (body->len, <=, GA_CLIENT_MAX_RESPONSE_SIZE);
  reply = ga_test_server_expect (f->server, f->avatar_path);
  ga_test_reply_set_body (reply, "application/json", body->str, body->len);
  assert_lookup_fails (f->client, GA_ERROR_MALFORMED_RESPONSE);

  /* Objects, inside an answer that starts out well. */
  depth = (GA_CLIENT_MAX_RESPONSE_SIZE - 64) / 6;
  g_string_assign (body, "{\"urlAvatar\": ");
  for (guint i = 0; i < depth; i++)
    g_string_append (body, "{\"a\":");
  g_string_append_c (body, '1');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (body, '}');
  g_string_append (body, ", \"available\": true}");
  g_assert_cmpuint (body->len, <=, GA_CLIENT_MAX_RESPONSE_SIZE);
  reply = ga_test_server_expect (f->server, f->avatar_path);
  ga_test_reply_set_body (reply, "application/json", body->str, body->len);
  assert_lookup_fails (f->client, GA_ERROR_MALFORMED_RESPONSE);

  assert_still_usable (f);
}

static void
test_huge_json (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GBytes) huge = huge_bytes ();
  GaTestReply *reply;
  RssWatch watch;

  /* Dripped in 256 kB chunks without a Content-Length: only reading can tell. */
  rss_watch_start (&watch);
  reply = ga_test_server_expect (f->server, f->avatar_path);
  ga_test_reply_set_body_bytes (reply, "application/json", huge);
  ga_test_reply_set_drip (reply, 256 * 1024, 1);
  assert_lookup_fails (f->client, GA_ERROR_TOO_LARGE);
  /* Neither side buffered the 50 MB: the resident size grew by far less. */
  g_assert_cmpint (rss_watch_stop (&watch), <, 25 * 1024);

  /* With a Content-Length of 50 MB. */
  reply = ga_test_server_expect (f->server, f->avatar_path);
  ga_test_reply_set_body_bytes (reply, "application/json", huge);
  assert_lookup_fails (f->client, GA_ERROR_TOO_LARGE);

  assert_still_usable (f);
}

/* ─────────────────────────────── HTTP statuses ─────────────────────────────── */

typedef enum
{
  BODY_JSON,
  BODY_TEXT,
  BODY_EMPTY,
} BodyKind;

typedef struct
{
  guint       status;
  const char *detail;      /* the server's words, sent as JSON "message" or as text */
  GaError     code;        /* with the detail */
  GaError     empty_code;  /* without any body */
  guint       attempts;    /* requests the client makes before giving up */
  const char *json;        /* a JSON body of its own instead of {"message": detail} */
} StatusRow;

static const StatusRow status_rows[] = {
  { 400, "Validation failed. Details: chatId must be a valid chat id",
    GA_ERROR_INVALID_CHAT_ID, GA_ERROR_INVALID_CHAT_ID, 1, NULL },
  { 400, "instance in starting process try later", GA_ERROR_STARTING, GA_ERROR_INVALID_CHAT_ID, 1,
    NULL },
  { 400, "instance is starting or not authorized", GA_ERROR_NOT_AUTHORIZED,
    GA_ERROR_INVALID_CHAT_ID, 1, NULL },
  { 400, "instance account not authorized", GA_ERROR_NOT_AUTHORIZED, GA_ERROR_INVALID_CHAT_ID, 1,
    NULL },
  { 400, "Instance account is expired. Please renew", GA_ERROR_EXPIRED, GA_ERROR_INVALID_CHAT_ID,
    1, NULL },
  { 400, "Instance is deleted", GA_ERROR_EXPIRED, GA_ERROR_INVALID_CHAT_ID, 1, NULL },
  { 401, "Unauthorized", GA_ERROR_WRONG_TOKEN, GA_ERROR_WRONG_TOKEN, 1, NULL },
  { 403, "Forbidden", GA_ERROR_WRONG_INSTANCE, GA_ERROR_WRONG_INSTANCE, 1, NULL },
  { 404, "Not Found", GA_ERROR_WRONG_METHOD, GA_ERROR_WRONG_METHOD, 1, NULL },
  { 429, "Too Many Requests", GA_ERROR_RATE_LIMITED, GA_ERROR_RATE_LIMITED, 1 + MAX_RETRIES,
    NULL },
  { 466, "Monthly quota has been exceeded", GA_ERROR_QUOTA_EXCEEDED, GA_ERROR_QUOTA_EXCEEDED, 1,
    "{\"invokeStatus\": {\"method\": \"getAvatar\", \"used\": 101, \"total\": 100, "
    "\"status\": \"QUOTE_EXCEEDED\", \"description\": \"Monthly quota has been exceeded\"}, "
    "\"correspondentsStatus\": {\"used\": 3, \"total\": 3}}" },
  { 499, "Client Closed Request", GA_ERROR_HTTP, GA_ERROR_HTTP, 1, NULL },
  { 500, "Internal Server Error", GA_ERROR_SERVER, GA_ERROR_SERVER, 2, NULL },
  { 502, "Bad Gateway", GA_ERROR_UPSTREAM_UNAVAILABLE, GA_ERROR_UPSTREAM_UNAVAILABLE,
    1 + MAX_RETRIES, NULL },
};

typedef struct
{
  const StatusRow *row;
  BodyKind         kind;
} StatusCase;

static void
test_status (Fixture       *f,
             gconstpointer  user_data)
{
  const StatusCase *c = user_data;
  const StatusRow *row = c->row;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) result = NULL;
  g_autofree char *json = NULL;
  gint64 elapsed_ms = 0;
  GaError expected;

  for (guint i = 0; i < row->attempts; i++)
    {
      GaTestReply *reply = ga_test_server_expect (f->server, f->avatar_path);

      ga_test_reply_set_status (reply, row->status);
      switch (c->kind)
        {
        case BODY_JSON:
          if (json == NULL)
            json = row->json != NULL ? g_strdup (row->json)
                                     : g_strdup_printf ("{\"statusCode\": %u, \"message\": \"%s\"}",
                                                        row->status, row->detail);
          ga_test_reply_set_body (reply, "application/json", json, -1);
          break;
        case BODY_TEXT:
          ga_test_reply_set_body (reply, "text/plain; charset=utf-8", row->detail, -1);
          break;
        case BODY_EMPTY:
          break;
        default:
          g_assert_not_reached ();
        }
    }

  expected = c->kind == BODY_EMPTY ? row->empty_code : row->code;
  result = run_lookup (f->client, &elapsed_ms, &error);
  g_assert_error (error, GA_ERROR, (int) expected);
  assert_error_is_presentable (error);
  g_assert_cmpint (elapsed_ms, <, BOUND_SECONDS * 1000);
  g_assert_cmpuint (ga_test_server_get_request_count (f->server, f->avatar_path), ==, row->attempts);

  /* The server's own words reach the person when it sent some. */
  if (c->kind != BODY_EMPTY)
    g_assert_nonnull (strstr (error->message, row->detail));

  ga_test_server_assert_done (f->server);
  assert_still_usable (f);
}

/* A server that echoes the request path, or the token alone, in its error. */
static void
test_error_echoes_token (Fixture       *f,
                         gconstpointer  user_data)
{
  GaTestReply *reply;

  reply = ga_test_server_expect (f->server, f->avatar_path);
  ga_test_reply_set_status (reply, 404);
  ga_test_reply_set_body (reply, "text/plain",
                          "Cannot POST /waInstance" GA_TEST_ID_INSTANCE "/getAvatar/"
                          GA_TEST_TOKEN, -1);
  assert_lookup_fails (f->client, GA_ERROR_WRONG_METHOD);

  reply = ga_test_server_expect (f->server, f->avatar_path);
  ga_test_reply_set_status (reply, 401);
  ga_test_reply_set_body (reply, "application/json",
                          "{\"message\": \"token " GA_TEST_TOKEN " is not valid\"}", -1);
  assert_lookup_fails (f->client, GA_ERROR_WRONG_TOKEN);

  reply = ga_test_server_expect (f->server, f->avatar_path);
  ga_test_reply_set_status (reply, 400);
  ga_test_reply_set_body (reply, "application/json",
                          "{\"statusCode\": 400, \"message\": \"Validation failed\", \"path\": "
                          "\"/waInstance" GA_TEST_ID_INSTANCE "/getAvatar/" GA_TEST_TOKEN "\"}", -1);
  assert_lookup_fails (f->client, GA_ERROR_INVALID_CHAT_ID);

  assert_still_usable (f);
}

/* ───────────────────────────────── 429 ───────────────────────────────── */

static void
test_retry_after_honoured (Fixture       *f,
                           gconstpointer  user_data)
{
  g_autofree char *json = queue_good_image (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) result = NULL;
  GaTestReply *reply;
  gint64 elapsed_ms = 0;

  reply = ga_test_server_expect_api (f->server, "getAvatar", 429, "{\"message\": \"Too Many Requests\"}");
  ga_test_reply_set_header (reply, "Retry-After", "1");
  ga_test_server_expect_api (f->server, "getAvatar", 200, json);

  result = run_lookup (f->client, &elapsed_ms, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ga_lookup_result_get_texture (result));
  /* It waited as asked (the retry delay alone is 20 ms). */
  g_assert_cmpint (elapsed_ms, >=, 900);
  g_assert_cmpint (elapsed_ms, <, BOUND_SECONDS * 1000);
  ga_test_server_assert_done (f->server);
}

static const char * const absurd_retry_after[] = {
  "86400",
  "99999999999999999999999999",
  "-5",
  "abc",
  "",
  "1.5",
  "Fri, 31 Dec 9999 23:59:59 GMT",
  "Thu, 01 Jan 1970 00:00:00 GMT",
};

static void
test_retry_after_absurd (Fixture       *f,
                         gconstpointer  user_data)
{
  const char *value = user_data;
  g_autoptr(GaRawServer) raw = ga_raw_server_new ();
  g_autoptr(GaClient) client = make_client (f->session, ga_raw_server_get_url (raw));
  g_autofree char *response = NULL;

  response = g_strdup_printf ("HTTP/1.1 429 Too Many Requests\r\n"
                              "Retry-After: %s\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: 2\r\n"
                              "Connection: close\r\n\r\n{}", value);
  ga_raw_server_set (raw, GA_RAW_CLOSE, response);
  assert_lookup_fails (client, GA_ERROR_RATE_LIMITED);
  g_assert_cmpuint (ga_raw_server_get_requests (raw), >=, 1);
  g_assert_cmpuint (ga_raw_server_get_requests (raw), <=, 1 + MAX_RETRIES);

  assert_raw_still_usable (f, client, raw);
}

/* ─────────────────────────────── Image host ─────────────────────────────── */

static void
test_image_status (Fixture       *f,
                   gconstpointer  user_data)
{
  guint status = GPOINTER_TO_UINT (user_data);
  g_autofree char *path = next_image_path (f);
  g_autofree char *url = image_url (f, path);
  g_autofree char *json = avatar_json (url);
  /* An expired URL gets one fresh getAvatar and one more download. */
  guint rounds = status == 403 ? 2 : 1;

  for (guint i = 0; i < rounds; i++)
    {
      GaTestReply *reply;

      ga_test_server_expect_api (f->server, "getAvatar", 200, json);
      reply = ga_test_server_expect (f->server, path);
      ga_test_reply_set_status (reply, status);
      ga_test_reply_set_body (reply, "text/plain", "URL signature expired", -1);
    }

  assert_lookup_fails (f->client, status == 403 ? GA_ERROR_IMAGE_EXPIRED : GA_ERROR_IMAGE_DOWNLOAD);
  g_assert_cmpuint (ga_test_server_get_request_count (f->server, path), ==, rounds);
  ga_test_server_assert_done (f->server);

  assert_still_usable (f);
}

typedef struct
{
  const char *content_type;
  const char *body;   /* NULL: a PNG header that claims 30000x30000 */
  GaError     code;
} ImageCase;

static const ImageCase image_wrong_type = {
  "text/html", "<html><body>Not a picture</body></html>", GA_ERROR_IMAGE_INVALID,
};
static const ImageCase image_garbage = {
  "image/jpeg", "\xff\xd8\xff\xe0 garbage that only starts like a JPEG \x01\x02\x03",
  GA_ERROR_IMAGE_INVALID,
};
static const ImageCase image_empty = {
  "image/jpeg", "", GA_ERROR_IMAGE_INVALID,
};
static const ImageCase image_huge_claim = {
  "image/png", NULL, GA_ERROR_IMAGE_TOO_LARGE,
};

/* A valid, few-kilobyte PNG whose header claims 30000x30000 pixels (2.7 GB decoded). */
static GBytes *
make_huge_claim_png (void)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) png = g_byte_array_new ();
  guint8 ihdr[13] = { 0, };
  guint8 idat_data[4096];
  gsize idat_len;
  struct { const char *type; const guint8 *data; gsize len; } chunks[3];

  ihdr[0] = (30000 >> 24) & 0xff; ihdr[1] = (30000 >> 16) & 0xff;
  ihdr[2] = (30000 >> 8) & 0xff;  ihdr[3] = 30000 & 0xff;
  memcpy (ihdr + 4, ihdr, 4);
  ihdr[8] = 8;  /* bit depth */
  ihdr[9] = 2;  /* RGB */

  /* A stored (uncompressed) zlib stream of zeros: valid, if short of the claimed rows. */
  idat_len = 0;
  idat_data[idat_len++] = 0x78;
  idat_data[idat_len++] = 0x01;
  idat_data[idat_len++] = 0x01;  /* final stored block */
  idat_data[idat_len++] = 0x00;
  idat_data[idat_len++] = 0x08;  /* LEN = 2048 */
  idat_data[idat_len++] = 0xff;
  idat_data[idat_len++] = 0xf7;
  memset (idat_data + idat_len, 0, 2048);
  idat_len += 2048;
  /* Adler-32 of 2048 zeros: a = 1, b = 2048. */
  idat_data[idat_len++] = 0x08;
  idat_data[idat_len++] = 0x00;
  idat_data[idat_len++] = 0x00;
  idat_data[idat_len++] = 0x01;

  chunks[0].type = "IHDR"; chunks[0].data = ihdr; chunks[0].len = sizeof ihdr;
  chunks[1].type = "IDAT"; chunks[1].data = idat_data; chunks[1].len = idat_len;
  chunks[2].type = "IEND"; chunks[2].data = NULL; chunks[2].len = 0;

  g_byte_array_append (png, signature, sizeof signature);
  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      guint8 be[4];
      guint32 crc;

      be[0] = chunks[i].len >> 24; be[1] = chunks[i].len >> 16;
      be[2] = chunks[i].len >> 8;  be[3] = chunks[i].len;
      g_byte_array_append (png, be, 4);
      g_byte_array_append (png, (const guint8 *) chunks[i].type, 4);
      if (chunks[i].len > 0)
        g_byte_array_append (png, chunks[i].data, chunks[i].len);

      /* CRC-32 over type and data. */
      crc = 0xffffffff;
      for (gsize j = 0; j < 4 + chunks[i].len; j++)
        {
          guint8 byte = j < 4 ? (guint8) chunks[i].type[j] : chunks[i].data[j - 4];

          crc ^= byte;
          for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
        }
      crc ^= 0xffffffff;
      be[0] = crc >> 24; be[1] = crc >> 16; be[2] = crc >> 8; be[3] = crc;
      g_byte_array_append (png, be, 4);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

static void
test_image_body (Fixture       *f,
                 gconstpointer  user_data)
{
  const ImageCase *c = user_data;
  g_autofree char *path = next_image_path (f);
  g_autofree char *url = image_url (f, path);
  g_autofree char *json = avatar_json (url);
  GaTestReply *reply;
  RssWatch watch;

  ga_test_server_expect_api (f->server, "getAvatar", 200, json);
  reply = ga_test_server_expect (f->server, path);
  if (c->body != NULL)
    {
      ga_test_reply_set_body (reply, c->content_type, c->body, -1);
    }
  else
    {
      g_autoptr(GBytes) png = make_huge_claim_png ();

      g_assert_cmpuint (g_bytes_get_size (png), <, 8 * 1024);
      ga_test_reply_set_body_bytes (reply, c->content_type, png);
    }

  rss_watch_start (&watch);
  assert_lookup_fails (f->client, c->code);
  /* Nothing the size of the claimed picture was allocated. */
  g_assert_cmpint (rss_watch_stop (&watch), <, 100 * 1024);
  ga_test_server_assert_done (f->server);

  assert_still_usable (f);
}

static void
test_image_huge (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autoptr(GBytes) huge = huge_bytes ();

  for (guint dripped = 0; dripped < 2; dripped++)
    {
      g_autofree char *path = next_image_path (f);
      g_autofree char *url = image_url (f, path);
      g_autofree char *json = avatar_json (url);
      GaTestReply *reply;
      RssWatch watch;

      ga_test_server_expect_api (f->server, "getAvatar", 200, json);
      reply = ga_test_server_expect (f->server, path);
      ga_test_reply_set_body_bytes (reply, "image/jpeg", huge);
      if (dripped)
        ga_test_reply_set_drip (reply, 256 * 1024, 1);

      rss_watch_start (&watch);
      assert_lookup_fails (f->client, GA_ERROR_TOO_LARGE);
      /* Dripped, only reading tells the size: the client stops near its 10 MB cap. (With a
       * Content-Length the fixture itself copies all 50 MB, so only the error counts.) The
       * bound covers the body read (in the network thread, while the fixture keeps sending
       * from this one) and what the fixture holds meanwhile, with the room that ASan and
       * valgrind take by keeping freed memory aside (46 to 54 MB there, with the reads in the
       * network thread); a client that read all 50 MB would hold more than 100. */
      if (dripped)
        {
          glong grown_kb = rss_watch_stop (&watch);

          g_test_message ("Resident size grew by %ld kB", grown_kb);
          g_assert_cmpint (grown_kb, <, 64 * 1024);
        }
      else
        {
          rss_watch_stop (&watch);
        }
      ga_test_server_assert_done (f->server);
    }

  assert_still_usable (f);
}

/* ─────────────────────────────────── TLS ─────────────────────────────────── */

static void
test_tls_api (Fixture       *f,
              gconstpointer  user_data)
{
  g_autoptr(GaTestServer) tls = ga_test_server_new_tls ();
  g_autoptr(GaClient) client = make_client (f->session, ga_test_server_get_url (tls));
  g_autofree char *path = ga_test_server_api_path ("getAvatar");

  g_assert_true (g_str_has_prefix (ga_test_server_get_url (tls), "https://"));
  assert_lookup_fails (client, GA_ERROR_TLS);
  /* The handshake failed: no request ever reached the untrusted server. */
  g_assert_cmpuint (ga_test_server_get_request_count (tls, NULL), ==, 0);

  /* A second try does not remember the certificate as accepted. */
  assert_lookup_fails (client, GA_ERROR_TLS);
  g_assert_cmpuint (ga_test_server_get_request_count (tls, NULL), ==, 0);

  assert_still_usable (f);
}

static void
test_tls_image (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GaTestServer) tls = ga_test_server_new_tls ();
  g_autofree char *url = g_strconcat (ga_test_server_get_url (tls), "/img/1_n.jpg", NULL);
  g_autofree char *json = avatar_json (url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) result = NULL;

  ga_test_server_expect_api (f->server, "getAvatar", 200, json);
  result = run_lookup (f->client, NULL, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_TLS);
  assert_error_is_presentable (error);
  g_assert_cmpuint (ga_test_server_get_request_count (tls, NULL), ==, 0);

  assert_still_usable (f);
}

/* ─────────────────────────────────── main ─────────────────────────────────── */

static void
add (const char    *path,
     gconstpointer  data,
     void         (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  static const guint image_statuses[] = { 403, 404, 500 };
  static const char * const kinds[] = { "json", "text", "empty" };
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add ("/green-avatar/faults/connection-refused", NULL, test_connection_refused);
  add ("/green-avatar/faults/reset-before-answer", &reset_before_answer, test_raw);
  add ("/green-avatar/faults/reset-in-headers", &reset_in_headers, test_raw);
  add ("/green-avatar/faults/close-in-headers", &close_in_headers, test_raw);
  add ("/green-avatar/faults/reset-in-body", &reset_in_body, test_raw);
  add ("/green-avatar/faults/close-in-body", &close_in_body, test_raw);
  add ("/green-avatar/faults/reset-in-chunked-body", &reset_in_chunked_body, test_raw);
  add ("/green-avatar/faults/never-answers", &never_answers, test_raw);
  add ("/green-avatar/faults/headers-then-nothing", &headers_then_nothing, test_raw);
  add ("/green-avatar/faults/drips-a-byte-a-second", &drips, test_raw);
  add ("/green-avatar/faults/redirect-loop", &redirect_loop, test_raw);
  add ("/green-avatar/faults/not-http", &garbage_status_line, test_raw);

  add ("/green-avatar/faults/json/truncated", &truncated_json, test_bad_body);
  add ("/green-avatar/faults/json/available-string", &available_string, test_bad_body);
  add ("/green-avatar/faults/json/top-level-array", &top_level_array, test_bad_body);
  add ("/green-avatar/faults/json/top-level-number", &top_level_number, test_bad_body);
  add ("/green-avatar/faults/json/top-level-string", &top_level_string, test_bad_body);
  add ("/green-avatar/faults/json/url-array", &url_array, test_bad_body);
  add ("/green-avatar/faults/json/url-object", &url_object, test_bad_body);
  add ("/green-avatar/faults/json/empty", &empty_200, test_bad_body);
  add ("/green-avatar/faults/json/nul-bytes", &nul_bytes, test_bad_body);
  add ("/green-avatar/faults/json/deeply-nested", NULL, test_deeply_nested);
  add ("/green-avatar/faults/json/50mb", NULL, test_huge_json);
  add ("/green-avatar/faults/html-with-200", &html_200, test_bad_body);

  for (guint i = 0; i < G_N_ELEMENTS (status_rows); i++)
    {
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          StatusCase *c = g_new0 (StatusCase, 1);
          char *path = g_strdup_printf ("/green-avatar/faults/status/%u-%u/%s",
                                        status_rows[i].status, i, kinds[k]);

          c->row = &status_rows[i];
          c->kind = (BodyKind) k;
          g_ptr_array_add (cases, c);
          g_ptr_array_add (paths, path);
          add (path, c, test_status);
        }
    }
  add ("/green-avatar/faults/status/error-echoes-token", NULL, test_error_echoes_token);

  add ("/green-avatar/faults/429/retry-after-honoured", NULL, test_retry_after_honoured);
  for (guint i = 0; i < G_N_ELEMENTS (absurd_retry_after); i++)
    {
      char *path = g_strdup_printf ("/green-avatar/faults/429/retry-after-absurd/%u", i);

      g_ptr_array_add (paths, path);
      add (path, absurd_retry_after[i], test_retry_after_absurd);
    }

  for (guint i = 0; i < G_N_ELEMENTS (image_statuses); i++)
    {
      char *path = g_strdup_printf ("/green-avatar/faults/image/%u", image_statuses[i]);

      g_ptr_array_add (paths, path);
      add (path, GUINT_TO_POINTER (image_statuses[i]), test_image_status);
    }
  add ("/green-avatar/faults/image/wrong-content-type", &image_wrong_type, test_image_body);
  add ("/green-avatar/faults/image/garbage", &image_garbage, test_image_body);
  add ("/green-avatar/faults/image/empty", &image_empty, test_image_body);
  add ("/green-avatar/faults/image/claims-30000x30000", &image_huge_claim, test_image_body);
  add ("/green-avatar/faults/image/50mb", NULL, test_image_huge);
  add ("/green-avatar/faults/image/redirect-loop", NULL, test_image_redirect_loop);
  add ("/green-avatar/faults/image/never-answers", NULL, test_image_hangs);
  add ("/green-avatar/faults/image/connection-refused", NULL, test_image_connection_refused);
  add ("/green-avatar/faults/image/reset-before-answer", &image_reset_before_answer,
       test_image_raw);
  add ("/green-avatar/faults/image/reset-in-headers", &image_reset_in_headers, test_image_raw);
  add ("/green-avatar/faults/image/close-in-headers", &image_close_in_headers, test_image_raw);
  add ("/green-avatar/faults/image/reset-in-body", &image_reset_in_body, test_image_raw);
  add ("/green-avatar/faults/image/close-in-body", &image_close_in_body, test_image_raw);
  add ("/green-avatar/faults/image/reset-in-chunked-body", &image_reset_in_chunked_body,
       test_image_raw);
  add ("/green-avatar/faults/image/headers-then-nothing", &image_headers_then_nothing,
       test_image_raw);
  add ("/green-avatar/faults/image/drips-a-byte-a-second", &image_drips, test_image_raw);

  add ("/green-avatar/faults/connect-hangs/total-timeout", NULL, test_connect_hangs_total);
  add ("/green-avatar/faults/connect-hangs/io-timeout", NULL, test_connect_hangs_io_timeout);
  add ("/green-avatar/faults/connect-hangs/image", NULL, test_image_connect_hangs);
  add ("/green-avatar/faults/connect-hangs/tls-handshake", NULL, test_tls_handshake_hangs);

  add ("/green-avatar/faults/tls/api-certificate-not-trusted", NULL, test_tls_api);
  add ("/green-avatar/faults/tls/image-certificate-not-trusted", NULL, test_tls_image);

  return g_test_run ();
}
