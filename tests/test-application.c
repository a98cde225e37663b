/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ga-application.h"
#include "ga-batch-view.h"
#include "ga-test-server.h"
#include "ga-window.h"

/* The application as `green-avatar --demo CHATID` starts it: its own loopback server, a
 * window, and the lookup of the chat from the command line. */

/* Starting a whole application under valgrind takes a while. */
#define WAIT_MS (g_getenv ("GA_TEST_UNDER_VALGRIND") != NULL ? 90000 : 15000)

typedef struct
{
  GaWindowState state;
  char *chat_id;            /* (owned) (nullable) */
  gboolean demo;
  guint n_windows;
  gboolean timed_out;
  gint64 deadline;
  guint poll_id;
} Observed;

static gboolean
poll_cb (gpointer user_data)
{
  GaApplication *app = user_data;
  Observed *observed = g_object_get_data (G_OBJECT (app), "observed");
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GObject *label;

  if (g_get_monotonic_time () > observed->deadline)
    {
      observed->timed_out = TRUE;
      observed->poll_id = 0;
      g_application_quit (G_APPLICATION (app));
      return G_SOURCE_REMOVE;
    }

  if (window == NULL || !GA_IS_WINDOW (window) || ga_window_get_busy (GA_WINDOW (window)))
    return G_SOURCE_CONTINUE;

  observed->state = ga_window_get_state (GA_WINDOW (window));
  if (observed->state != GA_WINDOW_STATE_PICTURE)
    return G_SOURCE_CONTINUE;

  label = gtk_widget_get_template_child (GTK_WIDGET (window), GA_TYPE_WINDOW, "chat_id_label");
  observed->chat_id = g_strdup (gtk_label_get_text (GTK_LABEL (label)));
  observed->demo = ga_application_get_demo (app);
  observed->n_windows = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* What Ctrl+Q does. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);

  observed->poll_id = 0;
  return G_SOURCE_REMOVE;
}

static void
test_demo_command_line (void)
{
  g_autoptr(GaApplication) app = ga_application_new ();
  char *argv[] = { (char *) "green-avatar", (char *) "--demo", (char *) "+1 555 010 0001", NULL };
  Observed observed = { 0, };
  int status;

  observed.deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  g_object_set_data (G_OBJECT (app), "observed", &observed);
  observed.poll_id = g_timeout_add (50, poll_cb, app);

  status = g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv);

  g_clear_handle_id (&observed.poll_id, g_source_remove);
  g_assert_false (observed.timed_out);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (observed.demo);
  g_assert_cmpint (observed.state, ==, GA_WINDOW_STATE_PICTURE);
  g_assert_cmpstr (observed.chat_id, ==, "15550100001@c.us");
  g_free (observed.chat_id);

  /* Nothing of the demo stays: its settings lived in memory, its server is gone. */
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

#define IMAGE_PATH "/pps/v/t61.24694-24/4242_n.jpg"

typedef struct
{
  GSubprocess *second;      /* (owned) (nullable) */
  gboolean second_done;
  gboolean second_ok;
  guint launch_id;
} Second;

static void
second_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Second *second = user_data;
  g_autoptr(GError) error = NULL;

  second->second_ok = g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, &error);
  if (error != NULL)
    g_test_message ("The second instance failed: %s", error->message);
  second->second_done = TRUE;
}

/* Once the first instance shows its window, `green-avatar CHATID` runs a second time. */
static gboolean
launch_second_cb (gpointer user_data)
{
  GaApplication *app = user_data;
  Second *second = g_object_get_data (G_OBJECT (app), "second");
  g_autofree char *binary = NULL;
  g_autoptr(GError) error = NULL;

  if (gtk_application_get_active_window (GTK_APPLICATION (app)) == NULL)
    return G_SOURCE_CONTINUE;

  binary = g_test_build_filename (G_TEST_BUILT, "..", "src", "green-avatar", NULL);
  second->second = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                     binary, "+1 (100) 123-4567", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (second->second, NULL, second_done_cb, second);

  second->launch_id = 0;
  return G_SOURCE_REMOVE;
}

