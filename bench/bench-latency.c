/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "bench-latency"

#include "config.h"

#include "ga-bench-net.h"

#include "ga-cache.h"
#include "ga-client.h"
#include "ga-http.h"
#include "ga-image.h"
#include "ga-lookup.h"

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Lookup latency over an emulated network: Green Avatar's lookup (cold, cold with the image
 * host preconnected, after start-up preconnects, warm, cached) beside the same getAvatar
 * call and download done by curl (two processes, as a shell script would) and by the
 * official JavaScript SDK plus node's https. Every figure is a median of --rounds runs,
 * given in milliseconds and in round trips.
 */

static int rtt_ms = 50;
static int rounds = 7;
static char *js_dir = NULL;
static int js_processes = 5;

static GOptionEntry entries[] = {
  { "rtt-ms", 0, 0, G_OPTION_ARG_INT, &rtt_ms, "Emulated round-trip time", "MS" },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Runs per figure", "N" },
  { "js-dir", 0, 0, G_OPTION_ARG_FILENAME, &js_dir,
    "Directory with node_modules/@green-api/whatsapp-api-client and bench-sdk.js", "DIR" },
  { "js-processes", 0, 0, G_OPTION_ARG_INT, &js_processes, "Node processes (cold runs)", "N" },
  { NULL }
};

typedef struct
{
  GaBenchServers *servers;
  GaBenchRelay   *api_relay;
  GaBenchRelay   *image_relay;
  char           *api_url;      /* (owned) */
  char           *image_origin; /* (owned) */
  guint           next_chat;
} Bench;

typedef struct
{
  const char *name;
  GArray     *ms;              /* (owned) of double; NULL: not measured */
  double      connections;     /* new connections per run (mean), both hosts */
  double      image_connections; /* of which to the image host */
  const char *note;
} Row;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* A distinct personal chat each time, so nothing upstream could answer from a cache. */
static char *
next_chat (Bench *bench)
{
  return g_strdup_printf ("7900%07u@c.us", ++bench->next_chat);
}

static guint
image_connections (Bench *bench)
{
  return ga_bench_relay_get_connections (bench->image_relay);
}

static guint
relay_connections (Bench *bench)
{
  return ga_bench_relay_get_connections (bench->api_relay) +
         ga_bench_relay_get_connections (bench->image_relay);
}

static void
set_true (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Runs the main loop for @ms: lets a dropped session's connections close before the next
 * run starts, or handshakes finish. */
static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add_once (ms, set_true, &done);
  ga_bench_wait_for (&done);
}

static GaClient *
client_new (Bench       *bench,
            SoupSession *session)
{
  return ga_client_new (session, bench->api_url, GA_BENCH_ID_INSTANCE, GA_BENCH_TOKEN);
}

/* One lookup to a picture, in ms; keeps the result for the cache figures. */
static double
timed_lookup (Bench           *bench,
              GaClient        *client,
              GaCache         *cache,
              GaLookupResult **out_result)
{
  g_autofree char *chat = next_chat (bench);
  g_autoptr(GaLookupResult) result = NULL;
  g_autoptr(GError) error = NULL;
  double start = now_ms ();
  double elapsed;

  result = ga_bench_lookup (client, cache, chat, &error);
  elapsed = now_ms () - start;
  if (result == NULL || ga_lookup_result_get_texture (result) == NULL)
    g_error ("A bench lookup failed: %s", error != NULL ? error->message : "no picture");

  if (out_result != NULL)
    *out_result = g_steal_pointer (&result);

  return elapsed;
}

typedef enum
{
  COLD_NOTHING_KNOWN,
  COLD_IMAGE_HOST_KNOWN,
  AFTER_STARTUP,
} ColdKind;

