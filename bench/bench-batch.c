/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "bench-batch"

#include "config.h"

#include "ga-batch-view.h"
#include "ga-bench-net.h"
#include "ga-http.h"
#include "ga-limiter.h"
#include "ga-list-parser.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

/*
 * The batch (issue 12), three figures:
 *
 * 1. Throughput: N chats (default 1,000) through the batch engine against the benchmark API
 *    behind a relay with the given RTT (default 50 ms), the API answering 429 beyond 10
 *    getAvatar in any second, pictures downloaded from the image host behind its own relay.
 *    Reported: lookups per second end to end, the ratio to the API's limit (the baseline:
 *    10/s; target 0.95), and the 429s the API had to send (target 0).
 * 2. Memory: the batch window with an empty batch (the baseline), then with 10,000 chats that
 *    all have a picture, scrolled from top to bottom (every card bound once, its thumbnail
 *    decoded): the RSS growth (target at most 64 MiB).
 * 3. Stalls: a 1 ms timer at high priority notes the gaps of the main loop while a batch runs
 *    and the grid scrolls one step a frame; the baseline is the same with nothing running.
 *    Target: no gap above 16 ms. The frames per second of each phase show that it drew.
 *    The main thread's own CPU time in each frame (from the frame clock's update phase, where
 *    the grid is scrolled, to the end of its paint phase) is printed too, split into layout
 *    (binding the cards shown anew, measuring and allocating) and paint (snapshot and cairo),
 *    for every frame and for the frames after the jump from the end of the grid back to its
 *    top, where every shown card is bound anew: unlike the gaps, it hardly depends on the
 *    other processes of the machine.
 * 4. Rebinding (--only rebind, no network): 2,000 chats, blocks of 400 with a cached picture
 *    and 400 waiting, the grid jumping a page or more every 20th frame (top, far, top,
 *    farther...), 40 jumps: the main thread's CPU in the frames after a jump, where every card
 *    the grid keeps bound is bound anew, and in the others.
 *
 * Needs a display (Xvfb) for 2, 3 and 4.
 */

static int chats = 1000;
static int memory_chats = 10000;
static int stall_chats = 1000;
static int rtt_ms = 50;
static char *parts = NULL;

static GOptionEntry entries[] = {
  { "chats", 0, 0, G_OPTION_ARG_INT, &chats, "Chats for the throughput run", "N" },
  { "memory-chats", 0, 0, G_OPTION_ARG_INT, &memory_chats, "Chats for the memory run", "N" },
  { "stall-chats", 0, 0, G_OPTION_ARG_INT, &stall_chats, "Chats for the stall run", "N" },
  { "rtt-ms", 0, 0, G_OPTION_ARG_INT, &rtt_ms, "Emulated round-trip time", "MS" },
  { "only", 0, 0, G_OPTION_ARG_STRING, &parts,
    "Run only these parts (memory,open,rebind,stalls,throughput)", "LIST" },
  { NULL }
};

static GaList *
make_list (guint n)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GaList *list;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "7900%07u\n", i);

  list = ga_list_parse_text (text->str, &error);
  if (list == NULL)
    g_error ("%s", error->message);

  return list;
}

static void
wait_finished (GaBatch *batch)
{
  while (ga_batch_get_state (batch) != GA_BATCH_STATE_FINISHED &&
         ga_batch_get_state (batch) != GA_BATCH_STATE_STOPPED)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  gint64  last;
  double  max_gap;
  guint   over_frame;
  gint64  last_cpu;     /* the main thread's CPU time at the last tick */
  double  max_gap_cpu;  /* the most main-thread CPU within one gap over 16 ms, in ms */
  guint   n;
  guint   frames_at_start;
  gint64  started;
  gint64  cpu_at_start;
} Ticker;

/* Frames the grid was scrolled in: proof that a phase drew what it measures. */
static guint scroll_frames;

/* The main thread's CPU time in µs. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The main thread's CPU time per frame, in ms: all frames, and the frames after a jump. */
typedef struct
{
  guint   n;
  double  sum;
  double  max;
  double  layout_sum;
  double  paint_sum;
} FrameCost;

typedef struct
{
  FrameCost all;
  FrameCost jump;
} FrameCosts;

