/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-client.h"
#include "ga-download.h"
#include "ga-error.h"
#include "ga-http.h"
#include "ga-test-server.h"

/*
 * The network thread (ga-http.c): requests are sent from a thread of their own, and every
 * callback still runs in its caller's context; cancels and deadlines cross over.
 */

#define CHAT_ID "11001234567@c.us"
#define WAIT_MS 20000
#define N_CONCURRENT 64

/* The thread each request was sent from: libsoup emits request-queued there. */
static void
request_queued_cb (SoupSession *session,
                   SoupMessage *message,
                   GPtrArray   *threads)
{
  static GMutex lock;

  g_mutex_lock (&lock);
  g_ptr_array_add (threads, g_thread_self ());
  g_mutex_unlock (&lock);
}

static GaClient *
make_client (GaTestServer *server,
             SoupSession  *session,
             guint         timeout_seconds)
{
  g_autoptr(GaLimiter) limiter = ga_limiter_new_unpaced ();

  return g_object_new (GA_TYPE_CLIENT,
                       "session", session,
                       "api-url", ga_test_server_get_url (server),
                       "id-instance", GA_TEST_ID_INSTANCE,
                       "token", GA_TEST_TOKEN,
                       "retry-delay-ms", 5,
                       "timeout-seconds", timeout_seconds,
                       "limiter", limiter,
                       NULL);
}

typedef struct
{
  gboolean      done;
  GThread      *thread;   /* where the callback ran */
  GaAvatarInfo *info;     /* (owned) (nullable) */
  GaHttpReply  *reply;    /* (owned) (nullable) */
  GBytes       *bytes;    /* (owned) (nullable) */
  GError       *error;    /* (owned) (nullable) */
} Result;

static void
result_clear (Result *result)
{
  g_clear_object (&result->info);
  g_clear_pointer (&result->reply, ga_http_reply_free);
  g_clear_pointer (&result->bytes, g_bytes_unref);
  g_clear_error (&result->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
avatar_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *result = user_data;

  result->info = ga_client_get_avatar_finish (GA_CLIENT (object), res, &result->error);
  result->thread = g_thread_self ();
  g_atomic_int_set (&result->done, TRUE);
}

static void
exchange_cb (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  Result *result = user_data;

  result->reply = ga_http_exchange_finish (res, &result->error);
  result->thread = g_thread_self ();
  g_atomic_int_set (&result->done, TRUE);
}

static void
download_cb (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  Result *result = user_data;

  result->bytes = ga_download_finish (res, &result->error);
  result->thread = g_thread_self ();
  g_atomic_int_set (&result->done, TRUE);
}

static GUri *
server_uri (GaTestServer *server,
            const char   *path)
{
  g_autofree char *url = g_strconcat (ga_test_server_get_url (server), path, NULL);

  return g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
}

/* The request goes out from the network thread; its answer comes back to the caller. */
static void
test_exchange_threads (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GUri) uri = server_uri (server, "/hello");
  g_auto(Result) result = { 0 };
  GaTestReply *reply;

  g_assert_true (ga_http_get_network_thread_enabled ());
  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), threads);

  reply = ga_test_server_expect (server, "/hello");
  ga_test_reply_set_body (reply, "text/plain", "hello", -1);
  ga_test_reply_set_header (reply, "X-Test", "1");

  ga_http_exchange_async (session, SOUP_METHOD_GET, uri, SOUP_MESSAGE_NO_REDIRECT, "text/plain",
                          NULL, NULL, 1024, NULL, NULL, exchange_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);

  g_assert_no_error (result.error);
  g_assert_cmpuint (ga_http_reply_get_status (result.reply), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (ga_http_reply_get_headers (result.reply),
                                                 "X-Test"), ==, "1");
  g_assert_null (ga_http_reply_get_body_error (result.reply));
  g_assert_cmpmem (g_bytes_get_data (ga_http_reply_get_body (result.reply), NULL), 5,
                   "hello", 5);

  g_assert_true (result.thread == g_thread_self ());
  g_assert_cmpuint (threads->len, ==, 1);
  g_assert_true (g_ptr_array_index (threads, 0) != g_thread_self ());
  ga_test_server_assert_done (server);
}

static gboolean
drop_body (guint               status,
           SoupMessageHeaders *headers)
{
  return status != 404;
}

