/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-error.h"
#include "ga-http.h"
#include "ga-image.h"
#include "ga-test-server.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

/* ga_download_async() against the loopback image host. */

#define WAIT_MS 10000
/* The download's own deadline where a test does not set a short one. */
#define DOWNLOAD_TIMEOUT_SECONDS 30

/* Stands for the signature in a real avatar URL: it must never appear in an error. */
#define SIGNATURE "oh=00_AfSecretSignature0123456789"

typedef struct
{
  GaTestServer *server;       /* (owned) */
  SoupSession  *session;      /* (owned) */
  GCancellable *cancellable;  /* (owned) */
  guint         n_queued;     /* requests the session was given */

  gboolean      done;
  guint         n_callbacks;
  GBytes       *bytes;        /* (owned) (nullable) */
  GError       *error;        /* (owned) (nullable) */
} Fixture;

/* Set when any log message, debug ones included, showed a signature or the token. */
static gboolean leaked_secret = FALSE;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
          (strstr (fields[i].value, SIGNATURE) != NULL ||
           strstr (fields[i].value, GA_TEST_TOKEN) != NULL))
        leaked_secret = TRUE;
    }

  /* Debug messages are enabled only to be checked here; they are not shown. */
  if (log_level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *msg,
                   Fixture     *fixture)
{
  fixture->n_queued++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  fixture->server = ga_test_server_new ();
  fixture->session = ga_http_session_new ();
  fixture->cancellable = g_cancellable_new ();
  g_signal_connect (fixture->session, "request-queued", G_CALLBACK (request_queued_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_assert_false (leaked_secret);
  g_cancellable_cancel (fixture->cancellable);
  g_clear_pointer (&fixture->bytes, g_bytes_unref);
  g_clear_error (&fixture->error);
  g_clear_object (&fixture->cancellable);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->server, ga_test_server_free);
}

static GBytes *
make_jpeg (int width,
           int height)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  gdk_pixbuf_fill (pixbuf, 0x2a9d8fff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

static char *
image_url (Fixture    *fixture,
           const char *path)
{
  return g_strconcat (ga_test_server_get_url (fixture->server), path, "?" SIGNATURE, NULL);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_null (object);
  fixture->n_callbacks++;
  fixture->bytes = ga_download_finish (result, &fixture->error);
  fixture->done = TRUE;
}

static void
start_download_with_timeout (Fixture    *fixture,
                             const char *url,
                             guint       timeout_seconds)
{
  ga_download_async (fixture->session, url, timeout_seconds, fixture->cancellable,
                     download_cb, fixture);
}

static void
start_download (Fixture    *fixture,
                const char *url)
{
  ga_download_async (fixture->session, url, DOWNLOAD_TIMEOUT_SECONDS, fixture->cancellable,
                     download_cb, fixture);
}

/* Downloads @path from the fixture and waits for the callback. */
static void
download (Fixture    *fixture,
          const char *path)
{
  g_autofree char *url = image_url (fixture, path);

  start_download (fixture, url);
  ga_test_wait_for (&fixture->done, WAIT_MS);
  g_assert_true (fixture->done);
  g_assert_cmpuint (fixture->n_callbacks, ==, 1);
}

/* An error for people: never a URL's signature or the API token. */
static void
assert_error (Fixture *fixture,
              GQuark   domain,
              int      code)
{
  g_assert_error (fixture->error, domain, code);
  g_assert_null (fixture->bytes);
  g_assert_nonnull (fixture->error->message);
  g_assert_cmpstr (fixture->error->message, !=, "");
  g_assert_null (strstr (fixture->error->message, SIGNATURE));
  g_assert_null (strstr (fixture->error->message, GA_TEST_TOKEN));
}

static void
test_jpeg (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = make_jpeg (64, 48);
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", jpeg);

  download (fixture, "/img/a.jpg");

  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->bytes);
  g_assert_true (g_bytes_equal (fixture->bytes, jpeg));
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, "/img/a.jpg"), ==, 1);
  ga_test_server_assert_done (fixture->server);
}

static void
test_octet_stream (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = make_jpeg (8, 8);
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_body_bytes (reply, "application/octet-stream", jpeg);

  download (fixture, "/img/a.jpg");

  g_assert_no_error (fixture->error);
  g_assert_true (g_bytes_equal (fixture->bytes, jpeg));
  ga_test_server_assert_done (fixture->server);
}