/* A second `green-avatar CHATID` hands the chat to the running instance: one window, which
 * looks the chat up, and the second process ends. */
static void
test_single_instance (void)
{
  g_autoptr(GaApplication) app = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autofree char *json = NULL;
  char *argv[] = { (char *) "green-avatar", NULL };
  Observed observed = { 0, };
  Second second = { 0, };
  g_autoptr(GSettings) settings = NULL;
  GaTestServer *server;
  GaTestReply *reply;
  int status;

  /* Only getAvatar is queued: no card (the window tests cover it). */
  settings = g_settings_new (BASE_ID);
  g_settings_set_boolean (settings, "contact-details", FALSE);

  server = ga_test_server_new ();
  json = g_strdup_printf ("{\"urlAvatar\": \"%s" IMAGE_PATH "?oe=7FFFFFFF\", \"available\": true}",
                          ga_test_server_get_url (server));
  ga_test_server_expect_api (server, "getAvatar", 200, json);
  image = g_resources_lookup_data (RESOURCE_PREFIX "/demo/personal.jpg",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert_nonnull (image);
  reply = ga_test_server_expect (server, IMAGE_PATH);
  ga_test_reply_set_body_bytes (reply, "image/jpeg", image);

  /* Not saved anywhere: the overrides are for this session only. */
  g_setenv ("GREEN_API_URL", ga_test_server_get_url (server), TRUE);
  g_setenv ("GREEN_API_ID_INSTANCE", GA_TEST_ID_INSTANCE, TRUE);
  g_setenv ("GREEN_API_TOKEN", GA_TEST_TOKEN, TRUE);

  app = ga_application_new ();
  observed.deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  g_object_set_data (G_OBJECT (app), "observed", &observed);
  g_object_set_data (G_OBJECT (app), "second", &second);
  observed.poll_id = g_timeout_add (50, poll_cb, app);
  second.launch_id = g_timeout_add (50, launch_second_cb, app);

  status = g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv);

  g_clear_handle_id (&observed.poll_id, g_source_remove);
  g_clear_handle_id (&second.launch_id, g_source_remove);
  g_assert_false (observed.timed_out);
  g_assert_cmpint (status, ==, 0);
  g_assert_false (observed.demo);
  g_assert_cmpuint (observed.n_windows, ==, 1);
  g_assert_cmpint (observed.state, ==, GA_WINDOW_STATE_PICTURE);
  g_assert_cmpstr (observed.chat_id, ==, "11001234567@c.us");
  g_free (observed.chat_id);

  /* The second process handed its chat over and ended well. */
  g_assert_nonnull (second.second);
  ga_test_wait_for (&second.second_done, WAIT_MS);
  g_assert_true (second.second_ok);
  g_clear_object (&second.second);

  ga_test_server_assert_done (server);
  ga_test_server_free (server);
  g_unsetenv ("GREEN_API_URL");
  g_unsetenv ("GREEN_API_ID_INSTANCE");
  g_unsetenv ("GREEN_API_TOKEN");
}

/* GNOME Shell's side of the search provider: LaunchSearch opens the window with the terms in
 * the entry, ActivateResult opens it on the chat, and the chat's metas then show its picture,
 * which the window's lookup cached. */
typedef struct
{
  GDBusConnection *shell;   /* (owned) (nullable) */
  guint stage;
  gboolean in_flight;
  gboolean done;
  gboolean timed_out;
  gint64 deadline;
  char *description;        /* (owned) (nullable) */
  char *icon_path;          /* (owned) (nullable) */
  guint poll_id;
} Search;

