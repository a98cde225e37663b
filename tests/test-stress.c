/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-cache.h"
#include "ga-chat-id.h"
#include "ga-client.h"
#include "ga-error.h"
#include "ga-http.h"
#include "ga-lookup.h"
#include "ga-raw-server.h"
#include "ga-test-server.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <malloc.h>
#include <string.h>

/*
 * Stress: 1,000 lookups started as fast as a person could type, each cancelling the one
 * before, then 1,000 lookups that complete. Every callback must run exactly once, and every
 * result, avatar info and task must be finalized once it is dropped.
 *
 * The heap is measured in two more rounds against GaRawServer instead of the fixture:
 * libsoup 3.2's SoupServer leaks about 1.5 kB for every connection it accepts (the accepted
 * GSocket and what hangs off it; valgrind shows it as "definitely lost" under g_socket_accept
 * in libsoup), which would drown the client's own memory. There, the heap may not grow from
 * one half of a round to the next by more than a small bound per lookup plus the memory
 * bound of the picture cache. (Under valgrind, which checks leaks byte by byte, the rounds
 * are ten times shorter and the heap is not measured.)
 */

#define WAIT_MS 60000

typedef struct
{
  guint alive_results;
  guint alive_infos;
  guint alive_tasks;
  guint callbacks;
  guint cancelled;
  guint succeeded;
  guint failed;
  guint refused;   /* of those failed: the input was no chat ID (GA_CHAT_ID_ERROR) */
} Counters;

static Counters counters;

static guint
n_lookups (void)
{
  return g_getenv ("GA_TEST_UNDER_VALGRIND") != NULL ? 100 : 1000;
}

static void
result_finalized_cb (gpointer  data,
                     GObject  *where_the_object_was)
{
  counters.alive_results--;
}

static void
info_finalized_cb (gpointer  data,
                   GObject  *where_the_object_was)
{
  counters.alive_infos--;
}

static void
task_finalized_cb (gpointer  data,
                   GObject  *where_the_object_was)
{
  counters.alive_tasks--;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GaLookupResult) lookup = NULL;
  g_autoptr(GError) error = NULL;

  counters.callbacks++;
  counters.alive_tasks++;
  g_object_weak_ref (G_OBJECT (result), task_finalized_cb, NULL);

  lookup = ga_lookup_finish (GA_CLIENT (source), result, &error);
  if (lookup != NULL)
    {
      counters.succeeded++;
      counters.alive_results++;
      g_object_weak_ref (G_OBJECT (lookup), result_finalized_cb, NULL);
      counters.alive_infos++;
      g_object_weak_ref (G_OBJECT (ga_lookup_result_get_info (lookup)), info_finalized_cb, NULL);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      counters.cancelled++;
    }
  else
    {
      counters.failed++;
      g_test_message ("Lookup failed: %s", error->message);
    }
}

/* What was typed is parsed once, here, as the window does; input that is no chat ID is
 * refused before any lookup and counted as a failed one. */