/* No Content-Type at all: accepted; the decoder sniffs the format. */
static void
test_no_content_type (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = make_jpeg (8, 8);
  GaTestReply *reply;

  /* The fixture sends a body without a type only when dripping it. */
  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_body_bytes (reply, NULL, jpeg);
  ga_test_reply_set_drip (reply, 64 * 1024, 1);

  download (fixture, "/img/a.jpg");

  g_assert_no_error (fixture->error);
  g_assert_true (g_bytes_equal (fixture->bytes, jpeg));
  ga_test_server_assert_done (fixture->server);
}

/* Answers that are no picture, and what they become. */
typedef struct
{
  const char *name;
  guint       status;
  const char *content_type;
  const char *body;         /* (nullable) */
  GaError     error;
  const char *in_message;   /* (nullable) */
} StatusCase;

static const StatusCase status_cases[] = {
  { "expired", 403, "text/plain", "URL signature expired", GA_ERROR_IMAGE_EXPIRED, NULL },
  { "not-found", 404, "text/html", "<h1>Not found</h1>", GA_ERROR_IMAGE_DOWNLOAD, "404" },
  { "server-error", 500, NULL, NULL, GA_ERROR_IMAGE_DOWNLOAD, "500" },
  /* A captive portal or an error page with status 200 is no picture. */
  { "wrong-content-type", 200, "text/html", "<html><body>Log in to the Wi-Fi</body></html>",
    GA_ERROR_IMAGE_INVALID, NULL },
};

static void
test_status (Fixture       *fixture,
             gconstpointer  user_data)
{
  const StatusCase *c = user_data;
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_status (reply, c->status);
  if (c->body != NULL)
    ga_test_reply_set_body (reply, c->content_type, c->body, -1);

  download (fixture, "/img/a.jpg");

  assert_error (fixture, GA_ERROR, c->error);
  if (c->in_message != NULL)
    g_assert_nonnull (strstr (fixture->error->message, c->in_message));
  ga_test_server_assert_done (fixture->server);
}

static GBytes *
make_oversize_body (void)
{
  gsize size = GA_IMAGE_MAX_BYTES + 1024 * 1024;
  guint8 *data = g_malloc0 (size);

  /* A JPEG's magic, so that nothing but the size is wrong. */
  data[0] = 0xff;
  data[1] = 0xd8;
  data[2] = 0xff;

  return g_bytes_new_take (data, size);
}

/* The Content-Length says too much: refused from the headers. */
static void
test_oversize_content_length (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GBytes) body = make_oversize_body ();
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/big.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", body);

  download (fixture, "/img/big.jpg");

  assert_error (fixture, GA_ERROR, GA_ERROR_TOO_LARGE);
  ga_test_server_assert_done (fixture->server);
}

/* A Content-Length over the limit with (so far) a small body: nothing is read, so this
 * does not wait for the rest of a body that never comes. */
static void
test_oversize_content_length_header (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/big.jpg");
  ga_test_reply_set_header (reply, "Content-Length", "4000000000");
  ga_test_reply_set_body (reply, "image/jpeg", "\xff\xd8\xff", 3);

  download (fixture, "/img/big.jpg");

  assert_error (fixture, GA_ERROR, GA_ERROR_TOO_LARGE);
  ga_test_server_assert_done (fixture->server);
}

/* Chunked, without a length: refused as soon as too much arrived. */
static void
test_oversize_chunked (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GBytes) body = make_oversize_body ();
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/big.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", body);
  ga_test_reply_set_drip (reply, 1024 * 1024, 1);

  download (fixture, "/img/big.jpg");

  assert_error (fixture, GA_ERROR, GA_ERROR_TOO_LARGE);
  ga_test_server_assert_done (fixture->server);
}

/* Exactly the limit is still accepted. */
static void
test_limit (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GBytes) body = g_bytes_new_take (g_malloc0 (GA_IMAGE_MAX_BYTES), GA_IMAGE_MAX_BYTES);
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/big.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", body);

  download (fixture, "/img/big.jpg");

  g_assert_no_error (fixture->error);
  g_assert_cmpuint (g_bytes_get_size (fixture->bytes), ==, GA_IMAGE_MAX_BYTES);
  ga_test_server_assert_done (fixture->server);
}

/* Exactly the limit, chunked: the last reads come close to the limit without passing it. */
static void
test_limit_chunked (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GBytes) body = g_bytes_new_take (g_malloc0 (GA_IMAGE_MAX_BYTES), GA_IMAGE_MAX_BYTES);
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/big.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", body);
  ga_test_reply_set_drip (reply, 1024 * 1024 - 1, 1);

  download (fixture, "/img/big.jpg");

  g_assert_no_error (fixture->error);
  g_assert_cmpuint (g_bytes_get_size (fixture->bytes), ==, GA_IMAGE_MAX_BYTES);
  ga_test_server_assert_done (fixture->server);
}

