/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "ga-cache.h"
#include "ga-credentials.h"
#include "ga-demo-server.h"
#include "ga-http.h"
#include "ga-recent.h"
#include "ga-test-server.h"
#include "ga-window.h"

/* The real main window against the loopback GREEN-API: type, activate, and check what a
 * person would see. Set GA_TEST_SCREENSHOT_DIR to keep a PNG of each state. */

#define WAIT_MS    15000
#define IMAGE_PATH "/pps/v/t61.24694-24/4242_n.jpg"
#define CHAT_ID    "11001234567@c.us"

typedef struct
{
  GaTestServer  *server;        /* (owned) */
  SoupSession   *session;       /* (owned) */
  GaCredentials *credentials;   /* (owned) */
  GSettings     *settings;      /* (owned) */
  GaWindow      *window;        /* (unowned) (nullable): the toplevel list owns it */
  char          *avatar_path;   /* (owned) */
} Fixture;

static GBytes *
demo_image (const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX "/demo/", name, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);

  return bytes;
}

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  GObject *object;

  object = gtk_widget_get_template_child (GTK_WIDGET (fixture->window), GA_TYPE_WINDOW, name);
  g_assert_nonnull (object);

  return GTK_WIDGET (object);
}

/* On screen right now: mapped, which needs every ancestor (stack pages included) shown. */
static gboolean
showing (Fixture    *fixture,
         const char *name)
{
  return gtk_widget_get_mapped (child (fixture, name));
}

static void
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Runs the main context for @ms milliseconds. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add_once (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_for_map (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->window)) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)));
}

static void
busy_changed_cb (GaWindow   *window,
                 GParamSpec *pspec,
                 gboolean   *idle)
{
  *idle = !ga_window_get_busy (window);
}

/* Waits until the lookup in flight has finished, then for the frame that shows its result. */
static void
wait_for_idle (Fixture *fixture)
{
  gboolean idle = !ga_window_get_busy (fixture->window);
  gulong id;

  id = g_signal_connect (fixture->window, "notify::busy", G_CALLBACK (busy_changed_cb), &idle);
  ga_test_wait_for (&idle, WAIT_MS);
  g_signal_handler_disconnect (fixture->window, id);

  g_assert_false (ga_window_get_busy (fixture->window));
}

static void
wait_for_requests (Fixture *fixture,
                   guint    n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (ga_test_server_get_request_count (fixture->server, fixture->avatar_path) < n &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, fixture->avatar_path),
                    >=, n);
}

/* What a person does: type into the entry and press Enter. */
static void
type_and_enter (Fixture    *fixture,
                const char *text)
{
  GtkWidget *entry = child (fixture, "entry");

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
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
  graphene_rect_t bounds;
  int width;
  int height;

  if (dir == NULL)
    return;

  /* Let the last change reach the screen, so the snapshot shows it laid out. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));

  width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
  height = gtk_widget_get_height (GTK_WIDGET (fixture->window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (fixture->window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (fixture->window)),
                                         node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  filename = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, filename, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
create_window (Fixture  *fixture,
               gboolean  demo)
{
  fixture->window = g_object_new (GA_TYPE_WINDOW,
                                  "settings", fixture->settings,
                                  "credentials", fixture->credentials,
                                  "session", fixture->session,
                                  "demo", demo,
                                  NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_for_map (fixture);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  fixture->server = ga_test_server_new ();
  fixture->session = ga_http_session_new ();
  fixture->settings = g_settings_new (BASE_ID);
  /* The card has tests of its own (test-contact-card); here only getAvatar is asked. */
  g_settings_set_boolean (fixture->settings, "contact-details", FALSE);
  fixture->credentials = ga_credentials_new_for_demo (ga_test_server_get_url (fixture->server),
                                                      GA_TEST_ID_INSTANCE,
                                                      GA_TEST_TOKEN);
  fixture->avatar_path = ga_test_server_api_path ("getAvatar");

  /* Tests that need other credentials or settings make the window themselves. */
  if (user_data == NULL)
    create_window (fixture, FALSE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  if (fixture->window != NULL)
    {
      g_autoptr(GaWindow) window = g_object_ref (fixture->window);

      gtk_window_destroy (GTK_WINDOW (fixture->window));
      fixture->window = NULL;
      g_clear_object (&window);
    }

  g_clear_object (&fixture->credentials);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->avatar_path, g_free);
  g_clear_pointer (&fixture->server, ga_test_server_free);
}

/* Queues a getAvatar answer with a picture on the fixture, and the picture itself. */
static void
expect_picture (Fixture    *fixture,
                const char *image)
{
  g_autofree char *json = NULL;
  g_autoptr(GBytes) bytes = demo_image (image);
  GaTestReply *reply;

  json = g_strdup_printf ("{\"urlAvatar\": \"%s" IMAGE_PATH "?oe=7FFFFFFF\", \"available\": true}",
                          ga_test_server_get_url (fixture->server));
  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);

  reply = ga_test_server_expect (fixture->server, IMAGE_PATH);
  ga_test_reply_set_body_bytes (reply, "image/jpeg", bytes);
}

static void
assert_spinner_gone (Fixture *fixture)
{
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (child (fixture, "spinner"))));
  g_assert_false (showing (fixture, "spinner"));
}

static void
assert_picture (Fixture    *fixture,
                const char *chat_id)
{
  GtkWidget *picture = child (fixture, "picture");
  GdkPaintable *paintable;

  if (ga_window_get_state (fixture->window) == GA_WINDOW_STATE_ERROR)
    g_printerr ("Error shown: %s\n",
                    gtk_label_get_text (GTK_LABEL (child (fixture, "error_description"))));
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_PICTURE);
  g_assert_true (showing (fixture, "picture"));
  g_assert_false (showing (fixture, "placeholder"));
  g_assert_false (showing (fixture, "private_badge"));
  g_assert_false (showing (fixture, "not_set_badge"));
  g_assert_false (showing (fixture, "error_title"));
  assert_spinner_gone (fixture);

  paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, 640);
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (paintable)), ==, 640);
  g_assert_cmpint (gtk_picture_get_content_fit (GTK_PICTURE (picture)), !=, GTK_CONTENT_FIT_FILL);
  g_assert_nonnull (strstr (gtk_picture_get_alternative_text (GTK_PICTURE (picture)), chat_id));

  /* Shown at a generous size, once laid out. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_cmpint (gtk_widget_get_width (picture), >=, 192);
  g_assert_cmpint (gtk_widget_get_height (picture), >=, 192);

  g_assert_true (showing (fixture, "chat_id_label"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (fixture, "chat_id_label"))), ==, chat_id);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (child (fixture, "chat_id_label"))));
}

static void
assert_no_picture (Fixture       *fixture,
                   GaWindowState  state,
                   const char    *chat_id)
{
  const char *badge = state == GA_WINDOW_STATE_PRIVATE ? "private_badge" : "not_set_badge";
  const char *other = state == GA_WINDOW_STATE_PRIVATE ? "not_set_badge" : "private_badge";
  const char *tooltip;

  g_assert_cmpint (ga_window_get_state (fixture->window), ==, state);
  g_assert_true (showing (fixture, "placeholder"));
  g_assert_false (showing (fixture, "picture"));
  g_assert_true (showing (fixture, badge));
  g_assert_false (showing (fixture, other));
  g_assert_true (showing (fixture, "caption_label"));
  assert_spinner_gone (fixture);

  /* Screen readers hear what the badge means, not only its word. */
  {
    g_autofree char *problem = NULL;
    const char *label = state == GA_WINDOW_STATE_PRIVATE
                        ? "Private: the chat’s privacy settings hide its picture"
                        : "Not set or no account: there is no picture for this chat";

    if (g_strcmp0 (g_getenv ("LANGUAGE"), "ru") != 0)
      {
        problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (child (fixture, badge)),
                                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label);
        g_assert_null (problem);
      }
  }

  /* The badges differ in more than their words. */
  g_assert_true (gtk_widget_has_css_class (child (fixture, "private_badge"), "warning"));
  g_assert_false (gtk_widget_has_css_class (child (fixture, "not_set_badge"), "warning"));

  tooltip = gtk_widget_get_tooltip_text (child (fixture, badge));
  g_assert_nonnull (tooltip);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (fixture, "caption_label"))), ==, tooltip);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (fixture, "chat_id_label"))), ==, chat_id);
}

