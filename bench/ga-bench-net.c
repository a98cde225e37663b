/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-bench-net"

#include "config.h"

#include "ga-bench-net.h"

#include "ga-chat-id.h"
#include "ga-http.h"
#include "ga-limiter.h"

#include <errno.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RELAY_CHUNK (64 * 1024)

const char *
ga_bench_cert_file (void)
{
  return GA_BENCH_SOURCE_ROOT "/tests/data/test-cert.pem";
}

/* ──────────────────────────────── servers ──────────────────────────────── */

struct _GaBenchServers
{
  GThread      *thread;         /* (owned) */
  GMainContext *context;        /* (owned) */
  SoupServer   *api;            /* (owned): lives in @thread */
  SoupServer   *image;          /* (owned): lives in @thread */
  guint16       api_port;
  guint16       image_port;
  GBytes       *jpeg;           /* (owned) */
  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
  char         *image_origin;   /* (owned): guarded by @mutex */
  guint         api_requests;   /* atomic */
  guint         image_requests; /* atomic */
  guint         avatar_rate;    /* guarded by @mutex: getAvatar per second, 0: no limit */
  GQueue        avatar_times;   /* guarded by @mutex: arrival times (gint64 µs) of the last second */
  guint         n_429;          /* atomic */
};

/* A picture like a real 640x640 avatar: smooth shapes and some grain, about 60 kB as JPEG. */
static GBytes *
make_jpeg (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 640);
  g_autoptr(GRand) rand = g_rand_new_with_seed (640);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *buffer = NULL;
  gsize length = 0;

  for (int y = 0; y < 640; y++)
    for (int x = 0; x < 640; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;
        int dx = x - 320, dy = y - 260;
        gboolean face = dx * dx + dy * dy < 150 * 150;
        int grain = g_rand_int_range (rand, -14, 15);

        p[0] = CLAMP ((face ? 200 : 40 + x / 8) + grain, 0, 255);
        p[1] = CLAMP ((face ? 160 : 90 + y / 6) + grain, 0, 255);
        p[2] = CLAMP ((face ? 130 : 150 - x / 10) + grain, 0, 255);
      }

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", &error,
                                  "quality", "80", NULL))
    g_error ("Could not make the bench picture: %s", error->message);

  return g_bytes_new_take (buffer, length);
}

static void
api_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  GaBenchServers *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autofree char *origin = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) request = NULL;
  const char *chat_id = NULL;
  JsonNode *root;
  gsize length;

  g_atomic_int_inc (&self->api_requests);

  /* The API's own limit, as GREEN-API enforces it: more than the rate in any one second
   * is answered 429. */
  {
    gint64 now = g_get_monotonic_time ();
    gboolean over = FALSE;

    g_mutex_lock (&self->mutex);
    if (self->avatar_rate > 0)
      {
        while (!g_queue_is_empty (&self->avatar_times) &&
               now - *(gint64 *) g_queue_peek_head (&self->avatar_times) >= G_USEC_PER_SEC)
          g_free (g_queue_pop_head (&self->avatar_times));
        over = self->avatar_rate <= g_queue_get_length (&self->avatar_times);
        if (!over)
          g_queue_push_tail (&self->avatar_times, g_memdup2 (&now, sizeof now));
      }
    g_mutex_unlock (&self->mutex);

    if (over)
      {
        g_atomic_int_inc (&self->n_429);
        soup_server_message_set_status (msg, 429, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                          "{\"message\":\"Too Many Requests\"}", 31);
        return;
      }
  }

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  /* The contact card asked beside the picture (bench-latency's card figure): a small answer
   * like a real one. */
  if (g_strcmp0 (path, "/waInstance" GA_BENCH_ID_INSTANCE "/getContactInfo/" GA_BENCH_TOKEN) == 0)
    {
      static const char card[] = "{\"chatId\":\"79001234567@c.us\",\"name\":\"Anna K.\","
                                 "\"contactName\":\"Anna Karenina\",\"isBusiness\":false}";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        card, strlen (card));
      return;
    }

  if (g_strcmp0 (path, "/waInstance" GA_BENCH_ID_INSTANCE "/getAvatar/" GA_BENCH_TOKEN) != 0 &&
      g_strcmp0 (path, "/waInstance" GA_BENCH_ID_INSTANCE "/GetAvatar/" GA_BENCH_TOKEN) != 0)
    {
      soup_server_message_set_status (msg, 401, NULL);
      return;
    }

  request = soup_message_body_flatten (body);
  if (json_parser_load_from_data (parser, g_bytes_get_data (request, NULL),
                                  g_bytes_get_size (request), NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    chat_id = json_object_get_string_member_with_default (json_node_get_object (root),
                                                          "chatId", NULL);

  for (const char *p = chat_id; p != NULL && g_ascii_isdigit (*p); p++)
    g_string_append_c (digits, *p);

  if (digits->len == 0)
    {
      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"message\":\"Validation failed\"}", 31);
      return;
    }

  g_mutex_lock (&self->mutex);
  origin = g_strdup (self->image_origin);
  g_mutex_unlock (&self->mutex);

  /* The shape of a real answer: a signed CDN URL that expires in a week. */
  json = g_strdup_printf ("{\"urlAvatar\":\"%s/v/t61.24694-24/%s_n.jpg?ccb=11-4&"
                          "oh=01_Q5AaIbenchmark&oe=%" G_GINT64_MODIFIER "X&_nc_sid=e6ed6c&"
                          "_nc_cat=1\",\"available\":true}",
                          origin, digits->str,
                          g_get_real_time () / G_USEC_PER_SEC + 7 * 24 * 3600);
  length = strlen (json);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&json), length);
}

