/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-http"

#include "config.h"

#include "ga-http.h"

#include "ga-error.h"

#include <glib/gi18n.h>
#include <string.h>

/* How much one read asks for; the body is assembled from such pieces. */
#define READ_CHUNK_SIZE (16 * 1024)
/* The session's I/O timeout: each connect, TLS handshake step, write and read.
 *
 * What bounds each phase of a request (libsoup 3.2 has no connect timeout of its own, and no
 * way to set one apart from the I/O timeout):
 * - Name resolution: GResolver's own limits (resolv.conf); the totals below cut it short.
 * - TCP connect: this timeout, which GSocketClient puts on the socket before connecting, so
 *   dropped SYNs fail with G_IO_ERROR_TIMED_OUT; with several addresses the next one starts
 *   250 ms after the previous, each under the same bound.
 * - TLS handshake, sending, waiting for the headers, each read of the body: this timeout
 *   again. It restarts with every read, so it does not bound a slow body.
 * - A whole API call, retries included: GaClient's "timeout-seconds" (45 s); a whole picture
 *   download, redirects included: the deadline given to ga_download_async() (GaClient's
 *   "image-timeout-seconds", 60 s). Both cancel whatever phase runs, with GA_ERROR_TIMEOUT.
 * tests/test-faults.c checks a full accept queue and a handshake that gets no answer. (A
 * shorter connect bound could only be built on SoupMessage::network-event with a timer of
 * our own; this timeout already gives one.) */
#define SESSION_IO_TIMEOUT_SECONDS 30

/**
 * ga_http_session_new:
 *
 * Makes the application's #SoupSession: TLS certificates always verified against the
 * system's database, and one I/O timeout for every phase of a request (see
 * SESSION_IO_TIMEOUT_SECONDS).
 *
 * Returns: (transfer full): a new #SoupSession
 */
SoupSession *
ga_http_session_new (void)
{
  /* The trailing space makes libsoup append its own product token. */
  return g_object_new (SOUP_TYPE_SESSION,
                       "user-agent", "GreenAvatar/" PACKAGE_VERSION " ",
                       "timeout", SESSION_IO_TIMEOUT_SECONDS,
                       "idle-timeout", 60,
                       "max-conns-per-host", 4,
                       NULL);
}

/**
 * ga_http_host_is_loopback:
 * @host: (nullable): a host name or an IP address literal, IPv6 possibly in brackets
 *
 * Returns: %TRUE if @host is "localhost", in 127.0.0.0/8 or ::1
 */