/* The error page with its title, the core's message, and the offered action. */
static void
assert_error (Fixture    *fixture,
              const char *title,
              const char *action_name)
{
  GtkWidget *button = child (fixture, "error_button");
  const char *description;

  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_ERROR);
  g_assert_true (showing (fixture, "error_title"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (fixture, "error_title"))), ==, title);
  assert_spinner_gone (fixture);

  description = gtk_label_get_text (GTK_LABEL (child (fixture, "error_description")));
  g_assert_true (showing (fixture, "error_description"));

  /* Announced as an alert, with the same words. */
  {
    g_autofree char *problem = NULL;

    g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (child (fixture,
                                                                                "error_box"))),
                     ==, GTK_ACCESSIBLE_ROLE_ALERT);
    problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (child (fixture, "error_box")),
                                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title);
    if (problem != NULL)
      g_test_message ("%s", problem);
    g_assert_null (problem);
    problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (child (fixture, "error_box")),
                                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                  description);
    if (problem != NULL)
      g_test_message ("%s", problem);
    g_assert_null (problem);
  }
  g_assert_cmpuint (strlen (description), >, 10);
  g_assert_null (strstr (description, GA_TEST_TOKEN));

  if (action_name != NULL)
    {
      g_assert_true (showing (fixture, "error_button"));
      g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, action_name);
    }
  else
    {
      g_assert_false (showing (fixture, "error_button"));
    }
}

static void
test_picture (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_EMPTY);
  g_assert_true (showing (fixture, "entry"));
  /* The striped header bar of a development build, and only there. */
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (fixture->window), "devel") ==
                 DEVELOPMENT_BUILD);
  save_screenshot (fixture, "empty");

  expect_picture (fixture, "personal.jpg");
  type_and_enter (fixture, "+1 (100) 123-4567");

  /* The spinner shows at once, and the entry stays usable. */
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_LOADING);
  g_assert_true (ga_window_get_busy (fixture->window));
  g_assert_true (showing (fixture, "spinner"));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (child (fixture, "spinner"))));
  g_assert_true (gtk_widget_is_sensitive (child (fixture, "entry")));
  save_screenshot (fixture, "loading");

  wait_for_idle (fixture);
  assert_picture (fixture, CHAT_ID);
  g_assert_nonnull (strstr (ga_test_server_get_last_body (fixture->server, fixture->avatar_path),
                            CHAT_ID));
  save_screenshot (fixture, "picture");
}

static void
test_cache (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GaCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *json = NULL;

  directory = g_dir_make_tmp ("green-avatar-test-XXXXXX", &error);
  g_assert_no_error (error);
  /* Room in memory for the 640x640 picture, so the repeat does not race the disk write. */
  cache = ga_cache_new (directory, 4 * 1024 * 1024, 4 * 1024 * 1024);
  fixture->window = g_object_new (GA_TYPE_WINDOW,
                                  "settings", fixture->settings,
                                  "credentials", fixture->credentials,
                                  "session", fixture->session,
                                  "cache", cache,
                                  NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_for_map (fixture);

  expect_picture (fixture, "personal.jpg");
  type_and_enter (fixture, CHAT_ID);
  wait_for_idle (fixture);
  assert_picture (fixture, CHAT_ID);

  /* The same picture again comes from the cache: getAvatar, but no download. */
  json = g_strdup_printf ("{\"urlAvatar\": \"%s" IMAGE_PATH "?oe=7FFFFFFF\", \"available\": true}",
                          ga_test_server_get_url (fixture->server));
  /* getAvatar takes its time, as it does over a real network. */
  ga_test_reply_set_delay (ga_test_server_expect_api (fixture->server, "getAvatar", 200, json),
                           500);
  type_and_enter (fixture, CHAT_ID);

  /* At once, before getAvatar answers: the saved picture, marked as a saved copy. */
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_CACHED);
  g_assert_true (ga_window_get_busy (fixture->window));
  g_assert_nonnull (gtk_picture_get_paintable (GTK_PICTURE (child (fixture, "picture"))));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (fixture, "caption_label"))),
                            "Saved copy"));
  save_screenshot (fixture, "cached");

  wait_for_idle (fixture);
  assert_picture (fixture, CHAT_ID);
  /* Confirmed current: no longer marked as a saved copy. */
  g_assert_false (showing (fixture, "caption_label"));
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, IMAGE_PATH), ==, 1);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  g_clear_object (&cache);
  run_for (100);
  ga_test_remove_tree (directory);
}

static void
test_input_forms (Fixture       *fixture,
                  gconstpointer  user_data)
{
  static const struct {
    const char *input;
    const char *chat_id;
  } cases[] = {
    { "+1 (100) 123-4567", "11001234567@c.us" },
    { "1100 123 4567", "11001234567@c.us" },
    { "wa.me/11001234567", "11001234567@c.us" },
    { "https://wa.me/79876543210?text=hi", "79876543210@c.us" },
    { "whatsapp://send?phone=11001234567", "11001234567@c.us" },
    { "120363043968066561@g.us", "120363043968066561@g.us" },
    { "79876543210-1581234048@g.us", "79876543210-1581234048@g.us" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = NULL;

      ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                                 "{\"urlAvatar\": \"\", \"available\": true}");
      type_and_enter (fixture, cases[i].input);
      wait_for_idle (fixture);

      assert_no_picture (fixture, GA_WINDOW_STATE_NOT_SET, cases[i].chat_id);
      g_assert_false (showing (fixture, "entry_error"));
      body = g_strdup_printf ("\"%s\"", cases[i].chat_id);
      g_assert_nonnull (strstr (ga_test_server_get_last_body (fixture->server,
                                                              fixture->avatar_path),
                                body));
    }

  save_screenshot (fixture, "not-set");
}

static void
test_private (Fixture       *fixture,
              gconstpointer  user_data)
{
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
  type_and_enter (fixture, CHAT_ID);
  wait_for_idle (fixture);

  assert_no_picture (fixture, GA_WINDOW_STATE_PRIVATE, CHAT_ID);
  save_screenshot (fixture, "private");

  /* A picture afterwards takes the badge away. */
  expect_picture (fixture, "group.jpg");
  type_and_enter (fixture, "120363043968066561@g.us");
  wait_for_idle (fixture);
  assert_picture (fixture, "120363043968066561@g.us");
}