static void
measure_cold (Bench    *bench,
              ColdKind  kind,
              Row      *row)
{
  guint connections = 0;
  guint images = 0;

  row->ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < rounds; i++)
    {
      g_autoptr(SoupSession) session = ga_bench_session_new ();
      g_autoptr(GaClient) client = client_new (bench, session);
      g_autoptr(GaCache) cache = NULL;
      g_autofree char *directory = g_dir_make_tmp ("ga-bench-cold-XXXXXX", NULL);
      guint before = relay_connections (bench);
      guint images_before = image_connections (bench);
      double ms;

      /* A new cache each time: no picture is known. What the app remembers from last time
       * is only the image host ("image-origin", kept in GSettings). */
      cache = ga_cache_new (directory, GA_CACHE_DEFAULT_DISK_BYTES,
                            GA_CACHE_DEFAULT_MEMORY_BYTES);
      if (kind != COLD_NOTHING_KNOWN)
        ga_cache_set_image_origin (cache, bench->image_origin);

      if (kind == AFTER_STARTUP)
        {
          /* The app connects to the API host at start-up and to the last image host; the
           * person then types a chat ID, which takes longer than the handshakes. */
          ga_http_preconnect (session, bench->api_url, NULL);
          ga_http_preconnect (session, bench->image_origin, NULL);
          settle (4 * rtt_ms + 50);
        }

      /* With an image origin, the lookup itself connects to it while getAvatar is on its way. */
      ms = timed_lookup (bench, client, cache, NULL);
      g_array_append_val (row->ms, ms);
      connections += relay_connections (bench) - before;
      images += image_connections (bench) - images_before;

      g_clear_object (&client);
      g_clear_object (&session);
      settle (rtt_ms + 20);
      g_clear_object (&cache);
      ga_bench_remove_tree (directory);
    }

  row->connections = (double) connections / rounds;
  row->image_connections = (double) images / rounds;
}

static void
measure_warm (Bench           *bench,
              Row             *row,
              GaLookupResult **last)
{
  g_autoptr(SoupSession) session = ga_bench_session_new ();
  g_autoptr(GaClient) client = client_new (bench, session);
  g_autofree char *directory = g_dir_make_tmp ("ga-bench-warm-XXXXXX", NULL);
  g_autoptr(GaCache) cache = ga_cache_new (directory, GA_CACHE_DEFAULT_DISK_BYTES,
                                           GA_CACHE_DEFAULT_MEMORY_BYTES);
  guint before, images_before;

  row->ms = g_array_new (FALSE, FALSE, sizeof (double));

  /* The first lookup opens the connections; the measured ones (other chats, so no cache
   * hit) reuse them. */
  timed_lookup (bench, client, cache, NULL);
  before = relay_connections (bench);
  images_before = image_connections (bench);

  for (int i = 0; i < rounds; i++)
    {
      double ms;

      g_clear_object (last);
      ms = timed_lookup (bench, client, cache, last);
      g_array_append_val (row->ms, ms);
    }

  row->connections = (double) (relay_connections (bench) - before) / rounds;
  row->image_connections = (double) (image_connections (bench) - images_before) / rounds;

  g_clear_object (&client);
  g_clear_object (&cache);
  settle (50);
  ga_bench_remove_tree (directory);
}

typedef struct
{
  gboolean done;
  double at_ms;
} CardWaiter;

static void
card_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CardWaiter *waiter = user_data;
  g_autoptr(GaContactInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = ga_client_get_contact_info_finish (GA_CLIENT (object), result, &error);
  if (info == NULL)
    g_error ("A bench card failed: %s", error->message);

  waiter->at_ms = now_ms ();
  waiter->done = TRUE;
}

/* The window's lookup with a warm connection: getAvatar and the contact card (getContactInfo)
 * start together, as ga-window.c does; the figure is the picture's time, the card's own time
 * goes into @card_row. Run right after measure_warm(), so the ratio of the two medians says
 * what the card costs the picture. */