static FrameCosts *frame_costs;  /* (nullable): the phase being measured */
static gint64 frame_update_cpu;  /* 0 outside a scrolled frame */
static gint64 frame_layout_cpu;
static gboolean frame_jumped;

static void
frame_cost_add (FrameCost *cost,
                double     layout,
                double     paint)
{
  cost->n++;
  cost->sum += layout + paint;
  cost->max = MAX (cost->max, layout + paint);
  cost->layout_sum += layout;
  cost->paint_sum += paint;
}

static void
layout_cb (GdkFrameClock *clock,
           gpointer       user_data)
{
  if (frame_update_cpu != 0)
    frame_layout_cpu = thread_cpu_us ();
}

/* Connected last, so it runs after GTK's own paint (snapshot and render). */
static void
paint_cb (GdkFrameClock *clock,
          gpointer       user_data)
{
  double layout, paint;

  if (frame_update_cpu == 0 || frame_layout_cpu == 0)
    return;

  layout = (frame_layout_cpu - frame_update_cpu) / 1000.0;
  paint = (thread_cpu_us () - frame_layout_cpu) / 1000.0;
  if (frame_costs != NULL)
    {
      frame_cost_add (&frame_costs->all, layout, paint);
      if (frame_jumped)
        {
          frame_cost_add (&frame_costs->jump, layout, paint);
          if (g_getenv ("BENCH_BATCH_VERBOSE") != NULL)
            g_printerr ("jump frame: layout %.1f ms, paint %.1f ms of CPU at %.3f s\n",
                        layout, paint, g_get_monotonic_time () / 1e6);
        }
    }
  frame_update_cpu = 0;
  frame_layout_cpu = 0;
  frame_jumped = FALSE;
}

static void
print_frame_cost (const char      *what,
                  const FrameCost *cost)
{
  double n = MAX (cost->n, 1);

  g_print ("    %s: main thread CPU %.2f ms a frame (layout %.2f, paint %.2f), most %.1f ms, "
           "%u frames\n", what, cost->sum / n, cost->layout_sum / n, cost->paint_sum / n,
           cost->max, cost->n);
}

/* The process's CPU time, every thread (the software GL renderer's too), in µs. */
static gint64
cpu_time (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static void
ticker_start (Ticker     *ticker,
              FrameCosts *costs)
{
  frame_costs = costs;
  ticker->frames_at_start = scroll_frames;
  ticker->started = g_get_monotonic_time ();
  ticker->cpu_at_start = cpu_time ();
}

/* CPU per frame drawn: unlike the gaps, barely moved by other processes on the machine. */
static double
ticker_cpu_ms (const Ticker *ticker)
{
  return (cpu_time () - ticker->cpu_at_start) / 1000.0 /
         MAX (scroll_frames - ticker->frames_at_start, 1);
}

static double
ticker_fps (const Ticker *ticker,
            gint64        ended)
{
  return (scroll_frames - ticker->frames_at_start) * (double) G_USEC_PER_SEC /
         MAX (ended - ticker->started, 1);
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

      ticker->max_gap = MAX (ticker->max_gap, gap);
      if (gap > 16.0)
        {
          /* What of the gap the main thread ran; the rest it waited (for a core, for the X
           * server). */
          double gap_cpu = (cpu - ticker->last_cpu) / 1000.0;

          ticker->over_frame++;
          ticker->max_gap_cpu = MAX (ticker->max_gap_cpu, gap_cpu);
          if (g_getenv ("BENCH_BATCH_VERBOSE") != NULL)
            g_printerr ("gap %.1f ms (main thread CPU %.1f ms) at %.3f s\n", gap, gap_cpu,
                        now / 1e6);
        }
      ticker->n++;
    }
  ticker->last = now;
  ticker->last_cpu = cpu;

  return G_SOURCE_CONTINUE;
}

static gboolean
scroll_cb (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));
  double value = gtk_adjustment_get_value (adjustment) + 40;

  frame_update_cpu = thread_cpu_us ();
  frame_layout_cpu = 0;
  frame_jumped = FALSE;
  if (value >= gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment))
    {
      value = 0;
      frame_jumped = TRUE;
    }
  gtk_adjustment_set_value (adjustment, value);
  scroll_frames++;

  return G_SOURCE_CONTINUE;
}

