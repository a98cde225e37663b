/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-raw-server"

#include "config.h"

#include "ga-raw-server.h"

#include <string.h>
#include <sys/socket.h>

struct _GaRawServer
{
  GSocketService *service;     /* (owned) */
  GCancellable   *cancellable; /* (owned) */
  char           *url;         /* (owned) */

  GMutex          lock;
  GCond           cond;
  /* Guarded by @lock: */
  GBytes         *response;    /* (owned) */
  GaRawAfter      after;
  GPtrArray      *routes;      /* (owned): needle, GBytes response, needle, ... */
  guint           requests;
  guint           delay_ms;
  gboolean        stopping;
};

static void
raw_server_clear (GaRawServer *raw)
{
  g_clear_object (&raw->cancellable);
  g_clear_pointer (&raw->url, g_free);
  g_clear_pointer (&raw->response, g_bytes_unref);
  g_clear_pointer (&raw->routes, g_ptr_array_unref);
  g_mutex_clear (&raw->lock);
  g_cond_clear (&raw->cond);
}

static void
raw_server_unref (gpointer  data,
                  GClosure *closure)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) raw_server_clear);
}

/* Waits up to @ms, or until the server stops; returns TRUE when it is stopping. */
static gboolean
raw_server_sleep (GaRawServer *raw,
                  guint        ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * G_TIME_SPAN_MILLISECOND;
  gboolean stopping;

  g_mutex_lock (&raw->lock);
  while (!raw->stopping && g_cond_wait_until (&raw->cond, &raw->lock, end))
    ;
  stopping = raw->stopping;
  g_mutex_unlock (&raw->lock);

  return stopping;
}

/* Reads one request: the head up to the blank line and as much body as it announces.
 * Returns the request line, or NULL. */
static char *
read_request (GInputStream *in,
              GCancellable *cancellable)
{
  char buf[16 * 1024];
  gsize have = 0;

  while (have < sizeof buf - 1)
    {
      gssize n = g_input_stream_read (in, buf + have, sizeof buf - 1 - have, cancellable, NULL);
      char *end;

      if (n <= 0)
        return NULL;
      have += n;
      buf[have] = '\0';

      end = strstr (buf, "\r\n\r\n");
      if (end != NULL)
        {
          g_autofree char *lower = g_ascii_strdown (buf, end - buf);
          const char *length_header = strstr (lower, "\ncontent-length:");
          gsize body_have = have - (end + 4 - buf);
          gsize body_length = 0;
          char *request_line = g_strndup (buf, strcspn (buf, "\r\n"));

          if (length_header != NULL)
            body_length = g_ascii_strtoull (length_header + strlen ("\ncontent-length:"),
                                            NULL, 10);
          while (body_have < body_length)
            {
              n = g_input_stream_read (in, buf, MIN (sizeof buf, body_length - body_have),
                                       cancellable, NULL);
              if (n <= 0)
                {
                  g_free (request_line);
                  return NULL;
                }
              body_have += n;
            }
          return request_line;
        }
    }

  return NULL;
}

