/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The command line at the API's limit: `green-avatar --print --from LIST` with 200 chats,
 * end to end (the real program, started fresh with an empty cache), against an emulated
 * GREEN-API that, like the real one, allows 10 getAvatar a second per instance and answers
 * 429 above that. Prints lookups per second against that limit (the baseline: nothing can
 * go faster without 429s), the 429s the program caused, and how the lines arrived: the first
 * one's delay and the gaps between them (a program that printed everything at the end would
 * show one long wait and then no gaps).
 *
 * The API runs in a thread of its own with plain HTTP on 127.0.0.1 (the program accepts
 * http:// only for loopback), answering after half the emulated round trip, and serves the
 * pictures too, each chat with its own URL so that nothing comes from the cache.
 *
 * Usage: bench-cli [--chats N] [--rounds N] [--rtt-ms MS] [--app PATH]
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT_PER_SECOND 10
#define ID_INSTANCE "1101000001"
/* Not a secret: a made-up token in the shape of a real one. */
#define TOKEN "0b1e5c0de0b1e5c0de0b1e5c0de0b1e5c0de0b1e5c0de0b1e5"

typedef struct
{
  GMainContext *context;
  SoupServer   *server;
  GBytes       *jpeg;
  guint16       port;
  guint         rtt_ms;
  GMutex        lock;
  GQueue        accepted;       /* arrival times (µs) of getAvatar in the last second */
  guint         n_avatar;
  guint         n_429;
  gboolean      ready;
  gboolean      quit;
  GCond         cond;
} Api;

static gboolean
unpause_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_server_message_unpause (msg);
  g_object_unref (msg);

  return G_SOURCE_REMOVE;
}

static void
answer_later (Api               *api,
              SoupServerMessage *msg)
{
  g_autoptr(GSource) source = NULL;

  if (api->rtt_ms == 0)
    return;

  soup_server_message_pause (msg);
  source = g_timeout_source_new (api->rtt_ms / 2);
  g_source_set_callback (source, unpause_cb, g_object_ref (msg), NULL);
  g_source_attach (source, api->context);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Api *api = user_data;
  gint64 now = g_get_monotonic_time ();

  if (g_str_has_prefix (path, "/img/"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "image/jpeg", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (api->jpeg, NULL),
                                        g_bytes_get_size (api->jpeg));
      answer_later (api, msg);
      return;
    }

  if (g_str_equal (path, "/waInstance" ID_INSTANCE "/getContacts/" TOKEN))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "[]", 2);
      answer_later (api, msg);
      return;
    }

  if (g_str_equal (path, "/waInstance" ID_INSTANCE "/getAvatar/" TOKEN))
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_autofree char *json = NULL;
      const char *chat = strstr (text, "\"chatId\"");
      guint64 number = 0;
      gboolean limited;

      if (chat != NULL)
        chat = strchr (chat + 8, '"');
      if (chat != NULL)
        number = g_ascii_strtoull (chat + 1, NULL, 10);

      /* 10 a second: a sliding window of one second over the accepted requests. */
      g_mutex_lock (&api->lock);
      while (!g_queue_is_empty (&api->accepted) &&
             now - *(gint64 *) g_queue_peek_head (&api->accepted) >= G_USEC_PER_SEC)
        g_free (g_queue_pop_head (&api->accepted));
      limited = g_queue_get_length (&api->accepted) >= LIMIT_PER_SECOND;
      if (limited)
        {
          api->n_429++;
        }
      else
        {
          g_queue_push_tail (&api->accepted, g_memdup2 (&now, sizeof now));
          api->n_avatar++;
        }
      g_mutex_unlock (&api->lock);

      if (limited)
        {
          soup_server_message_set_status (msg, 429, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                            "{}", 2);
        }
      else
        {
          json = g_strdup_printf ("{\"urlAvatar\": \"http://127.0.0.1:%u/img/%" G_GUINT64_FORMAT
                                  "_n.jpg?oe=7FFFFFFF\", \"available\": true}",
                                  api->port, number);
          soup_server_message_set_status (msg, 200, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                            json, strlen (json));
        }
      answer_later (api, msg);
      return;
    }

  soup_server_message_set_status (msg, 404, NULL);
}

static gboolean
quit_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

static gpointer
api_thread (gpointer user_data)
{
  Api *api = user_data;
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  g_main_context_push_thread_default (api->context);
  api->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (api->server, NULL, handler_cb, api, NULL);
  if (!soup_server_listen_local (api->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("The emulated API could not listen: %s", error->message);
  uris = soup_server_get_uris (api->server);

  g_mutex_lock (&api->lock);
  api->port = g_uri_get_port (uris->data);
  api->ready = TRUE;
  g_cond_signal (&api->cond);
  g_mutex_unlock (&api->lock);

  while (!g_atomic_int_get (&api->quit))
    g_main_context_iteration (api->context, TRUE);

  soup_server_disconnect (api->server);
  g_clear_object (&api->server);
  g_main_context_pop_thread_default (api->context);

  return NULL;
}

static GBytes *
make_jpeg (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 640);
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x25d366ff);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, NULL))
    g_error ("%s", error->message);

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

typedef struct
{
  GDataInputStream *lines;
  GArray           *times;      /* (element-type double) seconds since the start */
  gint64            start;
  gboolean          in_order;
  guint64           last_number;
  gboolean          eof;
} Reader;

static void read_next (Reader *reader);

static void
line_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  double t;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL,
                                                    &error);
  if (line == NULL)
    {
      reader->eof = TRUE;
      return;
    }

  t = (g_get_monotonic_time () - reader->start) / (double) G_USEC_PER_SEC;
  g_array_append_val (reader->times, t);
  {
    guint64 number = g_ascii_strtoull (line, NULL, 10);

    if (number <= reader->last_number || strstr (line, "\tpicture\t") == NULL)
      reader->in_order = FALSE;
    reader->last_number = number;
  }

  read_next (reader);
}

