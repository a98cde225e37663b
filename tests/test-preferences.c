/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-preferences-window.h"

#include "ga-http.h"
#include "ga-instance-row.h"
#include "ga-instances.h"
#include "ga-recent.h"
#include "ga-response.h"
#include "ga-secret.h"

#include "ga-test-server.h"

#include <glib/gstdio.h>
#include <string.h>

/*
 * GA_TEST_SECRET_BACKEND: unset or "file" (libsecret's file backend, set up here) or "none"
 * (no Secret Service reachable). GA_TEST_SCREENSHOT_DIR: when set, each case saves a picture
 * of the window there, to look at.
 */
static const char *backend;

#define TIMEOUT_MS 20000

typedef struct
{
  GSettings     *settings;
  GaCredentials *credentials;
  GtkWindow     *window;
  GaTestServer  *server;
  SoupSession   *session;     /* handed in: "Test Connection" uses it, no other */
} Fixture;

/* Finding what a person sees */

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
get (Fixture    *fixture,
     const char *name)
{
  GtkWidget *widget = find_named (GTK_WIDGET (fixture->window), name);

  g_assert_nonnull (widget);

  return widget;
}

static const char *
label_text (Fixture    *fixture,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (get (fixture, name)));
}

static gboolean
is_shown (Fixture    *fixture,
          const char *name)
{
  return gtk_widget_is_visible (get (fixture, name));
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
type_text (Fixture    *fixture,
           const char *row,
           const char *text)
{
  /* Like a person: focus the row, then type (an unfocused row shows no apply button). */
  gtk_widget_grab_focus (get (fixture, row));
  gtk_editable_set_text (GTK_EDITABLE (get (fixture, row)), text);
  spin ();
}

static void
apply (Fixture    *fixture,
       const char *row)
{
  /* Enter in the row, which applies like its apply button does. */
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (get (fixture, row))), "activate");
}

static void
set_flag_cb (gboolean *flag)
{
  *flag = TRUE;
}

static void
wait_for_visible (Fixture    *fixture,
                  const char *name)
{
  GtkWidget *widget = get (fixture, name);
  gboolean visible = gtk_widget_get_visible (widget);
  gulong id;

  id = g_signal_connect_swapped (widget, "notify::visible", G_CALLBACK (set_flag_cb), &visible);
  ga_test_wait_for (&visible, TIMEOUT_MS);
  g_signal_handler_disconnect (widget, id);
}

static void
wait_for_notify (gpointer    object,
                 const char *signal)
{
  gboolean done = FALSE;
  gulong id;

  id = g_signal_connect_swapped (object, signal, G_CALLBACK (set_flag_cb), &done);
  ga_test_wait_for (&done, TIMEOUT_MS);
  g_signal_handler_disconnect (object, id);
}

/* Waits until the window has been laid out and drawn once more. */
static void
wait_for_frame (Fixture *fixture)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->window));
  gboolean painted = FALSE;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (set_flag_cb), &painted);
  gtk_widget_queue_draw (GTK_WIDGET (fixture->window));
  ga_test_wait_for (&painted, TIMEOUT_MS);
  g_signal_handler_disconnect (clock, id);
}

static void
screenshot (Fixture    *fixture,
            const char *name)
{
  const char *dir = g_getenv ("GA_TEST_SCREENSHOT_DIR");
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  graphene_rect_t bounds;
  GdkRGBA background;
  int width;
  int height;

  if (dir == NULL)
    return;

  /* Let layout and drawing settle first. */
  spin ();
  wait_for_frame (fixture);
  wait_for_frame (fixture);

  /* The window draws itself the way it does on screen: background, header bar, content. */
  snapshot = gtk_snapshot_new ();
  /* The window's own CSS background is drawn outside its snapshot vfunc: paint it first. */
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (fixture->window)),
                                       "window_bg_color", &background))
    gdk_rgba_parse (&background, "#fafafa");
  width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
  height = gtk_widget_get_height (GTK_WIDGET (fixture->window));
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  GTK_WIDGET_GET_CLASS (fixture->window)->snapshot (GTK_WIDGET (fixture->window), snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (fixture->window)),
                                         node, &bounds);
  path = g_strdup_printf ("%s/preferences-%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Fixture */

static void
reset_settings (GSettings *settings)
{
  g_settings_reset (settings, "api-url");
  g_settings_reset (settings, "id-instance");
  g_settings_reset (settings, "instances");
}

static void
open_window (Fixture *fixture)
{
  fixture->window = ga_preferences_window_new (NULL, fixture->credentials, fixture->session,
                                               NULL, NULL);
  gtk_window_present (fixture->window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->window)) ||
         gtk_widget_get_width (GTK_WIDGET (fixture->window)) == 0)
    g_main_context_iteration (NULL, TRUE);
  spin ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->settings = g_settings_new (BASE_ID);
  reset_settings (fixture->settings);
  fixture->server = ga_test_server_new ();
  fixture->session = ga_http_session_new ();
  fixture->credentials = ga_credentials_new (fixture->settings);
  open_window (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  spin ();
  ga_test_server_assert_done (fixture->server);
  g_clear_pointer (&fixture->server, ga_test_server_free);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->credentials);
  reset_settings (fixture->settings);
  g_clear_object (&fixture->settings);
}

