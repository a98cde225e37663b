/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-compare-dialog.h"

#include "ga-account-button.h"
#include "ga-demo-server.h"
#include "ga-http.h"
#include "ga-instance-switcher.h"
#include "ga-window.h"

#include "ga-test-server.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

/*
 * Compare in the UI, against the demo server's two instances, which disagree about one chat,
 * and a third instance that the server does not know. GA_TEST_SCREENSHOT_DIR: when set, the
 * dialog is saved there, wide and at 360 px. The texts are compared translated, so the run with
 * LANGUAGE=ru (test-compare-ru) checks the Russian ones are there and fit.
 */

#define TIMEOUT_MS 20000
#define CHAT_PRIVATE "15550100002@c.us"

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
set_flag_cb (gboolean *flag)
{
  *flag = TRUE;
}

static void
wait_for_frame (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (set_flag_cb), &painted);
  gtk_widget_queue_draw (window);
  ga_test_wait_for (&painted, TIMEOUT_MS);
  g_signal_handler_disconnect (clock, id);
}

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  const char *dir = g_getenv ("GA_TEST_SCREENSHOT_DIR");
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  graphene_rect_t bounds;
  GdkRGBA background;

  if (dir == NULL)
    return;

  spin ();
  wait_for_frame (window);
  wait_for_frame (window);

  snapshot = gtk_snapshot_new ();
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (window),
                                       "window_bg_color", &background))
    gdk_rgba_parse (&background, "#fafafa");
  gtk_snapshot_append_color (snapshot, &background,
                             &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (window),
                                                  gtk_widget_get_height (window)));
  GTK_WIDGET_GET_CLASS (window)->snapshot (window, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)),
                                         node, &bounds);
  path = g_strdup_printf ("%s/compare-%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The texts of the labels under @widget, in order, joined by "|". */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (out, "%s|", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static gboolean
all_pictures_shown (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);
  gboolean settled;

  collect_labels (widget, text);
  settled = strstr (text->str, _("Asking…")) == NULL &&
            strstr (text->str, _("Sees the picture")) != NULL;
  g_string_free (text, TRUE);

  return settled;
}

static gboolean
has_paintable (GtkWidget *widget)
{
  if (GTK_IS_IMAGE (widget) &&
      gtk_image_get_storage_type (GTK_IMAGE (widget)) == GTK_IMAGE_PAINTABLE)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_paintable (child))
      return TRUE;

  return FALSE;
}

