/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-test-server.h"

#include <string.h>
#include <sys/socket.h>

/* Tests of the loopback server fixture itself, driven by a plain SoupSession. */

#define WAIT_MS 5000

typedef struct
{
  gboolean done;
  guint status;
  GBytes *body;           /* (owned) (nullable) */
  GError *error;          /* (owned) (nullable) */
  SoupMessage *msg;       /* (owned) */
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->body, g_bytes_unref);
  g_clear_error (&result->error);
  g_clear_object (&result->msg);
  memset (result, 0, sizeof *result);
}

static void
send_and_read_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  Result *result = user_data;

  result->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &result->error);
  result->status = soup_message_get_status (result->msg);
  result->done = TRUE;
}

static void
request (SoupSession  *session,
         GaTestServer *server,
         const char   *method,
         const char   *path,
         const char   *body,
         GCancellable *cancellable,
         Result       *result)
{
  g_autofree char *url = g_strconcat (ga_test_server_get_url (server), path, NULL);

  result->msg = soup_message_new (method, url);
  g_assert_nonnull (result->msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (result->msg, "text/plain", bytes);
    }

  soup_session_send_and_read_async (session,
                                    result->msg,
                                    G_PRIORITY_DEFAULT,
                                    cancellable,
                                    send_and_read_cb,
                                    result);
}

static void
request_sync (SoupSession  *session,
              GaTestServer *server,
              const char   *path,
              Result       *result)
{
  request (session, server, "GET", path, NULL, NULL, result);
  ga_test_wait_for (&result->done, WAIT_MS);
  g_assert_true (result->done);
}

static void
assert_body (Result     *result,
             const char *expected)
{
  g_assert_no_error (result->error);
  g_assert_nonnull (result->body);
  g_assert_cmpmem (g_bytes_get_data (result->body, NULL), g_bytes_get_size (result->body),
                   expected, strlen (expected));
}

/* Spins the main context until the server has seen @count requests in all. */
static void
wait_for_requests (GaTestServer *server,
                   guint         count)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (ga_test_server_get_request_count (server, NULL) < count &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpuint (ga_test_server_get_request_count (server, NULL), >=, count);
}

static void
test_queue_order (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *api_path = ga_test_server_api_path ("getAvatar");
  GaTestReply *reply;
  Result result = { 0 };

  g_assert_true (g_str_has_prefix (ga_test_server_get_url (server), "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (ga_test_server_get_url (server), "/"));
  g_assert_cmpstr (api_path, ==,
                   "/waInstance" GA_TEST_ID_INSTANCE "/getAvatar/" GA_TEST_TOKEN);

  reply = ga_test_server_expect (server, "/a");
  ga_test_reply_set_body (reply, "text/plain", "first", -1);
  ga_test_reply_set_header (reply, "X-Test", "yes");
  reply = ga_test_server_expect (server, "/a");
  ga_test_reply_set_status (reply, 404);
  ga_test_reply_set_body (reply, "text/plain", "second", -1);
  ga_test_server_expect_api (server, "getAvatar", 200, "{\"existsWhatsapp\":true}");

  g_assert_cmpuint (ga_test_server_get_request_count (server, "/a"), ==, 0);
  g_assert_null (ga_test_server_get_last_body (server, "/a"));

  request (session, server, "POST", "/a?x=1", "hello", NULL, &result);
  ga_test_wait_for (&result.done, WAIT_MS);
  assert_body (&result, "first");
  g_assert_cmpuint (result.status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (result.msg),
                                                 "X-Test"), ==, "yes");
  g_assert_cmpstr (soup_message_headers_get_content_type (
                     soup_message_get_response_headers (result.msg), NULL), ==, "text/plain");
  g_assert_cmpstr (ga_test_server_get_last_body (server, "/a"), ==, "hello");
  result_clear (&result);

  request (session, server, "POST", "/a", "world", NULL, &result);
  ga_test_wait_for (&result.done, WAIT_MS);
  assert_body (&result, "second");
  g_assert_cmpuint (result.status, ==, 404);
  g_assert_cmpstr (ga_test_server_get_last_body (server, "/a"), ==, "world");
  result_clear (&result);

  request_sync (session, server, api_path, &result);
  assert_body (&result, "{\"existsWhatsapp\":true}");
  g_assert_cmpstr (soup_message_headers_get_content_type (
                     soup_message_get_response_headers (result.msg), NULL), ==, "application/json");
  result_clear (&result);

  g_assert_cmpuint (ga_test_server_get_request_count (server, "/a"), ==, 2);
  g_assert_cmpuint (ga_test_server_get_request_count (server, api_path), ==, 1);
  g_assert_cmpuint (ga_test_server_get_request_count (server, "/b"), ==, 0);
  g_assert_cmpuint (ga_test_server_get_request_count (server, NULL), ==, 3);
  ga_test_server_assert_done (server);
}

static void
test_delay (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  GaTestReply *reply;
  Result result = { 0 };
  gint64 start;

  reply = ga_test_server_expect (server, "/slow");
  ga_test_reply_set_body (reply, "text/plain", "late", -1);
  ga_test_reply_set_delay (reply, 300);

  start = g_get_monotonic_time ();
  request (session, server, "GET", "/slow", NULL, NULL, &result);
  wait_for_requests (server, 1);
  g_assert_false (result.done);
  ga_test_wait_for (&result.done, WAIT_MS);
  assert_body (&result, "late");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * G_TIME_SPAN_MILLISECOND);
  result_clear (&result);

  ga_test_server_assert_done (server);
}

