/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-error.h"
#include "ga-http.h"
#include "ga-test-server.h"

#include <string.h>

#define WAIT_MS 5000

static void
test_session (void)
{
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autofree char *user_agent = NULL;
  guint timeout, idle_timeout;
  int max_conns_per_host;

  g_object_get (session,
                "user-agent", &user_agent,
                "timeout", &timeout,
                "idle-timeout", &idle_timeout,
                "max-conns-per-host", &max_conns_per_host,
                NULL);

  g_assert_true (g_str_has_prefix (user_agent, "GreenAvatar/" PACKAGE_VERSION " "));
  g_assert_cmpuint (timeout, ==, 30);
  g_assert_cmpuint (idle_timeout, ==, 60);
  g_assert_cmpint (max_conns_per_host, ==, 4);
}

static void
test_loopback (void)
{
  const struct {
    const char *host;
    gboolean loopback;
  } cases[] = {
    { "localhost", TRUE },
    { "LocalHost", TRUE },
    { "127.0.0.1", TRUE },
    { "127.0.0.2", TRUE },
    { "127.255.255.254", TRUE },
    { "::1", TRUE },
    { "[::1]", TRUE },
    { "0:0:0:0:0:0:0:1", TRUE },
    { NULL, FALSE },
    { "", FALSE },
    { "[]", FALSE },
    { "[", FALSE },
    { "localhost.example.com", FALSE },
    { "localhostx", FALSE },
    { "127.0.0.1.example.com", FALSE },
    { "128.0.0.1", FALSE },
    { "126.255.255.255", FALSE },
    { "10.0.0.1", FALSE },
    { "0.0.0.0", FALSE },
    { "::", FALSE },
    { "[::2]", FALSE },
    { "::ffff:8.8.8.8", FALSE },
    { "api.green-api.com", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("host %s", cases[i].host ? cases[i].host : "(null)");
      g_assert_cmpint (ga_http_host_is_loopback (cases[i].host), ==, cases[i].loopback);
    }
}

static void
test_uri_allowed (void)
{
  const struct {
    const char *uri;
    gboolean allowed;
  } cases[] = {
    { "https://api.green-api.com", TRUE },
    { "https://7103.api.greenapi.com/waInstance1/getAvatar/x", TRUE },
    { "HTTPS://api.green-api.com/", TRUE },
    { "https://203.0.113.5:8443/", TRUE },
    { "https://[2001:db8::1]/", TRUE },
    { "http://127.0.0.1:8080", TRUE },
    { "http://127.1.2.3/", TRUE },
    { "http://localhost/", TRUE },
    { "http://LOCALHOST:1234/x", TRUE },
    { "http://[::1]:8080/", TRUE },
    { "http://api.green-api.com", FALSE },
    { "http://192.168.1.10/", FALSE },
    { "http://127.0.0.1.nip.io/", FALSE },
    { "http://[::2]/", FALSE },
    { "ftp://127.0.0.1/", FALSE },
    { "ftp://api.green-api.com/", FALSE },
    { "file:///etc/passwd", FALSE },
    { "data:text/plain,hello", FALSE },
    { "ws://localhost/", FALSE },
    { "https:///nohost", FALSE },
    { "http:///nohost", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GUri) uri = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("uri %s", cases[i].uri);
      uri = g_uri_parse (cases[i].uri, G_URI_FLAGS_NONE, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ga_http_uri_is_allowed (uri), ==, cases[i].allowed);
    }
}

typedef struct
{
  gboolean done;
  GInputStream *stream;  /* (owned) (nullable) */
  GBytes *body;          /* (owned) (nullable) */
  GError *error;         /* (owned) (nullable) */
} Result;

static void
result_clear (Result *result)
{
  g_clear_object (&result->stream);
  g_clear_pointer (&result->body, g_bytes_unref);
  g_clear_error (&result->error);
  memset (result, 0, sizeof *result);
}

static void
send_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Result *result = user_data;

  result->stream = soup_session_send_finish (SOUP_SESSION (source), res, &result->error);
  result->done = TRUE;
}

static void
read_body_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Result *result = user_data;

  result->body = ga_http_read_body_finish (G_INPUT_STREAM (source), res, &result->error);
  result->done = TRUE;
}