static void
measure_warm_with_card (Bench *bench,
                        Row   *row,
                        Row   *card_row)
{
  g_autoptr(SoupSession) session = ga_bench_session_new ();
  g_autoptr(GaClient) client = client_new (bench, session);
  g_autofree char *directory = g_dir_make_tmp ("ga-bench-card-XXXXXX", NULL);
  g_autoptr(GaCache) cache = ga_cache_new (directory, GA_CACHE_DEFAULT_DISK_BYTES,
                                           GA_CACHE_DEFAULT_MEMORY_BYTES);
  guint before, images_before;

  row->ms = g_array_new (FALSE, FALSE, sizeof (double));
  card_row->ms = g_array_new (FALSE, FALSE, sizeof (double));

  /* Warm up both requests' connections, as a window that has shown a card before. */
  {
    CardWaiter waiter = { FALSE, 0 };
    g_autofree char *chat = next_chat (bench);

    ga_client_get_contact_info_async (client, chat, NULL, card_cb, &waiter);
    timed_lookup (bench, client, cache, NULL);
    ga_bench_wait_for (&waiter.done);
  }
  before = relay_connections (bench);
  images_before = image_connections (bench);

  for (int i = 0; i < rounds; i++)
    {
      CardWaiter waiter = { FALSE, 0 };
      g_autofree char *chat = g_strdup_printf ("7900%07u@c.us", bench->next_chat + 1);
      double start = now_ms ();
      double ms;
      double card_ms;

      ga_client_get_contact_info_async (client, chat, NULL, card_cb, &waiter);
      ms = timed_lookup (bench, client, cache, NULL);
      ga_bench_wait_for (&waiter.done);
      card_ms = waiter.at_ms - start;
      g_array_append_val (row->ms, ms);
      g_array_append_val (card_row->ms, card_ms);
    }

  row->connections = (double) (relay_connections (bench) - before) / rounds;
  row->image_connections = (double) (image_connections (bench) - images_before) / rounds;
  card_row->note = "the card's own answer, beside the picture";

  g_clear_object (&client);
  g_clear_object (&cache);
  settle (50);
  ga_bench_remove_tree (directory);
}

/* How much of a lookup is decoding (in a worker thread, like the lookup's). */
static void
measure_decode (Bench *bench,
                Row   *row)
{
  row->ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < rounds; i++)
    {
      g_autoptr(GdkTexture) texture = NULL;
      g_autoptr(GError) error = NULL;
      double start = now_ms (), ms;

      texture = ga_image_decode (ga_bench_servers_get_jpeg (bench->servers),
                                 GA_IMAGE_MAX_DIMENSION, &error);
      ms = now_ms () - start;
      if (texture == NULL)
        g_error ("Could not decode the bench picture: %s", error->message);
      g_array_append_val (row->ms, ms);
    }

  row->connections = -1;
}

/* What libsoup does for each new TLS connection once TCP is up, in the thread that sends the
 * request (the network thread; the main thread before it): make the GTlsClientConnection
 * (glib-networking loads the system's trust store into it) and give it the session's
 * database. The relay hides this behind the emulated TCP handshake (see README.md,
 * Performance); on a real network it comes on top, once per new connection. */
static void
measure_tls_setup (Row *row)
{
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ga_bench_cert_file (), NULL);

  row->ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < rounds; i++)
    {
      g_autoptr(GInputStream) input = g_memory_input_stream_new ();
      g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
      g_autoptr(GIOStream) base = g_simple_io_stream_new (input, output);
      g_autoptr(GIOStream) tls = NULL;
      g_autoptr(GError) error = NULL;
      double start = now_ms (), ms;

      tls = g_tls_client_connection_new (base, NULL, &error);
      if (tls == NULL)
        g_error ("Could not make a TLS connection: %s", error->message);
      g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
      ms = now_ms () - start;
      g_array_append_val (row->ms, ms);
    }

  row->connections = -1;
}

typedef struct
{
  gboolean        done;
  GaCachedAvatar *avatar; /* (owned) (nullable) */
  double          ms;
  double          start;
} CacheWait;

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CacheWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == ga_cache_load_chat_async)
    wait->avatar = ga_cache_load_chat_finish (GA_CACHE (object), result, &error);
  else
    wait->avatar = ga_cache_load_key_finish (GA_CACHE (object), result, &error);

  if (wait->avatar == NULL)
    g_error ("A cached picture was not found: %s", error != NULL ? error->message : "none");

  wait->ms = now_ms () - wait->start;
  wait->done = TRUE;
}

/* Request to texture: from memory (load by key, as after a lookup in this session), from
 * disk (load by chat, as at the next start of the app). */