/* A held reply is answered only once released; one still queued then is answered on arrival. */
static void
test_hold (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  GaTestReply *reply;
  Result result = { 0 };

  reply = ga_test_server_expect (server, "/held");
  ga_test_reply_set_body (reply, "text/plain", "first", -1);
  ga_test_reply_set_hold (reply);
  reply = ga_test_server_expect (server, "/held");
  ga_test_reply_set_body (reply, "text/plain", "second", -1);
  ga_test_reply_set_hold (reply);

  request (session, server, "GET", "/held", NULL, NULL, &result);
  wait_for_requests (server, 1);
  for (guint i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (result.done);

  ga_test_server_release (server);
  ga_test_wait_for (&result.done, WAIT_MS);
  assert_body (&result, "first");
  result_clear (&result);

  request_sync (session, server, "/held", &result);
  assert_body (&result, "second");
  result_clear (&result);

  ga_test_server_assert_done (server);
}

static void
test_drop (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  Result result = { 0 };

  ga_test_server_expect (server, "/ok");
  ga_test_reply_set_drop (ga_test_server_expect (server, "/drop"));

  /* The drop must reach the client even on the session's second request: libsoup would
   * resend it on a fresh connection if the first one had been kept alive. */
  request_sync (session, server, "/ok", &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.status, ==, 200);
  result_clear (&result);

  request_sync (session, server, "/drop", &result);
  g_assert_nonnull (result.error);
  g_assert_true (result.error->domain == G_IO_ERROR);
  g_assert_false (g_error_matches (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_null (result.body);
  result_clear (&result);

  g_assert_cmpuint (ga_test_server_get_request_count (server, "/drop"), ==, 1);
  ga_test_server_assert_done (server);
}

static void
test_drop_after_delay (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  GaTestReply *reply;
  Result result = { 0 };

  reply = ga_test_server_expect (server, "/drop");
  ga_test_reply_set_delay (reply, 50);
  ga_test_reply_set_drop (reply);

  request_sync (session, server, "/drop", &result);
  g_assert_nonnull (result.error);
  g_assert_true (result.error->domain == G_IO_ERROR);
  g_assert_false (g_error_matches (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  result_clear (&result);

  ga_test_server_assert_done (server);
}

static void
test_hang_cancel (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result result = { 0 };
  Result other = { 0 };

  ga_test_reply_set_hang (ga_test_server_expect (server, "/hang"));
  ga_test_reply_set_hang (ga_test_server_expect (server, "/hang"));

  request (session, server, "GET", "/hang", NULL, cancellable, &result);
  wait_for_requests (server, 1);
  /* Give the server a moment to (not) answer. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (result.done);

  g_cancellable_cancel (cancellable);
  ga_test_wait_for (&result.done, WAIT_MS);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&result);

  /* A request still hanging when the server goes away ends with an error, not a hang. */
  request (session, server, "GET", "/hang", NULL, NULL, &other);
  wait_for_requests (server, 2);
  ga_test_server_assert_done (server);
  g_clear_pointer (&server, ga_test_server_free);
  ga_test_wait_for (&other.done, WAIT_MS);
  g_assert_nonnull (other.error);
  result_clear (&other);
}

static void
test_free_pending_delay (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  GaTestReply *reply;
  Result result = { 0 };

  reply = ga_test_server_expect (server, "/slow");
  ga_test_reply_set_delay (reply, 60000);
  reply = ga_test_server_expect (server, "/drip");
  ga_test_reply_set_body (reply, "text/plain", "0123456789", -1);
  ga_test_reply_set_drip (reply, 1, 60000);

  request (session, server, "GET", "/slow", NULL, NULL, &result);
  wait_for_requests (server, 1);

  {
    g_autoptr(SoupSession) session2 = soup_session_new ();
    Result result2 = { 0 };

    request (session2, server, "GET", "/drip", NULL, NULL, &result2);
    wait_for_requests (server, 2);

    g_clear_pointer (&server, ga_test_server_free);
    ga_test_wait_for (&result.done, WAIT_MS);
    ga_test_wait_for (&result2.done, WAIT_MS);
    g_assert_nonnull (result.error);
    g_assert_nonnull (result2.error);
    result_clear (&result2);
  }

  result_clear (&result);
}

/* A client that resets its connection (closes it with an answer partly unread, as one that
 * cancels while reading does) before the server is freed: freeing ends the pending answer
 * without libsoup warning that the peer has gone. */
static void
test_free_pending_reset (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request_text = NULL;
  GaTestReply *reply;
  GSocket *socket;
  gint64 deadline;

  reply = ga_test_server_expect (server, "/drip");
  ga_test_reply_set_body (reply, "text/plain", "0123456789", -1);
  ga_test_reply_set_drip (reply, 1, 60000);

  uri = g_uri_parse (ga_test_server_get_url (server), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri),
                                                NULL, &error);
  g_assert_no_error (error);
  socket = g_socket_connection_get_socket (connection);

  request_text = g_strdup_printf ("GET /drip HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n",
                                  g_uri_get_port (uri));
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request_text, strlen (request_text), NULL, NULL, &error);
  g_assert_no_error (error);
  wait_for_requests (server, 1);

  /* The headers and the first byte have arrived, and the rest is pending. */
  deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (!(g_socket_condition_check (socket, G_IO_IN) & G_IO_IN) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN);

  /* A zero linger time makes the close a reset, whatever the timing. */
  {
    struct linger linger = { 1, 0 };

    g_assert_cmpint (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER,
                                 &linger, sizeof linger), ==, 0);
  }
  g_io_stream_close (G_IO_STREAM (connection), NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  ga_test_server_assert_done (server);
  g_clear_pointer (&server, ga_test_server_free);
}

static void
test_drip (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  GaTestReply *reply;
  Result result = { 0 };

  for (guint i = 0; i < 10000; i++)
    {
      guint8 c = i % 251;

      g_byte_array_append (data, &c, 1);
    }
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data));

  reply = ga_test_server_expect (server, "/drip");
  ga_test_reply_set_body_bytes (reply, "application/octet-stream", bytes);
  ga_test_reply_set_drip (reply, 1000, 5);

  request_sync (session, server, "/drip", &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.status, ==, 200);
  g_assert_true (g_bytes_equal (result.body, bytes));
  g_assert_cmpint (soup_message_headers_get_encoding (
                     soup_message_get_response_headers (result.msg)), ==, SOUP_ENCODING_CHUNKED);
  result_clear (&result);

  ga_test_server_assert_done (server);
}

static void
test_unexpected_subprocess (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *api_path = ga_test_server_api_path ("getAvatar");
  Result result = { 0 };

  request_sync (session, server, api_path, &result);
  g_assert_cmpuint (result.status, ==, 599);
  result_clear (&result);

  ga_test_server_assert_done (server);
}

static void
test_unexpected_at_free_subprocess (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  Result result = { 0 };

  request_sync (session, server, "/waInstance1/getAvatar/someothertoken", &result);
  g_assert_cmpuint (result.status, ==, 599);
  result_clear (&result);
}

static void
test_unconsumed_subprocess (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();

  ga_test_server_expect_api (server, "getAvatar", 200, "{}");
  ga_test_server_assert_done (server);
}

static void
test_unused_free_subprocess (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();

  /* Only assert_done complains about replies nobody asked for. */
  ga_test_server_expect_api (server, "getAvatar", 200, "{}");
}

static void
test_wait_timeout_subprocess (void)
{
  gboolean never = FALSE;

  ga_test_wait_for (&never, 50);
}

static void
test_unexpected (void)
{
  g_test_trap_subprocess ("/green-avatar/test-server/unexpected/subprocess/request", 0,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*Unexpected request to /waInstance"
                             GA_TEST_ID_INSTANCE "/getAvatar/<token>*");
  g_test_trap_assert_stdout_unmatched ("*" GA_TEST_TOKEN "*");

  g_test_trap_subprocess ("/green-avatar/test-server/unexpected/subprocess/at-free", 0,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*Unexpected request to /waInstance1/getAvatar/<token>*");
  g_test_trap_assert_stdout_unmatched ("*someothertoken*");

  g_test_trap_subprocess ("/green-avatar/test-server/unexpected/subprocess/unconsumed", 0,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*/getAvatar/<token>*");
  g_test_trap_assert_stdout_unmatched ("*" GA_TEST_TOKEN "*");

  g_test_trap_subprocess ("/green-avatar/test-server/unexpected/subprocess/unused-free", 0,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  g_test_trap_subprocess ("/green-avatar/test-server/unexpected/subprocess/wait-timeout", 0,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*Timed out*");
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return TRUE;
}

static void
test_tls (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new_tls ();
  g_autoptr(SoupSession) session = soup_session_new ();
  GaTestReply *reply;
  Result result = { 0 };

  g_assert_true (g_str_has_prefix (ga_test_server_get_url (server), "https://127.0.0.1:"));

  /* The certificate is self-signed: a default session refuses it. */
  request_sync (session, server, "/tls", &result);
  g_assert_nonnull (result.error);
  g_assert_true (result.error->domain == G_TLS_ERROR);
  result_clear (&result);
  g_assert_cmpuint (ga_test_server_get_request_count (server, NULL), ==, 0);

  /* It really serves HTTPS for a client that accepts the certificate. */
  reply = ga_test_server_expect (server, "/tls");
  ga_test_reply_set_body (reply, "text/plain", "secret", -1);
  request (session, server, "GET", "/tls", NULL, NULL, &result);
  g_signal_connect (result.msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
  ga_test_wait_for (&result.done, WAIT_MS);
  assert_body (&result, "secret");
  result_clear (&result);

  ga_test_server_assert_done (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/test-server/queue-order", test_queue_order);
  g_test_add_func ("/green-avatar/test-server/delay", test_delay);
  g_test_add_func ("/green-avatar/test-server/hold", test_hold);
  g_test_add_func ("/green-avatar/test-server/drop", test_drop);
  g_test_add_func ("/green-avatar/test-server/drop-after-delay", test_drop_after_delay);
  g_test_add_func ("/green-avatar/test-server/hang-cancel", test_hang_cancel);
  g_test_add_func ("/green-avatar/test-server/free-pending", test_free_pending_delay);
  g_test_add_func ("/green-avatar/test-server/free-pending-reset", test_free_pending_reset);
  g_test_add_func ("/green-avatar/test-server/drip", test_drip);
  g_test_add_func ("/green-avatar/test-server/unexpected", test_unexpected);
  g_test_add_func ("/green-avatar/test-server/unexpected/subprocess/request",
                   test_unexpected_subprocess);
  g_test_add_func ("/green-avatar/test-server/unexpected/subprocess/at-free",
                   test_unexpected_at_free_subprocess);
  g_test_add_func ("/green-avatar/test-server/unexpected/subprocess/unconsumed",
                   test_unconsumed_subprocess);
  g_test_add_func ("/green-avatar/test-server/unexpected/subprocess/unused-free",
                   test_unused_free_subprocess);
  g_test_add_func ("/green-avatar/test-server/unexpected/subprocess/wait-timeout",
                   test_wait_timeout_subprocess);
  g_test_add_func ("/green-avatar/test-server/tls", test_tls);

  return g_test_run ();
}