static void
test_demo_instances (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaDemoServer) server = ga_demo_server_new (&error);
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaCredentials) credentials = NULL;
  g_autoptr(GaInstances) instances = ga_instances_new (NULL, NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  GaCompareDialog *dialog;
  GaCompare *compare;
  gint64 deadline;

  g_assert_no_error (error);
  credentials = ga_credentials_new_for_demo (ga_demo_server_get_url (server),
                                             ga_demo_server_get_id_instance (server),
                                             ga_demo_server_get_token (server));
  g_assert_nonnull (ga_instances_add (instances, "Sales", ga_demo_server_get_url (server),
                                      ga_demo_server_get_id_instance (server), &error));
  g_assert_nonnull (ga_instances_add (instances, "Support", ga_demo_server_get_url (server),
                                      ga_demo_server_get_other_id_instance (server), &error));
  g_assert_nonnull (ga_instances_add (instances, "Test number", ga_demo_server_get_url (server),
                                      "1101000009", &error));
  g_assert_no_error (error);

  dialog = ga_compare_dialog_present (NULL, instances, credentials, session, CHAT_PRIVATE);
  compare = ga_compare_dialog_get_compare (dialog);
  g_assert_nonnull (compare);
  g_assert_cmpuint (ga_compare_get_n_items (compare), ==, 3);

  deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while ((!all_pictures_shown (GTK_WIDGET (dialog)) || !has_paintable (GTK_WIDGET (dialog))) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  /* Private through one, a picture through the other, a failure with its reason. */
  g_assert_cmpint (ga_avatar_info_get_state (ga_compare_get_info (compare, 0)), ==,
                   GA_AVATAR_STATE_PRIVATE);
  g_assert_cmpint (ga_avatar_info_get_state (ga_compare_get_info (compare, 1)), ==,
                   GA_AVATAR_STATE_HAS_AVATAR);
  g_assert_nonnull (ga_compare_get_error (compare, 2));
  collect_labels (GTK_WIDGET (dialog), text);
  g_test_message ("%s", text->str);
  {
    g_autofree char *sales = g_strdup_printf ("Sales|%s|", _("Private: the contact's privacy "
                                                            "settings hide the picture from "
                                                            "this account"));
    g_autofree char *support = g_strdup_printf ("Support|%s|", _("Sees the picture"));
    g_autofree char *failed = g_strdup_printf (_("Failed: %s"), "");
    g_autofree char *test = g_strdup_printf ("Test number|%s", failed);

    g_assert_nonnull (strstr (text->str, sales));
    g_assert_nonnull (strstr (text->str, support));
    g_assert_nonnull (strstr (text->str, test));
    /* Translated when asked to be (LANGUAGE=ru). */
    if (g_str_has_prefix (g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "", "ru"))
      g_assert_nonnull (strstr (text->str, "Видит фото"));
  }
  g_assert_true (has_paintable (GTK_WIDGET (dialog)));

  {
    const char *language = g_getenv ("LANGUAGE");
    g_autofree char *wide = g_strdup_printf ("wide-%s", language != NULL ? language : "C");
    g_autofree char *narrow = g_strdup_printf ("narrow-%s", language != NULL ? language : "C");

    gtk_window_set_default_size (GTK_WINDOW (dialog), 760, 420);
    screenshot (GTK_WIDGET (dialog), wide);
    gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 720);
    spin ();
    screenshot (GTK_WIDGET (dialog), narrow);
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
  spin ();
}

static GaCompareDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GA_IS_COMPARE_DIALOG (window))
        return GA_COMPARE_DIALOG (window);
    }

  return NULL;
}

/* The window offers Compare once a chat was looked up, for that chat. */
static void
test_window_action (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaDemoServer) server = ga_demo_server_new (&error);
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(GaCredentials) credentials = NULL;
  GaCompareDialog *dialog;
  GaCompare *compare;
  GtkWidget *window;
  gint64 deadline;

  g_assert_no_error (error);
  credentials = ga_credentials_new_for_demo (ga_demo_server_get_url (server),
                                             ga_demo_server_get_id_instance (server),
                                             ga_demo_server_get_token (server));
  window = g_object_new (GA_TYPE_WINDOW,
                         "settings", settings,
                         "credentials", credentials,
                         "session", session,
                         "demo", TRUE,
                         NULL);
  gtk_window_present (GTK_WINDOW (window));
  spin ();

  /* Nothing looked up yet: nothing to compare. */
  gtk_widget_activate_action (window, "win.compare", NULL);
  spin ();
  g_assert_null (find_dialog ());

  ga_window_look_up (GA_WINDOW (window), CHAT_PRIVATE);
  deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while (ga_window_get_busy (GA_WINDOW (window)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  compare = ga_compare_dialog_get_compare (dialog);
  g_assert_nonnull (compare);
  /* Without the application's list, the current instance alone. */
  g_assert_cmpuint (ga_compare_get_n_items (compare), ==, 1);
  g_assert_cmpstr (ga_compare_get_chat_id (compare), ==, CHAT_PRIVATE);
  while (!ga_compare_is_done (compare, 0) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ga_avatar_info_get_state (ga_compare_get_info (compare, 0)), ==,
                   GA_AVATAR_STATE_PRIVATE);

  gtk_window_destroy (GTK_WINDOW (window));
  spin ();
  /* The dialog goes with its window. */
  g_assert_null (find_dialog ());
}

/* The switcher lists every instance, marks the current one and switches on a click; the choice
 * is written where GaCredentials (and the next start) read it. */
static void
test_switcher (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(GaInstances) instances = NULL;
  g_autoptr(GaCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *switcher;
  GtkWidget *list;
  GtkWidget *row;

  g_settings_reset (settings, "instances");
  g_settings_reset (settings, "id-instance");
  g_settings_reset (settings, "api-url");
  instances = ga_instances_new (settings, NULL);
  credentials = ga_credentials_new (settings);
  ga_instances_add (instances, "Sales", NULL, "7103000001", &error);
  ga_instances_add (instances, "Support", NULL, "7105000002", &error);
  g_assert_no_error (error);

  switcher = ga_instance_switcher_new (instances);
  gtk_window_set_child (GTK_WINDOW (window), switcher);
  gtk_window_present (GTK_WINDOW (window));
  spin ();

  g_assert_cmpstr (ga_instance_switcher_get_current_label (GA_INSTANCE_SWITCHER (switcher)), ==,
                   "Sales");
  list = gtk_widget_get_last_child (switcher);
  g_assert_true (GTK_IS_LIST_BOX (list));
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_widget_get_name (row), ==, "7105000002");
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 2));

  g_signal_emit_by_name (list, "row-activated", row);
  spin ();
  g_assert_cmpstr (ga_instance_switcher_get_current_label (GA_INSTANCE_SWITCHER (switcher)), ==,
                   "Support");
  id = g_settings_get_string (settings, "id-instance");
  g_assert_cmpstr (id, ==, "7105000002");
  g_assert_cmpstr (ga_credentials_get_id_instance (credentials), ==, "7105000002");
  g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==,
                   "https://7105.api.greenapi.com");

  gtk_window_destroy (GTK_WINDOW (window));
  spin ();
  g_settings_reset (settings, "instances");
  g_settings_reset (settings, "id-instance");
  g_settings_reset (settings, "api-url");
}