static gboolean
raw_run_cb (GThreadedSocketService *service,
            GSocketConnection      *connection,
            GObject                *source_object,
            gpointer                user_data)
{
  GaRawServer *raw = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GBytes) response = NULL;
  g_autofree char *request_line = NULL;
  GaRawAfter after;
  guint serial;
  guint delay_ms;

  request_line = read_request (in, raw->cancellable);
  if (request_line == NULL)
    return TRUE;

  g_mutex_lock (&raw->lock);
  serial = ++raw->requests;
  delay_ms = raw->delay_ms;
  response = g_bytes_ref (raw->response);
  after = raw->after;
  for (guint i = 0; i + 1 < raw->routes->len; i += 2)
    {
      if (strstr (request_line, g_ptr_array_index (raw->routes, i)) != NULL)
        {
          g_bytes_unref (response);
          response = g_bytes_ref (g_ptr_array_index (raw->routes, i + 1));
          after = GA_RAW_CLOSE;
          break;
        }
    }
  g_mutex_unlock (&raw->lock);

  /* "{{N}}" becomes the request's serial number, five digits: the length stays the same, so
   * a Content-Length in @response stays right. */
  {
    gsize size = 0;
    const char *data = g_bytes_get_data (response, &size);
    const char *marker = size >= 5 ? g_strstr_len (data, size, "{{N}}") : NULL;

    if (marker != NULL)
      {
        g_autoptr(GByteArray) copy = g_byte_array_sized_new (size);
        char digits[6];

        g_snprintf (digits, sizeof digits, "%05u", serial % 100000);
        g_byte_array_append (copy, (const guint8 *) data, size);
        memcpy (copy->data + (marker - data), digits, 5);
        g_bytes_unref (response);
        response = g_byte_array_free_to_bytes (g_steal_pointer (&copy));
      }
  }

  if (delay_ms > 0 && raw_server_sleep (raw, delay_ms))
    return TRUE;

  if (g_bytes_get_size (response) > 0 &&
      !g_output_stream_write_all (out,
                                  g_bytes_get_data (response, NULL),
                                  g_bytes_get_size (response),
                                  NULL, raw->cancellable, NULL))
    return TRUE;
  g_output_stream_flush (out, raw->cancellable, NULL);

  switch (after)
    {
    case GA_RAW_CLOSE:
      break;

    case GA_RAW_RESET:
      {
        struct linger linger = { 1, 0 };
        GSocket *socket = g_socket_connection_get_socket (connection);

        /* A zero linger time turns the close into a reset. */
        setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
        g_socket_close (socket, NULL);
      }
      break;

    case GA_RAW_HANG:
      while (!raw_server_sleep (raw, 1000))
        ;
      break;

    case GA_RAW_DRIP:
      while (!raw_server_sleep (raw, 1000))
        {
          if (!g_output_stream_write_all (out, " ", 1, NULL, raw->cancellable, NULL) ||
              !g_output_stream_flush (out, raw->cancellable, NULL))
            break;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

GaRawServer *
ga_raw_server_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  GaRawServer *raw = g_atomic_rc_box_new0 (GaRawServer);

  g_mutex_init (&raw->lock);
  g_cond_init (&raw->cond);
  raw->response = g_bytes_new (NULL, 0);
  raw->routes = g_ptr_array_new ();
  raw->cancellable = g_cancellable_new ();
  raw->service = g_threaded_socket_service_new (8);
  /* The handler holds a reference of its own: a handler still running when the test is
   * done keeps the closure, and so @raw, alive until it returns. */
  g_signal_connect_data (raw->service, "run", G_CALLBACK (raw_run_cb),
                         g_atomic_rc_box_acquire (raw), raw_server_unref, 0);

  g_socket_listener_add_address (G_SOCKET_LISTENER (raw->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  raw->url = g_strdup_printf ("http://127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  g_socket_service_start (raw->service);

  return raw;
}

const char *
ga_raw_server_get_url (GaRawServer *raw)
{
  return raw->url;
}

void
ga_raw_server_set (GaRawServer *raw,
                   GaRawAfter   after,
                   const char  *response)
{
  g_mutex_lock (&raw->lock);
  g_clear_pointer (&raw->response, g_bytes_unref);
  raw->response = g_bytes_new (response, strlen (response));
  raw->after = after;
  raw->requests = 0;
  g_mutex_unlock (&raw->lock);
}

void
ga_raw_server_set_delay (GaRawServer *raw,
                         guint        delay_ms)
{
  g_mutex_lock (&raw->lock);
  raw->delay_ms = delay_ms;
  g_mutex_unlock (&raw->lock);
}

void
ga_raw_server_add_route (GaRawServer *raw,
                         const char  *needle,
                         GBytes      *response)
{
  g_mutex_lock (&raw->lock);
  g_ptr_array_add (raw->routes, g_strdup (needle));
  g_ptr_array_add (raw->routes, g_bytes_ref (response));
  g_mutex_unlock (&raw->lock);
}

guint
ga_raw_server_get_requests (GaRawServer *raw)
{
  guint requests;

  g_mutex_lock (&raw->lock);
  requests = raw->requests;
  g_mutex_unlock (&raw->lock);

  return requests;
}

void
ga_raw_server_free (GaRawServer *raw)
{
  if (raw == NULL)
    return;

  g_mutex_lock (&raw->lock);
  raw->stopping = TRUE;
  g_cond_broadcast (&raw->cond);
  /* Routes hold two kinds of pointer: free them here, by position. */
  for (guint i = 0; i + 1 < raw->routes->len; i += 2)
    {
      g_free (g_ptr_array_index (raw->routes, i));
      g_bytes_unref (g_ptr_array_index (raw->routes, i + 1));
    }
  g_ptr_array_set_size (raw->routes, 0);
  g_mutex_unlock (&raw->lock);

  g_cancellable_cancel (raw->cancellable);
  g_socket_service_stop (raw->service);
  g_socket_listener_close (G_SOCKET_LISTENER (raw->service));

  g_signal_handlers_disconnect_by_func (raw->service, raw_run_cb, raw);
  g_clear_object (&raw->service);
  raw_server_unref (raw, NULL);
}

GBytes *
ga_raw_response_new (guint       status,
                     const char *content_type,
                     GBytes     *body)
{
  g_autoptr(GByteArray) response = g_byte_array_new ();
  g_autofree char *head = NULL;
  gsize size = body != NULL ? g_bytes_get_size (body) : 0;

  head = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: %s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n"
                          "\r\n",
                          status, status == 200 ? "OK" : "Status",
                          content_type, size);
  g_byte_array_append (response, (const guint8 *) head, strlen (head));
  if (size > 0)
    g_byte_array_append (response, g_bytes_get_data (body, NULL), size);

  return g_byte_array_free_to_bytes (g_steal_pointer (&response));
}