/* Opens a real response body stream from the fixture. */
static GInputStream *
open_stream (SoupSession  *session,
             GaTestServer *server,
             const char   *path)
{
  g_autofree char *url = g_strconcat (ga_test_server_get_url (server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Result result = { 0 };
  GInputStream *stream;

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);
  g_assert_no_error (result.error);
  g_assert_nonnull (result.stream);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  stream = g_steal_pointer (&result.stream);
  result_clear (&result);

  return stream;
}

static void
read_body (GInputStream *stream,
           gsize         max_size,
           GCancellable *cancellable,
           Result       *result)
{
  ga_http_read_body_async (stream, max_size, G_PRIORITY_DEFAULT, cancellable, read_body_cb, result);
  ga_test_wait_for (&result->done, WAIT_MS);
  g_assert_true (result->done);
}

static GBytes *
make_data (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = i % 251;

  return g_bytes_new_take (data, size);
}

static void
test_read_body_sizes (void)
{
  const struct {
    gsize size;
    gsize max_size;
    gboolean drip;
    gboolean too_large;
  } cases[] = {
    { 0, 0, FALSE, FALSE },
    { 0, 100, FALSE, FALSE },
    { 1, 0, FALSE, TRUE },
    { 100, 101, FALSE, FALSE },
    { 100, 100, FALSE, FALSE },
    { 100, 99, FALSE, TRUE },
    /* Several reads' worth: the limit holds across reads. */
    { 100000, 100001, FALSE, FALSE },
    { 100000, 100000, FALSE, FALSE },
    { 100000, 99999, FALSE, TRUE },
    { 100000, 16384, FALSE, TRUE },
    { 5000, 5000, TRUE, FALSE },
    { 5000, 4999, TRUE, TRUE },
  };
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) data = make_data (cases[i].size);
      g_autoptr(GInputStream) stream = NULL;
      GaTestReply *reply;
      Result result = { 0 };

      g_test_message ("body of %" G_GSIZE_FORMAT " bytes, limit %" G_GSIZE_FORMAT "%s",
                      cases[i].size, cases[i].max_size, cases[i].drip ? ", dripped" : "");

      reply = ga_test_server_expect (server, "/image.jpg");
      ga_test_reply_set_body_bytes (reply, "image/jpeg", data);
      if (cases[i].drip)
        ga_test_reply_set_drip (reply, 1000, 2);

      stream = open_stream (session, server, "/image.jpg");
      read_body (stream, cases[i].max_size, NULL, &result);

      if (cases[i].too_large)
        {
          g_autofree char *limit = g_format_size (cases[i].max_size);

          g_assert_error (result.error, GA_ERROR, GA_ERROR_TOO_LARGE);
          g_assert_null (result.body);
          g_assert_nonnull (strstr (result.error->message, limit));
          g_assert_null (strstr (result.error->message, "127.0.0.1"));
        }
      else
        {
          g_assert_no_error (result.error);
          g_assert_nonnull (result.body);
          g_assert_true (g_bytes_equal (result.body, data));
        }

      result_clear (&result);
    }

  ga_test_server_assert_done (server);
}

/* A huge body is refused after reading past the limit by at most one read, not after
 * reading it all. */
static void
test_read_body_stops_early (void)
{
  g_autoptr(GBytes) data = make_data (4 * 1024 * 1024);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (data);
  Result result = { 0 };

  read_body (stream, 1000, NULL, &result);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_TOO_LARGE);
  g_assert_cmpint (g_seekable_tell (G_SEEKABLE (stream)), <=, 64 * 1024);
  result_clear (&result);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_read_body_cancel (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GBytes) data = make_data (1000);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  GaTestReply *reply;
  Result result = { 0 };

  /* The first chunk comes at once, the rest far later than the test waits. */
  reply = ga_test_server_expect (server, "/slow.jpg");
  ga_test_reply_set_body_bytes (reply, "image/jpeg", data);
  ga_test_reply_set_drip (reply, 10, 60000);

  stream = open_stream (session, server, "/slow.jpg");
  g_timeout_add (50, cancel_cb, cancellable);
  read_body (stream, 100000, cancellable, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result.body);
  result_clear (&result);

  /* Cancelled before it starts. */
  g_cancellable_cancel (cancelled);
  read_body (stream, 100000, cancelled, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&result);

  ga_test_server_assert_done (server);
}