static GaAccountButton *
find_account_button (GtkWidget *widget)
{
  if (GA_IS_ACCOUNT_BUTTON (widget))
    return GA_ACCOUNT_BUTTON (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GaAccountButton *found = find_account_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
wait_for_answer (GtkWidget *window)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  spin ();
  while ((ga_window_get_busy (GA_WINDOW (window)) ||
          ga_window_get_state (GA_WINDOW (window)) == GA_WINDOW_STATE_EMPTY) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

/* Screenshot of the window with the account popover open (the switcher in it): the popover
 * is a surface of its own, drawn over the window where it sits. */
static void
screenshot_popover (GtkWidget       *window,
                    GaAccountButton *button,
                    const char      *name)
{
  const char *dir = g_getenv ("GA_TEST_SCREENSHOT_DIR");
  const char *language = g_getenv ("LANGUAGE");
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkWidget *menu_button = gtk_widget_get_first_child (GTK_WIDGET (button));
  GtkWidget *popover;
  graphene_rect_t bounds;
  GdkRGBA background;
  double window_x, window_y, popover_x, popover_y;
  GdkSurface *surface;

  if (dir == NULL)
    return;

  ga_account_button_popup (button);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button)));
  spin ();
  wait_for_frame (window);
  wait_for_frame (popover);

  gtk_native_get_surface_transform (GTK_NATIVE (window), &window_x, &window_y);
  gtk_native_get_surface_transform (GTK_NATIVE (popover), &popover_x, &popover_y);
  surface = gtk_native_get_surface (GTK_NATIVE (popover));

  snapshot = gtk_snapshot_new ();
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (window),
                                       "window_bg_color", &background))
    gdk_rgba_parse (&background, "#fafafa");
  gtk_snapshot_append_color (snapshot, &background,
                             &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (window),
                                                  gtk_widget_get_height (window)));
  GTK_WIDGET_GET_CLASS (window)->snapshot (window, snapshot);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (gdk_popup_get_position_x (GDK_POPUP (surface)) +
                                                popover_x - window_x,
                                                gdk_popup_get_position_y (GDK_POPUP (surface)) +
                                                popover_y - window_y));
  GTK_WIDGET_GET_CLASS (popover)->snapshot (popover, snapshot);
  gtk_snapshot_restore (snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0,
                                                                    gtk_widget_get_width (window),
                                                                    gtk_widget_get_height (window)));
  path = g_strdup_printf ("%s/switcher-%s-%s.png", dir, name,
                          language != NULL ? language : "C");
  g_assert_true (gdk_texture_save_to_png (texture, path));

  gtk_popover_popdown (GTK_POPOVER (popover));
  spin ();
}