static void
test_invalid_input (Fixture       *fixture,
                    gconstpointer  user_data)
{
  static const char *inputs[] = { "hello", "123", "+1 555 0100 0000 0000 0001", "1@x.us", "" };
  GtkWidget *entry = child (fixture, "entry");

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      const char *message;

      type_and_enter (fixture, inputs[i]);

      /* Said inline, at once, without a request. */
      g_assert_false (ga_window_get_busy (fixture->window));
      g_assert_true (showing (fixture, "entry_error"));
      message = gtk_label_get_text (GTK_LABEL (child (fixture, "entry_error")));
      g_assert_cmpuint (strlen (message), >, 10);
      g_assert_true (gtk_widget_has_css_class (entry, "error"));
      g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_EMPTY);
    }

  save_screenshot (fixture, "invalid-input");
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, NULL), ==, 0);

  /* Typing again takes the complaint away. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "1100");
  g_assert_false (showing (fixture, "entry_error"));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ga_credentials_save_finish (GA_CREDENTIALS (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

typedef struct
{
  const char *name;
  guint       status;
  const char *body;
  guint       repeat;       /* how many times the answer is queued (retries) */
  const char *title;
  const char *action_name;
  gboolean    console;
  const char *image;        /* (nullable): getAvatar answers with a picture; this is its body */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "wrong-token", 401, "{\"message\": \"Unauthorized\"}", 1,
    "Wrong API Token", "app.preferences", FALSE },
  { "wrong-instance", 403, "{\"message\": \"Forbidden\"}", 1,
    "Wrong Instance ID or API URL", "app.preferences", FALSE },
  { "not-authorized", 400, "{\"message\": \"instance account not authorized\"}", 1,
    "No Phone Linked", "win.retry", TRUE },
  { "rate-limited", 429, "{\"message\": \"Too Many Requests\"}", 4,
    "Too Many Requests", "win.retry", FALSE },
  { "chat-rejected", 400,
    "{\"statusCode\": 400, \"message\": \"Validation failed. Details: chatId is wrong\"}", 1,
    "Chat ID Rejected", NULL, FALSE },
  { "starting", 400, "{\"message\": \"instance is starting\"}", 1,
    "The Instance Is Starting", "win.retry", FALSE },
  { "expired", 400, "{\"message\": \"instance account expired\"}", 1,
    "The Instance Is Not Active", "app.preferences", TRUE },
  { "wrong-method", 404, "{\"message\": \"Not Found\"}", 1,
    "Check the Settings", "app.preferences", FALSE },
  { "quota", 466, "{\"message\": \"quota exceeded\"}", 1,
    "Monthly Quota Used Up", NULL, TRUE },
  { "malformed", 200, "<html>not json</html>", 1,
    "GREEN-API Could Not Answer", "win.retry", FALSE },
  { "picture-invalid", 200, NULL, 1,
    "The Picture Could Not Be Shown", "win.retry", FALSE, "this is no picture at all" },
};

static void
test_error (Fixture       *fixture,
            gconstpointer  user_data)
{
  const ErrorCase *error_case = user_data;
  g_autofree char *shot = g_strconcat ("error-", error_case->name, NULL);

  create_window (fixture, FALSE);

  if (error_case->image != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (error_case->image,
                                                    strlen (error_case->image));
      g_autofree char *json = NULL;
      GaTestReply *reply;

      json = g_strdup_printf ("{\"urlAvatar\": \"%s" IMAGE_PATH "?oe=7FFFFFFF\", "
                              "\"available\": true}",
                              ga_test_server_get_url (fixture->server));
      ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
      reply = ga_test_server_expect (fixture->server, IMAGE_PATH);
      ga_test_reply_set_body_bytes (reply, "image/jpeg", bytes);
    }

  for (guint i = 0; error_case->image == NULL && i < error_case->repeat; i++)
    {
      GaTestReply *reply = ga_test_server_expect_api (fixture->server,
                                                      "getAvatar",
                                                      error_case->status,
                                                      error_case->body);

      /* The client retries 429 on its own; no need to wait for it here. */
      if (error_case->status == 429)
        ga_test_reply_set_header (reply, "Retry-After", "0");
    }

  type_and_enter (fixture, CHAT_ID);
  wait_for_idle (fixture);

  assert_error (fixture, error_case->title, error_case->action_name);
  g_assert_cmpint (gtk_widget_get_visible (child (fixture, "console_button")), ==,
                   error_case->console);
  save_screenshot (fixture, shot);

  /* The page fits a phone's 360 px (Try Again beside the console link did not). */
  {
    int minimum;

    gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1,
                        &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
  }

  /* Fixing the preferences looks the chat up again by itself. */
  if (g_strcmp0 (error_case->action_name, "app.preferences") == 0)
    {
      g_autofree char *url = NULL;
      gboolean saved = FALSE;

      url = g_strdup_printf ("http://localhost:%s",
                             strrchr (ga_test_server_get_url (fixture->server), ':') + 1);
      expect_picture (fixture, "personal.jpg");
      ga_credentials_save_async (fixture->credentials, url, GA_TEST_ID_INSTANCE, GA_TEST_TOKEN,
                                 NULL, save_cb, &saved);
      ga_test_wait_for (&saved, WAIT_MS);
      g_assert_true (ga_window_get_busy (fixture->window));
      wait_for_idle (fixture);
      assert_picture (fixture, CHAT_ID);
    }

  /* Offered "Try Again" works. */
  if (g_strcmp0 (error_case->action_name, "win.retry") == 0)
    {
      expect_picture (fixture, "personal.jpg");
      g_signal_emit_by_name (child (fixture, "error_button"), "clicked");
      g_assert_true (ga_window_get_busy (fixture->window));
      wait_for_idle (fixture);
      assert_picture (fixture, CHAT_ID);
    }
}

static void
expect_rate_limits (Fixture *fixture)
{
  /* As many 429 answers as the client retries, plus the first. */
  for (guint i = 0; i < 4; i++)
    {
      GaTestReply *reply = ga_test_server_expect_api (fixture->server, "getAvatar", 429,
                                                      "{\"message\": \"Too Many Requests\"}");

      ga_test_reply_set_header (reply, "Retry-After", "0");
    }
}

static void
wait_for_busy (Fixture *fixture)
{
  gboolean busy = FALSE;
  gulong id;

  id = g_signal_connect_swapped (fixture->window, "notify::busy", G_CALLBACK (set_flag_cb), &busy);
  ga_test_wait_for (&busy, WAIT_MS);
  g_signal_handler_disconnect (fixture->window, id);
}