static void
fill_valid (Fixture *fixture)
{
  type_text (fixture, "api-url-row", ga_test_server_get_url (fixture->server));
  type_text (fixture, "id-instance-row", GA_TEST_ID_INSTANCE);
  type_text (fixture, "token-row", GA_TEST_TOKEN);
}

static char *
get_setting (Fixture    *fixture,
             const char *key)
{
  return g_settings_get_string (fixture->settings, key);
}

/* Until @key holds @expected; a save that never comes ends in the test's timeout. */
static void
wait_for_setting (Fixture    *fixture,
                  const char *key,
                  const char *expected)
{
  for (;;)
    {
      g_autofree char *value = g_settings_get_string (fixture->settings, key);

      if (g_str_equal (value, expected))
        return;
      g_main_context_iteration (NULL, TRUE);
    }
}

/* A row on screen with this title, or NULL. */
static GtkWidget *
find_row_in (GtkWidget  *widget,
             const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_is_visible (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_in (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_row_by_title (Fixture    *fixture,
                   const char *title)
{
  return find_row_in (GTK_WIDGET (fixture->window), title);
}

static GtkWidget *
find_child_of_type (GtkWidget *widget,
                    GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
wait_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (done (data));
}

static gboolean
button_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

static gboolean
button_insensitive (gpointer data)
{
  return !gtk_widget_is_sensitive (data);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ga_cache_store_finish (GA_CACHE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Cases */

/* The history switch forgets the recent lookups; the cache row shows the size and clears it. */
static void
test_history_and_cache (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GaCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *subtitle = NULL;
  g_auto(GStrv) recent = NULL;
  gboolean stored = FALSE;
  GtkWidget *history_row;
  GtkWidget *history_switch;
  GtkWidget *cache_row;
  GtkWidget *clear_button;
  static guchar pixels[96 * 96 * 4];

  gtk_window_destroy (fixture->window);
  spin ();

  directory = g_dir_make_tmp ("green-avatar-preferences-cache-XXXXXX", &error);
  g_assert_no_error (error);
  cache = ga_cache_new (directory, 4 * 1024 * 1024, 4 * 1024 * 1024);
  {
    /* Fixed noise, so the PNG is tens of kilobytes and the size shown is not zero. */
    g_autoptr(GRand) rand = g_rand_new_with_seed (42);

    for (gsize i = 0; i < sizeof pixels; i++)
      pixels[i] = (guchar) g_rand_int_range (rand, 0, 256);
  }
  bytes = g_bytes_new_static (pixels, sizeof pixels);
  texture = gdk_memory_texture_new (96, 96, GDK_MEMORY_R8G8B8A8, bytes, 96 * 4);
  {
    g_autoptr(GBytes) file_bytes = gdk_texture_save_to_png_bytes (texture);

    g_autofree char *key = ga_cache_key_for_url ("https://pps.whatsapp.net/v/t61.24694-24/"
                                                 "4242_n.jpg?oe=7FFFFFFF");

    ga_cache_store_async (cache, "11001234567@c.us", key, 0, file_bytes, texture, NULL,
                          store_cb, &stored);
  }
  while (!stored)
    g_main_context_iteration (NULL, TRUE);

  g_settings_reset (fixture->settings, "history-enabled");
  ga_recent_add (fixture->settings, "11001234567@c.us");
  ga_recent_add (fixture->settings, "120363043968066561@g.us");

  fixture->window = ga_preferences_window_new (NULL, fixture->credentials, fixture->session,
                                               fixture->settings, cache);
  gtk_window_present (fixture->window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->window)))
    g_main_context_iteration (NULL, TRUE);

  history_row = find_row_by_title (fixture, "Remember Recent Lookups");
  cache_row = find_row_by_title (fixture, "Saved Pictures");
  history_switch = find_child_of_type (history_row, GTK_TYPE_SWITCH);
  clear_button = find_child_of_type (cache_row, GTK_TYPE_BUTTON);
  g_assert_nonnull (history_switch);
  g_assert_nonnull (clear_button);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (history_switch)));

  /* The size, once measured off the main thread. */
  wait_until (button_sensitive, clear_button);
  subtitle = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (cache_row)));
  g_assert_nonnull (strstr (subtitle, "kB"));
  screenshot (fixture, "history-and-cache");

  /* Clear: nothing is left on disk, and the row says so. */
  g_signal_emit_by_name (clear_button, "clicked");
  wait_until (button_insensitive, clear_button);
  {
    gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

    while (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (cache_row)), "None") == NULL &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (cache_row)), "None"));
  g_assert_null (ga_cache_peek_chat (cache, "11001234567@c.us"));

  /* History off: the setting follows and the list is forgotten. */
  recent = ga_recent_get (fixture->settings);
  g_assert_cmpuint (g_strv_length (recent), ==, 2);
  g_clear_pointer (&recent, g_strfreev);
  gtk_switch_set_active (GTK_SWITCH (history_switch), FALSE);
  spin ();
  g_assert_false (g_settings_get_boolean (fixture->settings, "history-enabled"));
  g_settings_set_boolean (fixture->settings, "history-enabled", TRUE);
  recent = ga_recent_get (fixture->settings);
  g_assert_cmpuint (g_strv_length (recent), ==, 0);

  gtk_window_destroy (fixture->window);
  fixture->window = NULL;
  g_clear_object (&cache);
  spin ();
  g_settings_reset (fixture->settings, "history-enabled");
  g_rmdir (directory);
}