static void
test_dropped (Fixture       *fixture,
              gconstpointer  user_data)
{
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_drop (reply);

  download (fixture, "/img/a.jpg");

  assert_error (fixture, GA_ERROR, GA_ERROR_NETWORK);
  ga_test_server_assert_done (fixture->server);
}

static void
test_redirect (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = make_jpeg (16, 16);
  g_autofree char *target = image_url (fixture, "/img/b.jpg");
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_status (reply, 302);
  ga_test_reply_set_header (reply, "Location", target);
  reply = ga_test_server_expect (fixture->server, "/img/b.jpg");
  ga_test_reply_set_status (reply, 301);
  ga_test_reply_set_header (reply, "Location", "/img/c.jpg?" SIGNATURE);
  reply = ga_test_server_expect (fixture->server, "/img/c.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", jpeg);

  download (fixture, "/img/a.jpg");

  g_assert_no_error (fixture->error);
  g_assert_true (g_bytes_equal (fixture->bytes, jpeg));
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, NULL), ==, 3);
  ga_test_server_assert_done (fixture->server);
}

/* A redirect loop ends after five hops. */
static void
test_redirect_loop (Fixture       *fixture,
                    gconstpointer  user_data)
{
  for (guint i = 0; i < 6; i++)
    {
      GaTestReply *reply = ga_test_server_expect (fixture->server, "/img/loop.jpg");

      ga_test_reply_set_status (reply, 307);
      ga_test_reply_set_header (reply, "Location", "/img/loop.jpg?" SIGNATURE);
    }

  download (fixture, "/img/loop.jpg");

  assert_error (fixture, GA_ERROR, GA_ERROR_IMAGE_DOWNLOAD);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, "/img/loop.jpg"), ==, 6);
  ga_test_server_assert_done (fixture->server);
}

/* A redirect from the secure host to plain http elsewhere is not followed. */
static void
test_redirect_insecure (Fixture       *fixture,
                        gconstpointer  user_data)
{
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_status (reply, 302);
  ga_test_reply_set_header (reply, "Location", "http://example.com/img/a.jpg?" SIGNATURE);

  download (fixture, "/img/a.jpg");

  assert_error (fixture, GA_ERROR, GA_ERROR_INSECURE_URL);
  g_assert_cmpuint (fixture->n_queued, ==, 1);
  ga_test_server_assert_done (fixture->server);
}

/* A secure address that redirects to plain http, even on this machine, is not followed. */
static void
test_redirect_https_to_http (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GaTestServer) tls_server = ga_test_server_new_tls ();
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "test-cert.pem", NULL);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plain_target = image_url (fixture, "/img/local.jpg");
  g_autofree char *url = NULL;
  GaTestReply *reply;

  /* Trust the test certificate, so the redirect is the only thing in the way. */
  database = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  g_object_set (fixture->session, "tls-database", database, NULL);

  reply = ga_test_server_expect (tls_server, "/img/a.jpg");
  ga_test_reply_set_status (reply, 302);
  ga_test_reply_set_header (reply, "Location", plain_target);

  url = g_strconcat (ga_test_server_get_url (tls_server), "/img/a.jpg?" SIGNATURE, NULL);
  start_download (fixture, url);
  ga_test_wait_for (&fixture->done, WAIT_MS);
  g_assert_true (fixture->done);

  assert_error (fixture, GA_ERROR, GA_ERROR_INSECURE_URL);
  g_assert_cmpuint (ga_test_server_get_request_count (tls_server, "/img/a.jpg"), ==, 1);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, NULL), ==, 0);
  ga_test_server_assert_done (tls_server);
}

static void
test_redirect_without_location (Fixture       *fixture,
                                gconstpointer  user_data)
{
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_status (reply, 302);

  download (fixture, "/img/a.jpg");

  assert_error (fixture, GA_ERROR, GA_ERROR_IMAGE_DOWNLOAD);
  ga_test_server_assert_done (fixture->server);
}