/* The header's account button switches the window's instance: one instance answers
 * Private about the chat, the other a picture, and the window asks again on each switch. */
static void
test_window_switcher (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaDemoServer) server = ga_demo_server_new (&error);
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(GaCredentials) credentials = NULL;
  g_autoptr(GaInstances) instances = ga_instances_new (NULL, NULL);
  GaAccountButton *button;
  GtkWidget *switcher;
  GtkWidget *list;
  GtkWidget *window;

  g_assert_no_error (error);
  credentials = ga_credentials_new_for_demo (ga_demo_server_get_url (server),
                                             ga_demo_server_get_id_instance (server),
                                             ga_demo_server_get_token (server));
  g_assert_nonnull (ga_instances_add (instances, "Sales", ga_demo_server_get_url (server),
                                      ga_demo_server_get_id_instance (server), &error));
  g_assert_no_error (error);

  window = g_object_new (GA_TYPE_WINDOW,
                         "settings", settings,
                         "credentials", credentials,
                         "session", session,
                         "instances", instances,
                         "demo", TRUE,
                         NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (window);
  spin ();
  button = find_account_button (window);
  g_assert_nonnull (button);

  /* One instance: the button as it always was, no list to switch in. */
  g_assert_false (ga_account_button_get_has_switcher (button));
  g_assert_null (ga_account_button_get_switcher (button));

  g_assert_nonnull (ga_instances_add (instances, "Support", ga_demo_server_get_url (server),
                                      ga_demo_server_get_other_id_instance (server), &error));
  g_assert_no_error (error);
  spin ();
  g_assert_true (ga_account_button_get_has_switcher (button));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  {
    g_autoptr(GString) text = g_string_new (NULL);

    collect_labels (GTK_WIDGET (button), text);
    g_assert_nonnull (strstr (text->str, "Sales|"));
  }

  ga_window_look_up (GA_WINDOW (window), CHAT_PRIVATE);
  wait_for_answer (window);
  g_assert_cmpint (ga_window_get_state (GA_WINDOW (window)), ==, GA_WINDOW_STATE_PRIVATE);
  screenshot_popover (window, button, "wide");

  /* Support sees the picture: choosing it asks again, through it. */
  switcher = ga_account_button_get_switcher (button);
  g_assert_nonnull (switcher);
  list = gtk_widget_get_last_child (switcher);
  g_signal_emit_by_name (list, "row-activated",
                         gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  g_assert_cmpstr (ga_credentials_get_id_instance (credentials), ==,
                   ga_demo_server_get_other_id_instance (server));
  wait_for_answer (window);
  g_assert_cmpint (ga_window_get_state (GA_WINDOW (window)), ==, GA_WINDOW_STATE_PICTURE);
  {
    g_autoptr(GString) text = g_string_new (NULL);

    collect_labels (GTK_WIDGET (button), text);
    g_assert_nonnull (strstr (text->str, "Support|"));
  }

  /* And back: Sales' answer again, not the picture Support saw. */
  switcher = ga_account_button_get_switcher (button);
  list = gtk_widget_get_last_child (switcher);
  g_signal_emit_by_name (list, "row-activated",
                         gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_cmpstr (ga_credentials_get_id_instance (credentials), ==,
                   ga_demo_server_get_id_instance (server));
  wait_for_answer (window);
  g_assert_cmpint (ga_window_get_state (GA_WINDOW (window)), ==, GA_WINDOW_STATE_PRIVATE);

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  spin ();
  wait_for_frame (window);
  screenshot_popover (window, button, "narrow");

  gtk_window_destroy (GTK_WINDOW (window));
  spin ();
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("GREEN_API_URL");
  g_unsetenv ("GREEN_API_ID_INSTANCE");
  g_unsetenv ("GREEN_API_TOKEN");

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
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/green-avatar/compare/demo-instances", test_demo_instances);
  g_test_add_func ("/green-avatar/compare/window-action", test_window_action);
  g_test_add_func ("/green-avatar/instance-switcher/choose", test_switcher);
  g_test_add_func ("/green-avatar/instance-switcher/window", test_window_switcher);

  return g_test_run ();
}