/* A body the filter does not want is not read; a body over the cap is the body's error. */
static void
test_exchange_body (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GUri) missing = server_uri (server, "/missing");
  g_autoptr(GUri) large = server_uri (server, "/large");
  g_auto(Result) dropped = { 0 };
  g_auto(Result) too_large = { 0 };
  GaTestReply *reply;

  reply = ga_test_server_expect (server, "/missing");
  ga_test_reply_set_status (reply, 404);
  ga_test_reply_set_body (reply, "text/plain", "not here", -1);
  reply = ga_test_server_expect (server, "/large");
  ga_test_reply_set_body (reply, "text/plain", "0123456789abcdef", -1);

  ga_http_exchange_async (session, SOUP_METHOD_GET, missing, 0, NULL, NULL, NULL, 1024,
                          drop_body, NULL, exchange_cb, &dropped);
  ga_test_wait_for (&dropped.done, WAIT_MS);
  g_assert_no_error (dropped.error);
  g_assert_cmpuint (ga_http_reply_get_status (dropped.reply), ==, 404);
  g_assert_null (ga_http_reply_get_body (dropped.reply));
  g_assert_null (ga_http_reply_get_body_error (dropped.reply));

  ga_http_exchange_async (session, SOUP_METHOD_GET, large, 0, NULL, NULL, NULL, 8,
                          drop_body, NULL, exchange_cb, &too_large);
  ga_test_wait_for (&too_large.done, WAIT_MS);
  g_assert_no_error (too_large.error);
  g_assert_null (ga_http_reply_get_body (too_large.reply));
  g_assert_error (ga_http_reply_get_body_error (too_large.reply), GA_ERROR, GA_ERROR_TOO_LARGE);
  ga_test_server_assert_done (server);
}

typedef struct
{
  GaTestServer *server;
  SoupSession  *session;
  Result        result;
  GThread      *caller;
  gboolean      finished;
} WorkerData;

static gpointer
worker_thread (gpointer user_data)
{
  WorkerData *data = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GUri) uri = server_uri (data->server, "/worker");

  g_main_context_push_thread_default (context);
  data->caller = g_thread_self ();
  ga_http_exchange_async (data->session, SOUP_METHOD_GET, uri, 0, NULL, NULL, NULL, 1024,
                          NULL, NULL, exchange_cb, &data->result);
  ga_test_wait_for (&data->result.done, WAIT_MS);
  g_main_context_pop_thread_default (context);

  g_atomic_int_set (&data->finished, TRUE);
  /* The main thread may be asleep in its context, which nothing else wakes. */
  g_main_context_wakeup (NULL);
  return NULL;
}

/* A caller in another thread, with its own context, gets its callback there. */
static void
test_exchange_caller_context (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  WorkerData data = { server, session, { 0 }, NULL, FALSE };
  GThread *thread;

  ga_test_reply_set_body (ga_test_server_expect (server, "/worker"), "text/plain", "w", -1);

  thread = g_thread_new ("test-caller", worker_thread, &data);
  /* The server answers from this thread's context. */
  ga_test_wait_for (&data.finished, WAIT_MS);
  g_thread_join (thread);

  g_assert_no_error (data.result.error);
  g_assert_cmpuint (ga_http_reply_get_status (data.result.reply), ==, 200);
  g_assert_true (data.result.thread == data.caller);
  g_assert_true (data.caller != g_thread_self ());
  result_clear (&data.result);
  ga_test_server_assert_done (server);
}