/* Plain http to a host that is not loopback: refused before any request. */
static void
test_insecure_url (Fixture       *fixture,
                   gconstpointer  user_data)
{
  start_download (fixture, "http://pps.whatsapp.net/v/t61.24694-24/1_n.jpg?" SIGNATURE);
  ga_test_wait_for (&fixture->done, WAIT_MS);
  g_assert_true (fixture->done);

  assert_error (fixture, GA_ERROR, GA_ERROR_INSECURE_URL);
  g_assert_cmpuint (fixture->n_queued, ==, 0);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, NULL), ==, 0);
}

static void
test_invalid_url (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const char *urls[] = {
    "",
    "not a url",
    "ftp://example.com/a.jpg",
    "file:///etc/passwd",
    "https://",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      fixture->done = FALSE;
      fixture->n_callbacks = 0;
      g_clear_error (&fixture->error);

      start_download (fixture, urls[i]);
      ga_test_wait_for (&fixture->done, WAIT_MS);
      g_assert_true (fixture->done);
      g_assert_error (fixture->error, GA_ERROR, GA_ERROR_IMAGE_DOWNLOAD);
    }

  g_assert_cmpuint (fixture->n_queued, ==, 0);
}

static gboolean
request_arrived (Fixture    *fixture,
                 const char *path)
{
  return ga_test_server_get_request_count (fixture->server, path) > 0;
}

static void
wait_for_request (Fixture    *fixture,
                  const char *path)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (!request_arrived (fixture, path) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (request_arrived (fixture, path));
}

/* Cancelled while waiting for the answer. */
static void
test_cancel_waiting (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *url = image_url (fixture, "/img/a.jpg");
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_hang (reply);

  start_download (fixture, url);
  wait_for_request (fixture, "/img/a.jpg");
  ga_test_cancel_and_check (fixture->cancellable, &fixture->done, &fixture->n_callbacks,
                            &fixture->error);
  g_assert_null (fixture->bytes);
}

/* Cancelled while the body drips in. */
static void
test_cancel_reading (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = make_jpeg (64, 64);
  g_autofree char *url = image_url (fixture, "/img/a.jpg");
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", jpeg);
  ga_test_reply_set_drip (reply, 16, 1000);

  start_download (fixture, url);
  wait_for_request (fixture, "/img/a.jpg");
  ga_test_cancel_and_check (fixture->cancellable, &fixture->done, &fixture->n_callbacks,
                            &fixture->error);
  g_assert_null (fixture->bytes);
}

/* Cancelled before it began: no request at all. */
static void
test_cancel_before (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *url = image_url (fixture, "/img/a.jpg");

  g_cancellable_cancel (fixture->cancellable);
  start_download (fixture, url);
  ga_test_wait_for (&fixture->done, WAIT_MS);

  g_assert_true (fixture->done);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, NULL), ==, 0);
}

/* Spins the main context for @ms milliseconds. */
static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* Downloads @path with a deadline of @timeout_seconds; returns how long it took, in ms. */
static gint64
download_with_timeout (Fixture    *fixture,
                       const char *path,
                       guint       timeout_seconds)
{
  g_autofree char *url = image_url (fixture, path);
  gint64 start = g_get_monotonic_time ();

  start_download_with_timeout (fixture, url, timeout_seconds);
  ga_test_wait_for (&fixture->done, WAIT_MS);
  g_assert_true (fixture->done);
  g_assert_cmpuint (fixture->n_callbacks, ==, 1);

  return (g_get_monotonic_time () - start) / 1000;
}

static void
reset_result (Fixture *fixture)
{
  fixture->done = FALSE;
  fixture->n_callbacks = 0;
  g_clear_pointer (&fixture->bytes, g_bytes_unref);
  g_clear_error (&fixture->error);
}

/* One byte a second never trips the session's I/O timeout (it restarts with every read); the
 * download's own deadline ends it, in words a person can act on. */
static void
test_deadline_drip (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = make_jpeg (64, 64);
  GaTestReply *reply;
  guint io_timeout = 0;
  gint64 elapsed_ms;

  g_object_get (fixture->session, "timeout", &io_timeout, NULL);
  g_assert_cmpuint (io_timeout, >, 2);

  reply = ga_test_server_expect (fixture->server, "/img/drip.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", jpeg);
  ga_test_reply_set_drip (reply, 1, 1000);

  elapsed_ms = download_with_timeout (fixture, "/img/drip.jpg", 2);

  assert_error (fixture, GA_ERROR, GA_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (fixture->error->message, "2 seconds"));
  g_assert_nonnull (strstr (fixture->error->message, "internet connection"));
  /* The deadline's words: it ended the download, not the session's I/O timeout (asserted
   * longer above). No upper bound on the time, which load stretches. */
  g_assert_cmpint (elapsed_ms, >=, 1900);
  ga_test_server_assert_done (fixture->server);

  /* The session is unharmed: the next download works. */
  reset_result (fixture);
  reply = ga_test_server_expect (fixture->server, "/img/next.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", jpeg);
  download_with_timeout (fixture, "/img/next.jpg", 2);
  g_assert_no_error (fixture->error);
  g_assert_true (g_bytes_equal (fixture->bytes, jpeg));
  ga_test_server_assert_done (fixture->server);
}