typedef struct
{
  GaBenchServers *servers;
  SoupSession    *session;
  char           *api_url;
  char           *directory;
} Net;

static GaClient *
make_client (Net *net)
{
  /* As the batch window makes it: the process-wide limiter, batch priority. */
  return g_object_new (GA_TYPE_CLIENT,
                       "session", net->session,
                       "api-url", net->api_url,
                       "id-instance", GA_BENCH_ID_INSTANCE,
                       "token", GA_BENCH_TOKEN,
                       "priority", GA_REQUEST_PRIORITY_BATCH,
                       NULL);
}

static void
throughput (Net *net)
{
  g_autoptr(GaClient) client = make_client (net);
  g_autofree char *cache_dir = g_build_filename (net->directory, "throughput", NULL);
  g_autoptr(GaCache) cache = ga_cache_new (cache_dir, 512 * 1024 * 1024,
                                           GA_CACHE_DEFAULT_MEMORY_BYTES);
  g_autoptr(GaBatch) batch = ga_batch_new (cache, NULL);
  g_autoptr(GaList) list = make_list ((guint) chats);
  guint before_429 = ga_bench_servers_get_n_429 (net->servers);
  guint n_429;
  gint64 started;
  double seconds, rate;

  ga_bench_servers_set_avatar_rate (net->servers, 10);
  ga_batch_set_client (batch, client);
  ga_batch_set_list (batch, list);

  started = g_get_monotonic_time ();
  ga_batch_start (batch);
  wait_finished (batch);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  rate = ga_batch_get_n_done (batch) / seconds;
  n_429 = ga_bench_servers_get_n_429 (net->servers) - before_429;

  g_print ("Throughput: %d chats, RTT %d ms, the API enforcing 10 getAvatar/s\n", chats, rtt_ms);
  g_print ("  done %u (pictures %u, failed %u) in %.1f s\n", ga_batch_get_n_done (batch),
           ga_batch_get_count (batch, GA_BATCH_STATUS_PICTURE),
           ga_batch_get_count (batch, GA_BATCH_STATUS_FAILED), seconds);
  g_print ("  %.2f lookups/s, %.3f of the limit (target 0.95), %u answers of 429 (target 0)\n",
           rate, rate / 10.0, n_429);
  g_print ("RESULT batch-throughput rate %.2f ratio %.3f 429s %u chats %d\n",
           rate, rate / 10.0, n_429, chats);
}

/* A state file of @n chats that all have the same cached picture. */
static char *
write_state (Net        *net,
             GaCache    *cache,
             guint       n,
             gboolean    mixed)
{
  g_autoptr(GString) json = g_string_new ("{\"version\":1,\"stopped\":false,\"entries\":[");
  g_autofree char *path = g_build_filename (net->directory, "batch.json", NULL);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1/v/t61/%u_n.jpg", 1);
  g_autofree char *key = ga_cache_key_for_url (url);
  GBytes *jpeg = ga_bench_servers_get_jpeg (net->servers);
  gboolean stored = FALSE;
  g_autoptr(GError) error = NULL;

  ga_cache_store_async (cache, "79000000000@c.us", key, 0, jpeg, NULL, NULL, NULL, NULL);
  /* The store runs in a worker thread: wait until the file is there. */
  while (!stored)
    {
      g_autoptr(GBytes) bytes = ga_cache_read_bytes (cache, key);

      stored = bytes != NULL;
      g_main_context_iteration (NULL, FALSE);
    }

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"line\":%u,\"text\":\"7900%07u\",\"chat\":%u}",
                            i > 0 ? "," : "", i + 1, i, i);
  g_string_append (json, "],\"chats\":[");
  for (guint i = 0; i < n; i++)
    if (mixed && (i / 400) % 2 == 1)
      g_string_append_printf (json, "%s{\"chat_id\":\"7900%07u@c.us\",\"input\":\"7900%07u\","
                              "\"line\":%u,\"status\":\"pending\"}",
                              i > 0 ? "," : "", i, i, i + 1);
    else
      g_string_append_printf (json, "%s{\"chat_id\":\"7900%07u@c.us\",\"input\":\"7900%07u\","
                              "\"line\":%u,\"status\":\"picture\",\"key\":\"%s\"}",
                              i > 0 ? "," : "", i, i, i + 1, key);
  g_string_append (json, "]}");

  if (!g_file_set_contents (path, json->str, json->len, &error))
    g_error ("%s", error->message);

  return g_steal_pointer (&path);
}