gboolean
ga_http_host_is_loopback (const char *host)
{
  g_autofree char *literal = NULL;
  g_autoptr(GInetAddress) address = NULL;
  gsize len;

  if (host == NULL || host[0] == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  len = strlen (host);
  if (host[0] == '[' && len > 2 && host[len - 1] == ']')
    literal = g_strndup (host + 1, len - 2);
  else
    literal = g_strdup (host);

  address = g_inet_address_new_from_string (literal);
  if (address == NULL)
    return FALSE;

  /* Only IPv4 has a whole loopback network; for IPv6 it is exactly ::1. */
  return g_inet_address_get_is_loopback (address);
}

/**
 * ga_http_uri_is_allowed:
 * @uri: a #GUri
 *
 * Plain HTTP would show the token in the URL path to anyone on the way, so it is only
 * accepted to this machine (a local test or demo server).
 *
 * Returns: %TRUE when @uri is https to any host, or http to a loopback host
 */
gboolean
ga_http_uri_is_allowed (GUri *uri)
{
  const char *scheme;
  const char *host;

  g_return_val_if_fail (uri != NULL, FALSE);

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (scheme == NULL || host == NULL || host[0] == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    return ga_http_host_is_loopback (host);

  return FALSE;
}

/* The pieces are kept as read and joined once at the end: a growing array would double up to
 * 16 MB for a body near a 10 MB cap, and leave every smaller copy behind meanwhile. */
typedef struct
{
  GPtrArray *chunks; /* (owned) (element-type GBytes) */
  gsize size;        /* of all @chunks */
  gsize max_size;
  int io_priority;
} ReadBodyData;

static void
read_body_data_free (ReadBodyData *data)
{
  g_clear_pointer (&data->chunks, g_ptr_array_unref);
  g_free (data);
}

static GBytes *
join_chunks (ReadBodyData *data)
{
  guint8 *joined;
  gsize offset = 0;

  if (data->chunks->len == 0)
    return g_bytes_new (NULL, 0);
  if (data->chunks->len == 1)
    return g_bytes_ref (g_ptr_array_index (data->chunks, 0));

  joined = g_malloc (data->size);
  for (guint i = 0; i < data->chunks->len; i++)
    {
      gsize size;
      gconstpointer chunk = g_bytes_get_data (g_ptr_array_index (data->chunks, i), &size);

      memcpy (joined + offset, chunk, size);
      offset += size;
    }
  g_ptr_array_set_size (data->chunks, 0);

  return g_bytes_new_take (joined, data->size);
}

static void read_next (GTask *task);

static void
read_bytes_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadBodyData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      g_task_return_pointer (task, join_chunks (data), (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (size > data->max_size - data->size)
    {
      g_autofree char *limit = g_format_size (data->max_size);

      g_task_return_new_error (task,
                               GA_ERROR,
                               GA_ERROR_TOO_LARGE,
                               _("The server sent more than %s; the answer was refused."),
                               limit);
      return;
    }

  g_ptr_array_add (data->chunks, g_steal_pointer (&bytes));
  data->size += size;
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  ReadBodyData *data = g_task_get_task_data (task);

  /* Always a whole chunk, even when less would do to notice an excess: libsoup's chunked
   * decoder fails an assertion on reads of fewer than 3 bytes. The chunk is checked before
   * it is kept, so the body held never exceeds the limit. */
  g_input_stream_read_bytes_async (g_task_get_source_object (task),
                                   READ_CHUNK_SIZE,
                                   data->io_priority,
                                   g_task_get_cancellable (task),
                                   read_bytes_cb,
                                   task);
}

/**
 * ga_http_read_body_async:
 * @stream: the body stream, e.g. from soup_session_send_async()
 * @max_size: the largest body accepted, in bytes
 * @io_priority: the I/O priority of the reads
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the body is read or reading failed
 * @user_data: data for @callback
 *
 * Reads @stream to its end into a #GBytes, failing with %GA_ERROR_TOO_LARGE as soon as more
 * than @max_size bytes arrive (never buffering more than that). The stream is not closed.
 */
void
ga_http_read_body_async (GInputStream        *stream,
                         gsize                max_size,
                         int                  io_priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadBodyData *data;

  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  /* The same bound as when the body was a GByteArray, which holds at most G_MAXUINT bytes. */
  g_return_if_fail (max_size <= G_MAXUINT);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (stream, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_http_read_body_async);
  g_task_set_priority (task, io_priority);

  data = g_new0 (ReadBodyData, 1);
  data->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  data->max_size = max_size;
  data->io_priority = io_priority;
  g_task_set_task_data (task, data, (GDestroyNotify) read_body_data_free);

  read_next (g_steal_pointer (&task));
}

/**
 * ga_http_read_body_finish:
 * @stream: the stream passed to ga_http_read_body_async()
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the whole body, or %NULL with @error set
 */
GBytes *
ga_http_read_body_finish (GInputStream  *stream,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_http_read_body_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
is_tls_error (const GError *error)
{
  if (error->domain == G_TLS_ERROR || error->domain == G_TLS_CHANNEL_BINDING_ERROR)
    return TRUE;

  return FALSE;
}

/**
 * ga_http_error_from_gerror:
 * @error: an error from libsoup or GIO
 *
 * Maps an I/O, resolver or TLS error to %GA_ERROR_NETWORK, %GA_ERROR_TIMEOUT or
 * %GA_ERROR_TLS. The new message is written for people and never includes the original
 * one, which might name the URL (and so the token). %G_IO_ERROR_CANCELLED and errors
 * already in %GA_ERROR come back as copies.
 *
 * Returns: (transfer full): a new #GError
 */
GError *
ga_http_error_from_gerror (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == GA_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new_literal (GA_ERROR,
                                GA_ERROR_TIMEOUT,
                                _("The server did not answer in time. Check your internet "
                                  "connection, then try again."));

  if (is_tls_error (error))
    return g_error_new_literal (GA_ERROR,
                                GA_ERROR_TLS,
                                _("The server's security certificate could not be verified, so "
                                  "the connection was refused. Check the API URL, or your "
                                  "network (a captive portal or proxy can cause this)."));

  /* Resolver errors, refused, unreachable, reset or closed connections, and anything else. */
  return g_error_new_literal (GA_ERROR,
                              GA_ERROR_NETWORK,
                              _("Could not reach the server. Check your internet connection and "
                                "the API URL, then try again."));
}

static void
warm_up_tls_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GTlsBackend *backend = g_tls_backend_get_default ();
  g_autoptr(GTlsDatabase) database = NULL;

  if (g_tls_backend_supports_tls (backend))
    database = g_tls_backend_get_default_database (backend);

  g_task_return_boolean (task, TRUE);
}

/**
 * ga_http_warm_up_tls_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context of the caller when done
 * @user_data: data for @callback
 *
 * The first TLS connection of the process also loads glib-networking's TLS backend and the
 * system's CA database (about 10 ms). This loads both in a worker thread ahead of time;
 * glib-networking keeps them for good and guards them with a lock, so a connection made
 * meanwhile only waits for what is left. Once they are loaded this is quick. Each new
 * connection still loads the CA bundle into its own credentials (about 5 ms, which libsoup
 * 3.2 offers no way around), in the network thread where the connection is made.
 */
void
ga_http_warm_up_tls_async (GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_http_warm_up_tls_async);
  g_task_run_in_thread (task, warm_up_tls_thread);
}

/**
 * ga_http_warm_up_tls_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE (loading cannot fail as such: a connection reports its own problems)
 */
gboolean
ga_http_warm_up_tls_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_http_warm_up_tls_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The network thread.
 *
 * libsoup makes each connection, its TLS handshake included, in the thread that sends the
 * first request over it (libsoup's "Client thread safety": since 3.2 messages may be sent
 * from any thread whose thread-default main context runs, and their I/O stays there). Done
 * on the main thread, each new connection cost it about 5 ms of CPU: glib-networking loads
 * the CA bundle into the connection's credentials. So every request of the process is sent
 * from one thread of its own, with its own main context; the callers' state (GaClient's
 * retries, the limiter, deadlines) stays in their own context, and only the exchange itself
 * (send, read the body) crosses over. The session is created and configured in its creator's
 * thread before its first request, as libsoup asks; only the send and preconnect calls are
 * made from the network thread. The send itself goes through ga_http_send_async() there, so
 * the caller's cancel, once it has crossed over, still reaches libsoup only before the answer's
 * headers (see the comment above SendData).
 *
 * The thread lives as long as the process, like GLib's own worker threads: it holds nothing
 * of its own, and an exchange in flight holds its session and its caller's task until it has
 * been handed back, so nothing is lost when the process ends. */

static int network_thread_enabled = -1;  /* -1: not decided yet (see GA_HTTP_NETWORK_THREAD) */

static gpointer
network_thread_main (gpointer user_data)
{
  GMainContext *context = user_data;

  g_main_context_push_thread_default (context);
  for (;;)
    g_main_context_iteration (context, TRUE);

  return NULL;
}

static GMainContext *
network_context (void)
{
  static gsize context;

  if (g_once_init_enter (&context))
    {
      GMainContext *new_context = g_main_context_new ();

      g_thread_unref (g_thread_new ("ga-network", network_thread_main,
                                    g_main_context_ref (new_context)));
      g_once_init_leave (&context, (gsize) new_context);
    }

  return (GMainContext *) context;
}

/**
 * ga_http_set_network_thread_enabled:
 * @enabled: %FALSE to make the exchanges in the caller's own thread, as before
 *
 * For a benchmark's baseline in the same run (and the environment variable
 * `GA_HTTP_NETWORK_THREAD=0` does the same for a whole process). Set it before the first
 * request, not while requests run.
 */
void
ga_http_set_network_thread_enabled (gboolean enabled)
{
  g_atomic_int_set (&network_thread_enabled, enabled ? 1 : 0);
}

/**
 * ga_http_get_network_thread_enabled:
 *
 * Returns: whether requests are sent from the network thread (the default)
 */
gboolean
ga_http_get_network_thread_enabled (void)
{
  int enabled = g_atomic_int_get (&network_thread_enabled);

  if (enabled < 0)
    {
      const char *value = g_getenv ("GA_HTTP_NETWORK_THREAD");

      enabled = value == NULL || g_strcmp0 (value, "0") != 0;
      g_atomic_int_set (&network_thread_enabled, enabled);
    }

  return enabled != 0;
}

struct _GaHttpReply
{
  guint               status;
  gint64              sent_time;   /* monotonic µs the request was last written; 0 unknown */
  SoupMessageHeaders *headers;     /* (owned): a copy of the answer's */
  GBytes             *body;        /* (owned) (nullable): NULL when not read or unreadable */
  GError             *body_error;  /* (owned) (nullable): why the body could not be read */
};

/**
 * ga_http_reply_free:
 * @reply: (transfer full) (nullable): a #GaHttpReply
 */
void
ga_http_reply_free (GaHttpReply *reply)
{
  if (reply == NULL)
    return;

  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->body_error);
  g_free (reply);
}