static void
test_error_mapping (void)
{
  const struct {
    GQuark domain;
    int code;
    GQuark expected_domain;
    int expected_code;
  } cases[] = {
    { 0, G_IO_ERROR_CANCELLED, 0, G_IO_ERROR_CANCELLED },
    { 0, G_IO_ERROR_TIMED_OUT, 0, GA_ERROR_TIMEOUT },
    { 0, G_IO_ERROR_CONNECTION_REFUSED, 0, GA_ERROR_NETWORK },
    { 0, G_IO_ERROR_HOST_UNREACHABLE, 0, GA_ERROR_NETWORK },
    { 0, G_IO_ERROR_NETWORK_UNREACHABLE, 0, GA_ERROR_NETWORK },
    { 0, G_IO_ERROR_CONNECTION_CLOSED, 0, GA_ERROR_NETWORK },
    { 0, G_IO_ERROR_BROKEN_PIPE, 0, GA_ERROR_NETWORK },
    { 0, G_IO_ERROR_PARTIAL_INPUT, 0, GA_ERROR_NETWORK },
    { 0, G_IO_ERROR_FAILED, 0, GA_ERROR_NETWORK },
    { 0, G_IO_ERROR_NOT_FOUND, 0, GA_ERROR_NETWORK },
    { 1, G_RESOLVER_ERROR_NOT_FOUND, 0, GA_ERROR_NETWORK },
    { 1, G_RESOLVER_ERROR_TEMPORARY_FAILURE, 0, GA_ERROR_NETWORK },
    { 2, G_TLS_ERROR_BAD_CERTIFICATE, 0, GA_ERROR_TLS },
    { 2, G_TLS_ERROR_HANDSHAKE, 0, GA_ERROR_TLS },
    { 2, G_TLS_ERROR_NOT_TLS, 0, GA_ERROR_TLS },
    { 2, G_TLS_ERROR_MISC, 0, GA_ERROR_TLS },
    { 3, GA_ERROR_WRONG_TOKEN, 3, GA_ERROR_WRONG_TOKEN },
    { 3, GA_ERROR_TOO_LARGE, 3, GA_ERROR_TOO_LARGE },
    { 4, 7, 0, GA_ERROR_NETWORK },
  };
  const char *secret = "https://api.green-api.com/waInstance" GA_TEST_ID_INSTANCE
                       "/getAvatar/" GA_TEST_TOKEN;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GQuark domains[] = { G_IO_ERROR, G_RESOLVER_ERROR, G_TLS_ERROR, GA_ERROR,
                           g_quark_from_static_string ("ga-some-other-error") };
      GQuark domain = domains[cases[i].domain];
      g_autoptr(GError) error = g_error_new (domain, cases[i].code, "Failed at %s", secret);
      g_autoptr(GError) mapped = ga_http_error_from_gerror (error);
      gboolean unchanged = (domain == GA_ERROR ||
                            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_nonnull (mapped);
      g_assert_true (mapped != error);

      if (unchanged)
        {
          g_assert_error (mapped, domain, cases[i].code);
          g_assert_cmpstr (mapped->message, ==, error->message);
        }
      else
        {
          g_assert_error (mapped, GA_ERROR, cases[i].expected_code);
          g_assert_cmpstr (mapped->message, !=, "");
          g_assert_null (strstr (mapped->message, GA_TEST_TOKEN));
          g_assert_null (strstr (mapped->message, "Failed at"));
          g_assert_null (strstr (mapped->message, "https://"));
        }
    }
}

/* A real self-signed server: the session refuses it, and the error says so. */
static void
test_tls_failure (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new_tls ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autofree char *url = g_strconcat (ga_test_server_get_url (server), "/x", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) mapped = NULL;
  Result result = { 0 };

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);
  g_assert_nonnull (result.error);
  mapped = ga_http_error_from_gerror (result.error);
  g_assert_error (mapped, GA_ERROR, GA_ERROR_TLS);
  result_clear (&result);

  ga_test_server_assert_done (server);
}

/* Nothing listens on a port that was just closed: that is a network error. */
static void
test_refused (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autofree char *url = g_strconcat (ga_test_server_get_url (server), "/x", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) mapped = NULL;
  Result result = { 0 };

  g_clear_pointer (&server, ga_test_server_free);

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);
  g_assert_nonnull (result.error);
  mapped = ga_http_error_from_gerror (result.error);
  g_assert_error (mapped, GA_ERROR, GA_ERROR_NETWORK);
  result_clear (&result);
}