static void
warm_up_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ga_http_warm_up_tls_finish (result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
spin_done_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms, blocking in poll() as the application does. Not a loop of
 * non-blocking iterations with a sleep: with the stall ticker's 1 ms timer at high priority
 * ready after every sleep, each iteration would dispatch only that timer, and the frame
 * clock (and with it the scrolling and drawing) would never run. */
static void
spin_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add_full (G_PRIORITY_HIGH, ms, spin_done_cb, &done, NULL);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
memory (Net *net)
{
  g_autofree char *cache_dir = g_build_filename (net->directory, "memory", NULL);
  g_autoptr(GaCache) cache = ga_cache_new (cache_dir, GA_CACHE_DEFAULT_DISK_BYTES,
                                           GA_CACHE_DEFAULT_MEMORY_BYTES);
  g_autofree char *state = write_state (net, cache, (guint) memory_chats, FALSE);
  g_autoptr(GaBatch) batch = ga_batch_new (cache, state);
  g_autoptr(GError) error = NULL;
  GaBatchView *view;
  GtkWidget *grid;
  GtkAdjustment *adjustment;
  guint64 rss_empty, rss_full;
  double growth;

  view = ga_batch_view_new (NULL, batch, NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (view), 820, 720);
  gtk_window_present (GTK_WINDOW (view));
  spin_for (500);
  rss_empty = ga_bench_rss_bytes ();

  if (!ga_batch_load (batch, &error))
    g_error ("%s", error->message);
  grid = ga_batch_view_get_grid (view);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));
  spin_for (300);

  /* Every card bound once: scroll from top to bottom a screen at a time. */
  while (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) <
         gtk_adjustment_get_upper (adjustment) - 1)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                                            gtk_adjustment_get_page_size (adjustment));
      spin_for (15);
    }
  spin_for (500);
  rss_full = ga_bench_rss_bytes ();
  growth = (double) (rss_full - rss_empty) / (1024 * 1024);

  g_print ("Memory: the batch window empty, then with %d chats scrolled through\n",
           memory_chats);
  g_print ("  RSS empty %.1f MiB, full %.1f MiB: growth %.1f MiB (target at most 64)\n",
           rss_empty / (1024.0 * 1024), rss_full / (1024.0 * 1024), growth);
  g_print ("RESULT batch-memory empty %.1f full %.1f growth %.1f chats %d\n",
           rss_empty / (1024.0 * 1024), rss_full / (1024.0 * 1024), growth, memory_chats);

  ga_batch_clear (batch);
  gtk_window_destroy (GTK_WINDOW (view));
}