guint
ga_http_reply_get_status (GaHttpReply *reply)
{
  return reply->status;
}

/* When the request that got this answer was written (its last attempt, in the network
 * thread), in monotonic microseconds; 0 when not known. */
gint64
ga_http_reply_get_sent_time (GaHttpReply *reply)
{
  return reply->sent_time;
}

SoupMessageHeaders *
ga_http_reply_get_headers (GaHttpReply *reply)
{
  return reply->headers;
}

/* The whole body, or %NULL when it was not wanted (see #GaHttpBodyFilter) or could not be
 * read (see ga_http_reply_get_body_error()). */
GBytes *
ga_http_reply_get_body (GaHttpReply *reply)
{
  return reply->body;
}

const GError *
ga_http_reply_get_body_error (GaHttpReply *reply)
{
  return reply->body_error;
}

/* One exchange (or preconnect). The fields above the line are set in the caller's thread
 * before the hop and only read afterwards; those below it belong to the network thread until
 * the exchange is handed back, and are then only the caller's. */
typedef struct
{
  SoupSession      *session;            /* (owned) */
  GTask            *task;               /* (owned) (nullable): NULL for a preconnect */
  GMainContext     *caller_context;     /* (owned) */
  GCancellable     *caller_cancellable; /* (owned) (nullable) */
  const char       *method;             /* (unowned): a SOUP_METHOD_* */
  GUri             *uri;                /* (owned): may hold the token; never logged */
  SoupMessageFlags  flags;
  char             *accept;             /* (owned) (nullable) */
  GBytes           *body;               /* (owned) (nullable) */
  char             *content_type;       /* (owned) (nullable): of @body */
  gsize             max_size;
  GaHttpBodyFilter  filter;             /* (nullable): NULL reads every body */

  /* ─── the network thread's ─── */
  GCancellable     *cancellable;        /* (owned): cancelled in the network thread only; what
                                         * ga_http_send_async() sees as the caller's */
  GSource          *cancel_source;      /* (owned) (nullable): passes the caller's cancel on */
  SoupMessage      *message;            /* (owned) (nullable) */
  gint64            sent_time;          /* when the request was last written, or 0 */
  GInputStream     *stream;             /* (owned) (nullable) */
  GaHttpReply      *reply;              /* (owned) (nullable): the outcome, or… */
  GError           *error;              /* (owned) (nullable): …why there is none */
} Exchange;