#define SEARCH_CHAT_ID "11001234567@c.us"
/* Not the picture of the other tests, which is cached by now. */
#define SEARCH_IMAGE_PATH "/pps/v/t61.24694-24/5353_n.jpg"
#define SEARCH_PATH "/io/github/greenavatar/GreenAvatar/SearchProvider"
#define SEARCH_IFACE "org.gnome.Shell.SearchProvider2"

static void
search_call_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Search *search = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  g_assert_no_error (error);
  search->in_flight = FALSE;

  if (search->stage == 3)
    {
      g_autoptr(GVariant) metas = g_variant_get_child_value (reply, 0);
      g_autoptr(GVariant) meta = NULL;
      g_autoptr(GVariantDict) dict = NULL;
      g_autoptr(GVariant) serialized = NULL;
      g_autoptr(GIcon) icon = NULL;

      g_assert_cmpuint (g_variant_n_children (metas), ==, 1);
      meta = g_variant_get_child_value (metas, 0);
      dict = g_variant_dict_new (meta);
      g_free (search->description);
      g_variant_dict_lookup (dict, "description", "s", &search->description);
      serialized = g_variant_dict_lookup_value (dict, "icon", NULL);
      g_assert_nonnull (serialized);
      icon = g_icon_deserialize (serialized);
      /* The picture is written to the cache a moment after the window shows it. */
      if (G_IS_FILE_ICON (icon))
        {
          search->icon_path = g_file_get_path (g_file_icon_get_file (G_FILE_ICON (icon)));
          search->stage = 4;
        }
    }
}

static void
search_call (GaApplication *app,
             Search        *search,
             const char    *method,
             GVariant      *parameters)
{
  search->in_flight = TRUE;
  g_dbus_connection_call (search->shell,
                          g_application_get_application_id (G_APPLICATION (app)),
                          SEARCH_PATH, SEARCH_IFACE, method, parameters, NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, search_call_cb, search);
}

static gboolean
search_poll_cb (gpointer user_data)
{
  GaApplication *app = user_data;
  Search *search = g_object_get_data (G_OBJECT (app), "search");
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (g_get_monotonic_time () > search->deadline)
    {
      g_test_message ("Timed out at stage %u", search->stage);
      search->timed_out = TRUE;
      search->poll_id = 0;
      g_application_quit (G_APPLICATION (app));
      return G_SOURCE_REMOVE;
    }

  if (search->in_flight)
    return G_SOURCE_CONTINUE;

  switch (search->stage)
    {
    case 0:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *address = NULL;

        /* No window until the shell asks for one. */
        g_assert_null (window);
        address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
        g_assert_no_error (error);
        search->shell = g_dbus_connection_new_for_address_sync (
          address,
          G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
          G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
          NULL, NULL, &error);
        g_assert_no_error (error);
        search->stage = 1;
        search_call (app, search, "LaunchSearch",
                     g_variant_new ("(^asu)", (const char *[]) { "Anna", "Pet", NULL }, 0));
      }
      break;

    case 1:
      if (window != NULL && GA_IS_WINDOW (window))
        {
          GObject *entry = gtk_widget_get_template_child (GTK_WIDGET (window), GA_TYPE_WINDOW,
                                                          "entry");

          if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "Anna Pet") == 0)
            {
              /* Not looked up: the person checks it and presses Enter. */
              g_assert_false (ga_window_get_busy (GA_WINDOW (window)));
              search->stage = 2;
              search_call (app, search, "ActivateResult",
                           g_variant_new ("(s^asu)", SEARCH_CHAT_ID,
                                          (const char *[]) { "+1", NULL }, 0));
            }
        }
      break;

    case 2:
      if (window != NULL && GA_IS_WINDOW (window) && !ga_window_get_busy (GA_WINDOW (window)) &&
          ga_window_get_state (GA_WINDOW (window)) == GA_WINDOW_STATE_PICTURE)
        {
          g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))),
                            ==, 1);
          search->stage = 3;
        }
      break;

    case 3:
      search_call (app, search, "GetResultMetas",
                   g_variant_new ("(^as)", (const char *[]) { SEARCH_CHAT_ID, NULL }));
      break;

    default:
      search->done = TRUE;
      search->poll_id = 0;
      g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