/* Real failures from libsoup map as they should: a silent server times out, a dropped
 * connection is a network error. */
static void
test_real_failures (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = g_object_new (SOUP_TYPE_SESSION, "timeout", 1, NULL);
  const char *paths[] = { "/hang", "/drop" };
  const int codes[] = { GA_ERROR_TIMEOUT, GA_ERROR_NETWORK };

  ga_test_reply_set_hang (ga_test_server_expect (server, "/hang"));
  ga_test_reply_set_drop (ga_test_server_expect (server, "/drop"));

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strconcat (ga_test_server_get_url (server), paths[i], NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GError) mapped = NULL;
      Result result = { 0 };

      soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &result);
      ga_test_wait_for (&result.done, WAIT_MS);
      g_assert_nonnull (result.error);
      mapped = ga_http_error_from_gerror (result.error);
      g_assert_error (mapped, GA_ERROR, codes[i]);
      result_clear (&result);
    }

  ga_test_server_assert_done (server);
}

/* ga_http_send_async(): a cancel at any point of a request gives G_IO_ERROR_CANCELLED, leaves
 * libsoup's bookkeeping whole and the session usable. libsoup 3.6.5 finishes a message twice
 * when it is cancelled after its headers were read but before libsoup's own callback ran,
 * which drops one reference of every session feature each time; so the test holds a feature
 * (a silent logger) and checks its reference count once each request is over. */
typedef enum
{
  CANCEL_BEFORE,         /* the cancellable is cancelled before the call */
  CANCEL_AT_ONCE,        /* right after the call, before any connection */
  CANCEL_WROTE_REQUEST,  /* the request is written, the answer not back */
  CANCEL_GOT_HEADERS,    /* the answer's headers are read, the body not */
} CancelPoint;

static void
cancel_in_signal_cb (SoupMessage  *msg,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
http_send_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Result *result = user_data;

  result->stream = ga_http_send_finish (SOUP_SESSION (source), res, &result->error);
  result->done = TRUE;
}

/* Spins until libsoup let go of @feature's references for its requests (the message of a
 * cancelled request finishes a main-loop turn or two after the callback). */
static void
assert_feature_refs (GObject *feature,
                     guint    expected)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (g_atomic_int_get ((int *) &feature->ref_count) != (int) expected &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpuint (g_atomic_int_get ((int *) &feature->ref_count), ==, expected);
}

static void
test_send_cancel (gconstpointer data)
{
  CancelPoint point = GPOINTER_TO_INT (data);
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_NONE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *url = g_strconcat (ga_test_server_get_url (server), "/slow", NULL);
  g_autofree char *after_url = g_strconcat (ga_test_server_get_url (server), "/after", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(SoupMessage) after = soup_message_new ("GET", after_url);
  GaTestReply *reply;
  guint baseline;
  Result result = { 0 };

  soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
  baseline = G_OBJECT (logger)->ref_count;

  if (point == CANCEL_WROTE_REQUEST || point == CANCEL_GOT_HEADERS)
    {
      reply = ga_test_server_expect (server, "/slow");
      ga_test_reply_set_body (reply, "text/plain", "0123456789", -1);
      /* Headers late enough that the cancel in wrote-headers comes first; the body in
       * pieces, so that it is not all there with the headers. */
      ga_test_reply_set_delay (reply, 100);
      ga_test_reply_set_drip (reply, 2, 50);
      g_signal_connect (msg, point == CANCEL_WROTE_REQUEST ? "wrote-headers" : "got-headers",
                        G_CALLBACK (cancel_in_signal_cb), cancellable);
    }

  if (point == CANCEL_BEFORE)
    g_cancellable_cancel (cancellable);

  ga_http_send_async (session, msg, G_PRIORITY_DEFAULT, cancellable, http_send_cb, &result);

  if (point == CANCEL_AT_ONCE)
    g_cancellable_cancel (cancellable);

  ga_test_wait_for (&result.done, WAIT_MS);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result.stream);
  result_clear (&result);
  assert_feature_refs (G_OBJECT (logger), baseline);

  /* The session goes on as if nothing happened. */
  ga_test_reply_set_body (ga_test_server_expect (server, "/after"), "text/plain", "after", -1);
  ga_http_send_async (session, after, G_PRIORITY_DEFAULT, NULL, http_send_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);
  g_assert_no_error (result.error);
  g_assert_cmpuint (soup_message_get_status (after), ==, 200);
  {
    g_autoptr(GInputStream) stream = g_steal_pointer (&result.stream);

    result_clear (&result);
    read_body (stream, 1024, NULL, &result);
    g_assert_no_error (result.error);
    g_assert_cmpmem (g_bytes_get_data (result.body, NULL), g_bytes_get_size (result.body),
                     "after", 5);
    result_clear (&result);
  }
  assert_feature_refs (G_OBJECT (logger), baseline);

  if (point == CANCEL_WROTE_REQUEST || point == CANCEL_GOT_HEADERS)
    g_assert_cmpuint (ga_test_server_get_request_count (server, "/slow"), ==, 1);
  ga_test_server_assert_done (server);
}