/* The deadline covers the whole download: time spent on a redirect counts, and a host that
 * never answers after it is given up on. */
static void
test_deadline_across_redirect (Fixture       *fixture,
                               gconstpointer  user_data)
{
  GaTestReply *reply;
  gint64 elapsed_ms;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_status (reply, 302);
  ga_test_reply_set_header (reply, "Location", "/img/b.jpg?" SIGNATURE);
  ga_test_reply_set_delay (reply, 1200);
  reply = ga_test_server_expect (fixture->server, "/img/b.jpg");
  ga_test_reply_set_hang (reply);

  elapsed_ms = download_with_timeout (fixture, "/img/a.jpg", 2);

  assert_error (fixture, GA_ERROR, GA_ERROR_TIMEOUT);
  /* The deadline ended it (its words), not the session's I/O timeout; no upper bound on the
   * time, which load stretches. */
  g_assert_nonnull (strstr (fixture->error->message, "2 seconds"));
  g_assert_cmpint (elapsed_ms, >=, 1900);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, "/img/b.jpg"), ==, 1);
  ga_test_server_assert_done (fixture->server);
}

/* A download that finished in time is not touched by its deadline later. */
static void
test_deadline_after_success (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = make_jpeg (16, 16);
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", jpeg);

  download_with_timeout (fixture, "/img/a.jpg", 1);
  g_assert_no_error (fixture->error);
  g_assert_true (g_bytes_equal (fixture->bytes, jpeg));

  spin (1500);
  g_assert_cmpuint (fixture->n_callbacks, ==, 1);
  g_assert_no_error (fixture->error);
  ga_test_server_assert_done (fixture->server);
}

/* Cancelled before the deadline: the caller's cancel is reported, not a timeout. */
static void
test_deadline_cancel_wins (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *url = image_url (fixture, "/img/a.jpg");
  GaTestReply *reply;

  reply = ga_test_server_expect (fixture->server, "/img/a.jpg");
  ga_test_reply_set_hang (reply);

  start_download_with_timeout (fixture, url, 1);
  wait_for_request (fixture, "/img/a.jpg");
  g_cancellable_cancel (fixture->cancellable);
  ga_test_wait_for (&fixture->done, WAIT_MS);

  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  spin (1500);
  g_assert_cmpuint (fixture->n_callbacks, ==, 1);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/green-avatar/download/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("jpeg", test_jpeg);
  ADD ("octet-stream", test_octet_stream);
  ADD ("no-content-type", test_no_content_type);
  for (guint i = 0; i < G_N_ELEMENTS (status_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/green-avatar/download/", status_cases[i].name, NULL);

      g_test_add (path, Fixture, &status_cases[i], fixture_setup, test_status, fixture_teardown);
    }
  ADD ("oversize-content-length", test_oversize_content_length);
  ADD ("oversize-content-length-header", test_oversize_content_length_header);
  ADD ("oversize-chunked", test_oversize_chunked);
  ADD ("limit", test_limit);
  ADD ("limit-chunked", test_limit_chunked);
  ADD ("dropped", test_dropped);
  ADD ("redirect", test_redirect);
  ADD ("redirect-loop", test_redirect_loop);
  ADD ("redirect-insecure", test_redirect_insecure);
  ADD ("redirect-https-to-http", test_redirect_https_to_http);
  ADD ("redirect-without-location", test_redirect_without_location);
  ADD ("insecure-url", test_insecure_url);
  ADD ("invalid-url", test_invalid_url);
  ADD ("cancel-waiting", test_cancel_waiting);
  ADD ("cancel-reading", test_cancel_reading);
  ADD ("cancel-before", test_cancel_before);
  ADD ("deadline/drip", test_deadline_drip);
  ADD ("deadline/across-redirect", test_deadline_across_redirect);
  ADD ("deadline/after-success", test_deadline_after_success);
  ADD ("deadline/cancel-wins", test_deadline_cancel_wins);

#undef ADD

  return g_test_run ();
}