/* Without settings or a cache (as the tests above open it), the group is not there at all. */
static void
test_no_history_group (Fixture       *fixture,
                       gconstpointer  data)
{
  g_assert_null (find_row_by_title (fixture, "Remember Recent Lookups"));
  g_assert_null (find_row_by_title (fixture, "Saved Pictures"));
}


static void
test_initial (Fixture       *fixture,
              gconstpointer  data)
{
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (fixture, "api-url-row"))), ==,
                   "https://api.green-api.com");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (fixture, "id-instance-row"))), ==,
                   "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (fixture, "token-row"))), ==, "");

  /* Nothing is flagged before the person types. */
  g_assert_false (is_shown (fixture, "api-url-message"));
  g_assert_false (is_shown (fixture, "id-instance-message"));
  g_assert_false (is_shown (fixture, "token-message"));
  g_assert_false (is_shown (fixture, "override-note"));
  g_assert_false (is_shown (fixture, "test-result-box"));
  g_assert_true (gtk_widget_is_sensitive (get (fixture, "api-url-row")));
  g_assert_cmpstr (label_text (fixture, "token-note"), ==,
                   "The token is stored in the system keyring, never in a file.");

  screenshot (fixture, "initial");
}

typedef struct
{
  const char *row;
  const char *message;
  const char *text;
  const char *expected;
  const char *shot;
} InvalidCase;