test_search_provider (void)
{
  g_autoptr(GaApplication) app = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autofree char *json = NULL;
  g_autofree char *cache_dir = NULL;
  char *argv[] = { (char *) "green-avatar", (char *) "--gapplication-service", NULL };
  Search search = { 0, };
  GaTestServer *server;
  GaTestReply *reply;
  int status;

  server = ga_test_server_new ();
  json = g_strdup_printf ("{\"urlAvatar\": \"%s" SEARCH_IMAGE_PATH "?oe=7FFFFFFF\", \"available\": true}",
                          ga_test_server_get_url (server));
  ga_test_server_expect_api (server, "getAvatar", 200, json);
  image = g_resources_lookup_data (RESOURCE_PREFIX "/demo/personal.jpg",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert_nonnull (image);
  reply = ga_test_server_expect (server, SEARCH_IMAGE_PATH);
  ga_test_reply_set_body_bytes (reply, "image/jpeg", image);

  g_setenv ("GREEN_API_URL", ga_test_server_get_url (server), TRUE);
  g_setenv ("GREEN_API_ID_INSTANCE", GA_TEST_ID_INSTANCE, TRUE);
  g_setenv ("GREEN_API_TOKEN", GA_TEST_TOKEN, TRUE);

  /* Started by D-Bus, as the shell starts it for a search. */
  app = ga_application_new ();
  search.deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  g_object_set_data (G_OBJECT (app), "search", &search);
  search.poll_id = g_timeout_add (50, search_poll_cb, app);

  status = g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv);

  g_clear_handle_id (&search.poll_id, g_source_remove);
  g_assert_false (search.timed_out);
  g_assert_true (search.done);
  g_assert_cmpint (status, ==, 0);

  /* The window's lookup recorded the chat, and the shell gets its cached picture. */
  g_assert_cmpstr (search.description, ==, SEARCH_CHAT_ID);
  cache_dir = g_build_filename (g_get_user_cache_dir (), "green-avatar", NULL);
  g_assert_nonnull (search.icon_path);
  g_assert_true (g_str_has_prefix (search.icon_path, cache_dir));

  if (search.shell != NULL)
    g_dbus_connection_close_sync (search.shell, NULL, NULL);
  g_clear_object (&search.shell);
  g_free (search.description);
  g_free (search.icon_path);
  ga_test_server_assert_done (server);
  ga_test_server_free (server);
  g_unsetenv ("GREEN_API_URL");
  g_unsetenv ("GREEN_API_ID_INSTANCE");
  g_unsetenv ("GREEN_API_TOKEN");
}

static void
assert_accels (GtkApplication *app,
               const char     *action,
               const char     *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, action);
  g_autofree char *joined = g_strjoinv (" ", accels);

  guint wanted_key;
  GdkModifierType wanted_mods;
  gboolean found = FALSE;

  g_assert_true (gtk_accelerator_parse (accel, &wanted_key, &wanted_mods));
  for (guint i = 0; accels[i] != NULL && !found; i++)
    {
      guint key;
      GdkModifierType mods;

      found = gtk_accelerator_parse (accels[i], &key, &mods) &&
              key == wanted_key && mods == wanted_mods;
    }

  g_test_message ("%s: %s", action, joined);
  g_assert_true (found);
}

/* The application's shortcuts: Ctrl+Q, Ctrl+comma, Ctrl+W, Ctrl+? (from the help overlay). */
static void
startup_accels_cb (GApplication *app,
                   gboolean     *checked)
{
  assert_accels (GTK_APPLICATION (app), "app.quit", "<Primary>q");
  assert_accels (GTK_APPLICATION (app), "app.preferences", "<Primary>comma");
  assert_accels (GTK_APPLICATION (app), "window.close", "<Primary>w");
  assert_accels (GTK_APPLICATION (app), "app.batch", "<Primary>b");
  *checked = TRUE;
}