static void
exchange_free (Exchange *exchange)
{
  g_clear_object (&exchange->session);
  g_clear_object (&exchange->task);
  g_clear_pointer (&exchange->caller_context, g_main_context_unref);
  g_clear_object (&exchange->caller_cancellable);
  g_clear_pointer (&exchange->uri, g_uri_unref);
  g_clear_pointer (&exchange->accept, g_free);
  g_clear_pointer (&exchange->body, g_bytes_unref);
  g_clear_pointer (&exchange->content_type, g_free);
  g_clear_pointer (&exchange->reply, ga_http_reply_free);
  g_clear_error (&exchange->error);
  g_free (exchange);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* In the caller's context: the outcome goes to the caller, and the caller's objects (the
 * task, with the caller's source object and callback data, and its cancellable) are let go
 * here, so none of them is finalized in the network thread. (The session may be: libsoup's
 * own references to it can go last. That is the thread its connections live in.) */
static gboolean
exchange_return_cb (gpointer user_data)
{
  Exchange *exchange = user_data;

  if (exchange->task != NULL)
    {
      if (exchange->reply != NULL)
        g_task_return_pointer (exchange->task, g_steal_pointer (&exchange->reply),
                               (GDestroyNotify) ga_http_reply_free);
      else
        g_task_return_error (exchange->task, g_steal_pointer (&exchange->error));
    }

  exchange_free (exchange);

  return G_SOURCE_REMOVE;
}

/* In the network thread: ends its part and hands the exchange back. */
static void
exchange_done (Exchange *exchange)
{
  GSource *source;

  destroy_source (&exchange->cancel_source);
  if (exchange->message != NULL)
    g_signal_handlers_disconnect_by_data (exchange->message, exchange);
  g_clear_object (&exchange->message);
  g_clear_object (&exchange->stream);
  g_clear_object (&exchange->cancellable);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, exchange_return_cb, exchange, NULL);
  g_source_set_static_name (source, "[green-avatar] HTTP reply");
  g_source_attach (source, exchange->caller_context);
  g_source_unref (source);
}

static gboolean
exchange_caller_cancelled_cb (GCancellable *caller_cancellable,
                              gpointer      user_data)
{
  Exchange *exchange = user_data;

  /* libsoup sees the cancel in its own thread, never in the thread that cancelled. */
  destroy_source (&exchange->cancel_source);
  g_cancellable_cancel (exchange->cancellable);

  return G_SOURCE_REMOVE;
}

/* In the network thread: the exchange's own cancellable, which the caller's cancels there. */
static void
exchange_watch_caller (Exchange *exchange)
{
  exchange->cancellable = g_cancellable_new ();

  if (exchange->caller_cancellable == NULL)
    return;

  if (g_cancellable_is_cancelled (exchange->caller_cancellable))
    {
      g_cancellable_cancel (exchange->cancellable);
      return;
    }

  exchange->cancel_source = g_cancellable_source_new (exchange->caller_cancellable);
  g_source_set_callback (exchange->cancel_source,
                         G_SOURCE_FUNC (exchange_caller_cancelled_cb), exchange, NULL);
  g_source_attach (exchange->cancel_source, g_main_context_get_thread_default ());
}

static void
exchange_read_body_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Exchange *exchange = user_data;
  GError *error = NULL;

  exchange->reply->body = ga_http_read_body_finish (G_INPUT_STREAM (object), result, &error);
  if (exchange->reply->body == NULL)
    {
      /* The rest of the body, if any, is not wanted. */
      ga_http_discard_stream (exchange->stream);
      exchange->reply->body_error = error;
    }

  exchange_done (exchange);
}