static void
stalls (Net *net)
{
  g_autofree char *cache_dir = g_build_filename (net->directory, "stalls", NULL);
  g_autoptr(GaCache) cache = ga_cache_new (cache_dir, GA_CACHE_DEFAULT_DISK_BYTES,
                                           GA_CACHE_DEFAULT_MEMORY_BYTES);
  g_autoptr(GaBatch) batch = ga_batch_new (cache, NULL);
  g_autoptr(GaClient) client = make_client (net);
  g_autoptr(GaList) list = make_list ((guint) stall_chats);
  Ticker idle = { 0 };
  Ticker busy = { 0 };
  Ticker after = { 0 };
  FrameCosts idle_costs = { 0 };
  FrameCosts busy_costs = { 0 };
  FrameCosts after_costs = { 0 };
  GdkFrameClock *clock;
  GaBatchView *view;
  guint tick_id, scroll_id;
  gint64 started;
  double seconds;
  double idle_fps, busy_fps, after_fps;
  double idle_cpu, busy_cpu, after_cpu;

  view = ga_batch_view_new (NULL, batch, NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (view), 820, 720);
  gtk_window_present (GTK_WINDOW (view));
  ga_batch_set_client (batch, client);
  ga_batch_set_list (batch, list);
  spin_for (300);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (view));
  g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), NULL);
  g_signal_connect (clock, "paint", G_CALLBACK (paint_cb), NULL);
  scroll_id = gtk_widget_add_tick_callback (ga_batch_view_get_grid (view), scroll_cb, NULL, NULL);

  /* Baseline: the window scrolling, nothing running. */
  ticker_start (&idle, &idle_costs);
  tick_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, &idle, NULL);
  spin_for (3000);
  g_source_remove (tick_id);
  idle_fps = ticker_fps (&idle, g_get_monotonic_time ());
  idle_cpu = ticker_cpu_ms (&idle);

  ticker_start (&busy, &busy_costs);
  tick_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, &busy, NULL);
  started = g_get_monotonic_time ();
  ga_batch_start (batch);
  wait_finished (batch);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_source_remove (tick_id);
  busy_fps = ticker_fps (&busy, g_get_monotonic_time ());
  busy_cpu = ticker_cpu_ms (&busy);

  /* The same grid, now full of pictures, scrolling with nothing running: what drawing the
   * pictures costs by itself. */
  ticker_start (&after, &after_costs);
  tick_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, &after, NULL);
  spin_for (3000);
  g_source_remove (tick_id);
  after_fps = ticker_fps (&after, g_get_monotonic_time ());
  after_cpu = ticker_cpu_ms (&after);
  gtk_widget_remove_tick_callback (ga_batch_view_get_grid (view), scroll_id);
  g_signal_handlers_disconnect_by_func (clock, layout_cb, NULL);
  g_signal_handlers_disconnect_by_func (clock, paint_cb, NULL);
  frame_costs = NULL;

  g_print ("Stalls: %d chats in %.1f s while the grid scrolls every frame\n", stall_chats,
           seconds);
  g_print ("  longest gap %.1f ms, %u gaps over 16 ms (target 0), %.0f frames/s, "
           "process CPU %.1f ms a frame\n",
           busy.max_gap, busy.over_frame, busy_fps, busy_cpu);
  g_print ("  the most main-thread CPU within one gap over 16 ms: %.1f ms (the rest of a gap "
           "is waiting for a core or the X server)\n", busy.max_gap_cpu);
  g_print ("  baseline, the grid scrolling before the run: longest gap %.1f ms, %u over 16 ms, "
           "%.0f frames/s, %.1f ms a frame; ratio %.2f\n",
           idle.max_gap, idle.over_frame, idle_fps, idle_cpu,
           busy.max_gap / MAX (idle.max_gap, 0.1));
  g_print ("  the finished grid scrolling, nothing running: longest gap %.1f ms, %u over 16 ms, "
           "%.0f frames/s, %.1f ms a frame\n", after.max_gap, after.over_frame, after_fps,
           after_cpu);
  print_frame_cost ("running, every frame", &busy_costs.all);
  print_frame_cost ("running, the frames after a jump to the top", &busy_costs.jump);
  print_frame_cost ("baseline, every frame", &idle_costs.all);
  print_frame_cost ("baseline, the frames after a jump", &idle_costs.jump);
  print_frame_cost ("finished grid, every frame", &after_costs.all);
  print_frame_cost ("finished grid, the frames after a jump", &after_costs.jump);
  g_print ("RESULT batch-stalls-frames cpu %.2f jump %.2f jump-max %.1f baseline-cpu %.2f "
           "baseline-jump %.2f finished-cpu %.2f finished-jump %.2f\n",
           busy_costs.all.sum / MAX (busy_costs.all.n, 1),
           busy_costs.jump.sum / MAX (busy_costs.jump.n, 1), busy_costs.jump.max,
           idle_costs.all.sum / MAX (idle_costs.all.n, 1),
           idle_costs.jump.sum / MAX (idle_costs.jump.n, 1),
           after_costs.all.sum / MAX (after_costs.all.n, 1),
           after_costs.jump.sum / MAX (after_costs.jump.n, 1));
  g_print ("RESULT batch-stalls max %.1f max-gap-cpu %.1f baseline %.1f ratio %.2f over16 %u "
           "fps %.0f cpu %.1f baseline-fps %.0f baseline-cpu %.1f finished-max %.1f finished-over16 %u "
           "finished-fps %.0f finished-cpu %.1f\n",
           busy.max_gap, busy.max_gap_cpu, idle.max_gap, busy.max_gap / MAX (idle.max_gap, 0.1),
           busy.over_frame, busy_fps, busy_cpu, idle_fps, idle_cpu, after.max_gap, after.over_frame, after_fps,
           after_cpu);

  gtk_window_destroy (GTK_WINDOW (view));
}