static void
start_lookup (GaClient     *client,
              GaCache      *cache,
              const char   *input,
              GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *chat_id = ga_chat_id_parse (input, NULL, &error);

  if (chat_id == NULL)
    {
      g_assert_true (error->domain == GA_CHAT_ID_ERROR);
      counters.callbacks++;
      counters.failed++;
      counters.refused++;
      return;
    }

  ga_lookup_with_cache_async (client, cache, chat_id, cancellable, lookup_cb, NULL);
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main context for about @ms milliseconds. */
static void
spin (guint ms)
{
  gboolean done = FALSE;
  guint id = g_timeout_add (ms, flag_cb, &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  (void) id;
}

/* Lets finalizers that run from idle callbacks (GTask returns, libsoup) run. */
static void
settle (void)
{
  spin (50);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks;
}

static GBytes *
make_png (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 64, 64);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x993366ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

/* Pacing would make 1,000 lookups take 100 s; it is tested in test-limiter. */
static GaLimiter *
unpaced_limiter (void)
{
  static GaLimiter *limiter;

  if (limiter == NULL)
    limiter = ga_limiter_new_unpaced ();

  return limiter;
}

static GaClient *
make_client (SoupSession  *session,
             GaTestServer *server)
{
  return g_object_new (GA_TYPE_CLIENT,
                       "session", session,
                       "api-url", ga_test_server_get_url (server),
                       "id-instance", GA_TEST_ID_INSTANCE,
                       "limiter", unpaced_limiter (),
                       "token", GA_TEST_TOKEN,
                       "max-retries", 1,
                       "retry-delay-ms", 5,
                       "timeout-seconds", 30,
                       NULL);
}

static void
assert_all_finalized (void)
{
  settle ();
  g_assert_cmpuint (counters.alive_tasks, ==, 0);
  g_assert_cmpuint (counters.alive_results, ==, 0);
  g_assert_cmpuint (counters.alive_infos, ==, 0);
}

/* Like typing: every keystroke starts a lookup of what is in the entry and cancels the one
 * before. Some inputs are not chat IDs yet; most reach the server, whose answers are slow
 * enough that the next keystroke usually cancels them in flight. */
static void
test_typing_cancels (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = make_client (session, server);
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GBytes) png = make_png ();
  g_autofree char *image_url = g_strconcat (ga_test_server_get_url (server), "/img/1_n.png",
                                            NULL);
  g_autofree char *json = g_strdup_printf ("{\"urlAvatar\": \"%s\", \"available\": true}",
                                           image_url);
  guint n = n_lookups ();
  guint n_half_typed = 0;

  memset (&counters, 0, sizeof counters);

  /* Every lookup may get as far as the server, or not: queue an answer for each. Unused
   * answers are fine here, so this server is never asked to assert that all were taken. */
  for (guint i = 0; i < n; i++)
    {
      GaTestReply *reply = ga_test_server_expect_api (server, "getAvatar", 200, json);

      ga_test_reply_set_delay (reply, 1 + i % 7);
      reply = ga_test_server_expect (server, "/img/1_n.png");
      ga_test_reply_set_body_bytes (reply, "image/png", png);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *input = NULL;

      /* One in ten is a half-typed number, refused before any request; the last keystroke
       * completes the number. */
      if (i % 10 == 9 && i + 1 < n)
        {
          input = g_strdup_printf ("+1 (100) %u", i % 100);
          n_half_typed++;
        }
      else
        {
          input = g_strdup_printf ("+1 (100) 12%05u", i);
        }

      if (cancellable != NULL)
        g_cancellable_cancel (cancellable);
      g_clear_object (&cancellable);
      cancellable = g_cancellable_new ();

      start_lookup (client, NULL, input, cancellable);

      /* A fast typist: a few milliseconds between keystrokes. */
      spin (1 + i % 4);
    }

  /* The last one is left to complete. */
  while (counters.callbacks < n)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("%u cancelled, %u completed, %u failed (%u refused)",
                  counters.cancelled, counters.succeeded, counters.failed, counters.refused);
  g_assert_cmpuint (counters.callbacks, ==, n);
  g_assert_cmpuint (counters.cancelled + counters.succeeded + counters.failed, ==, n);
  /* Most were really cancelled in flight, not refused or finished first. */
  g_assert_cmpuint (counters.cancelled, >=, n / 2);
  /* Exactly the half-typed input fails, each refused as no chat ID before any request (a
   * refusal is reported at once, so no keystroke can cancel it first); never a cancelled
   * lookup reported as another error. */
  g_assert_cmpuint (n_half_typed, ==, (n - 1) / 10);
  g_assert_cmpuint (counters.refused, ==, n_half_typed);
  g_assert_cmpuint (counters.failed, ==, n_half_typed);
  /* The last one, cancelled by nothing, completed. */
  g_assert_cmpuint (counters.succeeded, >=, 1);

  assert_all_finalized ();
}

static void
test_completing (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = make_client (session, server);
  g_autoptr(GBytes) png = make_png ();
  guint n = n_lookups ();

  memset (&counters, 0, sizeof counters);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *input = g_strdup_printf ("+7 900 1%02u-%02u-%02u", i / 10000,
                                                (i / 100) % 100, i % 100);
      /* One path for every picture: the fixture keeps a little state per distinct path,
       * which would show up as growth that is not the app's. */
      const char *path = "/img/v/t61.24694-24/1_n.png";
      g_autofree char *url = g_strconcat (ga_test_server_get_url (server), path, NULL);
      g_autofree char *json = NULL;
      guint before = counters.callbacks;

      /* Mostly pictures; every fourth chat is private and every seventh has none. */
      if (i % 4 == 3)
        {
          ga_test_server_expect_api (server, "getAvatar", 200,
                                     "{\"urlAvatar\": \"\", \"available\": false}");
        }
      else if (i % 7 == 6)
        {
          ga_test_server_expect_api (server, "getAvatar", 200,
                                     "{\"urlAvatar\": \"\", \"available\": true}");
        }
      else
        {
          GaTestReply *reply = ga_test_server_expect (server, path);

          ga_test_reply_set_body_bytes (reply, "image/png", png);
          json = g_strdup_printf ("{\"urlAvatar\": \"%s\", \"available\": true}", url);
          ga_test_server_expect_api (server, "getAvatar", 200, json);
        }

      start_lookup (client, NULL, input, NULL);
      while (counters.callbacks == before)
        g_main_context_iteration (NULL, TRUE);
    }

  g_assert_cmpuint (counters.callbacks, ==, n);
  g_assert_cmpuint (counters.succeeded, ==, n);
  g_assert_cmpuint (counters.failed, ==, 0);
  ga_test_server_assert_done (server);
  assert_all_finalized ();
}