static void
test_rate_limit_retries_once (Fixture       *fixture,
                              gconstpointer  user_data)
{
  const char *description;

  /* The window tries once more by itself, and says so. */
  expect_rate_limits (fixture);
  type_and_enter (fixture, CHAT_ID);
  wait_for_idle (fixture);
  assert_error (fixture, "Too Many Requests", "win.retry");
  description = gtk_label_get_text (GTK_LABEL (child (fixture, "error_description")));
  g_assert_nonnull (strstr (description, "Trying again"));

  expect_rate_limits (fixture);
  wait_for_busy (fixture);
  wait_for_idle (fixture);

  /* Only once: the second rate limit waits for the person. */
  assert_error (fixture, "Too Many Requests", "win.retry");
  description = gtk_label_get_text (GTK_LABEL (child (fixture, "error_description")));
  g_assert_null (strstr (description, "Trying again"));
  run_for (3500);
  g_assert_false (ga_window_get_busy (fixture->window));

  /* A lookup of the person's own gets its automatic retry back, which Escape can stop. */
  expect_rate_limits (fixture);
  type_and_enter (fixture, CHAT_ID);
  wait_for_idle (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel", NULL));
  description = gtk_label_get_text (GTK_LABEL (child (fixture, "error_description")));
  g_assert_null (strstr (description, "Trying again"));
  run_for (3500);
  g_assert_false (ga_window_get_busy (fixture->window));
  assert_error (fixture, "Too Many Requests", "win.retry");
}

static void
test_network_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A loopback port that refuses: taken, then given back. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_clear_object (&fixture->credentials);
  fixture->credentials = ga_credentials_new_for_demo (url, GA_TEST_ID_INSTANCE, GA_TEST_TOKEN);
  create_window (fixture, FALSE);

  type_and_enter (fixture, CHAT_ID);
  wait_for_idle (fixture);

  assert_error (fixture, "No Connection", "win.retry");
  save_screenshot (fixture, "error-network");
}

static void
test_cancel_by_new_lookup (Fixture       *fixture,
                           gconstpointer  user_data)
{
  GaTestReply *slow;

  /* The first answer comes late, the second at once: the second one's result stays. */
  slow = ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                                    "{\"urlAvatar\": \"\", \"available\": false}");
  ga_test_reply_set_delay (slow, 600);
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": true}");

  type_and_enter (fixture, "11001234567");
  wait_for_requests (fixture, 1);
  g_assert_true (ga_window_get_busy (fixture->window));

  type_and_enter (fixture, "79876543210");
  wait_for_idle (fixture);
  assert_no_picture (fixture, GA_WINDOW_STATE_NOT_SET, "79876543210@c.us");

  /* Past the slow answer's time: nothing changes. */
  run_for (900);
  assert_no_picture (fixture, GA_WINDOW_STATE_NOT_SET, "79876543210@c.us");
  g_assert_false (ga_window_get_busy (fixture->window));
}

static void
test_cancel_by_escape (Fixture       *fixture,
                       gconstpointer  user_data)
{
  GaTestReply *reply;

  reply = ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                                     "{\"urlAvatar\": \"\", \"available\": true}");
  ga_test_reply_set_hang (reply);

  type_and_enter (fixture, CHAT_ID);
  wait_for_requests (fixture, 1);
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_LOADING);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel", NULL));
  g_assert_false (ga_window_get_busy (fixture->window));
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_EMPTY);
  assert_spinner_gone (fixture);

  /* The entry still holds the input, ready for another try. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "entry"))), ==, CHAT_ID);
  run_for (100);
}

static void
test_close_mid_request (Fixture       *fixture,
                        gconstpointer  user_data)
{
  GaWindow *window = fixture->window;
  GaTestReply *reply;

  reply = ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                                     "{\"urlAvatar\": \"\", \"available\": true}");
  ga_test_reply_set_delay (reply, 300);

  type_and_enter (fixture, CHAT_ID);
  wait_for_requests (fixture, 1);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  fixture->window = NULL;

  /* Past the answer: its callback meets a disposed window and must leave it alone; then the
   * last reference goes. */
  run_for (600);
  g_assert_null (window);
}

static void
test_close_mid_download (Fixture       *fixture,
                         gconstpointer  user_data)
{
  GaWindow *window = fixture->window;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) bytes = demo_image ("personal.jpg");
  GaTestReply *reply;

  json = g_strdup_printf ("{\"urlAvatar\": \"%s" IMAGE_PATH "\", \"available\": true}",
                          ga_test_server_get_url (fixture->server));
  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
  reply = ga_test_server_expect (fixture->server, IMAGE_PATH);
  ga_test_reply_set_body_bytes (reply, "image/jpeg", bytes);
  ga_test_reply_set_drip (reply, 1024, 30);

  type_and_enter (fixture, CHAT_ID);

  while (ga_test_server_get_request_count (fixture->server, IMAGE_PATH) < 1)
    g_main_context_iteration (NULL, TRUE);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  fixture->window = NULL;

  run_for (600);
  g_assert_null (window);
}

/* The window shows before the keyring has answered: no first-run page meanwhile. */
static void
test_token_loading (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_clear_object (&fixture->credentials);
  fixture->credentials = ga_credentials_new_for_demo (NULL, NULL, NULL);
  create_window (fixture, FALSE);
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_WELCOME);

  ga_window_set_token_loading (fixture->window, TRUE);
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_EMPTY);
  g_assert_false (showing (fixture, "welcome_page"));
  /* Nothing can be looked up yet: the lookup waits for the token. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lookup", NULL) &&
                  ga_window_get_busy (fixture->window));

  /* The keyring had no token after all: now the first-run page is right. */
  ga_window_set_token_loading (fixture->window, FALSE);
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_WELCOME);
  g_assert_true (showing (fixture, "welcome_page"));
}

static void
test_welcome (Fixture       *fixture,
              gconstpointer  user_data)
{
  gboolean done = FALSE;

  g_clear_object (&fixture->credentials);
  fixture->credentials = ga_credentials_new_for_demo (NULL, NULL, NULL);
  create_window (fixture, FALSE);

  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_WELCOME);
  g_assert_true (showing (fixture, "welcome_page"));
  g_assert_false (showing (fixture, "entry"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (child (fixture,
                                                                          "welcome_button"))),
                   ==, "app.preferences");
  save_screenshot (fixture, "welcome");

  /* A chat from the command line waits for the setup: no request, the welcome page stays. */
  ga_window_look_up (fixture->window, "+1 100 123 4567");
  g_assert_false (ga_window_get_busy (fixture->window));
  g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_WELCOME);

  /* Once the three values are there, the lookup page comes ... */
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
  ga_credentials_save_async (fixture->credentials,
                             ga_test_server_get_url (fixture->server),
                             GA_TEST_ID_INSTANCE,
                             GA_TEST_TOKEN,
                             NULL,
                             save_cb,
                             &done);
  ga_test_wait_for (&done, WAIT_MS);
  g_assert_true (showing (fixture, "entry"));

  /* ... and then it is looked up. */
  g_assert_true (ga_window_get_busy (fixture->window));
  wait_for_idle (fixture);
  assert_no_picture (fixture, GA_WINDOW_STATE_PRIVATE, CHAT_ID);
}

static void
test_window_size (Fixture       *fixture,
                  gconstpointer  user_data)
{
  int width;
  int height;

  g_settings_set_int (fixture->settings, "window-width", 700);
  g_settings_set_int (fixture->settings, "window-height", 650);
  g_settings_set_boolean (fixture->settings, "window-maximized", FALSE);

  create_window (fixture, FALSE);
  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 650);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 610);
  run_for (100);
  gtk_window_close (GTK_WINDOW (fixture->window));
  fixture->window = NULL;

  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-width"), ==, 640);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-height"), ==, 610);
  g_assert_false (g_settings_get_boolean (fixture->settings, "window-maximized"));
}

static gboolean
wait_for_maximized (Fixture  *fixture,
                    gboolean  maximized)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (gtk_window_is_maximized (GTK_WINDOW (fixture->window)) != maximized &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  return gtk_window_is_maximized (GTK_WINDOW (fixture->window)) == maximized;
}

