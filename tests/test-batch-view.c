/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-batch-view.h"
#include "ga-http.h"
#include "ga-list-parser.h"
#include "ga-test-server.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

/* The batch window under Xvfb, against the loopback GREEN-API: what a person sees. Set
 * GA_TEST_SCREENSHOT_DIR to keep a PNG of each state. */

#define WAIT_MS 20000

typedef struct
{
  GaTestServer  *server;      /* (owned) */
  SoupSession   *session;     /* (owned) */
  GaCredentials *credentials; /* (owned) */
  GaCache       *cache;       /* (owned) */
  GaBatch       *batch;       /* (owned) */
  GaBatchView   *view;        /* (owned) */
  char          *dir;         /* (owned) */
  guint          n_images;
  guint          colour;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *cache_dir = NULL;
  g_autofree char *state_file = NULL;

  fixture->dir = g_dir_make_tmp ("test-batch-view-XXXXXX", NULL);
  cache_dir = g_build_filename (fixture->dir, "cache", NULL);
  state_file = g_build_filename (fixture->dir, "batch.json", NULL);

  fixture->server = ga_test_server_new ();
  fixture->session = ga_http_session_new ();
  fixture->credentials = ga_credentials_new_for_demo (ga_test_server_get_url (fixture->server),
                                                      GA_TEST_ID_INSTANCE, GA_TEST_TOKEN);
  fixture->cache = ga_cache_new (cache_dir, 64 * 1024 * 1024, 16 * 1024 * 1024);
  fixture->batch = ga_batch_new (fixture->cache, state_file);
  g_object_set (fixture->batch, "max-parallel", 1, "retry-delay-ms", 1, NULL);
  fixture->view = g_object_ref_sink (ga_batch_view_new (NULL, fixture->batch,
                                                        fixture->credentials,
                                                        fixture->session));
  gtk_window_set_default_size (GTK_WINDOW (fixture->view), 820, 640);
  gtk_window_present (GTK_WINDOW (fixture->view));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->view));
  g_clear_object (&fixture->view);
  g_clear_object (&fixture->batch);
  g_clear_object (&fixture->cache);
  g_clear_object (&fixture->credentials);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->server, ga_test_server_free);
  ga_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  const char *dir = g_getenv ("GA_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width;
  int height;

  if (dir == NULL)
    return;

  ga_batch_view_update_now (fixture->view);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->view));
  /* Thumbnails are decoded in a worker thread: let them arrive and be drawn. */
  for (guint i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->view));

  width = gtk_widget_get_width (GTK_WIDGET (fixture->view));
  height = gtk_widget_get_height (GTK_WIDGET (fixture->view));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (fixture->view));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (fixture->view)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  filename = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, filename, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static GBytes *
make_image (guint32 rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 640);
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, rgba);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

static void
expect_picture (Fixture *fixture)
{
  static const guint32 colours[] = { 0x25d366ff, 0x3584e4ff, 0xe66100ff, 0x9141acff };
  g_autofree char *path = g_strdup_printf ("/img/v/t61/%u_n.jpg", ++fixture->n_images);
  g_autofree char *json = g_strdup_printf ("{\"urlAvatar\": \"%s%s?oh=00_Sig&oe=7FFFFFFF\", "
                                           "\"available\": true}",
                                           ga_test_server_get_url (fixture->server), path);
  g_autoptr(GBytes) image = make_image (colours[fixture->colour++ % G_N_ELEMENTS (colours)]);

  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
  ga_test_reply_set_body_bytes (ga_test_server_expect (fixture->server, path), "image/jpeg",
                                image);
}

static void
expect_answer (Fixture    *fixture,
               guint       status,
               const char *json)
{
  ga_test_server_expect_api (fixture->server, "getAvatar", status, json);
}

#define PRIVATE "{\"urlAvatar\": \"\", \"available\": false}"
#define NOT_SET "{\"urlAvatar\": \"\", \"available\": true}"
#define INVALID "{\"statusCode\": 400, \"message\": \"Validation failed. Details: chatId\"}"

static guint
n_shown (Fixture *fixture)
{
  while (ga_batch_view_is_filtering (fixture->view))
    g_main_context_iteration (NULL, TRUE);

  return ga_batch_view_get_n_shown (fixture->view);
}

static void
wait_for_done (Fixture *fixture,
               guint    n_done)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (ga_batch_get_n_done (fixture->batch) < n_done)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static void
wait_for_state (Fixture      *fixture,
                GaBatchState  state)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (ga_batch_get_state (fixture->batch) != state)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static void