/* A GaClient call: sent from the network thread, answered on the caller's. */
static void
test_client_threads (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = make_client (server, session, 10);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_auto(Result) result = { 0 };

  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), threads);
  ga_test_server_expect_api (server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");

  ga_client_get_avatar_async (client, CHAT_ID, NULL, avatar_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);

  g_assert_no_error (result.error);
  g_assert_nonnull (result.info);
  g_assert_true (result.thread == g_thread_self ());
  g_assert_cmpuint (threads->len, ==, 1);
  g_assert_true (g_ptr_array_index (threads, 0) != g_thread_self ());
  ga_test_server_assert_done (server);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Cancelled from the main thread while the network thread waits for the answer. */
static void
test_client_cancel_in_flight (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = make_client (server, session, 10);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = ga_test_server_api_path ("getAvatar");
  g_auto(Result) result = { 0 };

  ga_test_reply_set_hang (ga_test_server_expect_api (server, "getAvatar", 200, "{}"));

  ga_client_get_avatar_async (client, CHAT_ID, cancellable, avatar_cb, &result);
  while (ga_test_server_get_request_count (server, path) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (result.done);

  /* From a main-loop callback, as a window's Cancel button would. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cancel_cb, g_object_ref (cancellable), g_object_unref);
  ga_test_wait_for (&result.done, WAIT_MS);

  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (result.thread == g_thread_self ());
}

/* The total timeout fires in the caller's context and ends the exchange in the other. */
static void
test_client_deadline (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = make_client (server, session, 1);
  g_auto(Result) result = { 0 };

  ga_test_reply_set_hang (ga_test_server_expect_api (server, "getAvatar", 200, "{}"));

  ga_client_get_avatar_async (client, CHAT_ID, NULL, avatar_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);

  g_assert_error (result.error, GA_ERROR, GA_ERROR_TIMEOUT);
  g_assert_true (result.thread == g_thread_self ());
}

/* A cancel after the answer's headers were read, across the hop. libsoup 3.6.5 finishes a
 * message twice when its send is cancelled between "got-headers" and its own callback, and
 * every session feature loses a reference each time (see ga_http_send_async()). "got-headers"
 * is emitted in the network thread; the caller's cancel comes either from there (the next
 * turn of the network thread's loop, where libsoup's callback waits too, sees it) or from the
 * caller's thread while the network thread waits inside "got-headers". The exchange ends with
 * the cancel, the session's features keep their references, and the session goes on. */
typedef enum
{
  CANCEL_IN_NETWORK_THREAD,
  CANCEL_FROM_CALLER,
} CancelFrom;

typedef struct
{
  CancelFrom    from;
  GCancellable *cancellable;  /* the caller's */
  GMainContext *caller;       /* (owned) */
  GThread      *thread;       /* where "got-headers" ran */
  GMutex        lock;
  GCond         cond;
  gboolean      cancelled;    /* under @lock: the caller has cancelled */
  int           got_headers;
} GotHeadersCancel;

static gboolean
cancel_from_caller_cb (gpointer user_data)
{
  GotHeadersCancel *data = user_data;

  g_cancellable_cancel (data->cancellable);
  g_mutex_lock (&data->lock);
  data->cancelled = TRUE;
  g_cond_signal (&data->cond);
  g_mutex_unlock (&data->lock);

  return G_SOURCE_REMOVE;
}

static void
cancel_at_got_headers_cb (SoupMessage      *message,
                          GotHeadersCancel *data)
{
  data->thread = g_thread_self ();

  if (data->from == CANCEL_IN_NETWORK_THREAD)
    {
      g_cancellable_cancel (data->cancellable);
    }
  else
    {
      /* The network thread stays inside libsoup's processing until the caller cancelled. */
      g_main_context_invoke (data->caller, cancel_from_caller_cb, data);
      g_mutex_lock (&data->lock);
      while (!data->cancelled)
        g_cond_wait (&data->cond, &data->lock);
      g_mutex_unlock (&data->lock);
    }

  g_atomic_int_set (&data->got_headers, TRUE);
}

static void
cancel_queued_cb (SoupSession      *session,
                  SoupMessage      *message,
                  GotHeadersCancel *data)
{
  if (g_strcmp0 (g_uri_get_path (soup_message_get_uri (message)), "/slow") == 0)
    g_signal_connect (message, "got-headers", G_CALLBACK (cancel_at_got_headers_cb), data);
}

/* Waits, in this thread's context, until libsoup gave back @feature's references (the
 * message of a cancelled request finishes a loop turn or two after the callback, in the
 * network thread). */
static void
assert_feature_refs (GObject *feature,
                     guint    expected)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (g_atomic_int_get ((int *) &feature->ref_count) != (int) expected &&
         g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  g_assert_cmpuint (g_atomic_int_get ((int *) &feature->ref_count), ==, expected);
}

static void
test_cancel_at_got_headers (gconstpointer user_data)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_NONE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GUri) slow = server_uri (server, "/slow");
  g_autoptr(GUri) after = server_uri (server, "/after");
  g_auto(Result) cancelled = { 0 };
  g_auto(Result) next = { 0 };
  GotHeadersCancel data = { 0 };
  GaTestReply *reply;
  guint baseline;

  data.from = GPOINTER_TO_INT (user_data);
  data.cancellable = cancellable;
  data.caller = g_main_context_ref_thread_default ();
  g_mutex_init (&data.lock);
  g_cond_init (&data.cond);

  /* Added before the first request, in this thread, as libsoup asks. */
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
  baseline = G_OBJECT (logger)->ref_count;
  g_signal_connect (session, "request-queued", G_CALLBACK (cancel_queued_cb), &data);

  /* The body in pieces, so that it is not all there with the headers. */
  reply = ga_test_server_expect (server, "/slow");
  ga_test_reply_set_body (reply, "text/plain", "0123456789", -1);
  ga_test_reply_set_drip (reply, 2, 50);

  ga_http_exchange_async (session, SOUP_METHOD_GET, slow, 0, NULL, NULL, NULL, 1024, NULL,
                          cancellable, exchange_cb, &cancelled);
  ga_test_wait_for (&cancelled.done, WAIT_MS);

  g_assert_true (g_atomic_int_get (&data.got_headers));
  g_assert_true (data.thread != g_thread_self ());
  g_assert_true (cancelled.thread == g_thread_self ());
  /* Whichever came first in the network thread, libsoup's callback or the cancel, the caller
   * hears of a cancel and gets no body. */
  g_test_message ("The network thread saw the cancel %s",
                  cancelled.reply == NULL ? "before the stream was handed over" :
                                            "while reading the body");
  if (cancelled.reply == NULL)
    {
      g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
  else
    {
      g_assert_no_error (cancelled.error);
      g_assert_null (ga_http_reply_get_body (cancelled.reply));
      g_assert_error (ga_http_reply_get_body_error (cancelled.reply), G_IO_ERROR,
                      G_IO_ERROR_CANCELLED);
    }
  assert_feature_refs (G_OBJECT (logger), baseline);

  /* The session goes on as if nothing happened. */
  ga_test_reply_set_body (ga_test_server_expect (server, "/after"), "text/plain", "after", -1);
  ga_http_exchange_async (session, SOUP_METHOD_GET, after, 0, NULL, NULL, NULL, 1024, NULL,
                          NULL, exchange_cb, &next);
  ga_test_wait_for (&next.done, WAIT_MS);
  g_assert_no_error (next.error);
  g_assert_cmpuint (ga_http_reply_get_status (next.reply), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (ga_http_reply_get_body (next.reply), NULL),
                   g_bytes_get_size (ga_http_reply_get_body (next.reply)), "after", 5);
  assert_feature_refs (G_OBJECT (logger), baseline);

  g_assert_cmpuint (ga_test_server_get_request_count (server, "/slow"), ==, 1);
  ga_test_server_assert_done (server);

  g_signal_handlers_disconnect_by_func (session, cancel_queued_cb, &data);
  g_main_context_unref (data.caller);
  g_mutex_clear (&data.lock);
  g_cond_clear (&data.cond);
}

/* A picture download cancelled while in flight. */
static void
test_download_cancel_in_flight (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *url = g_strconcat (ga_test_server_get_url (server), "/picture.jpg", NULL);
  g_auto(Result) result = { 0 };

  ga_test_reply_set_hang (ga_test_server_expect (server, "/picture.jpg"));

  ga_download_async (session, url, 60, cancellable, download_cb, &result);
  while (ga_test_server_get_request_count (server, "/picture.jpg") == 0)
    g_main_context_iteration (NULL, TRUE);

  g_cancellable_cancel (cancellable);
  ga_test_wait_for (&result.done, WAIT_MS);

  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (result.thread == g_thread_self ());
}

/* Many calls at once: each answered, each on the caller's thread. */
static void
test_concurrent (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = make_client (server, session, 30);
  g_autofree char *path = ga_test_server_api_path ("getAvatar");
  Result results[N_CONCURRENT] = { { 0 } };

  for (guint i = 0; i < N_CONCURRENT; i++)
    ga_test_server_expect_api (server, "getAvatar", 200,
                               "{\"urlAvatar\": \"\", \"available\": false}");

  for (guint i = 0; i < N_CONCURRENT; i++)
    ga_client_get_avatar_async (client, CHAT_ID, NULL, avatar_cb, &results[i]);

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      ga_test_wait_for (&results[i].done, WAIT_MS);
      g_assert_no_error (results[i].error);
      g_assert_nonnull (results[i].info);
      g_assert_true (results[i].thread == g_thread_self ());
      result_clear (&results[i]);
    }

  g_assert_cmpuint (ga_test_server_get_request_count (server, path), ==, N_CONCURRENT);
  ga_test_server_assert_done (server);
}

static void
session_finalized_cb (gpointer  user_data,
                      GObject  *where_the_object_was)
{
  GThread **thread = user_data;

  g_atomic_pointer_set (thread, g_thread_self ());
}

/* The application quits with requests in flight: its client and session go away, the calls
 * are cancelled, every callback still runs in the caller's thread, and the session, held by
 * the requests meanwhile, is finalized in the end. valgrind (the unit suite's setup) checks
 * that nothing is leaked. */
static void
test_quit_in_flight (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = ga_test_server_api_path ("getAvatar");
  g_autofree char *url = g_strconcat (ga_test_server_get_url (server), "/picture.jpg", NULL);
  SoupSession *session = ga_http_session_new ();
  GaClient *client = make_client (server, session, 30);
  /* Two calls, the download and the preconnect: the session's four connections to a host. */
  Result calls[2] = { { 0 } };
  Result download = { 0 };
  GThread *finalized_in = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    ga_test_reply_set_hang (ga_test_server_expect_api (server, "getAvatar", 200, "{}"));
  ga_test_reply_set_hang (ga_test_server_expect (server, "/picture.jpg"));

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    ga_client_get_avatar_async (client, CHAT_ID, cancellable, avatar_cb, &calls[i]);
  ga_download_async (session, url, 60, cancellable, download_cb, &download);
  ga_http_preconnect (session, ga_test_server_get_url (server), cancellable);

  while (ga_test_server_get_request_count (server, path) < G_N_ELEMENTS (calls) ||
         ga_test_server_get_request_count (server, "/picture.jpg") == 0)
    g_main_context_iteration (NULL, TRUE);

  /* What the application's dispose does: drop its objects, cancel what runs. */
  g_object_weak_ref (G_OBJECT (session), session_finalized_cb, &finalized_in);
  g_object_unref (client);
  g_object_unref (session);
  g_cancellable_cancel (cancellable);

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      ga_test_wait_for (&calls[i].done, WAIT_MS);
      g_assert_error (calls[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      result_clear (&calls[i]);
    }
  ga_test_wait_for (&download.done, WAIT_MS);
  g_assert_error (download.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&download);

  /* libsoup's own references may go last, in either thread: poll, never block. */
  for (guint i = 0; i < WAIT_MS && g_atomic_pointer_get (&finalized_in) == NULL; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_nonnull (g_atomic_pointer_get (&finalized_in));
}

/* With the thread off (a benchmark's baseline), requests go out from the caller's thread. */
static void
test_thread_off (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = make_client (server, session, 10);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_auto(Result) result = { 0 };

  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), threads);
  ga_test_server_expect_api (server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");

  ga_http_set_network_thread_enabled (FALSE);
  ga_client_get_avatar_async (client, CHAT_ID, NULL, avatar_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);
  ga_http_set_network_thread_enabled (TRUE);

  g_assert_no_error (result.error);
  g_assert_true (result.thread == g_thread_self ());
  g_assert_cmpuint (threads->len, ==, 1);
  g_assert_true (g_ptr_array_index (threads, 0) == g_thread_self ());
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/net-thread/exchange/threads", test_exchange_threads);
  g_test_add_func ("/green-avatar/net-thread/exchange/body", test_exchange_body);
  g_test_add_func ("/green-avatar/net-thread/exchange/caller-context",
                   test_exchange_caller_context);
  g_test_add_func ("/green-avatar/net-thread/client/threads", test_client_threads);
  g_test_add_func ("/green-avatar/net-thread/client/cancel-in-flight",
                   test_client_cancel_in_flight);
  g_test_add_func ("/green-avatar/net-thread/client/deadline", test_client_deadline);
  g_test_add_data_func ("/green-avatar/net-thread/exchange/cancel-at-got-headers",
                        GINT_TO_POINTER (CANCEL_IN_NETWORK_THREAD), test_cancel_at_got_headers);
  g_test_add_data_func ("/green-avatar/net-thread/exchange/cancel-at-got-headers-from-caller",
                        GINT_TO_POINTER (CANCEL_FROM_CALLER), test_cancel_at_got_headers);
  g_test_add_func ("/green-avatar/net-thread/download/cancel-in-flight",
                   test_download_cancel_in_flight);
  g_test_add_func ("/green-avatar/net-thread/concurrent", test_concurrent);
  g_test_add_func ("/green-avatar/net-thread/quit-in-flight", test_quit_in_flight);
  g_test_add_func ("/green-avatar/net-thread/thread-off", test_thread_off);

  return g_test_run ();
}