/* ───────────────────────────── Heap, raw server ───────────────────────────── */

/* What a lookup may leave on the heap for good, on average: fragmentation noise, not a
 * leaked object (the smallest, an avatar info, is larger than that with its strings). */
#define HEAP_SLACK_PER_LOOKUP 256
#define CACHE_MEMORY_BYTES (256 * 1024)
#define CACHE_DISK_BYTES (512 * 1024)

static GaRawServer *
raw_server_for_pictures (GBytes *png)
{
  GaRawServer *raw = ga_raw_server_new ();
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GBytes) api = NULL;
  g_autoptr(GBytes) image = NULL;
  char *text;

  /* Every answer names another picture, so that the cache keeps filling up. */
  text = g_strdup_printf ("{\"urlAvatar\": \"%s/img/v/t61.24694-24/{{N}}_n.png\", "
                          "\"available\": true}", ga_raw_server_get_url (raw));
  json = g_bytes_new_take (text, strlen (text));
  api = ga_raw_response_new (200, "application/json", json);
  image = ga_raw_response_new (200, "image/png", png);
  ga_raw_server_add_route (raw, "/getAvatar/", api);
  ga_raw_server_add_route (raw, "/img/", image);

  return raw;
}

static guint64
directory_size (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint64 total = 0;

  if (dir == NULL)
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf buf;

      if (g_lstat (child, &buf) != 0)
        continue;
      if (S_ISDIR (buf.st_mode))
        total += directory_size (child);
      else if (S_ISREG (buf.st_mode))
        total += buf.st_size;
    }

  return total;
}

static gboolean
heap_is_measured (void)
{
  return g_getenv ("GA_TEST_UNDER_VALGRIND") == NULL;
}

static void
test_heap_typing (void)
{
  g_autoptr(GBytes) png = make_png ();
  g_autoptr(GaRawServer) raw = raw_server_for_pictures (png);
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  guint n = n_lookups ();
  gsize heap_half = 0;
  gsize heap_end;

  client = g_object_new (GA_TYPE_CLIENT,
                         "session", session,
                         "api-url", ga_raw_server_get_url (raw),
                         "id-instance", GA_TEST_ID_INSTANCE,
                         "limiter", unpaced_limiter (),
                         "token", GA_TEST_TOKEN,
                         "timeout-seconds", 30,
                         NULL);
  ga_raw_server_set_delay (raw, 2);
  memset (&counters, 0, sizeof counters);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *input = g_strdup_printf ("+1 (100) 13%05u", i);

      if (cancellable != NULL)
        g_cancellable_cancel (cancellable);
      g_clear_object (&cancellable);
      cancellable = g_cancellable_new ();

      start_lookup (client, NULL, input, cancellable);
      spin (1 + i % 4);

      if (i == n / 2)
        {
          while (counters.callbacks < i)
            g_main_context_iteration (NULL, TRUE);
          settle ();
          heap_half = heap_in_use ();
        }
    }
  while (counters.callbacks < n)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("%u cancelled, %u completed, %u failed",
                  counters.cancelled, counters.succeeded, counters.failed);
  g_assert_cmpuint (counters.failed, ==, 0);
  g_assert_cmpuint (counters.cancelled, >=, n / 2);
  assert_all_finalized ();

  heap_end = heap_in_use ();
  g_test_message ("Heap: %" G_GSIZE_FORMAT " bytes half way, %" G_GSIZE_FORMAT " at the end",
                  heap_half, heap_end);
  if (heap_is_measured ())
    g_assert_cmpuint (heap_end, <, heap_half + (n / 2) * HEAP_SLACK_PER_LOOKUP);
}