set_list (Fixture    *fixture,
          const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaList) list = ga_list_parse_text (text, &error);

  g_assert_no_error (error);
  ga_batch_set_list (fixture->batch, list);
}

#define LIST \
  "phone,name\n" \
  "79001230001,Анна Петрова\n" \
  "79001230002,Boris\n" \
  "79001230003,=HYPERLINK(\"http://x\")\n" \
  "79001230004,@SUM(1+1)\n" \
  "79001230005,\n" \
  "79001230006,Carla\n" \
  "79001230007,Dmitri\n" \
  "79001230008,Eve\n" \
  "not a number,Nobody\n"

static void
run_seven (Fixture *fixture)
{
  set_list (fixture, LIST);
  expect_picture (fixture);
  expect_picture (fixture);
  expect_answer (fixture, 200, PRIVATE);
  expect_answer (fixture, 200, NOT_SET);
  expect_answer (fixture, 400, INVALID);
  expect_picture (fixture);
  expect_answer (fixture, 200, PRIVATE);
  /* The last one hangs, so the batch is caught running. */
  ga_test_reply_set_hang (ga_test_server_expect_api (fixture->server, "getAvatar", 200, "{}"));

  ga_batch_view_start (fixture->view);
  wait_for_done (fixture, 7);
  ga_batch_view_update_now (fixture->view);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_EMPTY);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->view));
  g_assert_false (gtk_widget_get_mapped (ga_batch_view_get_grid (fixture->view)));
  save_screenshot (fixture, "batch-empty");
}

static void
test_running (Fixture       *fixture,
              gconstpointer  user_data)
{
  run_seven (fixture);

  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_RUNNING);
  g_assert_cmpstr (ga_batch_view_get_progress_text (fixture->view), ==, "7 of 8");
  g_assert_cmpstr (ga_batch_view_get_filter_label (fixture->view, -1), ==, "All (8)");
  g_assert_cmpstr (ga_batch_view_get_filter_label (fixture->view, GA_BATCH_STATUS_PICTURE), ==,
                   "Pictures (3)");
  g_assert_cmpstr (ga_batch_view_get_filter_label (fixture->view, GA_BATCH_STATUS_PRIVATE), ==,
                   "Private (2)");
  g_assert_cmpstr (ga_batch_view_get_filter_label (fixture->view, GA_BATCH_STATUS_NOT_SET), ==,
                   "Not Set (1)");
  g_assert_cmpstr (ga_batch_view_get_filter_label (fixture->view, GA_BATCH_STATUS_FAILED), ==,
                   "Failed (1)");
  g_assert_nonnull (strstr (ga_batch_view_get_status_text (fixture->view), "1 entry"));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->view));
  g_assert_true (gtk_widget_get_mapped (ga_batch_view_get_grid (fixture->view)));
  save_screenshot (fixture, "batch-running");

  /* Pause: nothing new starts; the status says so. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.pause", NULL);
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_PAUSED);
  ga_batch_view_update_now (fixture->view);
  g_assert_true (g_str_has_prefix (ga_batch_view_get_status_text (fixture->view), "Paused"));
  save_screenshot (fixture, "batch-paused");

  /* Filters. */
  ga_batch_view_set_filter (fixture->view, GA_BATCH_STATUS_PICTURE);
  g_assert_cmpuint (n_shown (fixture), ==, 3);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->view));
  g_assert_true (gtk_widget_get_mapped (ga_batch_view_get_grid (fixture->view)));
  save_screenshot (fixture, "batch-filtered");
  ga_batch_view_set_filter (fixture->view, GA_BATCH_STATUS_FAILED);
  g_assert_cmpuint (n_shown (fixture), ==, 1);
  ga_batch_view_set_filter (fixture->view, GA_BATCH_STATUS_NOT_SET);
  g_assert_cmpuint (n_shown (fixture), ==, 1);
  ga_batch_view_set_filter (fixture->view, -1);
  g_assert_cmpuint (n_shown (fixture), ==, 8);

  /* Stop cancels the hanging lookup; Resume finishes the batch. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.stop", NULL);
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_STOPPED);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  expect_answer (fixture, 200, NOT_SET);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.start", NULL);
  wait_for_state (fixture, GA_BATCH_STATE_FINISHED);
  ga_batch_view_update_now (fixture->view);
  g_assert_cmpstr (ga_batch_view_get_progress_text (fixture->view), ==, "8 of 8");
  g_assert_cmpstr (ga_batch_view_get_filter_label (fixture->view, GA_BATCH_STATUS_NOT_SET), ==,
                   "Not Set (2)");
  save_screenshot (fixture, "batch-finished");
  ga_test_server_assert_done (fixture->server);
}

/* The columns the grid shows (each as wide as its width divided by their number), and how
 * many cards it holds. */