static void
exchange_send_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Exchange *exchange = user_data;
  SoupMessageHeaders *headers;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GaHttpReply *reply;

  exchange->stream = ga_http_send_finish (SOUP_SESSION (object), result, &exchange->error);
  if (exchange->stream == NULL)
    {
      exchange_done (exchange);
      return;
    }

  /* A copy: the message stays in this thread. */
  reply = exchange->reply = g_new0 (GaHttpReply, 1);
  reply->status = soup_message_get_status (exchange->message);
  reply->sent_time = exchange->sent_time;
  reply->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  headers = soup_message_get_response_headers (exchange->message);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (reply->headers, name, value);

  if (exchange->filter != NULL && !exchange->filter (reply->status, reply->headers))
    {
      ga_http_discard_stream (exchange->stream);
      exchange_done (exchange);
      return;
    }

  ga_http_read_body_async (exchange->stream, exchange->max_size, G_PRIORITY_DEFAULT,
                           exchange->cancellable, exchange_read_body_cb, exchange);
}

static void
exchange_preconnect_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Exchange *exchange = user_data;
  g_autoptr(GError) error = NULL;

  /* The request that follows will report any real problem in words for people. */
  if (!soup_session_preconnect_finish (SOUP_SESSION (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not connect to %s ahead of time: %s", g_uri_get_host (exchange->uri),
             error->message);

  exchange_done (exchange);
}

static void
exchange_wrote_headers_cb (SoupMessage *message,
                           gpointer     user_data)
{
  Exchange *exchange = user_data;

  exchange->sent_time = g_get_monotonic_time ();
}

/* In the network thread (or the caller's, with the thread off). */
static gboolean
exchange_start_cb (gpointer user_data)
{
  Exchange *exchange = user_data;

  exchange_watch_caller (exchange);

  exchange->message = soup_message_new_from_uri (exchange->method, exchange->uri);
  soup_message_add_flags (exchange->message, exchange->flags);
  if (exchange->accept != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (exchange->message),
                                  "Accept", exchange->accept);
  if (exchange->body != NULL)
    soup_message_set_request_body_from_bytes (exchange->message, exchange->content_type,
                                              exchange->body);

  if (exchange->task == NULL)
    soup_session_preconnect_async (exchange->session, exchange->message, G_PRIORITY_DEFAULT,
                                   exchange->cancellable, exchange_preconnect_cb, exchange);
  else
    {
      g_signal_connect (exchange->message, "wrote-headers",
                        G_CALLBACK (exchange_wrote_headers_cb), exchange);
      ga_http_send_async (exchange->session, exchange->message, G_PRIORITY_DEFAULT,
                          exchange->cancellable, exchange_send_cb, exchange);
    }

  return G_SOURCE_REMOVE;
}

static Exchange *
exchange_new (SoupSession  *session,
              const char   *method,
              GUri         *uri,
              GCancellable *cancellable)
{
  Exchange *exchange = g_new0 (Exchange, 1);

  exchange->session = g_object_ref (session);
  exchange->caller_context = g_main_context_ref_thread_default ();
  exchange->caller_cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  exchange->method = method;
  exchange->uri = g_uri_ref (uri);

  return exchange;
}

static void
exchange_hop (Exchange *exchange)
{
  /* With the thread off this runs at once in the caller's context, as before the thread. */
  if (!ga_http_get_network_thread_enabled ())
    exchange_start_cb (exchange);
  else
    g_main_context_invoke_full (network_context (), G_PRIORITY_DEFAULT, exchange_start_cb,
                                exchange, NULL);
}

/**
 * ga_http_exchange_async:
 * @session: the application's session
 * @method: a `SOUP_METHOD_*`
 * @uri: where to send it (it may hold the token: it is never logged here)
 * @flags: the message's flags
 * @accept: (nullable): the Accept header
 * @body: (nullable): the request body
 * @content_type: (nullable): @body's type
 * @max_size: the largest response body accepted (%GA_ERROR_TOO_LARGE as the body error past it)
 * @filter: (nullable): says from the status and headers whether the body is wanted; %NULL reads
 *   every body. Called in the network thread: it must only look at its arguments.
 * @cancellable: (nullable): a #GCancellable; cancelling it from any thread ends the exchange
 * @callback: called in the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Sends one request and reads its answer's body (capped), in the network thread: connecting,
 * the TLS handshake, sending and reading all happen there, and only the outcome comes back.
 */
void
ga_http_exchange_async (SoupSession         *session,
                        const char          *method,
                        GUri                *uri,
                        SoupMessageFlags     flags,
                        const char          *accept,
                        GBytes              *body,
                        const char          *content_type,
                        gsize                max_size,
                        GaHttpBodyFilter     filter,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Exchange *exchange;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (method != NULL);
  g_return_if_fail (uri != NULL);
  g_return_if_fail (max_size <= G_MAXUINT);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  exchange = exchange_new (session, method, uri, cancellable);
  exchange->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (exchange->task, ga_http_exchange_async);
  /* The outcome as the network thread saw it: the callers check their cancellable
   * themselves, and a cancel after the answer was read does not hide it. */
  g_task_set_check_cancellable (exchange->task, FALSE);
  exchange->flags = flags;
  exchange->accept = g_strdup (accept);
  exchange->body = body != NULL ? g_bytes_ref (body) : NULL;
  exchange->content_type = g_strdup (content_type);
  exchange->max_size = max_size;
  exchange->filter = filter;

  exchange_hop (exchange);
}

/**
 * ga_http_exchange_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError: libsoup's or GIO's, unmapped
 *
 * Returns: (transfer full): the answer, or %NULL with @error set when none came (could not
 *   connect, cancelled, timed out…); a body that could not be read is the reply's body error
 */
GaHttpReply *
ga_http_exchange_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_http_exchange_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ga_http_preconnect:
 * @session: the application's session
 * @url: (nullable): any URL on the host to connect to; only its scheme, host and port are used
 * @cancellable: (nullable): a #GCancellable
 *
 * A lookup's picture lives on another host than the API, and its URL is only known once
 * getAvatar has answered. Connecting to that host while getAvatar is on its way takes the
 * TCP and TLS handshakes off the critical path; libsoup then reuses the idle connection. The
 * connection is made in the network thread, like the requests that will use it.
 *
 * Cancel it only when nothing else will want the connection (the application at its end): a
 * request for the same host may already be waiting on it, and libsoup fails that request when
 * the opening is cancelled (see ga_lookup_with_cache_async(), which passes %NULL).
 */
void
ga_http_preconnect (SoupSession  *session,
                    const char   *url,
                    GCancellable *cancellable)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) origin = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));

  if (url == NULL || url[0] == '\0')
    return;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || !ga_http_uri_is_allowed (uri))
    return;

  /* Only the origin: never hand a path (which may carry the token) to anything else. */
  origin = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                        g_uri_get_port (uri), "/", NULL, NULL);
  exchange_hop (exchange_new (session, SOUP_METHOD_HEAD, origin, cancellable));
}