/* Run under a window manager (tests/run-with-wm.sh): the maximized state comes back, and the
 * size kept for later is the one before maximizing, not the screen's. */
static void
test_window_maximized (Fixture       *fixture,
                       gconstpointer  user_data)
{
  int width;
  int height;

  g_settings_set_int (fixture->settings, "window-width", 700);
  g_settings_set_int (fixture->settings, "window-height", 650);
  g_settings_set_boolean (fixture->settings, "window-maximized", TRUE);

  create_window (fixture, FALSE);
  g_assert_true (wait_for_maximized (fixture, TRUE));
  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 650);
  gtk_window_close (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  run_for (100);

  g_assert_true (g_settings_get_boolean (fixture->settings, "window-maximized"));
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-height"), ==, 650);

  /* Unmaximized by the person: that is remembered too. */
  create_window (fixture, FALSE);
  g_assert_true (wait_for_maximized (fixture, TRUE));
  gtk_window_unmaximize (GTK_WINDOW (fixture->window));
  g_assert_true (wait_for_maximized (fixture, FALSE));
  gtk_window_close (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  run_for (100);
  g_assert_false (g_settings_get_boolean (fixture->settings, "window-maximized"));

  create_window (fixture, FALSE);
  run_for (300);
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (fixture->window)));

  g_settings_reset (fixture->settings, "window-width");
  g_settings_reset (fixture->settings, "window-height");
  g_settings_reset (fixture->settings, "window-maximized");
}

/* The window as a fast typist drives it: 1,000 lookups, each typed over the one before (and
 * every tenth only half typed), then 300 that each complete. The window ends showing the last
 * one, the spinner gone, and nothing of the cancelled ones. */
static void
test_stress (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GaDemoServer) server = NULL;
  g_autoptr(GError) error = NULL;
  const GaDemoChat *chats;
  guint n_chats;
  guint n = g_getenv ("GA_TEST_UNDER_VALGRIND") != NULL ? 100 : 1000;

  server = ga_demo_server_new (&error);
  g_assert_no_error (error);
  g_clear_object (&fixture->credentials);
  fixture->credentials = ga_credentials_new_for_demo (ga_demo_server_get_url (server),
                                                      ga_demo_server_get_id_instance (server),
                                                      ga_demo_server_get_token (server));
  chats = ga_demo_server_get_chats (&n_chats);
  create_window (fixture, TRUE);

  for (guint i = 0; i < n; i++)
    {
      if (i % 10 == 9)
        {
          /* Half typed: refused under the entry, the lookup in flight goes on. */
          type_and_enter (fixture, "+1 555");
          g_assert_true (showing (fixture, "entry_error"));
        }
      else
        {
          type_and_enter (fixture, chats[i % 2].chat_id);
          g_assert_true (ga_window_get_busy (fixture->window));
        }
      g_main_context_iteration (NULL, FALSE);
    }

  type_and_enter (fixture, chats[1].chat_id);
  wait_for_idle (fixture);
  assert_picture (fixture, chats[1].chat_id);

  for (guint i = 0; i < n / 3; i++)
    {
      type_and_enter (fixture, chats[i % 2].chat_id);
      wait_for_idle (fixture);
      g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_PICTURE);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (fixture, "chat_id_label"))), ==,
                       chats[i % 2].chat_id);
    }

  /* Nothing late arrives after the last answer. */
  run_for (200);
  assert_picture (fixture, chats[(n / 3 - 1) % 2].chat_id);
}

/* The rows a person can choose, wherever the group keeps them. */
static guint
count_action_rows (GtkWidget *widget)
{
  guint n = ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget) ? 1 : 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n += count_action_rows (c);

  return n;
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GaDemoServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group;
  guint n_chats;
  guint n_rows = 0;

  server = ga_demo_server_new (&error);
  g_assert_no_error (error);
  g_clear_object (&fixture->credentials);
  fixture->credentials = ga_credentials_new_for_demo (ga_demo_server_get_url (server),
                                                      ga_demo_server_get_id_instance (server),
                                                      ga_demo_server_get_token (server));
  create_window (fixture, TRUE);

  /* Demo mode is marked, and the sample chats are listed. */
  g_assert_true (showing (fixture, "demo_pill"));
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (child (fixture,
                                                                           "window_title"))),
                   !=, NULL);
  group = child (fixture, "demo_group");
  g_assert_true (gtk_widget_get_mapped (group));
  ga_demo_server_get_chats (&n_chats);
  g_assert_cmpuint (n_chats, ==, 9);
  n_rows = count_action_rows (group);
  g_assert_cmpuint (n_rows, ==, n_chats);
  save_screenshot (fixture, "demo");

  {
    const GaDemoChat *chats = ga_demo_server_get_chats (&n_chats);

    /* Personal and group pictures. */
    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.look-up-chat", "s",
                                chats[0].chat_id);
    wait_for_idle (fixture);
    assert_picture (fixture, chats[0].chat_id);
    save_screenshot (fixture, "demo-personal");

    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.look-up-chat", "s",
                                chats[1].chat_id);
    wait_for_idle (fixture);
    assert_picture (fixture, chats[1].chat_id);
    save_screenshot (fixture, "demo-group");

    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.look-up-chat", "s",
                                chats[2].chat_id);
    wait_for_idle (fixture);
    assert_no_picture (fixture, GA_WINDOW_STATE_PRIVATE, chats[2].chat_id);

    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.look-up-chat", "s",
                                chats[3].chat_id);
    wait_for_idle (fixture);
    assert_no_picture (fixture, GA_WINDOW_STATE_NOT_SET, chats[3].chat_id);

    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.look-up-chat", "s",
                                chats[4].chat_id);
    wait_for_idle (fixture);
    assert_error (fixture, "Chat ID Rejected", NULL);
    save_screenshot (fixture, "demo-rejected");

    /* The slow one shows the spinner for a while. */
    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.look-up-chat", "s",
                                chats[5].chat_id);
    run_for (500);
    g_assert_cmpint (ga_window_get_state (fixture->window), ==, GA_WINDOW_STATE_LOADING);
    g_assert_true (showing (fixture, "spinner"));
    wait_for_idle (fixture);
    assert_picture (fixture, chats[5].chat_id);

    /* Rate limited once: the client's own retry brings the picture. */
    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.look-up-chat", "s",
                                chats[6].chat_id);
    wait_for_idle (fixture);
    assert_picture (fixture, chats[6].chat_id);
  }
}

/* The demo picture's bytes, to compare with what a save, a drag or the viewer got. */
static void
assert_file_is_demo_image (GFile      *file,
                           const char *image)
{
  g_autoptr(GBytes) expected = demo_image (image);
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) error = NULL;

  contents = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (contents, expected));
}

static void
read_texture_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GdkTexture **texture = user_data;
  g_autoptr(GError) error = NULL;

  *texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static GdkContentProvider *
emit_drag_prepare (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GdkContentProvider *content = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DRAG_SOURCE (controller))
        {
          g_signal_emit_by_name (controller, "prepare", 10.0, 10.0, &content);
          return content;
        }
    }

  g_assert_not_reached ();
}

/* The save dialog on screen, or NULL: GTK's own file chooser, since the tests run without a
 * portal (GtkFileChooserNative on GTK 4.8 and GtkFileDialog on newer GTK alike show it). */