static void
image_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  GaBenchServers *self = user_data;

  g_atomic_int_inc (&self->image_requests);

  if (g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0 ||
      !g_str_has_prefix (path, "/v/"))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "image/jpeg", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), self->jpeg);
}

static SoupServer *
listen_https (GTlsCertificate *certificate,
              guint16         *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  SoupServer *server = soup_server_new ("tls-certificate", certificate, NULL);
  GSList *uris;

  if (!soup_server_listen (server, address, SOUP_SERVER_LISTEN_HTTPS, &error))
    g_error ("Could not start a bench server: %s", error->message);

  uris = soup_server_get_uris (server);
  *port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

static gpointer
servers_thread (gpointer user_data)
{
  GaBenchServers *self = user_data;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  g_main_context_push_thread_default (self->context);

  certificate = g_tls_certificate_new_from_files (ga_bench_cert_file (),
                                                  GA_BENCH_SOURCE_ROOT "/tests/data/test-key.pem",
                                                  &error);
  if (certificate == NULL)
    g_error ("Could not load the bench certificate: %s", error->message);

  self->api = listen_https (certificate, &self->api_port);
  self->image = listen_https (certificate, &self->image_port);
  soup_server_add_handler (self->api, NULL, api_cb, self, NULL);
  soup_server_add_handler (self->image, NULL, image_cb, self, NULL);

  g_mutex_lock (&self->mutex);
  self->image_origin = g_strdup_printf ("https://127.0.0.1:%u", self->image_port);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  /* The servers live as long as the process. */
  loop = g_main_loop_new (self->context, FALSE);
  g_main_loop_run (loop);

  return NULL;
}

GaBenchServers *
ga_bench_servers_new (void)
{
  GaBenchServers *self = g_new0 (GaBenchServers, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->jpeg = make_jpeg ();
  self->thread = g_thread_new ("bench-servers", servers_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  return self;
}

guint16
ga_bench_servers_get_api_port (GaBenchServers *self)
{
  return self->api_port;
}

guint16
ga_bench_servers_get_image_port (GaBenchServers *self)
{
  return self->image_port;
}

void
ga_bench_servers_set_image_origin (GaBenchServers *self,
                                   const char     *origin)
{
  g_mutex_lock (&self->mutex);
  g_free (self->image_origin);
  self->image_origin = g_strdup (origin);
  g_mutex_unlock (&self->mutex);
}

GBytes *
ga_bench_servers_get_jpeg (GaBenchServers *self)
{
  return self->jpeg;
}

guint
ga_bench_servers_get_api_requests (GaBenchServers *self)
{
  return (guint) g_atomic_int_get (&self->api_requests);
}

/* Makes the API answer 429 to getAvatar beyond @per_second in any second (0: no limit). */
void
ga_bench_servers_set_avatar_rate (GaBenchServers *self,
                                  guint           per_second)
{
  g_mutex_lock (&self->mutex);
  self->avatar_rate = per_second;
  g_queue_clear_full (&self->avatar_times, g_free);
  g_mutex_unlock (&self->mutex);
}

guint
ga_bench_servers_get_n_429 (GaBenchServers *self)
{
  return (guint) g_atomic_int_get (&self->n_429);
}

guint
ga_bench_servers_get_image_requests (GaBenchServers *self)
{
  return (guint) g_atomic_int_get (&self->image_requests);
}

/* ───────────────────────────────── relay ───────────────────────────────── */

struct _GaBenchRelay
{
  int     listen_fd;
  guint16 port;
  guint16 target_port;
  gint64  rtt_us;
  guint   connections; /* atomic */
};

/* One direction of one relayed connection. */
typedef struct
{
  int          from_fd;
  int          to_fd;
  gint64       gate_us;  /* nothing is delivered before this monotonic time */
  gint64       delay_us; /* one way */
  GAsyncQueue *queue;    /* (owned) of (owned) Chunk */
  int         *refs;     /* shared by the two directions; the last one closes both fds */
} Pipe;

typedef struct
{
  gint64 deliver_us;
  gsize  length;         /* 0: end of stream */
  guint8 data[];
} Chunk;

static void
sleep_until (gint64 monotonic_us)
{
  struct timespec ts = {
    .tv_sec = monotonic_us / G_USEC_PER_SEC,
    .tv_nsec = (monotonic_us % G_USEC_PER_SEC) * 1000,
  };

  /* g_get_monotonic_time() is CLOCK_MONOTONIC on Linux. */
  while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
    ;
}

static void
pipe_unref (Pipe *pipe)
{
  if (g_atomic_int_dec_and_test (pipe->refs))
    {
      close (pipe->from_fd);
      close (pipe->to_fd);
      g_free (pipe->refs);
    }

  g_async_queue_unref (pipe->queue);
  g_free (pipe);
}

static gpointer
pipe_writer (gpointer user_data)
{
  Pipe *pipe = user_data;
  gboolean failed = FALSE;

  for (;;)
    {
      g_autofree Chunk *chunk = g_async_queue_pop (pipe->queue);
      gsize done = 0;

      sleep_until (chunk->deliver_us);

      if (chunk->length == 0)
        {
          shutdown (pipe->to_fd, SHUT_WR);
          break;
        }

      while (!failed && done < chunk->length)
        {
          ssize_t n = write (pipe->to_fd, chunk->data + done, chunk->length - done);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              /* The other side went away: keep draining until the reader says so. */
              failed = TRUE;
              shutdown (pipe->from_fd, SHUT_RD);
              break;
            }
          done += (gsize) n;
        }
    }

  pipe_unref (pipe);
  return NULL;
}

static gpointer
pipe_reader (gpointer user_data)
{
  Pipe *pipe = user_data;
  guint8 buffer[RELAY_CHUNK];

  for (;;)
    {
      ssize_t n = read (pipe->from_fd, buffer, sizeof buffer);
      Chunk *chunk;

      if (n < 0 && errno == EINTR)
        continue;

      chunk = g_malloc (sizeof (Chunk) + (n > 0 ? (gsize) n : 0));
      chunk->length = n > 0 ? (gsize) n : 0;
      chunk->deliver_us = MAX (g_get_monotonic_time (), pipe->gate_us) + pipe->delay_us;
      if (n > 0)
        memcpy (chunk->data, buffer, (gsize) n);
      g_async_queue_push (pipe->queue, chunk);

      if (n <= 0)
        break;
    }

  pipe_unref (pipe);
  return NULL;
}

static void
start_pipe (int     from_fd,
            int     to_fd,
            gint64  gate_us,
            gint64  delay_us,
            int    *refs)
{
  Pipe *reader = g_new0 (Pipe, 1);
  Pipe *writer = g_new0 (Pipe, 1);

  reader->from_fd = writer->from_fd = from_fd;
  reader->to_fd = writer->to_fd = to_fd;
  reader->gate_us = writer->gate_us = gate_us;
  reader->delay_us = writer->delay_us = delay_us;
  reader->queue = g_async_queue_new_full (g_free);
  writer->queue = g_async_queue_ref (reader->queue);
  reader->refs = writer->refs = refs;
  g_atomic_int_add (refs, 2);

  g_thread_unref (g_thread_new ("relay-read", pipe_reader, reader));
  g_thread_unref (g_thread_new ("relay-write", pipe_writer, writer));
}

static void
set_nodelay (int fd)
{
  int one = 1;

  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static gpointer
relay_accept_thread (gpointer user_data)
{
  GaBenchRelay *self = user_data;

  for (;;)
    {
      struct sockaddr_in target = { 0 };
      int client_fd = accept (self->listen_fd, NULL, NULL);
      int server_fd;
      gint64 accepted;
      int *refs;

      if (client_fd < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          break;
        }

      accepted = g_get_monotonic_time ();
      g_atomic_int_inc (&self->connections);

      server_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      target.sin_family = AF_INET;
      target.sin_port = htons (self->target_port);
      target.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      if (server_fd < 0 || connect (server_fd, (struct sockaddr *) &target, sizeof target) < 0)
        {
          g_warning ("Relay could not reach port %u: %s", self->target_port, g_strerror (errno));
          close (client_fd);
          if (server_fd >= 0)
            close (server_fd);
          continue;
        }

      set_nodelay (client_fd);
      set_nodelay (server_fd);

      /* Client to server: held until the emulated handshake is over, then half an RTT. */
      refs = g_new0 (int, 1);
      start_pipe (client_fd, server_fd, accepted + self->rtt_us, self->rtt_us / 2, refs);
      start_pipe (server_fd, client_fd, 0, self->rtt_us / 2, refs);
    }

  return NULL;
}

GaBenchRelay *
ga_bench_relay_new (guint16   target_port,
                    gint64    rtt_us,
                    GError  **error)
{
  GaBenchRelay *self;
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 ||
      bind (fd, (struct sockaddr *) &address, sizeof address) < 0 ||
      listen (fd, 128) < 0 ||
      getsockname (fd, (struct sockaddr *) &address, &length) < 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not start the relay: %s", g_strerror (saved));
      return NULL;
    }

  self = g_new0 (GaBenchRelay, 1);
  self->listen_fd = fd;
  self->port = ntohs (address.sin_port);
  self->target_port = target_port;
  self->rtt_us = rtt_us;
  g_thread_unref (g_thread_new ("relay-accept", relay_accept_thread, self));

  return self;
}

guint16
ga_bench_relay_get_port (GaBenchRelay *self)
{
  return self->port;
}

guint
ga_bench_relay_get_connections (GaBenchRelay *self)
{
  return (guint) g_atomic_int_get (&self->connections);
}

/* ──────────────────────────────── helpers ──────────────────────────────── */

void
ga_bench_init_like_app (void)
{
#if defined (__GLIBC__) && defined (M_ARENA_MAX)
  /* What src/main.c does before anything else: one malloc arena for all threads. */
  mallopt (M_ARENA_MAX, 1);
#endif
}

SoupSession *
ga_bench_session_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  SoupSession *session = ga_http_session_new ();

  /* Real verification against the bench certificate only: never turned off. */
  database = g_tls_file_database_new (ga_bench_cert_file (), &error);
  if (database == NULL)
    g_error ("Could not load the bench certificate: %s", error->message);
  soup_session_set_tls_database (session, database);

  return session;
}

GaClient *
ga_bench_client_new_unpaced (SoupSession *session,
                             const char  *api_url)
{
  g_autoptr(GaLimiter) limiter = ga_limiter_new_unpaced ();

  return g_object_new (GA_TYPE_CLIENT,
                       "session", session,
                       "api-url", api_url,
                       "id-instance", GA_BENCH_ID_INSTANCE,
                       "token", GA_BENCH_TOKEN,
                       "limiter", limiter,
                       NULL);
}

guint64
ga_bench_rss_bytes (void)
{
  g_autofree char *contents = NULL;
  guint64 pages = 0;
  char *end;

  if (!g_file_get_contents ("/proc/self/statm", &contents, NULL, NULL))
    return 0;

  /* "size resident shared ...", in pages. */
  end = strchr (contents, ' ');
  if (end != NULL)
    pages = g_ascii_strtoull (end + 1, NULL, 10);

  return pages * (guint64) sysconf (_SC_PAGESIZE);
}

typedef struct
{
  gboolean  done;
  GObject  *result; /* (owned) (nullable) */
} Waiter;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (G_OBJECT (result));
  waiter->done = TRUE;
}

