/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "bench-stalls"

#include "config.h"

#include "ga-bench-net.h"

#include "ga-cache.h"
#include "ga-client.h"
#include "ga-http.h"
#include "ga-lookup.h"

#include <gtk/gtk.h>
#include <stdlib.h>
#include <time.h>

/*
 * Main-loop responsiveness: a 1 ms timer at high priority notes every gap between its ticks
 * while 200 lookups of 640x640 JPEG pictures run one after the other on the main loop (each
 * through ga_lookup_with_cache_async(), which stores it in the cache, and, with a display,
 * shown in a GtkPicture, as the window does). The
 * baseline is the same timer over the same time with the main loop idle (and the window
 * shown). The target is no gap above 10 ms (issue 5); a gap above one frame (16.7 ms at
 * 60 Hz) is a visible stall.
 *
 * The lookups run twice (after five unmeasured ones), each time with a session, a cache and
 * chats of their own: first
 * with the requests sent from the main thread, as before the network thread (issue 12,
 * point 6; ga_http_set_network_thread_enabled()), then from the network thread, as the app
 * does. --no-baseline skips the first.
 */

#define STALL_LIMIT_MS 10.0
#define FRAME_MS       (1000.0 / 60)

static int lookups = 200;
static gboolean no_baseline = FALSE;

static GOptionEntry entries[] = {
  { "lookups", 0, 0, G_OPTION_ARG_INT, &lookups, "Lookups", "N" },
  { "no-baseline", 0, 0, G_OPTION_ARG_NONE, &no_baseline,
    "Skip the run with the requests on the main thread", NULL },
  { NULL }
};

typedef struct
{
  int    lookup; /* the lookup running, 1-based */
  double ms;
  double cpu_ms;
} LongGap;

typedef struct
{
  gint64  last;
  gint64  last_cpu;
  GArray *gaps; /* (owned) of double, ms */
  GArray *busy; /* (owned) of double, ms: the main thread's CPU time within each gap */
  GArray *long_gaps; /* (owned) of LongGap: the gaps above the limit */
} Ticker;

/* The lookup running (1-based), 0 before the first. */
static int current_lookup = 0;

/* CPU time of the calling thread: tells a gap spent working on the main thread from one
 * where the thread was only waiting for a core (the machine has 2, shared). */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
tick_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (ticker->last != 0)
    {
      double gap = (now - ticker->last) / 1000.0;
      double busy = (cpu - ticker->last_cpu) / 1000.0;

      g_array_append_val (ticker->gaps, gap);
      g_array_append_val (ticker->busy, busy);
      if (gap > STALL_LIMIT_MS)
        {
          LongGap long_gap = { current_lookup, gap, busy };

          g_array_append_val (ticker->long_gaps, long_gap);
        }
    }
  ticker->last = now;
  ticker->last_cpu = cpu;

  return G_SOURCE_CONTINUE;
}

static guint
ticker_start (Ticker *ticker)
{
  ticker->last = 0;
  ticker->gaps = g_array_new (FALSE, FALSE, sizeof (double));
  ticker->busy = g_array_new (FALSE, FALSE, sizeof (double));
  ticker->long_gaps = g_array_new (FALSE, FALSE, sizeof (LongGap));

  return g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, ticker, NULL);
}

static void
set_true (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
warm_up_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ga_http_warm_up_tls_finish (result, NULL);
}

static void
report (const char *name,
        Ticker     *ticker,
        double      baseline_max)
{
  guint over_limit = 0, over_frame = 0, busy_over_limit = 0;
  double max, p99, busy_max;

  for (guint i = 0; i < ticker->gaps->len; i++)
    {
      if (g_array_index (ticker->gaps, double, i) > STALL_LIMIT_MS)
        over_limit++;
      if (g_array_index (ticker->gaps, double, i) > FRAME_MS)
        over_frame++;
      if (g_array_index (ticker->busy, double, i) > STALL_LIMIT_MS)
        busy_over_limit++;
    }

  max = ga_bench_percentile (ticker->gaps, 1.0);
  p99 = ga_bench_percentile (ticker->gaps, 0.99);
  busy_max = ga_bench_percentile (ticker->busy, 1.0);

  g_print ("  %-36s %8.1f %8.2f %8u %9u %8.2f %11.1f %8u\n", name, max, p99, over_limit,
           over_frame, baseline_max > 0 ? max / baseline_max : 1.0, busy_max, busy_over_limit);
}