/* Sending, with a cancel libsoup 3.6 survives.
 *
 * libsoup 3.6.5 (Debian 13, and the GNOME runtimes of that time) takes a message out of its
 * queue twice when the send is cancelled after the answer's headers were read but before
 * libsoup's own callback ran: its internal "run until read" task then reports
 * G_IO_ERROR_CANCELLED (GTask checks the cancellable when the result is taken), and
 * run_until_read_done() finishes the message, whose completion handler had already
 * finished it once. Each session feature and the queue item lose one reference too many;
 * the next send crashes on a freed feature. (Found with an instrumented libsoup 3.6.5 under
 * tests/test-stress heap-typing; libsoup 3.2 finishes the message once.)
 *
 * So libsoup gets a cancellable of its own. The caller's cancel is passed on to it only
 * while no headers have been read for the current attempt: until "got-headers", a cancel
 * makes libsoup fail the read itself, which finishes the message once. After it, the cancel
 * waits for libsoup's callback, which is then at most one main-loop turn away, and the
 * stream it hands over is closed unread. Either way the caller gets G_IO_ERROR_CANCELLED. */
typedef struct
{
  SoupMessage  *message;            /* (owned) */
  GCancellable *soup_cancellable;   /* (owned): the only cancellable libsoup sees */
  GSource      *cancel_source;      /* (owned) (nullable): watches the caller's cancellable */
  gulong        got_headers_id;
  gulong        restarted_id;
  gboolean      got_headers;        /* for the current attempt */
} SendData;