GaLookupResult *
ga_bench_lookup (GaClient    *client,
                 GaCache     *cache,
                 const char  *input,
                 GError     **error)
{
  Waiter waiter = { FALSE, NULL };
  g_autofree char *chat_id = NULL;
  GaLookupResult *result;

  /* What was typed is parsed once, as the window does; the chain takes the chat ID. */
  chat_id = ga_chat_id_parse (input, NULL, error);
  if (chat_id == NULL)
    return NULL;

  ga_lookup_with_cache_async (client, cache, chat_id, NULL, lookup_cb, &waiter);
  ga_bench_wait_for (&waiter.done);
  result = ga_lookup_finish (client, G_ASYNC_RESULT (waiter.result), error);
  g_object_unref (waiter.result);

  return result;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Waiter *waiter = user_data;
  g_autoptr(GError) error = NULL;

  if (!ga_cache_store_finish (GA_CACHE (object), result, &error))
    g_error ("Could not store a picture in the cache: %s", error->message);
  waiter->done = TRUE;
}

void
ga_bench_cache_store (GaCache        *cache,
                      GaLookupResult *result)
{
  GaAvatarInfo *info = ga_lookup_result_get_info (result);
  g_autofree char *key = ga_cache_key_for_url (ga_avatar_info_get_url (info));
  Waiter waiter = { FALSE, NULL };

  ga_cache_store_async (cache,
                        ga_avatar_info_get_chat_id (info),
                        key,
                        ga_cache_expiry_for_url (ga_avatar_info_get_url (info)),
                        ga_lookup_result_get_bytes (result),
                        ga_lookup_result_get_texture (result),
                        NULL,
                        store_cb,
                        &waiter);
  ga_bench_wait_for (&waiter.done);
}

void
ga_bench_remove_tree (const char *directory)
{
  const char *argv[] = { "rm", "-rf", "--", directory, NULL };

  /* Only ever a g_dir_make_tmp() directory of the benchmark itself. */
  g_return_if_fail (g_str_has_prefix (directory, g_get_tmp_dir ()));
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                NULL);
}

void
ga_bench_wait_for (gboolean *flag)
{
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
}

int
ga_bench_compare_double (gconstpointer a,
                         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
ga_bench_percentile (GArray *values,
                     double  fraction)
{
  gsize index;

  if (values->len == 0)
    return 0;

  g_array_sort (values, ga_bench_compare_double);
  index = (gsize) (fraction * (values->len - 1) + 0.5);

  return g_array_index (values, double, MIN (index, values->len - 1));
}

double
ga_bench_median (GArray *values)
{
  if (values->len == 0)
    return 0;

  g_array_sort (values, ga_bench_compare_double);
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);

  return (g_array_index (values, double, values->len / 2 - 1) +
          g_array_index (values, double, values->len / 2)) / 2;
}