static void
measure_cached (Bench          *bench,
                GaLookupResult *result,
                const char     *directory,
                Row            *memory_row,
                Row            *disk_row)
{
  g_autoptr(GaCache) cache = ga_cache_new (directory, GA_CACHE_DEFAULT_DISK_BYTES,
                                           GA_CACHE_DEFAULT_MEMORY_BYTES);
  GaAvatarInfo *info = ga_lookup_result_get_info (result);
  g_autofree char *key = ga_cache_key_for_url (ga_avatar_info_get_url (info));

  ga_bench_cache_store (cache, result);

  memory_row->ms = g_array_new (FALSE, FALSE, sizeof (double));
  disk_row->ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < rounds; i++)
    {
      CacheWait wait = { FALSE, NULL, 0, now_ms () };

      ga_cache_load_key_async (cache, key, NULL, load_cb, &wait);
      ga_bench_wait_for (&wait.done);
      g_array_append_val (memory_row->ms, wait.ms);
      g_clear_pointer (&wait.avatar, ga_cached_avatar_unref);
    }

  for (int i = 0; i < rounds; i++)
    {
      /* A new cache object has nothing in memory, like the app after a restart. */
      g_autoptr(GaCache) fresh = ga_cache_new (directory, GA_CACHE_DEFAULT_DISK_BYTES,
                                               GA_CACHE_DEFAULT_MEMORY_BYTES);
      CacheWait wait = { FALSE, NULL, 0, now_ms () };

      ga_cache_load_chat_async (fresh, ga_avatar_info_get_chat_id (info), NULL, load_cb, &wait);
      ga_bench_wait_for (&wait.done);
      g_array_append_val (disk_row->ms, wait.ms);
      g_clear_pointer (&wait.avatar, ga_cached_avatar_unref);
    }
}

/* ───────────────────────── cached picture on screen ───────────────────────── */

typedef struct
{
  GtkWidget *picture;
  gboolean   painted;
  double     painted_at;
  gulong     handler;
} Screen;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  Screen *screen = user_data;

  screen->painted_at = now_ms ();
  screen->painted = TRUE;
  g_signal_handler_disconnect (clock, screen->handler);
  screen->handler = 0;
}

static void
wait_for_paint (Screen *screen)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (screen->picture);

  screen->painted = FALSE;
  screen->handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), screen);
}

typedef struct
{
  Screen   *screen;
  gboolean  loaded;
} ShowData;

static void
show_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ShowData *data = user_data;
  g_autoptr(GaCachedAvatar) avatar = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == ga_cache_load_chat_async)
    avatar = ga_cache_load_chat_finish (GA_CACHE (object), result, NULL);
  else
    avatar = ga_cache_load_key_finish (GA_CACHE (object), result, NULL);
  if (avatar == NULL)
    g_error ("A cached picture was not found");

  /* What the window does: show it, then the next frame paints it. */
  gtk_picture_set_paintable (GTK_PICTURE (data->screen->picture),
                             GDK_PAINTABLE (ga_cached_avatar_get_texture (avatar)));
  wait_for_paint (data->screen);
  data->loaded = TRUE;
}

/* Request to the frame that shows the picture, in a real GtkPicture. Between runs the picture
 * is cleared and the window idles for a random part of a frame, so the request falls
 * anywhere in the frame interval, as a person's click does. */
static void
measure_on_screen (GaLookupResult *result,
                   const char     *directory,
                   Row            *memory_row,
                   Row            *disk_row)
{
  GaAvatarInfo *info = ga_lookup_result_get_info (result);
  g_autofree char *key = ga_cache_key_for_url (ga_avatar_info_get_url (info));
  g_autoptr(GaCache) cache = ga_cache_new (directory, GA_CACHE_DEFAULT_DISK_BYTES,
                                           GA_CACHE_DEFAULT_MEMORY_BYTES);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GtkWidget *window = gtk_window_new ();
  Screen screen = { NULL, FALSE, 0, 0 };

  screen.picture = gtk_picture_new ();
  gtk_widget_set_size_request (screen.picture, 320, 320);
  gtk_window_set_child (GTK_WINDOW (window), screen.picture);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_frame_clock (screen.picture) == NULL)
    g_main_context_iteration (NULL, TRUE);
  wait_for_paint (&screen);
  ga_bench_wait_for (&screen.painted);

  memory_row->ms = g_array_new (FALSE, FALSE, sizeof (double));
  disk_row->ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < rounds; i++)
      {
        g_autoptr(GaCache) fresh = NULL;
        ShowData data = { &screen, FALSE };
        double start, ms;

        gtk_picture_set_paintable (GTK_PICTURE (screen.picture), NULL);
        wait_for_paint (&screen);
        ga_bench_wait_for (&screen.painted);
        settle (g_rand_int_range (rand, 0, 17));

        start = now_ms ();
        if (pass == 0)
          {
            ga_cache_load_key_async (cache, key, NULL, show_cb, &data);
          }
        else
          {
            fresh = ga_cache_new (directory, GA_CACHE_DEFAULT_DISK_BYTES,
                                  GA_CACHE_DEFAULT_MEMORY_BYTES);
            ga_cache_load_chat_async (fresh, ga_avatar_info_get_chat_id (info), NULL, show_cb,
                                      &data);
          }
        ga_bench_wait_for (&data.loaded);
        ga_bench_wait_for (&screen.painted);
        ms = screen.painted_at - start;
        g_array_append_val (pass == 0 ? memory_row->ms : disk_row->ms, ms);
      }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* ──────────────────────────────── baselines ──────────────────────────────── */

