/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-test-server"

#include "config.h"

#include "ga-test-server.h"

#include <glib/gstdio.h>
#include <string.h>

struct _GaTestReply
{
  guint status;
  char *content_type;      /* (owned) (nullable) */
  GBytes *body;            /* (owned) (nullable) */
  GPtrArray *headers;      /* (owned) (element-type utf8): name, value, name, value, ... */
  guint delay_ms;
  gboolean drop;
  gboolean hang;
  gboolean hold;           /* until ga_test_server_release() */
  gsize chunk_size;        /* 0: not dripped */
  guint interval_ms;
};

/* A request that has been accepted but not completely answered yet. */
typedef struct
{
  GaTestServer *server;    /* (unowned) */
  SoupServerMessage *msg;  /* (owned) */
  GaTestReply *reply;      /* (owned) */
  GSource *source;         /* (owned) (nullable): delay or drip timeout */
  gsize offset;            /* bytes of the body dripped so far */
  gulong finished_id;
} Pending;

struct _GaTestServer
{
  SoupServer *server;      /* (owned) */
  GMainContext *context;   /* (owned) */
  char *url;               /* (owned) */
  gboolean tls;
  GHashTable *queues;      /* (owned): path → (owned) GQueue of (owned) GaTestReply */
  GHashTable *counts;      /* (owned): path → count */
  guint total_count;
  GHashTable *last_bodies; /* (owned): path → (owned) NUL-terminated body */
  GHashTable *arrivals;    /* (owned): path → (owned) GArray of gint64 monotonic µs */
  GPtrArray *unexpected;   /* (owned): redacted paths of unexpected requests */
  GList *pending;          /* (owned) (element-type Pending) */

  /* HTTPS: the fixture accepts and handshakes itself, then hands the TLS stream to the server
   * (soup_server_accept_iostream()), so no handshake of libsoup's own is ever in flight when
   * the server goes away (libsoup 3.6 does not keep its connection alive across one). */
  GTlsCertificate *certificate;   /* (owned) (nullable) */
  GSocketListener *listener;      /* (owned) (nullable) */
  GCancellable *tls_cancellable;  /* (owned) (nullable) */
  guint tls_in_flight;            /* accepts and handshakes not finished yet */
};