static void
read_next (Reader *reader)
{
  g_data_input_stream_read_line_async (reader->lines, G_PRIORITY_DEFAULT, NULL, line_cb, reader);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Api api = { 0 };
  GThread *thread;
  int n_chats = 200, rounds = 1, rtt_ms = 20;
  g_autofree char *app = NULL;
  const GOptionEntry entries[] = {
    { "chats", 0, 0, G_OPTION_ARG_INT, &n_chats, "Chats in the list (200)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Runs of the program (1)", "N" },
    { "rtt-ms", 0, 0, G_OPTION_ARG_INT, &rtt_ms, "Emulated round trip (20)", "MS" },
    { "app", 0, 0, G_OPTION_ARG_FILENAME, &app, "The green-avatar program", "PATH" },
    { NULL }
  };

  context = g_option_context_new ("- the command line at the API's limit");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (app == NULL)
    app = g_strdup (GA_BENCH_GREEN_AVATAR);

  api.context = g_main_context_new ();
  api.jpeg = make_jpeg ();
  api.rtt_ms = rtt_ms;
  g_mutex_init (&api.lock);
  g_cond_init (&api.cond);
  thread = g_thread_new ("emulated-api", api_thread, &api);
  g_mutex_lock (&api.lock);
  while (!api.ready)
    g_cond_wait (&api.cond, &api.lock);
  g_mutex_unlock (&api.lock);

  g_print ("bench-cli: %d chats with --from, emulated API: %d getAvatar/s per instance "
           "(429 above), RTT %d ms; %d round(s)\n",
           n_chats, LIMIT_PER_SECOND, rtt_ms, rounds);

  for (int round = 0; round < rounds; round++)
    {
      g_autofree char *home = g_dir_make_tmp ("green-avatar-bench-cli-XXXXXX", NULL);
      g_autofree char *list = g_build_filename (home, "list.txt", NULL);
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", api.port);
      g_autofree char *cache = g_build_filename (home, "cache", NULL);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GDataInputStream) lines = NULL;
      Reader reader = { 0 };
      guint n_429_before, n_avatar_before;
      double wall, rate;
      g_autofree char *rm = NULL;

      for (int i = 0; i < n_chats; i++)
        g_string_append_printf (text, "%" G_GUINT64_FORMAT "\n",
                                (guint64) 79001000000 + (guint64) round * 100000 + i);
      g_file_set_contents (list, text->str, text->len, NULL);

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
      g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
      g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                    "unix:path=/nonexistent/green-avatar-no-bus", TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
      g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
      g_subprocess_launcher_setenv (launcher, "GREEN_API_URL", url, TRUE);
      g_subprocess_launcher_setenv (launcher, "GREEN_API_ID_INSTANCE", ID_INSTANCE, TRUE);
      g_subprocess_launcher_setenv (launcher, "GREEN_API_TOKEN", TOKEN, TRUE);

      g_mutex_lock (&api.lock);
      n_429_before = api.n_429;
      n_avatar_before = api.n_avatar;
      g_mutex_unlock (&api.lock);

      reader.times = times;
      reader.in_order = TRUE;
      reader.start = g_get_monotonic_time ();
      process = g_subprocess_launcher_spawn (launcher, &error, app, "--print", "--from", list,
                                             NULL);
      if (process == NULL)
        g_error ("%s", error->message);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
      reader.lines = lines;
      read_next (&reader);
      while (!reader.eof)
        g_main_context_iteration (NULL, TRUE);
      g_subprocess_wait (process, NULL, NULL);
      wall = (g_get_monotonic_time () - reader.start) / (double) G_USEC_PER_SEC;

      for (guint i = 1; i < times->len; i++)
        {
          double gap = g_array_index (times, double, i) - g_array_index (times, double, i - 1);

          g_array_append_val (gaps, gap);
        }
      g_array_sort (gaps, compare_double);

      rate = n_chats / wall;
      g_mutex_lock (&api.lock);
      g_print ("  round %d: exit %d, %u lines, %u getAvatar accepted, %u answered 429\n",
               round + 1, g_subprocess_get_exit_status (process), times->len,
               api.n_avatar - n_avatar_before, api.n_429 - n_429_before);
      g_print ("    wall time %.2f s, %.2f lookups/s, ratio to the limit %.3f (target >= 0.95)\n",
               wall, rate, rate / LIMIT_PER_SECOND);
      if (times->len > 1)
        g_print ("    first line after %.2f s, last after %.2f s; gap between lines: median "
                 "%.3f s, max %.3f s; all in input order with a picture: %s\n",
                 g_array_index (times, double, 0), g_array_index (times, double, times->len - 1),
                 g_array_index (gaps, double, gaps->len / 2),
                 g_array_index (gaps, double, gaps->len - 1),
                 reader.in_order ? "yes" : "NO");
      g_print ("RESULT cli rate %.3f ratio %.3f r429 %u lines %u first %.3f\n",
               rate, rate / LIMIT_PER_SECOND, api.n_429 - n_429_before, times->len,
               times->len > 0 ? g_array_index (times, double, 0) : -1.0);
      g_mutex_unlock (&api.lock);

      rm = g_strdup_printf ("rm -rf '%s'", home);
      if (system (rm) != 0)
        g_printerr ("could not remove %s\n", home);
    }

  g_atomic_int_set (&api.quit, TRUE);
  g_main_context_invoke (api.context, quit_cb, NULL);
  g_main_context_wakeup (api.context);
  g_thread_join (thread);
  g_main_context_unref (api.context);
  g_bytes_unref (api.jpeg);

  return 0;
}
