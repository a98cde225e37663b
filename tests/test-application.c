/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <adwaita.h>

#include "ga-application.h"
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

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/application/demo-command-line", test_demo_command_line);

  return g_test_run ();
}