static void
test_invalid (Fixture       *fixture,
              gconstpointer  data)
{
  static const InvalidCase cases[] = {
    { "api-url-row", "api-url-message", "api.green-api.com", "must start with https://",
      "invalid-url-scheme" },
    { "api-url-row", "api-url-message", "https://api green-api.com", "spaces", NULL },
    { "api-url-row", "api-url-message", "https://зелёный.api.com", "characters", NULL },
    { "api-url-row", "api-url-message", "https://", "no host name", NULL },
    { "api-url-row", "api-url-message", "https://api.green-api.com:99999", "not a valid", NULL },
    { "api-url-row", "api-url-message", "http://api.green-api.com", "unencrypted",
      "invalid-url-http" },
    { "api-url-row", "api-url-message", "", "Enter the API URL", NULL },
    { "id-instance-row", "id-instance-message", "11010x0001", "only contain digits",
      "invalid-id" },
    { "id-instance-row", "id-instance-message", "١٢٣", "only contain digits", NULL },
    { "id-instance-row", "id-instance-message", "110100000123", "at most 10 digits", NULL },
    { "token-row", "token-message", "d75b3a6637/4942", "characters", NULL },
    { "token-row", "token-message", "d75b3a6637 4942", "spaces", "invalid-token" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const InvalidCase *c = &cases[i];
      g_autofree char *api_url = NULL;
      g_autofree char *id_instance = NULL;

      g_test_message ("case %u", i);

      type_text (fixture, c->row, c->text);
      g_assert_true (gtk_widget_has_css_class (get (fixture, c->row), "error"));
      g_assert_true (is_shown (fixture, c->message));
      g_assert_nonnull (strstr (label_text (fixture, c->message), c->expected));
      g_assert_null (strstr (label_text (fixture, c->message), GA_TEST_TOKEN));

      if (c->shot != NULL)
        screenshot (fixture, c->shot);

      /* Applying an invalid value saves nothing and sends nothing. */
      apply (fixture, c->row);
      spin ();
      api_url = get_setting (fixture, "api-url");
      id_instance = get_setting (fixture, "id-instance");
      g_assert_cmpstr (api_url, ==, "https://api.green-api.com");
      g_assert_cmpstr (id_instance, ==, "");
      g_assert_false (ga_credentials_is_complete (fixture->credentials));
    }

  /* Testing with invalid values explains instead of sending a request. */
  g_signal_emit_by_name (get (fixture, "test-button"), "clicked");
  spin ();
  g_assert_true (is_shown (fixture, "test-result-box"));
  g_assert_cmpstr (label_text (fixture, "test-result"), ==,
                   "Correct the values above to test the connection.");
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, NULL), ==, 0);
  screenshot (fixture, "invalid-test");

  /* Correcting a value takes its message away. */
  type_text (fixture, "api-url-row", "https://7105.api.greenapi.com");
  g_assert_false (gtk_widget_has_css_class (get (fixture, "api-url-row"), "error"));
  g_assert_false (is_shown (fixture, "api-url-message"));
  type_text (fixture, "id-instance-row", " 1101000001 ");
  g_assert_false (is_shown (fixture, "id-instance-message"));
}

static void
test_apply (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *api_url = NULL;
  g_autofree char *id_instance = NULL;
  g_autofree char *token = NULL;

  type_text (fixture, "api-url-row", "https://7105.api.greenapi.com ");
  apply (fixture, "api-url-row");
  /* Saved once the save task finished, which may take more than one idle round. */
  wait_for_setting (fixture, "api-url", "https://7105.api.greenapi.com");
  api_url = get_setting (fixture, "api-url");
  g_assert_cmpstr (api_url, ==, "https://7105.api.greenapi.com");

  type_text (fixture, "id-instance-row", GA_TEST_ID_INSTANCE);
  apply (fixture, "id-instance-row");
  wait_for_setting (fixture, "id-instance", GA_TEST_ID_INSTANCE);
  id_instance = get_setting (fixture, "id-instance");
  g_assert_cmpstr (id_instance, ==, GA_TEST_ID_INSTANCE);

  type_text (fixture, "token-row", GA_TEST_TOKEN);
  apply (fixture, "token-row");

  if (g_str_equal (backend, "none"))
    {
      wait_for_notify (fixture->credentials, "notify::secret-problem");
      g_assert_false (ga_credentials_get_token_remembered (fixture->credentials));
      g_assert_cmpstr (label_text (fixture, "token-note"), ==,
                       "Could not be remembered: no keyring is available. "
                       "The token is kept until you quit.");
      screenshot (fixture, "no-keyring");
    }
  else
    {
      wait_for_notify (fixture->credentials, "notify::token-remembered");
      g_assert_true (ga_credentials_get_token_remembered (fixture->credentials));
      g_assert_cmpstr (label_text (fixture, "token-note"), ==, "Stored in the system keyring.");
      screenshot (fixture, "stored");
    }

  /* Kept for the session either way. */
  g_assert_true (ga_credentials_is_complete (fixture->credentials));
  token = ga_credentials_dup_token (fixture->credentials);
  g_assert_true (g_strcmp0 (token, GA_TEST_TOKEN) == 0);
  g_assert_false (is_shown (fixture, "token-message"));
}