static GtkWidget *
find_file_chooser_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      if (GTK_IS_FILE_CHOOSER_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return GTK_WIDGET (toplevel);
      G_GNUC_END_IGNORE_DEPRECATIONS
    }

  return NULL;
}

/* Whether @widget has a shortcut @keyval + @mods that activates @action_name. */
static gboolean
has_shortcut (GtkWidget       *widget,
              guint            keyval,
              GdkModifierType  mods,
              const char      *action_name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_NAMED_ACTION (action) &&
              g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                           action_name) &&
              GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods)
            return TRUE;
        }
    }

  return FALSE;
}

static void
assert_fits (Fixture    *fixture,
             int         width,
             const char *state)
{
  int minimum;
  int natural;

  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, &natural, NULL, NULL);
  if (minimum > width)
    g_test_message ("%s needs %d px", state, minimum);
  g_assert_cmpint (minimum, <=, width);
}

/* From a phone's 360 px to a whole screen, in every state: nothing needs more room. */
static void
test_layout (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GaDemoServer) server = NULL;
  g_autoptr(GError) error = NULL;
  const GaDemoChat *chats;
  guint n_chats;

  server = ga_demo_server_new (&error);
  g_assert_no_error (error);
  g_clear_object (&fixture->credentials);
  fixture->credentials = ga_credentials_new_for_demo (ga_demo_server_get_url (server),
                                                      ga_demo_server_get_id_instance (server),
                                                      ga_demo_server_get_token (server));
  chats = ga_demo_server_get_chats (&n_chats);

  g_settings_set_int (fixture->settings, "window-width", 360);
  g_settings_set_int (fixture->settings, "window-height", 640);
  create_window (fixture, TRUE);
  assert_fits (fixture, 360, "the empty demo window");

  /* The longest chat ID there is, and its error. */
  type_and_enter (fixture, "https://wa.me/1234567890123456?text=hello");
  assert_fits (fixture, 360, "an error under the entry");

  for (guint i = 0; i < n_chats; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.look-up-chat", "s",
                                  chats[i].chat_id);
      wait_for_idle (fixture);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
      assert_fits (fixture, 360, chats[i].chat_id);
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 360);
    }

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.look-up-chat", "s",
                              chats[0].chat_id);
  wait_for_idle (fixture);
  save_screenshot (fixture, "narrow");

  /* A whole screen: the content stays a readable column in the middle. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 1000);
  run_for (200);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  g_assert_cmpint (gtk_widget_get_width (child (fixture, "entry")), <=, 600);
  g_assert_cmpint (gtk_widget_get_width (child (fixture, "picture")), <=, 320);
  save_screenshot (fixture, "wide");

  g_settings_reset (fixture->settings, "window-width");
  g_settings_reset (fixture->settings, "window-height");
}

static gboolean
reached (GPtrArray *focused,
         GtkWidget *widget)
{
  for (guint i = 0; i < focused->len; i++)
    if (focused->pdata[i] == widget || gtk_widget_is_ancestor (focused->pdata[i], widget))
      return TRUE;

  return FALSE;
}

/* Tab alone reaches every control: the entry, its buttons, the picture and what it offers, the
 * main menu and each sample chat. */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GaDemoServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) focused = g_ptr_array_new ();
  const GaDemoChat *chats;
  GtkWidget *window;
  guint n_chats;
  guint n_rows = 0;

  server = ga_demo_server_new (&error);
  g_assert_no_error (error);
  g_clear_object (&fixture->credentials);
  fixture->credentials = ga_credentials_new_for_demo (ga_demo_server_get_url (server),
                                                      ga_demo_server_get_id_instance (server),
                                                      ga_demo_server_get_token (server));
  create_window (fixture, TRUE);
  window = GTK_WIDGET (fixture->window);
  chats = ga_demo_server_get_chats (&n_chats);
  type_and_enter (fixture, chats[0].chat_id);
  wait_for_idle (fixture);
  assert_picture (fixture, chats[0].chat_id);

  gtk_widget_grab_focus (child (fixture, "entry"));
  for (guint i = 0; i < 80; i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus != NULL)
        g_ptr_array_add (focused, focus);
    }

  g_assert_true (reached (focused, child (fixture, "entry")));
  g_assert_true (reached (focused, child (fixture, "recent_button")));
  g_assert_true (reached (focused, child (fixture, "picture")));
  for (GtkWidget *c = gtk_widget_get_first_child (child (fixture, "picture_actions")); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    g_assert_true (reached (focused, c));

  /* The Look Up button and the main menu: found by what they do. */
  {
    gboolean lookup = FALSE;
    gboolean menu = FALSE;

    for (guint i = 0; i < focused->len; i++)
      {
        GtkWidget *w = focused->pdata[i];

        if (GTK_IS_ACTIONABLE (w) &&
            g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), "win.lookup") == 0)
          lookup = TRUE;
        if (gtk_widget_get_ancestor (w, GTK_TYPE_MENU_BUTTON) != NULL &&
            gtk_widget_get_ancestor (w, ADW_TYPE_HEADER_BAR) != NULL)
          menu = TRUE;
      }
    g_assert_true (lookup);
    g_assert_true (menu);
  }

  {
    g_autoptr(GHashTable) rows = g_hash_table_new (NULL, NULL);

    for (guint i = 0; i < focused->len; i++)
      if (ADW_IS_ACTION_ROW (focused->pdata[i]) &&
          gtk_widget_is_ancestor (focused->pdata[i], child (fixture, "demo_group")))
        g_hash_table_add (rows, focused->pdata[i]);
    n_rows = g_hash_table_size (rows);
  }
  g_assert_cmpuint (n_rows, ==, n_chats);
}

/* The window's own keys; the application's (Ctrl+Q, Ctrl+comma, Ctrl+W, Ctrl+?) are checked
 * in test-application. */
static void
test_shortcuts (Fixture       *fixture,
                gconstpointer  user_data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  g_assert_true (has_shortcut (window, GDK_KEY_Escape, 0, "win.cancel"));
  g_assert_true (has_shortcut (window, GDK_KEY_F5, 0, "win.retry"));
  g_assert_true (has_shortcut (window, GDK_KEY_l, GDK_CONTROL_MASK, "win.focus-entry"));
  g_assert_true (has_shortcut (window, GDK_KEY_s, GDK_CONTROL_MASK, "win.save-picture"));
  g_assert_true (has_shortcut (window, GDK_KEY_Down, GDK_ALT_MASK, "win.show-recent"));
  g_assert_true (has_shortcut (child (fixture, "picture"), GDK_KEY_c, GDK_CONTROL_MASK,
                               "win.copy-picture"));

  /* Ctrl+L puts the focus in the entry, with the text selected to type over it. */
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "entry")), "11001234567");
  gtk_root_set_focus (GTK_ROOT (window), NULL);
  g_assert_true (gtk_widget_activate_action (window, "win.focus-entry", NULL));
  g_assert_true (gtk_widget_has_focus (child (fixture, "entry")) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         child (fixture, "entry")));
}