static void
ga_test_reply_free (GaTestReply *reply)
{
  g_free (reply->content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_ptr_array_unref (reply->headers);
  g_free (reply);
}

static void
reply_queue_free (gpointer data)
{
  g_queue_free_full (data, (GDestroyNotify) ga_test_reply_free);
}

/* Paths carry the token: never show it, not even in test logs. */
static char *
redact_path (const char *path)
{
  g_autoptr(GString) str = g_string_new (path);
  g_auto(GStrv) parts = NULL;

  g_string_replace (str, GA_TEST_TOKEN, "<token>", 0);

  /* "/waInstanceID/method/TOKEN...": hide whatever stands where the token goes. */
  parts = g_strsplit (str->str, "/", 5);
  if (g_strv_length (parts) >= 4 &&
      g_str_has_prefix (parts[1], "waInstance") &&
      strcmp (parts[3], "<token>") != 0)
    {
      g_free (parts[3]);
      parts[3] = g_strdup ("<token>");
      g_string_assign (str, "");
      for (guint i = 0; parts[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (str, '/');
          g_string_append (str, parts[i]);
        }
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Timeouts run in the server's context, which need not be the global default one. */
static GSource *
add_timeout (GaTestServer *self,
             guint         interval_ms,
             GSourceFunc   func,
             gpointer      data)
{
  GSource *source = g_timeout_source_new (interval_ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, self->context);

  return source;
}

static void
pending_free (Pending *pending)
{
  clear_source (&pending->source);
  g_clear_signal_handler (&pending->finished_id, pending->msg);
  g_clear_object (&pending->msg);
  g_clear_pointer (&pending->reply, ga_test_reply_free);
  g_free (pending);
}

static void
pending_remove (Pending *pending)
{
  GaTestServer *self = pending->server;

  self->pending = g_list_remove (self->pending, pending);
  pending_free (pending);
}

static void
message_finished_cb (SoupServerMessage *msg,
                     Pending           *pending)
{
  pending_remove (pending);
}

static gboolean
has_queued_drop (GaTestServer *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      for (GList *l = ((GQueue *) value)->head; l != NULL; l = l->next)
        {
          if (((GaTestReply *) l->data)->drop)
            return TRUE;
        }
    }

  return FALSE;
}

static void
set_response (GaTestServer      *self,
              SoupServerMessage *msg,
              GaTestReply       *reply)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, reply->status, NULL);

  /* libsoup resends a request once when a kept-alive connection closes before any answer,
   * which would turn a dropped connection into a second request. While a drop is queued,
   * connections are therefore not kept alive, so the drop reaches the client as an error. */
  if (has_queued_drop (self))
    soup_message_headers_replace (headers, "Connection", "close");

  for (guint i = 0; i + 1 < reply->headers->len; i += 2)
    soup_message_headers_replace (headers,
                                  g_ptr_array_index (reply->headers, i),
                                  g_ptr_array_index (reply->headers, i + 1));

  if (reply->chunk_size > 0)
    {
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      if (reply->content_type != NULL)
        soup_message_headers_replace (headers, "Content-Type", reply->content_type);
    }
  else if (reply->body != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (reply->body, &size);

      soup_server_message_set_response (msg,
                                        reply->content_type,
                                        SOUP_MEMORY_COPY,
                                        data,
                                        size);
    }
}

/* Ends the connection of @msg without an answer. */
static void
drop_connection (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GIOStream) stream = NULL;

  /* A plain connection is shut down under libsoup's feet: the client sees it end, and the
   * server cleans up in soup_server_disconnect(). Stealing it instead makes libsoup look up
   * the peer's address, and warn when the client has reset the connection already (a
   * cancelled download with unread data does); checking the address first would only narrow
   * that race, since the client can reset between the two look-ups. No look-up, no race. */
  if (socket != NULL)
    {
      g_socket_shutdown (socket, TRUE, TRUE, NULL);
      return;
    }

  /* A TLS stream handed over with its addresses, which libsoup keeps: no look-up either. */
  stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static gboolean
drip_cb (gpointer user_data)
{
  Pending *pending = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (pending->msg);
  gsize size = 0;
  const guint8 *data = NULL;
  gsize n;

  if (pending->reply->body != NULL)
    data = g_bytes_get_data (pending->reply->body, &size);

  n = MIN (pending->reply->chunk_size, size - pending->offset);
  if (n > 0)
    soup_message_body_append (body, SOUP_MEMORY_COPY, data + pending->offset, n);
  pending->offset += n;

  if (pending->offset >= size)
    {
      g_clear_pointer (&pending->source, g_source_unref);
      soup_message_body_complete (body);
      soup_server_message_unpause (pending->msg);
      return G_SOURCE_REMOVE;
    }

  soup_server_message_unpause (pending->msg);
  return G_SOURCE_CONTINUE;
}

static void
start_answer (Pending *pending)
{
  GaTestReply *reply = pending->reply;

  if (reply->drop)
    {
      g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);

      pending_remove (pending);
      drop_connection (msg);
      return;
    }

  set_response (pending->server, pending->msg, reply);

  if (reply->chunk_size > 0)
    {
      /* The first chunk goes out right away; the others @interval_ms apart. */
      drip_cb (pending);
      if (pending->offset < (reply->body ? g_bytes_get_size (reply->body) : 0))
        pending->source = add_timeout (pending->server, reply->interval_ms, drip_cb, pending);
      return;
    }

  soup_server_message_unpause (pending->msg);
}

static gboolean
delay_cb (gpointer user_data)
{
  Pending *pending = user_data;

  g_clear_pointer (&pending->source, g_source_unref);
  start_answer (pending);

  return G_SOURCE_REMOVE;
}