/* Jumps between the top of the grid and a place a page or more away every 20th frame, as the
 * stall run's scrolling jumps back to the top, to weigh the frames after a jump on their own:
 * every card shown is bound anew. */
typedef struct
{
  guint  frame;
  guint  jumps;
  double far;
} Jumper;

static gboolean
jump_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Jumper *jumper = user_data;
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));
  double value = gtk_adjustment_get_value (adjustment);

  frame_update_cpu = thread_cpu_us ();
  frame_layout_cpu = 0;
  frame_jumped = FALSE;
  if (++jumper->frame % 20 == 0)
    {
      /* Top, far, top, farther...: never twice the same place, so no card is kept. */
      value = jumper->jumps % 2 == 1 ? 0 : jumper->far * (1 + jumper->jumps / 2 % 4);
      jumper->jumps++;
      frame_jumped = TRUE;
    }
  else
    value += 4;
  gtk_adjustment_set_value (adjustment, value);
  scroll_frames++;

  return G_SOURCE_CONTINUE;
}

static void
rebind (Net *net)
{
  g_autofree char *cache_dir = g_build_filename (net->directory, "rebind", NULL);
  g_autoptr(GaCache) cache = ga_cache_new (cache_dir, GA_CACHE_DEFAULT_DISK_BYTES,
                                           GA_CACHE_DEFAULT_MEMORY_BYTES);
  g_autofree char *state = write_state (net, cache, 2000, TRUE);
  g_autoptr(GaBatch) batch = ga_batch_new (cache, state);
  g_autoptr(GError) error = NULL;
  FrameCosts costs = { 0 };
  Jumper jumper = { 0 };
  GdkFrameClock *clock;
  GaBatchView *view;
  GtkWidget *grid;
  GtkAdjustment *adjustment;
  guint jump_id;

  view = ga_batch_view_new (NULL, batch, NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (view), 820, 720);
  gtk_window_present (GTK_WINDOW (view));
  if (!ga_batch_load (batch, &error))
    g_error ("%s", error->message);
  spin_for (500);
  grid = ga_batch_view_get_grid (view);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));
  jumper.far = gtk_adjustment_get_upper (adjustment) / 5;

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (view));
  g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), NULL);
  g_signal_connect (clock, "paint", G_CALLBACK (paint_cb), NULL);
  frame_costs = &costs;
  jump_id = gtk_widget_add_tick_callback (grid, jump_cb, &jumper, NULL);
  while (jumper.jumps < 40)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (grid, jump_id);
  frame_costs = NULL;
  g_signal_handlers_disconnect_by_func (clock, layout_cb, NULL);
  g_signal_handlers_disconnect_by_func (clock, paint_cb, NULL);

  g_print ("Rebinding: 2,000 chats, half with a cached picture, the grid jumping a page or "
           "more every 20th frame\n");
  print_frame_cost ("every frame", &costs.all);
  print_frame_cost ("the frames after a jump", &costs.jump);
  g_print ("RESULT batch-rebind cpu %.2f jump %.2f jump-layout %.2f jump-paint %.2f "
           "jump-max %.1f\n", costs.all.sum / MAX (costs.all.n, 1),
           costs.jump.sum / MAX (costs.jump.n, 1), costs.jump.layout_sum / MAX (costs.jump.n, 1),
           costs.jump.paint_sum / MAX (costs.jump.n, 1), costs.jump.max);

  ga_batch_clear (batch);
  gtk_window_destroy (GTK_WINDOW (view));
}

static void
parse_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GaList **list = user_data;
  g_autoptr(GError) error = NULL;

  *list = ga_list_parse_finish (result, &error);
  if (*list == NULL)
    g_error ("%s", error->message);
}

/* Opening a 100,000-line CSV: parsed in a worker thread, then the grid's model filled on the
 * main thread. Reported: the time until the grid has its items, and the main thread's part. */