static void
test_token_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GaCredentials) later = NULL;
  g_autofree char *token = NULL;
  gboolean loaded = FALSE;

  type_text (fixture, "id-instance-row", "1101000005");
  apply (fixture, "id-instance-row");
  type_text (fixture, "token-row", GA_TEST_TOKEN);
  apply (fixture, "token-row");
  wait_for_notify (fixture->credentials, "notify::token-remembered");

  /* The next start reads the token back from the keyring, and the window shows it. */
  gtk_window_destroy (fixture->window);
  spin ();
  later = ga_credentials_new (fixture->settings);
  g_signal_connect_swapped (later, "notify::token-remembered", G_CALLBACK (set_flag_cb), &loaded);
  ga_credentials_load_async (later, NULL, NULL, NULL);
  ga_test_wait_for (&loaded, TIMEOUT_MS);
  token = ga_credentials_dup_token (later);
  g_assert_true (g_strcmp0 (token, GA_TEST_TOKEN) == 0);

  g_set_object (&fixture->credentials, later);
  open_window (fixture);
  g_assert_true (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (get (fixture, "token-row"))),
                            GA_TEST_TOKEN) == 0);
  g_assert_cmpstr (label_text (fixture, "token-note"), ==, "Stored in the system keyring.");
}

static void
test_save_on_close (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *id_instance = NULL;
  g_autofree char *api_url = NULL;

  /* Valid values typed but not applied are kept when the window closes; invalid ones not. */
  type_text (fixture, "id-instance-row", "1101000006");
  type_text (fixture, "api-url-row", "http://api.green-api.com");
  gtk_window_close (fixture->window);
  fixture->window = NULL;
  spin ();

  id_instance = get_setting (fixture, "id-instance");
  api_url = get_setting (fixture, "api-url");
  g_assert_cmpstr (id_instance, ==, "1101000006");
  g_assert_cmpstr (api_url, ==, "https://api.green-api.com");
}

static void
count_queued_cb (SoupSession *session,
                 SoupMessage *message,
                 guint       *count)
{
  (*count)++;
}

static void
test_connection_ok (Fixture       *fixture,
                    gconstpointer  data)
{
  GaTestReply *reply;
  guint queued = 0;

  g_signal_connect (fixture->session, "request-queued", G_CALLBACK (count_queued_cb), &queued);
  fill_valid (fixture);
  reply = ga_test_server_expect_api (fixture->server, "getStateInstance", 200,
                                     "{\"stateInstance\": \"authorized\"}");
  /* Slow enough to see the spinner. */
  ga_test_reply_set_delay (reply, 500);

  g_signal_emit_by_name (get (fixture, "test-button"), "clicked");
  g_assert_true (is_shown (fixture, "test-spinner"));
  g_assert_false (gtk_widget_get_sensitive (get (fixture, "test-button")));
  screenshot (fixture, "testing");

  wait_for_visible (fixture, "test-result-box");
  g_assert_cmpstr (label_text (fixture, "test-result"), ==,
                   ga_response_describe_state (GA_INSTANCE_STATE_AUTHORIZED));
  g_assert_true (gtk_widget_has_css_class (get (fixture, "test-result-box"), "success"));
  g_assert_false (is_shown (fixture, "test-spinner"));
  g_assert_true (gtk_widget_get_sensitive (get (fixture, "test-button")));
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, NULL), ==, 1);
  /* Through the session handed in, not one of its own. */
  g_assert_cmpuint (queued, ==, 1);
  screenshot (fixture, "test-ok");

  /* A linked-but-not-ready state is said in words as well. */
  ga_test_server_expect_api (fixture->server, "getStateInstance", 200,
                             "{\"stateInstance\": \"notAuthorized\"}");
  g_signal_emit_by_name (get (fixture, "test-button"), "clicked");
  wait_for_visible (fixture, "test-result-box");
  g_assert_cmpstr (label_text (fixture, "test-result"), ==,
                   ga_response_describe_state (GA_INSTANCE_STATE_NOT_AUTHORIZED));
  g_assert_true (gtk_widget_has_css_class (get (fixture, "test-result-box"), "warning"));
  screenshot (fixture, "test-not-authorized");
  g_signal_handlers_disconnect_by_func (fixture->session, count_queued_cb, &queued);
}