/* After the delay, if any. */
static void
begin_answer (Pending *pending)
{
  if (pending->reply->delay_ms > 0)
    pending->source = add_timeout (pending->server, pending->reply->delay_ms, delay_cb, pending);
  else
    start_answer (pending);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  GaTestServer *self = user_data;
  SoupMessageBody *request_body;
  GQueue *queue;
  GaTestReply *reply = NULL;
  Pending *pending;

  self->total_count++;
  g_hash_table_insert (self->counts,
                       g_strdup (path),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->counts,
                                                                                path)) + 1));

  {
    GArray *times = g_hash_table_lookup (self->arrivals, path);
    gint64 now = g_get_monotonic_time ();

    if (times == NULL)
      {
        times = g_array_new (FALSE, FALSE, sizeof (gint64));
        g_hash_table_insert (self->arrivals, g_strdup (path), times);
      }
    g_array_append_val (times, now);
  }

  request_body = soup_server_message_get_request_body (msg);
  if (request_body != NULL)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);

      g_hash_table_insert (self->last_bodies, g_strdup (path), g_strndup (data, size));
    }

  queue = g_hash_table_lookup (self->queues, path);
  if (queue != NULL)
    reply = g_queue_pop_head (queue);

  if (reply == NULL)
    {
      g_ptr_array_add (self->unexpected, redact_path (path));
      soup_server_message_set_status (msg, 599, "Unexpected request");
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->server = self;
  pending->msg = g_object_ref (msg);
  pending->reply = reply;
  pending->finished_id = g_signal_connect (msg,
                                           "finished",
                                           G_CALLBACK (message_finished_cb),
                                           pending);
  self->pending = g_list_prepend (self->pending, pending);

  soup_server_message_pause (msg);

  if (reply->hang || reply->hold)
    return;

  begin_answer (pending);
}

static char *
tls_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

typedef struct
{
  GaTestServer *server;            /* (unowned): kept alive until tls_in_flight is 0 */
  GSocketConnection *connection;   /* (owned) */
  GIOStream *tls;                  /* (owned) */
} Handshake;

static void accept_next (GaTestServer *self);

static void
handshake_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Handshake *handshake = user_data;
  GaTestServer *self = handshake->server;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;

  self->tls_in_flight--;

  /* A failed handshake (the client refused the certificate) just ends the connection. The
   * addresses are looked up once, here; a client that is gone already is not served. */
  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, NULL) &&
      !g_cancellable_is_cancelled (self->tls_cancellable))
    {
      local = g_socket_connection_get_local_address (handshake->connection, NULL);
      remote = g_socket_connection_get_remote_address (handshake->connection, NULL);
      if (local != NULL && remote != NULL)
        soup_server_accept_iostream (self->server, handshake->tls, local, remote, NULL);
    }

  if (local == NULL || remote == NULL)
    g_io_stream_close (handshake->tls, NULL, NULL);

  g_object_unref (handshake->connection);
  g_object_unref (handshake->tls);
  g_free (handshake);
}

static void
accept_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GaTestServer *self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GIOStream *tls;
  Handshake *handshake;

  self->tls_in_flight--;

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL,
                                                &error);
  if (connection == NULL)
    {
      /* Only ga_test_server_free() stops the listener. */
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      return;
    }

  tls = g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate, &error);
  g_assert_no_error (error);
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);

  handshake = g_new0 (Handshake, 1);
  handshake->server = self;
  handshake->connection = g_object_ref (connection);
  handshake->tls = tls;
  self->tls_in_flight++;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    self->tls_cancellable, handshake_cb, handshake);

  accept_next (self);
}

static void
accept_next (GaTestServer *self)
{
  self->tls_in_flight++;
  g_socket_listener_accept_async (self->listener, self->tls_cancellable, accept_cb, self);
}