static guint
shown_columns (GtkWidget *grid,
               guint     *n_cards)
{
  double card_width = 0;

  *n_cards = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (grid); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_visible (child))
        continue;
      (*n_cards)++;
      if (card_width == 0 && gtk_widget_compute_bounds (child, grid, &bounds))
        card_width = bounds.size.width;
    }

  g_assert_cmpfloat (card_width, >, 0);
  return (guint) (gtk_widget_get_width (grid) / card_width + 0.5);
}

static void
draw_a_few_times (Fixture *fixture)
{
  for (guint i = 0; i < 5; i++)
    {
      gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->view));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

/* GTK 4.8's grid keeps its maximum of columns times 30 rows of cards bound: the view keeps
 * that maximum at the columns that fit, which the grid shows as it did with the template's
 * 12, and binds far fewer cards. */
static void
test_columns (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GaList) list = NULL;
  GtkWidget *grid = ga_batch_view_get_grid (fixture->view);
  guint fitted, columns, n_cards, n_cards_12;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (text, "7900%07u\n", i);
  list = ga_list_parse_text (text->str, &error);
  g_assert_no_error (error);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_view_update_now (fixture->view);
  draw_a_few_times (fixture);

  fitted = gtk_grid_view_get_max_columns (GTK_GRID_VIEW (grid));
  columns = shown_columns (grid, &n_cards);
  g_assert_cmpuint (fitted, <, 12);
  g_assert_cmpuint (columns, ==, fitted);
  g_assert_cmpuint (n_cards, <=, fitted * 32 + 1);
  save_screenshot (fixture, "batch-columns");

  /* The template's maximum shows the same columns, with more cards bound. */
  gtk_grid_view_set_max_columns (GTK_GRID_VIEW (grid), 12);
  draw_a_few_times (fixture);
  g_assert_cmpuint (shown_columns (grid, &n_cards_12), ==, columns);
  g_assert_cmpuint (n_cards_12, >, n_cards);

  /* A wider window: more columns fit, and the maximum follows. */
  gtk_grid_view_set_max_columns (GTK_GRID_VIEW (grid), fitted);
  gtk_window_set_default_size (GTK_WINDOW (fixture->view), 1200, 640);
  draw_a_few_times (fixture);
  g_assert_cmpuint (gtk_grid_view_get_max_columns (GTK_GRID_VIEW (grid)), >, fitted);
  g_assert_cmpuint (shown_columns (grid, &n_cards),
                    ==, gtk_grid_view_get_max_columns (GTK_GRID_VIEW (grid)));
}

static void
activated_cb (GaBatchView *view,
              const char  *chat_id,
              char       **out)
{
  g_free (*out);
  *out = g_strdup (chat_id);
}

static void
test_activate (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *activated = NULL;

  set_list (fixture, "79001230001\n79001230002\n79001230003\n");
  ga_batch_view_set_filter (fixture->view, -1);
  g_assert_cmpuint (n_shown (fixture), ==, 3);
  g_signal_connect (fixture->view, "chat-activated", G_CALLBACK (activated_cb), &activated);

  /* What a click or Enter on the second card does. */
  g_signal_emit_by_name (ga_batch_view_get_grid (fixture->view), "activate", 1);
  g_assert_cmpstr (activated, ==, "79001230002@c.us");
}