static void
test_connection_error (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *text;

  fill_valid (fixture);
  ga_test_server_expect_api (fixture->server, "getStateInstance", 401,
                             "{\"message\": \"Unauthorized\"}");

  g_signal_emit_by_name (get (fixture, "test-button"), "clicked");
  wait_for_visible (fixture, "test-result-box");
  text = label_text (fixture, "test-result");
  g_assert_cmpstr (text, !=, "");
  g_assert_nonnull (strstr (text, "token"));
  g_assert_null (strstr (text, GA_TEST_TOKEN));
  g_assert_true (gtk_widget_has_css_class (get (fixture, "test-result-box"), "error"));
  screenshot (fixture, "test-error");
}

static void
test_connection_closed (Fixture       *fixture,
                        gconstpointer  data)
{
  GaTestReply *reply;

  /* Closing the window while the test runs cancels it; nothing touches the gone window. */
  fill_valid (fixture);
  reply = ga_test_server_expect_api (fixture->server, "getStateInstance", 200,
                                     "{\"stateInstance\": \"authorized\"}");
  ga_test_reply_set_delay (reply, 300);
  g_signal_emit_by_name (get (fixture, "test-button"), "clicked");
  spin ();
  gtk_window_destroy (fixture->window);
  fixture->window = NULL;

  for (guint i = 0; i < 20; i++)
    {
      spin ();
      g_usleep (25000);
    }
}

static void
test_environment (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->credentials);

  g_setenv ("GREEN_API_URL", ga_test_server_get_url (fixture->server), TRUE);
  g_setenv ("GREEN_API_TOKEN", GA_TEST_TOKEN, TRUE);
  fixture->credentials = ga_credentials_new (fixture->settings);
  g_unsetenv ("GREEN_API_URL");
  g_unsetenv ("GREEN_API_TOKEN");
  open_window (fixture);

  g_assert_false (gtk_widget_is_sensitive (get (fixture, "api-url-row")));
  g_assert_true (gtk_widget_is_sensitive (get (fixture, "id-instance-row")));
  g_assert_false (gtk_widget_is_sensitive (get (fixture, "token-row")));
  g_assert_true (is_shown (fixture, "override-note"));
  g_assert_nonnull (strstr (label_text (fixture, "override-note"),
                            "GREEN_API_URL, GREEN_API_TOKEN"));
  g_assert_null (strstr (label_text (fixture, "override-note"), "GREEN_API_ID_INSTANCE"));
  g_assert_false (is_shown (fixture, "token-note"));
  screenshot (fixture, "environment");
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->credentials);

  fixture->credentials = ga_credentials_new_for_demo (ga_test_server_get_url (fixture->server),
                                                      GA_TEST_ID_INSTANCE, GA_TEST_TOKEN);
  open_window (fixture);

  g_assert_false (gtk_widget_is_sensitive (get (fixture, "api-url-row")));
  g_assert_false (gtk_widget_is_sensitive (get (fixture, "id-instance-row")));
  g_assert_false (gtk_widget_is_sensitive (get (fixture, "token-row")));
  g_assert_nonnull (strstr (label_text (fixture, "token-note"), "Demo mode"));

  /* The test still works against the demo's server. */
  ga_test_server_expect_api (fixture->server, "getStateInstance", 200,
                             "{\"stateInstance\": \"authorized\"}");
  g_signal_emit_by_name (get (fixture, "test-button"), "clicked");
  wait_for_visible (fixture, "test-result-box");
  g_assert_true (gtk_widget_has_css_class (get (fixture, "test-result-box"), "success"));
  screenshot (fixture, "demo");
}

static GtkWidget *
find_named_in (GtkWidget  *widget,
               const char *name)
{
  GtkWidget *found = find_named (widget, name);

  g_assert_nonnull (found);

  return found;
}

