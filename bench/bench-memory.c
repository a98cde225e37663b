/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "bench-memory"

#include "config.h"

#include "ga-bench-net.h"

#include "ga-cache.h"
#include "ga-client.h"
#include "ga-lookup.h"

#include <malloc.h>
#include <stdlib.h>

/*
 * Memory: the resident size after 1,000 lookups of distinct chats, each stored in the cache
 * as the app does, against the size after the first 10, in one process. The growth must stay
 * within what the caches may hold in memory (decoded textures, GA_CACHE_DEFAULT_MEMORY_BYTES);
 * the encoded pictures go to disk, bounded by GA_CACHE_DEFAULT_DISK_BYTES.
 */

static int total = 1000;
static int first = 10;

static GOptionEntry entries[] = {
  { "lookups", 0, 0, G_OPTION_ARG_INT, &total, "Lookups in all", "N" },
  { "first", 0, 0, G_OPTION_ARG_INT, &first, "Lookups of the first phase", "N" },
  { NULL }
};

static void
measure_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  guint64 *size = user_data;
  g_autoptr(GError) error = NULL;

  *size = ga_cache_measure_finish (GA_CACHE (object), result, &error);
  if (error != NULL)
    g_error ("Could not measure the cache: %s", error->message);
  *size += 1; /* so that an empty cache still ends the wait; taken off below */
}

static guint64
disk_bytes (GaCache *cache)
{
  guint64 size = 0;

  ga_cache_measure_async (cache, NULL, measure_cb, &size);
  while (size == 0)
    g_main_context_iteration (NULL, TRUE);

  return size - 1;
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  ga_cache_clear_finish (GA_CACHE (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static void
look_up (GaClient *client,
         GaCache  *cache,
         int       index)
{
  g_autofree char *chat = g_strdup_printf ("7900%07d@c.us", index);
  g_autoptr(GaLookupResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* The lookup stores the picture in the cache itself, in a worker thread. */
  result = ga_bench_lookup (client, cache, chat, &error);
  if (result == NULL || ga_lookup_result_get_texture (result) == NULL)
    g_error ("A bench lookup failed: %s", error != NULL ? error->message : "no picture");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- memory benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GaClient) client = NULL;
  g_autoptr(GaCache) cache = NULL;
  g_autofree char *api_url = NULL;
  g_autofree char *image_origin = NULL;
  g_autofree char *directory = NULL;
  GaBenchServers *servers;
  guint64 rss_start, rss_first, rss_all, rss_trimmed, disk;
  double texture_mib, held_first, limit_mib, growth;
  gboolean cleared = FALSE;
  gint64 started;

  ga_bench_init_like_app ();
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  servers = ga_bench_servers_new ();
  api_url = g_strdup_printf ("https://127.0.0.1:%u", ga_bench_servers_get_api_port (servers));
  image_origin = g_strdup_printf ("https://127.0.0.1:%u",
                                  ga_bench_servers_get_image_port (servers));
  ga_bench_servers_set_image_origin (servers, image_origin);

  directory = g_dir_make_tmp ("ga-bench-memory-XXXXXX", &error);
  if (directory == NULL)
    g_error ("%s", error->message);

  session = ga_bench_session_new ();
  client = ga_bench_client_new_unpaced (session, api_url);
  cache = ga_cache_new (directory, GA_CACHE_DEFAULT_DISK_BYTES, GA_CACHE_DEFAULT_MEMORY_BYTES);

  rss_start = ga_bench_rss_bytes ();
  started = g_get_monotonic_time ();

  for (int i = 1; i <= first; i++)
    look_up (client, cache, i);
  rss_first = ga_bench_rss_bytes ();

  for (int i = first + 1; i <= total; i++)
    look_up (client, cache, i);
  rss_all = ga_bench_rss_bytes ();
  disk = disk_bytes (cache);

  /* What of the growth is memory freed but kept by malloc (not a leak, not a cache). */
  malloc_trim (0);
  rss_trimmed = ga_bench_rss_bytes ();

  /* Each decoded 640x640 picture is 4 bytes a pixel; the memory cache keeps whole ones. */
  texture_mib = 640.0 * 640 * 4 / (1024 * 1024);
  limit_mib = GA_CACHE_DEFAULT_MEMORY_BYTES / (1024.0 * 1024);
  held_first = MIN (first * texture_mib, limit_mib);
  growth = (double) (rss_all - rss_first) / (1024 * 1024);

  g_print ("Memory: %d lookups of distinct chats (640x640 JPEG of %d bytes each), "
           "through the app's lookup with the cache (ga_lookup_with_cache_async), %.1f s\n",
           total, (int) g_bytes_get_size (ga_bench_servers_get_jpeg (servers)),
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_print ("  RSS before the first lookup   %8.1f MiB\n", rss_start / (1024.0 * 1024));
  g_print ("  RSS after %4d lookups        %8.1f MiB (baseline)\n", first,
           rss_first / (1024.0 * 1024));
  g_print ("  RSS after %4d lookups        %8.1f MiB  ratio %.2f\n", total,
           rss_all / (1024.0 * 1024), (double) rss_all / rss_first);
  g_print ("  same, after malloc_trim (0)   %8.1f MiB  (diagnostic: freed memory malloc kept)\n",
           rss_trimmed / (1024.0 * 1024));
  g_print ("  growth %d -> %d lookups        %8.1f MiB; the memory cache may add %.1f MiB more "
           "than it held after %d (limit %.0f MiB, %.2f MiB a picture)\n",
           first, total, growth, limit_mib - held_first, first, limit_mib, texture_mib);
  g_print ("  disk cache                    %8.1f MiB (limit %.0f MiB)\n",
           disk / (1024.0 * 1024), GA_CACHE_DEFAULT_DISK_BYTES / (1024.0 * 1024));
  g_print ("RESULT memory rss_first %.1f rss_all %.1f ratio %.2f growth %.1f allowed %.1f "
           "disk %.1f trimmed %.1f\n",
           rss_first / (1024.0 * 1024), rss_all / (1024.0 * 1024),
           (double) rss_all / rss_first, growth, limit_mib - held_first,
           disk / (1024.0 * 1024), rss_trimmed / (1024.0 * 1024));

  ga_cache_clear_async (cache, NULL, clear_cb, &cleared);
  ga_bench_wait_for (&cleared);
  ga_bench_remove_tree (directory);

  return EXIT_SUCCESS;
}