static gboolean
run_capture (char   **argv,
             char   **envp,
             char   **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status,
                     &error) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      /* Never echo the command line: it carries the (bench) token. */
      g_printerr ("%s failed: %s\n", argv[0], error != NULL ? error->message : err);
      return FALSE;
    }

  return TRUE;
}

/* The body and the figure "-w '\n%{time_total}'" appended to it. */
static gboolean
split_curl_output (char    *out,
                   char   **body,
                   double  *seconds)
{
  char *newline = strrchr (out, '\n');

  if (newline == NULL)
    return FALSE;

  *newline = '\0';
  *body = out;
  *seconds = g_ascii_strtod (newline + 1, NULL);
  return *seconds > 0;
}

static char *
url_from_answer (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root),
                                                               "urlAvatar", NULL));
}

/* Two curl processes, as `url=$(curl … getAvatar | jq …); curl "$url"` would run them. The
 * time is curl's own time_total of each, without starting the processes. */
static void
measure_curl (Bench *bench,
              Row   *row)
{
  g_autofree char *curl = g_find_program_in_path ("curl");
  g_autofree char *api_url = g_strdup_printf ("%s/waInstance%s/getAvatar/%s", bench->api_url,
                                              GA_BENCH_ID_INSTANCE, GA_BENCH_TOKEN);
  guint connections = 0;
  guint images = 0;

  if (curl == NULL)
    {
      row->note = "curl not installed";
      return;
    }

  row->ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < rounds; i++)
    {
      g_autofree char *chat = next_chat (bench);
      g_autofree char *data = g_strdup_printf ("{\"chatId\":\"%s\"}", chat);
      g_autofree char *out1 = NULL;
      g_autofree char *out2 = NULL;
      g_autofree char *image_url = NULL;
      char *argv1[] = { curl, "-sS", "--cacert", (char *) ga_bench_cert_file (),
                        "-H", "Content-Type: application/json", "--data", data,
                        "-w", "\n%{time_total}", api_url, NULL };
      char *argv2[] = { curl, "-sS", "--cacert", (char *) ga_bench_cert_file (),
                        "-o", "/dev/null", "-w", "\n%{time_total}", NULL, NULL };
      guint before = relay_connections (bench);
      guint images_before = image_connections (bench);
      char *body;
      double t1, t2, ms;

      if (!run_capture (argv1, NULL, &out1) || !split_curl_output (out1, &body, &t1) ||
          (image_url = url_from_answer (body)) == NULL)
        {
          row->note = "curl failed";
          g_clear_pointer (&row->ms, g_array_unref);
          return;
        }

      argv2[8] = image_url;
      if (!run_capture (argv2, NULL, &out2) || !split_curl_output (out2, &body, &t2))
        {
          row->note = "curl failed";
          g_clear_pointer (&row->ms, g_array_unref);
          return;
        }

      ms = (t1 + t2) * 1000;
      g_array_append_val (row->ms, ms);
      connections += relay_connections (bench) - before;
      images += image_connections (bench) - images_before;
    }

  row->connections = (double) connections / rounds;
  row->image_connections = (double) images / rounds;
}

/* The JavaScript SDK: each node process makes one cold and two warm lookups (the SDK's axios
 * and node's https share node's keep-alive agent), timed inside node. */