static gboolean
incoming_cb (GSocketService     *service,
             GSocketConnection  *connection,
             GObject            *source_object,
             gpointer            user_data)
{
  guint *count = user_data;

  (*count)++;

  return FALSE;
}

static void
test_preconnect (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint connections = 0;
  gint64 deadline;

  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), &connections);
  g_socket_service_start (service);

  /* Refused URLs never open a connection. */
  ga_http_preconnect (session, NULL, NULL);
  ga_http_preconnect (session, "", NULL);
  ga_http_preconnect (session, "not a url", NULL);
  ga_http_preconnect (session, "ftp://127.0.0.1/", NULL);

  url = g_strdup_printf ("http://127.0.0.1:%u/v/t61/picture_n.jpg?oe=66041D5F",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  ga_http_preconnect (session, url, NULL);

  /* The connection is opened without any request being sent. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (connections == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (connections, ==, 1);
  g_socket_service_stop (service);
}

static void
warm_up_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (object);
  g_assert_true (ga_http_warm_up_tls_finish (result, &error));
  g_assert_no_error (error);
  (*(guint *) user_data)++;
}

static void
test_warm_up_tls (void)
{
  guint done = 0;

  /* The second call finds everything loaded; both complete in this thread's context. */
  ga_http_warm_up_tls_async (NULL, warm_up_cb, &done);
  ga_http_warm_up_tls_async (NULL, warm_up_cb, &done);
  while (done < 2)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (g_tls_backend_supports_tls (g_tls_backend_get_default ()));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/http/session", test_session);
  g_test_add_func ("/green-avatar/http/loopback", test_loopback);
  g_test_add_func ("/green-avatar/http/uri-allowed", test_uri_allowed);
  g_test_add_func ("/green-avatar/http/read-body/sizes", test_read_body_sizes);
  g_test_add_func ("/green-avatar/http/read-body/stops-early", test_read_body_stops_early);
  g_test_add_func ("/green-avatar/http/read-body/cancel", test_read_body_cancel);
  g_test_add_func ("/green-avatar/http/error-mapping", test_error_mapping);
  g_test_add_func ("/green-avatar/http/tls-failure", test_tls_failure);
  g_test_add_func ("/green-avatar/http/refused", test_refused);
  g_test_add_func ("/green-avatar/http/real-failures", test_real_failures);
  g_test_add_data_func ("/green-avatar/http/send/cancel/before",
                        GINT_TO_POINTER (CANCEL_BEFORE), test_send_cancel);
  g_test_add_data_func ("/green-avatar/http/send/cancel/at-once",
                        GINT_TO_POINTER (CANCEL_AT_ONCE), test_send_cancel);
  g_test_add_data_func ("/green-avatar/http/send/cancel/wrote-request",
                        GINT_TO_POINTER (CANCEL_WROTE_REQUEST), test_send_cancel);
  g_test_add_data_func ("/green-avatar/http/send/cancel/got-headers",
                        GINT_TO_POINTER (CANCEL_GOT_HEADERS), test_send_cancel);
  g_test_add_func ("/green-avatar/http/preconnect", test_preconnect);
  g_test_add_func ("/green-avatar/http/warm-up-tls", test_warm_up_tls);

  return g_test_run ();
}