/* Listens on 127.0.0.1 for HTTPS; returns the port. */
static guint16
listen_tls (GaTestServer *self)
{
  g_autofree char *cert_file = tls_file ("test-cert.pem");
  g_autofree char *key_file = tls_file ("test-key.pem");
  g_autoptr(GInetAddress) address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  self->certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  g_assert_no_error (error);

  self->listener = g_socket_listener_new ();
  self->tls_cancellable = g_cancellable_new ();
  g_socket_listener_add_address (self->listener, socket_address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  accept_next (self);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Stops accepting, and lets every accept and handshake in flight end (cancelled), so that none
 * is left to call back into a freed server. */
static void
stop_tls (GaTestServer *self)
{
  if (self->listener == NULL)
    return;

  g_cancellable_cancel (self->tls_cancellable);
  while (self->tls_in_flight > 0)
    g_main_context_iteration (self->context, TRUE);
  g_socket_listener_close (self->listener);
  g_clear_object (&self->listener);
  g_clear_object (&self->tls_cancellable);
  g_clear_object (&self->certificate);
}

static GaTestServer *
server_new (gboolean tls)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GUri) uri = NULL;
  GSList *uris;
  GaTestServer *self;

  self = g_new0 (GaTestServer, 1);
  self->tls = tls;
  self->context = g_main_context_ref_thread_default ();
  self->queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, reply_queue_free);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->last_bodies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->arrivals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_array_unref);
  self->unexpected = g_ptr_array_new_with_free_func (g_free);

  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  if (tls)
    {
      self->url = g_strdup_printf ("https://127.0.0.1:%u", listen_tls (self));
      return self;
    }

  address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  socket_address = g_inet_socket_address_new (address, 0);
  soup_server_listen (self->server, socket_address, 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  uri = g_uri_ref (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));

  return self;
}

GaTestServer *
ga_test_server_new (void)
{
  return server_new (FALSE);
}

GaTestServer *
ga_test_server_new_tls (void)
{
  return server_new (TRUE);
}

static void
report_unexpected (GaTestServer *self)
{
  for (guint i = 0; i < self->unexpected->len; i++)
    ga_test_fixture_message ("Unexpected request to %s", (char *) g_ptr_array_index (self->unexpected, i));

  if (self->unexpected->len > 0)
    g_test_fail ();
}

void
ga_test_server_free (GaTestServer *self)
{
  if (self == NULL)
    return;

  report_unexpected (self);

  /* Answers that were never sent: end their connections, so nothing waits on them. */
  while (self->pending != NULL)
    {
      Pending *pending = self->pending->data;
      g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);

      pending_remove (pending);
      drop_connection (msg);
    }

  stop_tls (self);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  /* Let the closed connections finish their business in this context. */
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_unref (self->context);
  g_free (self->url);
  g_hash_table_unref (self->queues);
  g_hash_table_unref (self->counts);
  g_hash_table_unref (self->last_bodies);
  g_hash_table_unref (self->arrivals);
  g_ptr_array_unref (self->unexpected);
  g_free (self);
}

const char *
ga_test_server_get_url (GaTestServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->url;
}

char *
ga_test_server_api_path (const char *method)
{
  g_return_val_if_fail (method != NULL, NULL);

  return g_strdup_printf ("/waInstance" GA_TEST_ID_INSTANCE "/%s/" GA_TEST_TOKEN, method);
}

GaTestReply *
ga_test_server_expect (GaTestServer *self,
                       const char   *path)
{
  GaTestReply *reply;
  GQueue *queue;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  reply = g_new0 (GaTestReply, 1);
  reply->status = SOUP_STATUS_OK;
  reply->headers = g_ptr_array_new_with_free_func (g_free);

  queue = g_hash_table_lookup (self->queues, path);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->queues, g_strdup (path), queue);
    }
  g_queue_push_tail (queue, reply);

  return reply;
}

GaTestReply *
ga_test_server_expect_api (GaTestServer *self,
                           const char   *method,
                           guint         status,
                           const char   *json)
{
  g_autofree char *path = ga_test_server_api_path (method);
  GaTestReply *reply = ga_test_server_expect (self, path);

  ga_test_reply_set_status (reply, status);
  if (json != NULL)
    ga_test_reply_set_body (reply, "application/json", json, -1);

  return reply;
}