static void
measure_js (Bench *bench,
            Row   *cold_row,
            Row   *warm_row)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *script = NULL;
  g_autofree char *module = NULL;
  g_auto(GStrv) envp = NULL;
  guint cold_connections = 0;
  guint cold_images = 0;

  if (js_dir == NULL)
    {
      cold_row->note = warm_row->note = "not measured: no --js-dir (npm install failed?)";
      return;
    }

  script = g_build_filename (js_dir, "bench-sdk.js", NULL);
  module = g_build_filename (js_dir, "node_modules", "@green-api", "whatsapp-api-client", NULL);
  if (node == NULL || !g_file_test (script, G_FILE_TEST_EXISTS) ||
      !g_file_test (module, G_FILE_TEST_IS_DIR))
    {
      cold_row->note = warm_row->note = "not measured: node or the SDK is not installed";
      return;
    }

  envp = g_get_environ ();
  envp = g_environ_setenv (envp, "NODE_EXTRA_CA_CERTS", ga_bench_cert_file (), TRUE);

  cold_row->ms = g_array_new (FALSE, FALSE, sizeof (double));
  warm_row->ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int p = 0; p < js_processes; p++)
    {
      g_autofree char *first = g_strdup_printf ("7900%07u", bench->next_chat);
      char *argv[] = { node, script, bench->api_url, GA_BENCH_ID_INSTANCE, GA_BENCH_TOKEN,
                       first, "3", NULL };
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;
      guint before = relay_connections (bench);
      guint images_before = image_connections (bench);

      bench->next_chat += 3;
      if (!run_capture (argv, envp, &out))
        {
          cold_row->note = warm_row->note = "the SDK failed";
          g_clear_pointer (&cold_row->ms, g_array_unref);
          g_clear_pointer (&warm_row->ms, g_array_unref);
          return;
        }

      lines = g_strsplit (out, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonObject *object;
          double ms;
          gint64 round;

          if (lines[i][0] != '{' || !json_parser_load_from_data (parser, lines[i], -1, NULL))
            continue;
          object = json_node_get_object (json_parser_get_root (parser));
          round = json_object_get_int_member_with_default (object, "round", -1);
          ms = json_object_get_double_member_with_default (object, "ms", 0);
          g_array_append_val (round == 0 ? cold_row->ms : warm_row->ms, ms);
        }

      cold_connections += relay_connections (bench) - before;
      cold_images += image_connections (bench) - images_before;
    }

  /* Per process: one cold and two warm lookups. */
  cold_row->connections = (double) cold_connections / js_processes;
  cold_row->image_connections = (double) cold_images / js_processes;
  warm_row->connections = -1;
}

/* ───────────────────────────────── report ───────────────────────────────── */