static gboolean
file_exists (const char *path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_export (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *folder_path = g_build_filename (fixture->dir, "export", NULL);
  g_autofree char *csv_path = g_build_filename (folder_path, "avatars.csv", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 deadline;
  guint n_lines = 0;

  run_seven (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.stop", NULL);

  g_mkdir_with_parents (folder_path, 0700);
  ga_batch_view_export_to (fixture->view, folder);
  deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (!file_exists (csv_path))
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }

  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0' && *lines[i] != '\r')
      n_lines++;

  /* A header and one row per entry, the rejected one included. */
  g_assert_cmpuint (n_lines, ==, 1 + 9);
  g_assert_nonnull (strstr (csv, "Анна Петрова"));
  g_assert_nonnull (strstr (csv, "'=HYPERLINK"));
  g_assert_nonnull (strstr (csv, "'@SUM"));
  g_assert_nonnull (strstr (csv, "79001230001.jpg"));
  g_assert_nonnull (strstr (csv, "not a number"));
  g_assert_true (file_exists (folder_path));
  {
    g_autofree char *picture = g_build_filename (folder_path, "79001230006.jpg", NULL);

    g_assert_true (file_exists (picture));
  }
}

/* The question of ga_alert_present(): an AdwAlertDialog in the window (libadwaita >= 1.5) or
 * an AdwMessageDialog of its own. */
static GObject *
find_alert (GaBatchView *view)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  AdwDialog *dialog = adw_window_get_visible_dialog (ADW_WINDOW (view));

  G_GNUC_END_IGNORE_DEPRECATIONS
  return dialog != NULL ? G_OBJECT (dialog) : NULL;
#else
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
#endif
}

static void
alert_respond (GObject    *dialog,
               const char *response)
{
  g_signal_emit_by_name (dialog, "response", response);
#if ADW_CHECK_VERSION (1, 5, 0)
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  adw_dialog_force_close (ADW_DIALOG (dialog));
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  gtk_window_destroy (GTK_WINDOW (dialog));
#endif
}

/* Exporting again over a changed avatars.csv asks first; Replace writes it again. */
static void
test_export_replace (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *folder_path = g_build_filename (fixture->dir, "export", NULL);
  g_autofree char *csv_path = g_build_filename (folder_path, "avatars.csv", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autofree char *csv = NULL;
  GObject *dialog = NULL;
  g_autofree char *body = NULL;
  gint64 deadline;

  run_seven (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.stop", NULL);

  g_mkdir_with_parents (folder_path, 0700);
  g_assert_true (g_file_set_contents (csv_path, "other contents\n", -1, NULL));
  ga_batch_view_export_to (fixture->view, folder);
  deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while ((dialog = find_alert (fixture->view)) == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_object_get (dialog, "body", &body, NULL);
  g_assert_nonnull (strstr (body, "Replacing them overwrites"));
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_cmpstr (csv, ==, "other contents\n");
  g_clear_pointer (&csv, g_free);

  alert_respond (dialog, "replace");
  deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  for (;;)
    {
      g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
      if (strstr (csv, "79001230001.jpg") != NULL)
        break;
      g_clear_pointer (&csv, g_free);
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_assert_null (find_alert (fixture->view));
}

static void
wait_for_page (Fixture    *fixture,
               const char *page)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (g_strcmp0 (ga_batch_view_get_page (fixture->view), page) != 0)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* A pasted list: separated every way the parser knows, one entry left out with its line and
 * why; parsed off the main thread, then started. */
static void
test_paste (Fixture       *fixture,
            gconstpointer  user_data)
{
  GtkTextBuffer *buffer = ga_batch_view_get_paste_buffer (fixture->view);
  const char *rejected;

  g_assert_cmpstr (ga_batch_view_get_page (fixture->view), ==, "empty");
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.paste", NULL);
  g_assert_cmpstr (ga_batch_view_get_page (fixture->view), ==, "paste");

  /* Nothing typed: nothing happens but a toast. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.look-up", NULL);
  g_assert_cmpstr (ga_batch_view_get_page (fixture->view), ==, "paste");

  gtk_text_buffer_set_text (buffer, "79001230001; 79001230002\tnot-a-number\n"
                                    "+7 900 123-00-03, 79001230004\n", -1);
  save_screenshot (fixture, "batch-paste");

  expect_answer (fixture, 200, NOT_SET);
  expect_answer (fixture, 200, NOT_SET);
  expect_answer (fixture, 200, PRIVATE);
  expect_answer (fixture, 200, NOT_SET);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.look-up", NULL);
  wait_for_page (fixture, "grid");
  g_assert_cmpuint (ga_batch_get_n_chats (fixture->batch), ==, 4);
  g_assert_cmpuint (ga_batch_get_n_rejected (fixture->batch), ==, 1);
  wait_for_state (fixture, GA_BATCH_STATE_FINISHED);
  g_assert_cmpuint (ga_batch_get_count (fixture->batch, GA_BATCH_STATUS_PRIVATE), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.show-rejected", NULL);
  rejected = ga_batch_view_get_rejected_text (fixture->view);
  g_assert_nonnull (rejected);
  g_assert_true (g_str_has_prefix (rejected, "Line 1: “not-a-number”: "));
  g_assert_null (strstr (rejected, "7900123"));
  ga_test_server_assert_done (fixture->server);
}

/* Ctrl+V in the empty window puts the clipboard's text on the paste page. */
static void
test_paste_clipboard (Fixture       *fixture,
                      gconstpointer  user_data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->view));
  g_autofree char *text = NULL;

  gdk_clipboard_set_text (clipboard, "79001230001\n79001230002\n");
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.paste-clipboard", NULL);
  wait_for_page (fixture, "paste");
  text = buffer_text (ga_batch_view_get_paste_buffer (fixture->view));
  g_assert_cmpstr (text, ==, "79001230001\n79001230002\n");

  /* Cancel goes back to the empty window, the batch untouched. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.paste-cancel", NULL);
  g_assert_cmpstr (ga_batch_view_get_page (fixture->view), ==, "empty");
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_EMPTY);

  /* With a list, Ctrl+V is not the window's. */
  set_list (fixture, "79001230001\n");
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.paste-clipboard", NULL);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (ga_batch_view_get_page (fixture->view), ==, "grid");
}

/* A CSV with two columns of numbers and no header: the view asks which, shows the first rows,
 * and reads the file again with the chosen column. Nothing starts before the choice. */
static void
test_column_choice (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "two.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GaBatchItem) first = NULL;
  GtkDropDown *choice = NULL;
  GListModel *strings;
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  g_assert_true (g_file_set_contents (path, "74951234567,79001234567\n"
                                            "74951234568,79001234568\n", -1, NULL));
  ga_batch_view_open_file (fixture->view, file);
  while ((choice = ga_batch_view_get_column_choice (fixture->view)) == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_READY);
  strings = gtk_drop_down_get_model (choice);
  g_assert_cmpuint (g_list_model_get_n_items (strings), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (strings), 0), ==,
                   "Column 1: 74951234567, 74951234568");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (strings), 1), ==,
                   "Column 2: 79001234567, 79001234568");
  save_screenshot (fixture, "batch-column");

  gtk_drop_down_set_selected (choice, 1);
  while (TRUE)
    {
      g_clear_object (&first);
      first = g_list_model_get_item (ga_batch_get_model (fixture->batch), 0);
      if (first != NULL && g_strcmp0 (ga_batch_item_get_chat_id (first), "79001234567@c.us") == 0)
        break;
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_READY);
  g_assert_nonnull (ga_batch_view_get_column_choice (fixture->view));

  /* Start: the choice is made and goes away. */
  expect_answer (fixture, 200, NOT_SET);
  expect_answer (fixture, 200, NOT_SET);
  ga_batch_view_start (fixture->view);
  wait_for_state (fixture, GA_BATCH_STATE_FINISHED);
  ga_batch_view_update_now (fixture->view);
  g_assert_null (ga_batch_view_get_column_choice (fixture->view));
}

/* The saved batch, read after the window opened, comes with an offer to resume it. */
static void
test_resume_offer (Fixture       *fixture,
                   gconstpointer  user_data)
{
  ga_batch_view_offer_resume (fixture->view);
  g_assert_null (ga_batch_view_get_resume_text (fixture->view));  /* nothing to resume */

  set_list (fixture, "79001230001\n79001230002\n");
  ga_batch_view_offer_resume (fixture->view);
  g_assert_cmpstr (ga_batch_view_get_resume_text (fixture->view), ==,
                   "The last batch is back: 0 of 2 looked up.");
  g_assert_true (gtk_widget_is_visible (ga_batch_view_get_grid (fixture->view)));
}

static void
test_russian (Fixture       *fixture,
              gconstpointer  user_data)
{
  if (g_strcmp0 (g_getenv ("LANGUAGE"), "ru") != 0)
    {
      g_test_skip ("Run with LANGUAGE=ru (the test-batch-view-ru variant)");
      return;
    }

  run_seven (fixture);
  g_assert_cmpstr (ga_batch_view_get_progress_text (fixture->view), ==, "7 из 8");
  g_assert_true (g_str_has_prefix (ga_batch_view_get_filter_label (fixture->view, -1), "Все"));
  save_screenshot (fixture, "batch-russian");
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "batch.stop", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = ga_test_make_home ("batch-view");
  g_autofree char *localedir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);

  /* Accessible names are recorded, not sent to a screen reader. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  /* The translations as built, for the run with LANGUAGE=ru. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/green-avatar/batch-view/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)

  ADD ("empty", test_empty);
  ADD ("running", test_running);
  ADD ("columns", test_columns);
  ADD ("activate", test_activate);
  ADD ("export", test_export);
  ADD ("export-replace", test_export_replace);
  ADD ("paste", test_paste);
  ADD ("paste-clipboard", test_paste_clipboard);
  ADD ("column-choice", test_column_choice);
  ADD ("resume-offer", test_resume_offer);
  ADD ("russian", test_russian);

#undef ADD

  return g_test_run ();
}