void
ga_test_reply_set_status (GaTestReply *reply,
                          guint        status)
{
  reply->status = status;
}

void
ga_test_reply_set_body (GaTestReply *reply,
                        const char  *content_type,
                        const void  *data,
                        gssize       length)
{
  g_autoptr(GBytes) bytes = NULL;

  if (length < 0)
    length = data != NULL ? strlen (data) : 0;

  bytes = g_bytes_new (data, length);
  ga_test_reply_set_body_bytes (reply, content_type, bytes);
}

void
ga_test_reply_set_body_bytes (GaTestReply *reply,
                              const char  *content_type,
                              GBytes      *bytes)
{
  g_free (reply->content_type);
  reply->content_type = g_strdup (content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  if (bytes != NULL)
    reply->body = g_bytes_ref (bytes);
}

void
ga_test_reply_set_header (GaTestReply *reply,
                          const char  *name,
                          const char  *value)
{
  g_ptr_array_add (reply->headers, g_strdup (name));
  g_ptr_array_add (reply->headers, g_strdup (value));
}

void
ga_test_reply_set_delay (GaTestReply *reply,
                         guint        delay_ms)
{
  reply->delay_ms = delay_ms;
}

void
ga_test_reply_set_drop (GaTestReply *reply)
{
  reply->drop = TRUE;
}

void
ga_test_reply_set_hang (GaTestReply *reply)
{
  reply->hang = TRUE;
}

void
ga_test_reply_set_hold (GaTestReply *reply)
{
  reply->hold = TRUE;
}

void
ga_test_server_release (GaTestServer *self)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GList) held = NULL;

  g_return_if_fail (self != NULL);

  /* Those still queued are answered when their request comes. */
  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    for (GList *l = ((GQueue *) value)->head; l != NULL; l = l->next)
      ((GaTestReply *) l->data)->hold = FALSE;

  /* Those whose request came are answered now; answering may remove a pending one. */
  for (GList *l = self->pending; l != NULL; l = l->next)
    {
      Pending *pending = l->data;

      if (pending->reply->hold)
        {
          pending->reply->hold = FALSE;
          held = g_list_prepend (held, pending);
        }
    }
  for (GList *l = held; l != NULL; l = l->next)
    begin_answer (l->data);
}

void
ga_test_reply_set_drip (GaTestReply *reply,
                        gsize        chunk_size,
                        guint        interval_ms)
{
  g_return_if_fail (chunk_size > 0);

  reply->chunk_size = chunk_size;
  reply->interval_ms = interval_ms;
}

guint
ga_test_server_get_request_count (GaTestServer *self,
                                  const char   *path)
{
  g_return_val_if_fail (self != NULL, 0);

  if (path == NULL)
    return self->total_count;

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, path));
}

const char *
ga_test_server_get_last_body (GaTestServer *self,
                              const char   *path)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_hash_table_lookup (self->last_bodies, path);
}

GArray *
ga_test_server_get_arrival_times (GaTestServer *self,
                                  const char   *path)
{
  GArray *times;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  times = g_hash_table_lookup (self->arrivals, path);
  if (times == NULL)
    return g_array_new (FALSE, FALSE, sizeof (gint64));

  return g_array_ref (times);
}

guint
ga_test_max_in_window (GArray *times,
                       gint64  window_us)
{
  guint best = 0;

  /* The times are in arrival order; for each, count those less than a window after it. */
  for (guint i = 0; i < times->len; i++)
    {
      gint64 start = g_array_index (times, gint64, i);
      guint count = 0;

      for (guint j = i; j < times->len && g_array_index (times, gint64, j) - start < window_us; j++)
        count++;
      best = MAX (best, count);
    }

  return best;
}

void
ga_test_server_assert_done (GaTestServer *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (self != NULL);

  report_unexpected (self);

  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GQueue *queue = value;

      if (!g_queue_is_empty (queue))
        {
          g_autofree char *path = redact_path (key);

          ga_test_fixture_message ("%u queued replies for %s were not requested",
                          g_queue_get_length (queue), path);
          g_test_fail ();
        }
    }
}