static gboolean
subtitle_settled (gpointer data)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (data));

  return subtitle != NULL && *subtitle != '\0' && !g_str_equal (subtitle, "Testing…");
}

static void
store_token_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ga_secret_store_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

#if ADW_CHECK_VERSION (1, 5, 0)
/* The first widget of @type in @widget's tree (an AdwDialog lives inside its window). */
static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}
#endif

/* Three instances: the current one marked, another made current, one added with its URL
 * offered from the ID, and Test Connection with an instance's own token. */
static void
test_instances (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GaInstances) instances = NULL;
  g_autofree char *id = NULL;
  GtkWidget *sales;
  GtkWidget *support;
  GtkWidget *test_row;
  GaTestReply *reply;
  GVariantBuilder builder;
  gboolean stored = FALSE;
  gboolean secret = !g_str_equal (backend, "none");

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  g_variant_builder_add (&builder, "(sss)", GA_TEST_ID_INSTANCE, "Sales",
                         ga_test_server_get_url (fixture->server));
  g_variant_builder_add (&builder, "(sss)", "7103000002", "Support",
                         "https://7103.api.greenapi.com");
  g_variant_builder_add (&builder, "(sss)", "1101000003", "Test number",
                         "https://api.green-api.com");
  g_settings_set_value (fixture->settings, "instances", g_variant_builder_end (&builder));
  g_settings_set_string (fixture->settings, "api-url", ga_test_server_get_url (fixture->server));
  g_settings_set_string (fixture->settings, "id-instance", GA_TEST_ID_INSTANCE);
  instances = ga_instances_new (fixture->settings, NULL);
  ga_preferences_page_set_instances (ga_preferences_window_get_page (fixture->window), instances);
  spin ();

  g_assert_true (is_shown (fixture, "instances-group"));
  sales = get (fixture, GA_TEST_ID_INSTANCE);
  support = get (fixture, "7103000002");
  g_assert_true (get (fixture, "1101000003") != NULL);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (sales)), ==, "Sales");
  g_assert_true (gtk_widget_get_visible (find_named_in (sales, "current-icon")));
  g_assert_false (gtk_widget_get_visible (find_named_in (sales, "use-button")));
  g_assert_true (gtk_widget_get_visible (find_named_in (support, "use-button")));
  screenshot (fixture, "instances");
  /* The list at 360 px, a phone's width (GTK 4.18 warns, fatally here, about any label that
   * asks for more). */
  gtk_window_set_default_size (fixture->window, 360, 700);
  spin ();
  screenshot (fixture, "instances-narrow");
  gtk_window_set_default_size (fixture->window, 600, 680);
  spin ();

  /* Test Connection asks with the instance's own token from the keyring. */
  if (secret)
    {
      ga_secret_store_async (GA_TEST_ID_INSTANCE, GA_TEST_TOKEN, NULL, store_token_cb, &stored);
      ga_test_wait_for (&stored, TIMEOUT_MS);
      reply = ga_test_server_expect_api (fixture->server, "getStateInstance", 200,
                                         "{\"stateInstance\": \"authorized\"}");
      g_assert_nonnull (reply);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (sales), TRUE);
      test_row = gtk_widget_get_ancestor (find_named_in (sales, "instance-test-button"),
                                          ADW_TYPE_ACTION_ROW);
      g_signal_emit_by_name (find_named_in (sales, "instance-test-button"), "clicked");
      wait_until (subtitle_settled, test_row);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (test_row)), ==,
                       ga_response_describe_state (GA_INSTANCE_STATE_AUTHORIZED));
      screenshot (fixture, "instances-tested");
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (sales), FALSE);
    }

  /* Use another: the choice is saved where the credentials read it. */
  g_signal_emit_by_name (find_named_in (support, "use-button"), "clicked");
  spin ();
  id = get_setting (fixture, "id-instance");
  g_assert_cmpstr (id, ==, "7103000002");
  g_assert_cmpstr (ga_credentials_get_id_instance (fixture->credentials), ==, "7103000002");
  g_assert_true (gtk_widget_get_visible (find_named_in (support, "current-icon")));
  g_assert_true (gtk_widget_get_visible (find_named_in (sales, "use-button")));

  /* Add: the API URL is offered from the ID, and stays editable. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (get (fixture, "add-instance-row")), TRUE);
  type_text (fixture, "add-label-row", "Marketing");
  type_text (fixture, "add-id-row", "7105123456");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (fixture, "add-api-url-row"))), ==,
                   "https://7105.api.greenapi.com");
  type_text (fixture, "add-id-row", "710");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get (fixture, "add-api-url-row"))), ==,
                   "");
  type_text (fixture, "add-id-row", "7105123456");
  type_text (fixture, "add-token-row", "0123456789abcdef0123456789abcdef0123456789abcdef01");
  screenshot (fixture, "instances-add");
  g_signal_emit_by_name (get (fixture, "add-button"), "clicked");
  spin ();
  g_assert_false (is_shown (fixture, "add-message"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (instances)), ==, 4);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (get (fixture,
                                                                           "7105123456"))),
                   ==, "Marketing");

  /* A duplicate is refused with a reason. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (get (fixture, "add-instance-row")), TRUE);
  type_text (fixture, "add-id-row", "7103000002");
  type_text (fixture, "add-token-row", "0123456789abcdef0123456789abcdef0123456789abcdef01");
  g_signal_emit_by_name (get (fixture, "add-button"), "clicked");
  spin ();
  g_assert_true (is_shown (fixture, "add-message"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (instances)), ==, 4);

  /* Remove, once confirmed; the rest stay. */
  g_signal_emit_by_name (find_named_in (get (fixture, "1101000003"), "remove-button"), "clicked");
  spin ();
  {
    GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */
    gboolean answered = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && !answered; i++)
      {
        g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

#if ADW_CHECK_VERSION (1, 5, 0)
        G_GNUC_BEGIN_IGNORE_DEPRECATIONS
        GtkWidget *alert = find_type (GTK_WIDGET (window), ADW_TYPE_ALERT_DIALOG);

        if (alert != NULL)
          {
            g_signal_emit_by_name (alert, "response", "remove");
            adw_dialog_force_close (ADW_DIALOG (alert));
            answered = TRUE;
          }
        G_GNUC_END_IGNORE_DEPRECATIONS
#else
        if (ADW_IS_MESSAGE_DIALOG (window))
          {
            adw_message_dialog_response (ADW_MESSAGE_DIALOG (window), "remove");
            gtk_window_destroy (GTK_WINDOW (window));
            answered = TRUE;
          }
#endif
      }
    g_assert_true (answered);
  }
  spin ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (instances)), ==, 3);
  g_assert_null (ga_instances_lookup (instances, "1101000003"));
  g_assert_null (find_named (GTK_WIDGET (fixture->window), "1101000003"));

  /* Rename through the row. */
  type_text (fixture, "label-row", "Sales team");
  apply (fixture, "label-row");
  g_assert_cmpstr (ga_instance_get_label (ga_instances_lookup (instances, GA_TEST_ID_INSTANCE)),
                   ==, "Sales team");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = NULL;
  int status;

  g_unsetenv ("GREEN_API_URL");
  g_unsetenv ("GREEN_API_ID_INSTANCE");
  g_unsetenv ("GREEN_API_TOKEN");

  backend = ga_test_secret_setup ("preferences", &keyring_dir);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Pictures of a finished state, not of a cross-fade. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(name, func) \
  g_test_add ("/green-avatar/preferences/" name, Fixture, NULL, \
              fixture_set_up, func, fixture_tear_down)

  ADD ("initial", test_initial);
  ADD ("invalid", test_invalid);
  ADD ("apply", test_apply);
  ADD ("save-on-close", test_save_on_close);
  ADD ("connection-ok", test_connection_ok);
  ADD ("connection-error", test_connection_error);
  ADD ("connection-closed", test_connection_closed);
  ADD ("environment", test_environment);
  ADD ("demo", test_demo);
  ADD ("history-and-cache", test_history_and_cache);
  ADD ("no-history-group", test_no_history_group);
  ADD ("instances", test_instances);
  if (!g_str_equal (backend, "none"))
    ADD ("token-round-trip", test_token_round_trip);

#undef ADD

  status = g_test_run ();

  if (keyring_dir != NULL)
    ga_test_remove_tree (keyring_dir);

  return status;
}