/* Save, copy, drag and open: each gets the very bytes WhatsApp served. */
static void
test_picture_actions (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GdkTexture) copied = NULL;
  g_autoptr(GdkContentProvider) content = NULL;
  g_autoptr(GFile) saved = NULL;
  g_autoptr(GFile) dragged = NULL;
  g_autoptr(GFile) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *save_dir = NULL;
  g_autofree char *opened_path = NULL;
  g_autofree char *drag_name = NULL;
  GValue value = G_VALUE_INIT;
  GtkWidget *picture = child (fixture, "picture");

  /* Nothing to save yet. */
  g_assert_false (showing (fixture, "picture_actions"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.save-picture",
                                              NULL) &&
                  find_file_chooser_dialog () != NULL);

  expect_picture (fixture, "personal.jpg");
  type_and_enter (fixture, CHAT_ID);
  wait_for_idle (fixture);
  assert_picture (fixture, CHAT_ID);
  g_assert_true (showing (fixture, "picture_actions"));

  /* Ctrl+C copies the picture while it has the focus, and the picture can take the focus. */
  g_assert_true (gtk_widget_get_focusable (picture));
  g_assert_true (has_shortcut (picture, GDK_KEY_c, GDK_CONTROL_MASK, "win.copy-picture"));

  /* Copy: the clipboard holds the picture itself. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.copy-picture",
                                             NULL));
  gdk_clipboard_read_texture_async (gtk_widget_get_clipboard (GTK_WIDGET (fixture->window)),
                                    NULL, read_texture_cb, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (gdk_texture_get_width (copied), ==, 640);
  g_assert_cmpint (gdk_texture_get_height (copied), ==, 640);

  /* Drag: a file for file managers, named after the chat, and the picture for other apps. */
  content = emit_drag_prepare (picture);
  g_assert_nonnull (content);
  g_assert_true (gdk_content_formats_contain_gtype (gdk_content_provider_ref_formats (content),
                                                    GDK_TYPE_TEXTURE));
  g_value_init (&value, G_TYPE_FILE);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  dragged = g_value_dup_object (&value);
  g_value_unset (&value);
  drag_name = g_file_get_basename (dragged);
  g_assert_cmpstr (drag_name, ==, "11001234567.jpg");
  assert_file_is_demo_image (dragged, "personal.jpg");

  /* Open: the default image viewer (a stand-in here) gets the full-size file. */
  opened_path = g_build_filename (g_get_user_data_dir (), "opened.jpg", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-picture",
                                             NULL));
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

    while (!g_file_test (opened_path, G_FILE_TEST_EXISTS) &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  run_for (200);
  opened = g_file_new_for_path (opened_path);
  assert_file_is_demo_image (opened, "personal.jpg");

#if !GTK_CHECK_VERSION (4, 10, 0)
  /* Save: the dialog suggests a name from the chat ID; the file is what WhatsApp served.
   * (GTK 4.8's chooser; newer GTK has GtkFileDialog, which a test cannot answer.) */
  GtkWidget *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.save-picture",
                                             NULL));
  dialog = find_file_chooser_dialog ();
  g_assert_nonnull (dialog);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    g_autofree char *name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (dialog));

    g_assert_cmpstr (name, ==, "11001234567.jpg");
  }
  save_dir = g_dir_make_tmp ("green-avatar-save-XXXXXX", &error);
  g_assert_no_error (error);
  saved = g_file_new_build_filename (save_dir, "picture.jpg", NULL);
  /* What a person does in the dialog (GTK's own, without a portal): pick a place, Save. */
  /* As typed into the name field: a whole path goes where it says. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), g_file_peek_path (saved));
  run_for (200);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

    while (find_file_chooser_dialog () != NULL && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_null (find_file_chooser_dialog ());
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

    while (!g_file_query_exists (saved, NULL) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  run_for (200);
  assert_file_is_demo_image (saved, "personal.jpg");
  save_screenshot (fixture, "picture-saved");
  g_file_delete (saved, NULL, NULL);
#endif

  /* A chat without a picture has nothing to save or copy. */
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
  type_and_enter (fixture, "11001234568");
  wait_for_idle (fixture);
  g_assert_false (showing (fixture, "picture_actions"));
  g_assert_false (emit_drag_prepare (picture) != NULL);

  if (save_dir != NULL)
    g_remove (save_dir);
  g_remove (opened_path);
}

/* Closing the window while a file for the viewer or a copy is being written is safe. */
static void
test_close_mid_file (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GaWindow) window = NULL;

  expect_picture (fixture, "personal.jpg");
  type_and_enter (fixture, CHAT_ID);
  wait_for_idle (fixture);
  assert_picture (fixture, CHAT_ID);

  window = g_object_ref (fixture->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-picture", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-picture", NULL));
  gtk_window_destroy (GTK_WINDOW (window));
  fixture->window = NULL;

  /* Whatever was under way ends without the window (a critical would abort here). */
  run_for (500);
}

static guint
count_recent_items (Fixture *fixture)
{
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (child (fixture,
                                                                             "recent_button")));
  GMenuModel *section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  guint n = g_menu_model_get_n_items (section);

  g_object_unref (section);

  return n;
}

static char *
recent_item_target (Fixture *fixture,
                    guint    i)
{
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (child (fixture,
                                                                             "recent_button")));
  g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_autoptr(GVariant) target = NULL;

  target = g_menu_model_get_item_attribute_value (section, i, G_MENU_ATTRIBUTE_TARGET,
                                                  G_VARIANT_TYPE_STRING);
  g_assert_nonnull (target);

  return g_variant_dup_string (target, NULL);
}

/* Recent lookups: offered beside the entry, newest first, each once, and forgotten on request. */
static void
test_recent (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_settings_reset (fixture->settings, "recent-chats");
  g_settings_reset (fixture->settings, "history-enabled");
  run_for (10);
  g_assert_false (showing (fixture, "recent_button"));

  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
  type_and_enter (fixture, "+1 (100) 123-4567");
  wait_for_idle (fixture);
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
  type_and_enter (fixture, "120363043968066561@g.us");
  wait_for_idle (fixture);
  /* The same chat typed another way moves up, it is not listed twice. */
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
  type_and_enter (fixture, "wa.me/11001234567");
  wait_for_idle (fixture);

  /* Input the core refused is not history. */
  type_and_enter (fixture, "not a number");

  g_assert_true (showing (fixture, "recent_button"));
  g_assert_cmpuint (count_recent_items (fixture), ==, 2);
  first = recent_item_target (fixture, 0);
  second = recent_item_target (fixture, 1);
  g_assert_cmpstr (first, ==, CHAT_ID);
  g_assert_cmpstr (second, ==, "120363043968066561@g.us");
  save_screenshot (fixture, "recent");

  /* Choosing one looks it up. */
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.look-up-chat", "s", second);
  wait_for_idle (fixture);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (fixture, "chat_id_label"))), ==, second);

  /* Clear History empties the list, and the button goes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.clear-history",
                                             NULL));
  run_for (10);
  g_assert_cmpuint (count_recent_items (fixture), ==, 0);
  g_assert_false (showing (fixture, "recent_button"));

  /* With history off, nothing is kept. */
  g_settings_set_boolean (fixture->settings, "history-enabled", FALSE);
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
  type_and_enter (fixture, CHAT_ID);
  wait_for_idle (fixture);
  g_assert_false (showing (fixture, "recent_button"));
  {
    g_auto(GStrv) stored = g_settings_get_strv (fixture->settings, "recent-chats");

    g_assert_cmpuint (g_strv_length (stored), ==, 0);
  }
  g_settings_reset (fixture->settings, "history-enabled");
}