static void
open_large (Net *net)
{
  g_autoptr(GString) csv = g_string_new ("name;phone\r\n");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GaBatch) batch = ga_batch_new (NULL, NULL);
  GaList *list = NULL;
  GaBatchView *view;
  gint64 started, parsed, filled;

  /* A header and 99,999 rows: the parser's limit is 100,000 lines. */
  for (guint i = 0; i < 99999; i++)
    g_string_append_printf (csv, "Contact %u;+7 900 %03u-%02u-%02u\r\n", i, i / 10000,
                            (i / 100) % 100, i % 100);
  bytes = g_string_free_to_bytes (g_steal_pointer (&csv));

  view = ga_batch_view_new (NULL, batch, NULL, NULL);
  gtk_window_present (GTK_WINDOW (view));
  spin_for (300);

  started = g_get_monotonic_time ();
  ga_list_parse_async (bytes, "contacts.csv", GA_LIST_FORMAT_AUTO, -1, NULL, parse_done_cb,
                       &list);
  while (list == NULL)
    g_main_context_iteration (NULL, TRUE);
  parsed = g_get_monotonic_time ();
  ga_batch_set_list (batch, list);
  filled = g_get_monotonic_time ();
  gtk_test_widget_wait_for_draw (GTK_WIDGET (view));

  g_print ("Opening a 100,000-line CSV: %u chats in the grid after %.0f ms (parse in a worker "
           "thread %.0f ms, filling the model on the main thread %.0f ms), drawn after %.0f ms\n",
           ga_batch_get_n_chats (batch), (filled - started) / 1000.0,
           (parsed - started) / 1000.0, (filled - parsed) / 1000.0,
           (g_get_monotonic_time () - started) / 1000.0);
  g_print ("RESULT batch-open ms %.0f parse %.0f fill %.0f\n", (filled - started) / 1000.0,
           (parsed - started) / 1000.0, (filled - parsed) / 1000.0);

  g_object_unref (list);
  gtk_window_destroy (GTK_WINDOW (view));
}

static gboolean
wants (const char *part)
{
  g_auto(GStrv) names = NULL;

  if (parts == NULL)
    return TRUE;

  names = g_strsplit (parts, ",", -1);
  return g_strv_contains ((const char * const *) names, part);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the batch benchmark");
  g_autoptr(GError) error = NULL;
  GaBenchRelay *api_relay = NULL;   /* kept for the whole run */
  GaBenchRelay *image_relay = NULL; /* kept for the whole run */
  g_autofree char *image_origin = NULL;
  Net net = { 0 };

  ga_bench_init_like_app ();
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  gtk_init ();
  adw_init ();

  net.servers = ga_bench_servers_new ();
  api_relay = ga_bench_relay_new (ga_bench_servers_get_api_port (net.servers),
                                  rtt_ms * G_TIME_SPAN_MILLISECOND, &error);
  image_relay = api_relay != NULL
                  ? ga_bench_relay_new (ga_bench_servers_get_image_port (net.servers),
                                        rtt_ms * G_TIME_SPAN_MILLISECOND, &error)
                  : NULL;
  if (image_relay == NULL)
    g_error ("%s", error->message);

  net.api_url = g_strdup_printf ("https://127.0.0.1:%u", ga_bench_relay_get_port (api_relay));
  image_origin = g_strdup_printf ("https://127.0.0.1:%u", ga_bench_relay_get_port (image_relay));
  ga_bench_servers_set_image_origin (net.servers, image_origin);
  net.session = ga_bench_session_new ();
  net.directory = g_dir_make_tmp ("ga-bench-batch-XXXXXX", &error);
  if (net.directory == NULL)
    g_error ("%s", error->message);

  /* As the application does at start: TLS is loaded in a worker thread, not by the first
   * connection on the main thread. */
  {
    gboolean warm = FALSE;

    ga_http_warm_up_tls_async (NULL, warm_up_cb, &warm);
    while (!warm)
      g_main_context_iteration (NULL, TRUE);
  }

  if (wants ("memory"))
    memory (&net);
  if (wants ("open"))
    open_large (&net);
  if (wants ("rebind"))
    rebind (&net);
  if (wants ("stalls"))
    stalls (&net);
  if (wants ("throughput"))
    throughput (&net);

  ga_bench_remove_tree (net.directory);
  g_free (net.directory);
  g_free (net.api_url);
  g_object_unref (net.session);

  return EXIT_SUCCESS;
}