static gboolean
check_help_overlay_cb (gpointer user_data)
{
  GaApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gboolean *checked = g_object_get_data (G_OBJECT (app), "checked");

  if (window == NULL)
    return G_SOURCE_CONTINUE;

  /* GtkApplication gives Ctrl+? to the shortcuts window it found in the resources. */
  assert_accels (GTK_APPLICATION (app), "win.show-help-overlay", "<Primary>question");
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  /* The About window opens, with the version: from libadwaita 1.5 on, the About dialog,
   * inside the window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
#if ADW_CHECK_VERSION (1, 5, 0)
  /* Newer than the 1.2 floor that the build pins, hence the pragmas. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    AdwApplicationWindow *app_window = ADW_APPLICATION_WINDOW (window);
    AdwDialog *dialog = adw_application_window_get_visible_dialog (app_window);

    g_assert_true (ADW_IS_ABOUT_DIALOG (dialog));
    g_assert_cmpstr (adw_about_dialog_get_version (ADW_ABOUT_DIALOG (dialog)), ==,
                     PACKAGE_VERSION);
    g_assert_cmpint (adw_about_dialog_get_license_type (ADW_ABOUT_DIALOG (dialog)), ==,
                     GTK_LICENSE_GPL_3_0);
    g_assert_nonnull (adw_about_dialog_get_translator_credits (ADW_ABOUT_DIALOG (dialog)));
    g_assert_nonnull (adw_about_dialog_get_website (ADW_ABOUT_DIALOG (dialog)));
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (ADW_IS_ABOUT_WINDOW (toplevel))
          {
            g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (toplevel)), ==,
                             PACKAGE_VERSION);
            g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (toplevel)), ==,
                             GTK_LICENSE_GPL_3_0);
            g_assert_nonnull (adw_about_window_get_translator_credits (ADW_ABOUT_WINDOW (toplevel)));
            g_assert_nonnull (adw_about_window_get_website (ADW_ABOUT_WINDOW (toplevel)));
            found = TRUE;
          }
      }
    g_assert_true (found);
  }
#endif

  /* Its icon, the application's, is found also run from the build folder, where no icon
   * theme has it: GtkApplication looks in the resources' icons/ folder. */
  {
    GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

    g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  }

  /* The batch window opens from the application, once however often it is asked for. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "batch", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "batch", NULL);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    guint found = 0;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (GA_IS_BATCH_VIEW (toplevel))
          found++;
      }
    g_assert_cmpuint (found, ==, 1);
  }

  *checked = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);

  return G_SOURCE_REMOVE;
}

static void
test_shortcuts_and_about (void)
{
  g_autoptr(GaApplication) app = ga_application_new ();
  char *argv[] = { (char *) "green-avatar", (char *) "--demo", NULL };
  gboolean startup_checked = FALSE;
  gboolean checked = FALSE;
  int status;

  g_signal_connect_after (app, "startup", G_CALLBACK (startup_accels_cb), &startup_checked);
  g_object_set_data (G_OBJECT (app), "checked", &checked);
  g_timeout_add (50, check_help_overlay_cb, app);

  status = g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (startup_checked);
  g_assert_true (checked);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = NULL;
  int status;

  /* The picture cache and anything else the app keeps stay in here. */
  home = ga_test_make_home ("application");

  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/application/demo-command-line", test_demo_command_line);
  g_test_add_func ("/green-avatar/application/single-instance", test_single_instance);
  g_test_add_func ("/green-avatar/application/shortcuts-and-about", test_shortcuts_and_about);
  g_test_add_func ("/green-avatar/application/search-provider", test_search_provider);

  status = g_test_run ();
  ga_test_remove_tree (home);

  return status;
}