static const char *
badge_text (Fixture    *fixture,
            const char *badge)
{
  for (GtkWidget *c = gtk_widget_get_first_child (child (fixture, badge)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LABEL (c))
      return gtk_label_get_text (GTK_LABEL (c));

  g_assert_not_reached ();
}

/* Run with LANGUAGE=ru: the window speaks Russian, badges included. */
static void
test_russian (Fixture       *fixture,
              gconstpointer  user_data)
{
  const char *label;

  g_assert_cmpstr (gtk_widget_get_tooltip_text (child (fixture, "recent_button")), ==,
                   "Недавние запросы");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (fixture, "error_button"))), ==, NULL);

  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
  type_and_enter (fixture, CHAT_ID);
  wait_for_idle (fixture);
  assert_no_picture (fixture, GA_WINDOW_STATE_PRIVATE, CHAT_ID);
  g_assert_cmpstr (badge_text (fixture, "private_badge"), ==, "Скрыто");
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (child (fixture, "private_badge")),
                                   "Настройки конфиденциальности"));
  save_screenshot (fixture, "ru-private");

  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": true}");
  type_and_enter (fixture, CHAT_ID);
  wait_for_idle (fixture);
  assert_no_picture (fixture, GA_WINDOW_STATE_NOT_SET, CHAT_ID);
  g_assert_cmpstr (badge_text (fixture, "not_set_badge"), ==, "Нет фото / аккаунта");
  save_screenshot (fixture, "ru-not-set");

  /* And a message the core makes. */
  type_and_enter (fixture, "12");
  label = gtk_label_get_text (GTK_LABEL (child (fixture, "entry_error")));
  g_assert_true (g_utf8_validate (label, -1, NULL));
  g_assert_nonnull (strstr (label, "цифр"));
}

/* A default image viewer that copies what it is asked to open, so the test sees the real
 * launch through GIO's default-application lookup. */
static void
install_fake_viewer (void)
{
  g_autofree char *apps = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *script = g_build_filename (g_get_user_data_dir (), "fake-viewer.sh", NULL);
  g_autofree char *desktop = g_build_filename (apps, "ga-fake-viewer.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop_text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0700), ==, 0);

  script_text = g_strdup_printf ("#!/bin/sh\ncp \"$1\" '%s/opened.jpg.part' && "
                                 "mv '%s/opened.jpg.part' '%s/opened.jpg'\n",
                                 g_get_user_data_dir (), g_get_user_data_dir (),
                                 g_get_user_data_dir ());
  g_file_set_contents (script, script_text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);

  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Fake Viewer\n"
                                  "Exec=%s %%f\nMimeType=image/jpeg;image/png;\n", script);
  g_file_set_contents (desktop, desktop_text, -1, &error);
  g_assert_no_error (error);

  g_file_set_contents (mimeapps,
                       "[Default Applications]\nimage/jpeg=ga-fake-viewer.desktop\n"
                       "image/png=ga-fake-viewer.desktop\n",
                       -1, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *home = NULL;
  int status;

  /* Files for drags and the viewer, the viewer itself and its settings stay in here. */
  home = ga_test_make_home ("window");

  /* Accessible names and states are recorded (and checked), not sent to a screen reader. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  /* The translations as built, for the run with LANGUAGE=ru. */
  {
    g_autofree char *localedir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po",
                                                   NULL);

    setlocale (LC_ALL, "");
    bindtextdomain (GETTEXT_PACKAGE, localedir);
    bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    textdomain (GETTEXT_PACKAGE);
  }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* No crossfades: a page is on screen (mapped) or not. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* What AdwApplication would load from the resource base path. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/green-avatar/window/picture", Fixture, NULL,
              fixture_setup, test_picture, fixture_teardown);
  g_test_add ("/green-avatar/window/cache", Fixture, "no window",
              fixture_setup, test_cache, fixture_teardown);
  g_test_add ("/green-avatar/window/input-forms", Fixture, NULL,
              fixture_setup, test_input_forms, fixture_teardown);
  g_test_add ("/green-avatar/window/private", Fixture, NULL,
              fixture_setup, test_private, fixture_teardown);
  g_test_add ("/green-avatar/window/invalid-input", Fixture, NULL,
              fixture_setup, test_invalid_input, fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/green-avatar/window/error/",
                                           error_cases[i].name, NULL);

      g_test_add (path, Fixture, &error_cases[i],
                  fixture_setup, test_error, fixture_teardown);
    }
  g_test_add ("/green-avatar/window/error/rate-limit-retries-once", Fixture, NULL,
              fixture_setup, test_rate_limit_retries_once, fixture_teardown);
  g_test_add ("/green-avatar/window/error/network-down", Fixture, "no window",
              fixture_setup, test_network_down, fixture_teardown);
  g_test_add ("/green-avatar/window/cancel-by-new-lookup", Fixture, NULL,
              fixture_setup, test_cancel_by_new_lookup, fixture_teardown);
  g_test_add ("/green-avatar/window/cancel-by-escape", Fixture, NULL,
              fixture_setup, test_cancel_by_escape, fixture_teardown);
  g_test_add ("/green-avatar/window/close-mid-request", Fixture, NULL,
              fixture_setup, test_close_mid_request, fixture_teardown);
  g_test_add ("/green-avatar/window/close-mid-download", Fixture, NULL,
              fixture_setup, test_close_mid_download, fixture_teardown);
  g_test_add ("/green-avatar/window/token-loading", Fixture, "no window",
              fixture_setup, test_token_loading, fixture_teardown);
  g_test_add ("/green-avatar/window/welcome", Fixture, "no window",
              fixture_setup, test_welcome, fixture_teardown);
  g_test_add ("/green-avatar/window/size", Fixture, "no window",
              fixture_setup, test_window_size, fixture_teardown);
  g_test_add ("/green-avatar/window/demo", Fixture, "no window",
              fixture_setup, test_demo, fixture_teardown);
  g_test_add ("/green-avatar/window/picture-actions", Fixture, NULL,
              fixture_setup, test_picture_actions, fixture_teardown);
  g_test_add ("/green-avatar/window/close-mid-file", Fixture, NULL,
              fixture_setup, test_close_mid_file, fixture_teardown);
  g_test_add ("/green-avatar/window/recent", Fixture, NULL,
              fixture_setup, test_recent, fixture_teardown);
  g_test_add ("/green-avatar/window/shortcuts", Fixture, NULL,
              fixture_setup, test_shortcuts, fixture_teardown);
  g_test_add ("/green-avatar/window/layout", Fixture, "no window",
              fixture_setup, test_layout, fixture_teardown);
  g_test_add ("/green-avatar/window/keyboard", Fixture, "no window",
              fixture_setup, test_keyboard, fixture_teardown);
  g_test_add ("/green-avatar/window/stress", Fixture, "no window",
              fixture_setup, test_stress, fixture_teardown);

  if (g_getenv ("GA_TEST_WINDOW_MANAGER") != NULL)
    g_test_add ("/green-avatar/window/maximized", Fixture, "no window",
                fixture_setup, test_window_maximized, fixture_teardown);
  if (g_strcmp0 (g_getenv ("LANGUAGE"), "ru") == 0)
    g_test_add ("/green-avatar/window/russian", Fixture, NULL,
                fixture_setup, test_russian, fixture_teardown);

  install_fake_viewer ();

  status = g_test_run ();
  ga_test_remove_tree (home);

  return status;
}