/* libsoup is done with the message: nothing of the send watches it or the caller any more. */
static void
send_data_stop_watching (SendData *data)
{
  g_clear_signal_handler (&data->got_headers_id, data->message);
  g_clear_signal_handler (&data->restarted_id, data->message);
  if (data->cancel_source != NULL)
    {
      g_source_destroy (data->cancel_source);
      g_clear_pointer (&data->cancel_source, g_source_unref);
    }
}

static void
send_data_free (SendData *data)
{
  send_data_stop_watching (data);
  g_clear_object (&data->message);
  g_clear_object (&data->soup_cancellable);
  g_free (data);
}

static void
send_pass_cancel_on (SendData *data)
{
  if (!data->got_headers)
    g_cancellable_cancel (data->soup_cancellable);
}

static gboolean
send_caller_cancelled_cb (GCancellable *caller_cancellable,
                          gpointer      user_data)
{
  SendData *data = user_data;

  /* The context keeps the source alive while it dispatches. */
  g_clear_pointer (&data->cancel_source, g_source_unref);
  send_pass_cancel_on (data);

  return G_SOURCE_REMOVE;
}

static void
send_got_headers_cb (SoupMessage *message,
                     gpointer     user_data)
{
  SendData *data = user_data;

  data->got_headers = TRUE;
}

static gboolean
send_cancel_after_restart_cb (gpointer user_data)
{
  GTask *task = user_data;

  send_pass_cancel_on (g_task_get_task_data (task));

  return G_SOURCE_REMOVE;
}

/* libsoup sends the message again (a kept-alive connection closed under it): a new attempt,
 * whose headers are still to come. A cancel that waited is passed on from the next turn of
 * the main loop, outside libsoup's own processing. */