static void
print_row (const Row *row,
           double     baseline_ms)
{
  double median;

  if (row->ms == NULL || row->ms->len == 0)
    {
      g_print ("  %-46s %s\n", row->name, row->note != NULL ? row->note : "not measured");
      return;
    }

  median = ga_bench_median (row->ms);
  g_print ("  %-46s %8.1f %6.2f %8.2f", row->name, median, median / rtt_ms,
           baseline_ms > 0 ? median / baseline_ms : 0);
  if (row->connections >= 0)
    g_print ("  %3.1f+%3.1f", row->connections - row->image_connections, row->image_connections);
  else
    g_print ("        -");
  g_print ("   [%.1f-%.1f]\n", g_array_index (row->ms, double, 0),
           g_array_index (row->ms, double, row->ms->len - 1));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- lookup latency benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GaLookupResult) last = NULL;
  g_autofree char *cache_dir = NULL;
  gboolean have_display;
  Bench bench = { 0 };
  Row cold = { .name = "Green Avatar, cold (nothing known)" };
  Row cold_pre = { .name = "Green Avatar, cold, image host preconnected" };
  Row startup = { .name = "Green Avatar, after start-up preconnects" };
  Row warm = { .name = "Green Avatar, warm (keep-alive)" };
  Row warm_card = { .name = "Green Avatar, warm, card asked beside it" };
  Row card = { .name = "  its contact card (getContactInfo)" };
  Row decode = { .name = "JPEG decode alone (part of each lookup)" };
  Row tls_setup = { .name = "TLS connection set-up, per new connection" };
  Row mem = { .name = "Green Avatar, cached in memory: texture" };
  Row disk = { .name = "Green Avatar, cached on disk: texture" };
  Row mem_screen = { .name = "Green Avatar, cached in memory: painted" };
  Row disk_screen = { .name = "Green Avatar, cached on disk: painted" };
  Row curl = { .name = "curl, two calls (baseline)" };
  Row js_cold = { .name = "JS SDK + https.get, cold" };
  Row js_warm = { .name = "JS SDK + https.get, warm (keep-alive)" };
  double baseline;

  ga_bench_init_like_app ();
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  have_display = gtk_init_check ();

  bench.servers = ga_bench_servers_new ();
  bench.api_relay = ga_bench_relay_new (ga_bench_servers_get_api_port (bench.servers),
                                        (gint64) rtt_ms * 1000, &error);
  if (bench.api_relay != NULL)
    bench.image_relay = ga_bench_relay_new (ga_bench_servers_get_image_port (bench.servers),
                                            (gint64) rtt_ms * 1000, &error);
  if (bench.image_relay == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  bench.api_url = g_strdup_printf ("https://127.0.0.1:%u",
                                   ga_bench_relay_get_port (bench.api_relay));
  bench.image_origin = g_strdup_printf ("https://127.0.0.1:%u",
                                        ga_bench_relay_get_port (bench.image_relay));
  ga_bench_servers_set_image_origin (bench.servers, bench.image_origin);

  g_print ("Lookup latency: emulated RTT %d ms on both hosts (API and image host on different "
           "ports), TLS 1.3 with certificate verification, %d-byte 640x640 JPEG, median of "
           "%d runs\n",
           rtt_ms, (int) g_bytes_get_size (ga_bench_servers_get_jpeg (bench.servers)), rounds);

  /* Warm up code paths (GnuTLS, pixbuf loaders) so the first cold figure is not the
   * process's own start-up. */
  {
    g_autoptr(SoupSession) session = ga_bench_session_new ();
    g_autoptr(GaClient) client = client_new (&bench, session);

    timed_lookup (&bench, client, NULL, NULL);
    g_clear_object (&client);
    g_clear_object (&session);
    settle (rtt_ms + 20);
  }

  measure_cold (&bench, COLD_NOTHING_KNOWN, &cold);
  measure_cold (&bench, COLD_IMAGE_HOST_KNOWN, &cold_pre);
  measure_cold (&bench, AFTER_STARTUP, &startup);
  measure_warm (&bench, &warm, &last);
  measure_warm_with_card (&bench, &warm_card, &card);
  measure_decode (&bench, &decode);
  measure_tls_setup (&tls_setup);

  cache_dir = g_dir_make_tmp ("ga-bench-cache-XXXXXX", &error);
  if (cache_dir == NULL)
    g_error ("%s", error->message);
  measure_cached (&bench, last, cache_dir, &mem, &disk);
  if (have_display)
    measure_on_screen (last, cache_dir, &mem_screen, &disk_screen);
  else
    mem_screen.note = disk_screen.note = "not measured: no display";

  measure_curl (&bench, &curl);
  measure_js (&bench, &js_cold, &js_warm);

  baseline = curl.ms != NULL ? ga_bench_median (curl.ms) : 0;

  g_print ("  %-46s %8s %6s %8s %9s   %s\n", "", "ms", "RTTs", "vs curl", "new conns", "[min-max]");
  print_row (&curl, baseline);
  print_row (&js_cold, baseline);
  print_row (&js_warm, baseline);
  print_row (&cold, baseline);
  print_row (&cold_pre, baseline);
  print_row (&startup, baseline);
  print_row (&warm, baseline);
  print_row (&warm_card, baseline);
  print_row (&card, baseline);
  print_row (&decode, baseline);
  print_row (&tls_setup, baseline);
  print_row (&mem, baseline);
  print_row (&disk, baseline);
  print_row (&mem_screen, baseline);
  print_row (&disk_screen, baseline);

  ga_bench_remove_tree (cache_dir);

  /* The card must not slow the picture down (issue 11: within 5 %). */
  if (warm.ms != NULL && warm_card.ms != NULL)
    g_print ("\n  picture with the card / without: %.3f\n",
             ga_bench_median (warm_card.ms) / ga_bench_median (warm.ms));

  /* Machine-readable lines for build-aux/run-benchmarks. */
  {
    const Row *all[] = { &curl, &js_cold, &js_warm, &cold, &cold_pre, &startup, &warm,
                         &warm_card, &card, &decode, &tls_setup, &mem, &disk, &mem_screen,
                         &disk_screen };

    for (guint i = 0; i < G_N_ELEMENTS (all); i++)
      if (all[i]->ms != NULL && all[i]->ms->len > 0)
        g_print ("RESULT latency \"%s\" %.2f ms %.2f rtt\n", all[i]->name,
                 ga_bench_median (all[i]->ms), ga_bench_median (all[i]->ms) / rtt_ms);
  }

  return EXIT_SUCCESS;
}