static int
compare_cpu_descending (gconstpointer a,
                        gconstpointer b)
{
  return ga_bench_compare_double (&((const LongGap *) b)->cpu_ms, &((const LongGap *) a)->cpu_ms);
}

/* Where the gaps above the limit fell, the most main-thread CPU first: a gap with little CPU
 * of its own was the thread waiting for a core. */
static void
print_long_gaps (Ticker *ticker)
{
  if (ticker->long_gaps->len == 0)
    return;

  g_array_sort (ticker->long_gaps, compare_cpu_descending);
  g_print ("  gaps above %.0f ms: %u; by main-thread CPU (lookup: gap / CPU ms):",
           STALL_LIMIT_MS, ticker->long_gaps->len);
  for (guint i = 0; i < MIN (ticker->long_gaps->len, 8); i++)
    {
      const LongGap *gap = &g_array_index (ticker->long_gaps, LongGap, i);

      g_print (" #%d: %.1f / %.1f", gap->lookup, gap->ms, gap->cpu_ms);
    }
  g_print ("%s\n", ticker->long_gaps->len > 8 ? " …" : "");
}

/* The lookups of one run, with the network thread on or off: returns how long they took. */
static double
run_lookups (const char *api_url,
             gboolean    network_thread,
             int         first_chat,
             int         n_lookups,
             GtkWidget  *picture,
             Ticker     *ticker,
             GPtrArray  *directories)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GaClient) client = NULL;
  g_autoptr(GaCache) cache = NULL;
  char *directory;
  gint64 started;
  double elapsed_ms;
  guint id;

  ga_http_set_network_thread_enabled (network_thread);

  directory = g_dir_make_tmp ("ga-bench-stalls-XXXXXX", &error);
  if (directory == NULL)
    g_error ("%s", error->message);
  /* Removed at the end: the cache may still be writing. */
  g_ptr_array_add (directories, directory);

  session = ga_bench_session_new ();
  client = ga_bench_client_new_unpaced (session, api_url);
  cache = ga_cache_new (directory, GA_CACHE_DEFAULT_DISK_BYTES, GA_CACHE_DEFAULT_MEMORY_BYTES);

  id = ticker != NULL ? ticker_start (ticker) : 0;
  started = g_get_monotonic_time ();
  for (int i = 1; i <= n_lookups; i++)
    {
      g_autofree char *chat = g_strdup_printf ("7900%07d@c.us", first_chat + i);
      g_autoptr(GaLookupResult) result = NULL;

      current_lookup = i;
      result = ga_bench_lookup (client, cache, chat, &error);
      if (result == NULL || ga_lookup_result_get_texture (result) == NULL)
        g_error ("A bench lookup failed: %s", error != NULL ? error->message : "no picture");

      if (picture != NULL)
        gtk_picture_set_paintable (GTK_PICTURE (picture),
                                   GDK_PAINTABLE (ga_lookup_result_get_texture (result)));
    }
  elapsed_ms = (g_get_monotonic_time () - started) / 1000.0;
  if (id != 0)
    g_source_remove (id);

  return elapsed_ms;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- main-loop stall benchmark");
  g_autoptr(GError) error = NULL;
  g_autofree char *api_url = NULL;
  g_autofree char *image_origin = NULL;
  GtkWidget *window = NULL;
  GtkWidget *picture = NULL;
  GaBenchServers *servers;
  Ticker idle = { 0 };
  Ticker before = { 0 };
  Ticker busy = { 0 };
  double elapsed_ms;
  double idle_max;
  g_autoptr(GPtrArray) directories = g_ptr_array_new_with_free_func (g_free);
  gboolean done = FALSE;
  guint id;

  ga_bench_init_like_app ();
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (gtk_init_check ())
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      /* As the window shows a picture: 256 px, round (src/ga-window.ui, src/style.css). */
      window = gtk_window_new ();
      picture = gtk_picture_new ();
      gtk_widget_set_size_request (picture, 256, 256);
      gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
      gtk_css_provider_load_from_data (css, "picture { border-radius: 9999px; }", -1);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      gtk_window_set_child (GTK_WINDOW (window), picture);
      gtk_window_present (GTK_WINDOW (window));
    }

  servers = ga_bench_servers_new ();
  api_url = g_strdup_printf ("https://127.0.0.1:%u", ga_bench_servers_get_api_port (servers));
  image_origin = g_strdup_printf ("https://127.0.0.1:%u",
                                  ga_bench_servers_get_image_port (servers));
  ga_bench_servers_set_image_origin (servers, image_origin);

  /* What the app does after its first frame (src/ga-application.c): load TLS in a worker
   * thread. Then let the window's first frames pass: they are start-up, not lookups. */
  ga_http_warm_up_tls_async (NULL, warm_up_cb, NULL);
  g_timeout_add_once (500, set_true, &done);
  ga_bench_wait_for (&done);

  /* A few lookups first, not measured, so that neither run pays the process's first-time
   * costs (the first picture painted, the decoder's set-up). */
  run_lookups (api_url, FALSE, 0, 5, picture, NULL, directories);
  if (!no_baseline)
    run_lookups (api_url, FALSE, 100000, lookups, picture, &before, directories);
  elapsed_ms = run_lookups (api_url, TRUE, 200000, lookups, picture, &busy, directories);

  /* The same time with nothing to do: what the timer itself and the machine jitter. */
  done = FALSE;
  id = ticker_start (&idle);
  g_timeout_add_once ((guint) elapsed_ms, set_true, &done);
  ga_bench_wait_for (&done);
  g_source_remove (id);
  idle_max = ga_bench_percentile (idle.gaps, 1.0);

  g_print ("Main-loop stalls: %d lookups of 640x640 JPEG pictures (decode, cache store%s) over "
           "TLS on loopback, %.1f s; a 1 ms high-priority timer notes the gaps\n",
           lookups, picture != NULL ? ", shown in a GtkPicture" : "", elapsed_ms / 1000);
  g_print ("  %-36s %8s %8s %8s %9s %8s %11s %8s\n", "", "max ms", "p99 ms", "> 10 ms",
           "> 16.7 ms", "vs idle", "max CPU ms", "> 10 ms");
  report ("idle main loop (baseline)", &idle, 0);
  if (!no_baseline)
    report ("lookups, requests on main thread", &before, idle_max);
  report ("lookups, network thread", &busy, idle_max);
  g_print ("  (max CPU: the most CPU time the main thread itself used within one gap; a gap "
           "longer than that was spent waiting for a core)\n");
  if (!no_baseline)
    {
      g_print ("  requests on the main thread:\n");
      print_long_gaps (&before);
    }
  g_print ("  network thread:\n");
  print_long_gaps (&busy);
  if (!no_baseline)
    g_print ("RESULT stalls-main-thread max %.2f p99 %.2f busy_max %.2f\n",
             ga_bench_percentile (before.gaps, 1.0), ga_bench_percentile (before.gaps, 0.99),
             ga_bench_percentile (before.busy, 1.0));
  g_print ("RESULT stalls max %.2f p99 %.2f idle_max %.2f busy_max %.2f\n",
           ga_bench_percentile (busy.gaps, 1.0), ga_bench_percentile (busy.gaps, 0.99),
           idle_max, ga_bench_percentile (busy.busy, 1.0));

  for (guint i = 0; i < directories->len; i++)
    ga_bench_remove_tree (g_ptr_array_index (directories, i));
  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));

  return EXIT_SUCCESS;
}