static void
test_heap_completing_with_cache (void)
{
  g_autoptr(GBytes) png = make_png ();
  g_autoptr(GaRawServer) raw = raw_server_for_pictures (png);
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = NULL;
  g_autoptr(GaCache) cache = NULL;
  g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "stress", NULL);
  guint n = n_lookups ();
  gsize heap_tenth = 0;
  gsize heap_half = 0;
  gsize heap_end;

  client = g_object_new (GA_TYPE_CLIENT,
                         "session", session,
                         "api-url", ga_raw_server_get_url (raw),
                         "id-instance", GA_TEST_ID_INSTANCE,
                         "limiter", unpaced_limiter (),
                         "token", GA_TEST_TOKEN,
                         "timeout-seconds", 30,
                         NULL);
  cache = ga_cache_new (cache_dir, CACHE_DISK_BYTES, CACHE_MEMORY_BYTES);
  memset (&counters, 0, sizeof counters);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *input = g_strdup_printf ("+7 900 2%02u-%02u-%02u", i / 10000,
                                                (i / 100) % 100, i % 100);
      guint before = counters.callbacks;

      start_lookup (client, cache, input, NULL);
      while (counters.callbacks == before)
        g_main_context_iteration (NULL, TRUE);

      if (i == n / 10)
        {
          settle ();
          heap_tenth = heap_in_use ();
        }
      else if (i == n / 2 + n / 10)
        {
          settle ();
          heap_half = heap_in_use ();
        }
    }

  g_assert_cmpuint (counters.succeeded, ==, n);
  g_assert_cmpuint (counters.failed, ==, 0);
  g_assert_cmpuint (ga_raw_server_get_requests (raw), ==, 2 * n);
  assert_all_finalized ();

  settle ();
  heap_end = heap_in_use ();
  g_test_message ("Heap: %" G_GSIZE_FORMAT " bytes after a tenth, %" G_GSIZE_FORMAT
                  " after six tenths, %" G_GSIZE_FORMAT " at the end",
                  heap_tenth, heap_half, heap_end);
  if (heap_is_measured ())
    {
      /* The first half may fill the memory cache; after that, only noise. */
      g_assert_cmpuint (heap_half, <, heap_tenth + CACHE_MEMORY_BYTES +
                                      (n / 2) * HEAP_SLACK_PER_LOOKUP);
      g_assert_cmpuint (heap_end, <, heap_half + (n / 2) * HEAP_SLACK_PER_LOOKUP);
    }

  /* The disk cache kept to its bound too (and was used at all). */
  {
    guint64 disk = directory_size (cache_dir);

    g_test_message ("Disk cache: %" G_GUINT64_FORMAT " bytes", disk);
    g_assert_cmpuint (disk, >, 0);
    g_assert_cmpuint (disk, <=, CACHE_DISK_BYTES + 64 * 1024);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/green-avatar/stress/typing-cancels", test_typing_cancels);
  g_test_add_func ("/green-avatar/stress/completing", test_completing);
  g_test_add_func ("/green-avatar/stress/heap-typing", test_heap_typing);
  g_test_add_func ("/green-avatar/stress/heap-completing-with-cache",
                   test_heap_completing_with_cache);

  return g_test_run ();
}