static void
send_restarted_cb (SoupMessage *message,
                   gpointer     user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);
  GCancellable *caller_cancellable = g_task_get_cancellable (task);

  data->got_headers = FALSE;
  if (caller_cancellable != NULL && g_cancellable_is_cancelled (caller_cancellable))
    {
      g_autoptr(GSource) idle = g_idle_source_new ();

      g_source_set_callback (idle, send_cancel_after_restart_cb, g_object_ref (task),
                             g_object_unref);
      g_source_attach (idle, g_task_get_context (task));
    }
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  GCancellable *caller_cancellable = g_task_get_cancellable (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  send_data_stop_watching (data);

  if (caller_cancellable != NULL && g_cancellable_is_cancelled (caller_cancellable))
    {
      ga_http_discard_stream (stream);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "%s", _("The request was cancelled."));
      return;
    }

  if (stream == NULL)
    {
      /* libsoup cancelled a send that nobody cancelled: it was waiting for a connection opened
       * ahead of time, whose own request was cancelled. To the caller that is a connection
       * that closed, worth another try, never a cancel it did not ask for. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                 "The connection closed before the answer came");
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&stream), g_object_unref);
}

/**
 * ga_http_send_async:
 * @session: the application's session
 * @message: the message to send
 * @io_priority: the I/O priority
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer's headers read
 * @user_data: data for @callback
 *
 * soup_session_send_async(), cancellable at any time on every libsoup this app runs on (see
 * the comment above SendData). Every send of the app goes through here, made by
 * ga_http_exchange_async() in the network thread: libsoup's processing, "got-headers" and
 * @callback all happen in the thread-default main context of the thread that calls this.
 */
void
ga_http_send_async (SoupSession         *session,
                    SoupMessage         *message,
                    int                  io_priority,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_http_send_async);
  /* The cancel is reported by send_cb() once libsoup is done with the message. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (SendData, 1);
  data->message = g_object_ref (message);
  data->soup_cancellable = g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  data->got_headers_id = g_signal_connect (message, "got-headers",
                                           G_CALLBACK (send_got_headers_cb), data);
  data->restarted_id = g_signal_connect (message, "restarted",
                                         G_CALLBACK (send_restarted_cb), task);
  if (cancellable != NULL)
    {
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel_source, G_SOURCE_FUNC (send_caller_cancelled_cb),
                             data, NULL);
      g_source_attach (data->cancel_source, g_task_get_context (task));
    }

  soup_session_send_async (session, message, io_priority, data->soup_cancellable,
                           send_cb, g_object_ref (task));
}

/**
 * ga_http_send_finish:
 * @session: the session given to ga_http_send_async()
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the body stream, or %NULL with @error set
 *   (G_IO_ERROR_CANCELLED when the caller cancelled, whatever libsoup had got by then)
 */
GInputStream *
ga_http_send_finish (SoupSession   *session,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_http_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ga_http_discard_stream:
 * @stream: (nullable): a body stream not to be read
 *
 * Closes @stream without reading what is left of it, and without blocking: libsoup then
 * drops the connection rather than skip the rest of the body with blocking reads, which could
 * be large or never end.
 */
void
ga_http_discard_stream (GInputStream *stream)
{
  g_autoptr(GCancellable) cancelled = NULL;

  if (stream == NULL || g_input_stream_is_closed (stream))
    return;

  cancelled = g_cancellable_new ();
  g_cancellable_cancel (cancelled);
  g_input_stream_close (stream, cancelled, NULL);
}

struct _GaHttpDeadline
{
  GCancellable *cancellable;          /* (owned) */
  GCancellable *caller_cancellable;   /* (owned) (nullable) */
  GSource      *timeout_source;       /* (owned) (nullable) */
  GSource      *caller_cancel_source; /* (owned) (nullable): passes the caller's cancel on */
  gint64        time;
  gboolean      fired;
};

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Cancelling can complete the request at once, and with it free the deadline: nothing here
 * touches @self after g_cancellable_cancel(), and the cancellable is held meanwhile. */
static gboolean
deadline_timeout_cb (gpointer user_data)
{
  GaHttpDeadline *self = user_data;
  g_autoptr(GCancellable) cancellable = g_object_ref (self->cancellable);

  clear_source (&self->timeout_source);
  self->fired = TRUE;
  g_cancellable_cancel (cancellable);

  return G_SOURCE_REMOVE;
}

/* A source rather than a "cancelled" handler: disconnecting a handler from the cancellable
 * being cancelled, as completing the request would, deadlocks. */
static gboolean
deadline_caller_cancelled_cb (GCancellable *caller_cancellable,
                              gpointer      user_data)
{
  GaHttpDeadline *self = user_data;
  g_autoptr(GCancellable) cancellable = g_object_ref (self->cancellable);

  clear_source (&self->caller_cancel_source);
  g_cancellable_cancel (cancellable);

  return G_SOURCE_REMOVE;
}

/**
 * ga_http_deadline_new:
 * @caller_cancellable: (nullable): the caller's cancellable
 * @seconds: the total time the request may take
 * @context: where the timeout and the caller's cancel are seen (the task's context)
 *
 * Returns: (transfer full): a running deadline; its cancellable is already cancelled when
 *   @caller_cancellable is
 */
GaHttpDeadline *
ga_http_deadline_new (GCancellable *caller_cancellable,
                      guint         seconds,
                      GMainContext *context)
{
  GaHttpDeadline *self = g_new0 (GaHttpDeadline, 1);

  self->cancellable = g_cancellable_new ();
  self->time = g_get_monotonic_time () + (gint64) seconds * G_TIME_SPAN_SECOND;

  if (caller_cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (caller_cancellable);
      if (g_cancellable_is_cancelled (caller_cancellable))
        g_cancellable_cancel (self->cancellable);

      self->caller_cancel_source = g_cancellable_source_new (caller_cancellable);
      g_source_set_callback (self->caller_cancel_source,
                             G_SOURCE_FUNC (deadline_caller_cancelled_cb), self, NULL);
      g_source_attach (self->caller_cancel_source, context);
    }

  self->timeout_source = g_timeout_source_new (seconds * 1000);
  g_source_set_callback (self->timeout_source, deadline_timeout_cb, self, NULL);
  g_source_attach (self->timeout_source, context);

  return self;
}

GCancellable *
ga_http_deadline_get_cancellable (GaHttpDeadline *self)
{
  return self->cancellable;
}

gint64
ga_http_deadline_get_time (GaHttpDeadline *self)
{
  return self->time;
}

gboolean
ga_http_deadline_has_expired (GaHttpDeadline *self)
{
  return self->fired &&
         (self->caller_cancellable == NULL ||
          !g_cancellable_is_cancelled (self->caller_cancellable));
}

/* Ends the timeout and the watch on the caller's cancellable; the cancellable stays. */
void
ga_http_deadline_stop (GaHttpDeadline *self)
{
  clear_source (&self->timeout_source);
  clear_source (&self->caller_cancel_source);
}

void
ga_http_deadline_free (GaHttpDeadline *self)
{
  if (self == NULL)
    return;

  ga_http_deadline_stop (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->caller_cancellable);
  g_free (self);
}
