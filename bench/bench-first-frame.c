/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "bench-first-frame"

#include "config.h"

#include <adwaita.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/*
 * Time to first frame: from exec to the first frame a window paints, for the app and for a
 * bare libadwaita window made by this program (--bare), run alternately, each --rounds
 * times. Both get the same environment and the same LD_PRELOAD hook (ga-bench-frame-hook),
 * which reports the first paint and ends the process.
 */

static int rounds = 15;
static gboolean bare = FALSE;
static char *app_path = NULL;
static char *hook_path = NULL;

static GOptionEntry entries[] = {
  { "bare", 0, 0, G_OPTION_ARG_NONE, &bare, "Be the bare window (used by the driver)", NULL },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Launches of each program", "N" },
  { "app", 0, 0, G_OPTION_ARG_FILENAME, &app_path, "The green-avatar program", "PATH" },
  { "hook", 0, 0, G_OPTION_ARG_FILENAME, &hook_path, "ga-bench-frame-hook.so", "PATH" },
  { NULL }
};

/* ─────────────────────────────── the bare window ─────────────────────────────── */

static void
activate_cb (GApplication *application)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (application));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = adw_status_page_new ();

  /* The app's window size, a header bar and a status page: libadwaita's usual first view. */
  adw_status_page_set_title (ADW_STATUS_PAGE (page), "Bare");
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 720);
  gtk_window_present (GTK_WINDOW (window));
}

static int
run_bare (void)
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.greenavatar.BenchBareWindow",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}

/* ─────────────────────────────────── driver ─────────────────────────────────── */

/* The time the hook printed after @tag, in µs, or 0. */
static gint64
find_stamp (const char *text,
            const char *tag)
{
  const char *found = strstr (text, tag);

  if (found == NULL || strchr (found, '\n') == NULL)
    return 0;

  return g_ascii_strtoll (found + strlen (tag), NULL, 10);
}

/* Milliseconds from exec to the first frame, or -1; @loop_ms and @map_ms get the times to
 * the first main-loop iteration and to the window's map. */
static double
launch (char   **argv,
        char   **envp,
        double  *loop_ms,
        double  *map_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *output = NULL;
  GPid pid;
  int out_fd;
  gint64 start, painted = 0, deadline;
  GString *text = g_string_new (NULL);
  double result = -1;

  start = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                 NULL, &out_fd, NULL, &error))
    {
      g_printerr ("Could not start %s: %s\n", argv[0], error->message);
      g_string_free (text, TRUE);
      return -1;
    }

  /* Read until the hook speaks or 20 s pass. */
  deadline = start + 20 * G_USEC_PER_SEC;
  for (;;)
    {
      char buffer[256];
      GPollFD fd = { out_fd, G_IO_IN | G_IO_HUP, 0 };
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      gssize n;

      if (left <= 0 || g_poll (&fd, 1, (int) left) <= 0)
        break;
      n = read (out_fd, buffer, sizeof buffer);
      if (n <= 0)
        break;
      g_string_append_len (text, buffer, n);
      if ((painted = find_stamp (text->str, "GA_BENCH_FIRST_FRAME ")) > 0)
        break;
    }

  if (painted > 0)
    {
      result = (painted - start) / 1000.0;
      *loop_ms = (find_stamp (text->str, "GA_BENCH_LOOP ") - start) / 1000.0;
      *map_ms = (find_stamp (text->str, "GA_BENCH_MAP ") - start) / 1000.0;
    }
  else
    g_printerr ("%s painted no frame within 20 s\n", argv[0]);

  /* Only ever the process started here. */
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  close (out_fd);
  g_string_free (text, TRUE);

  return result;
}

static int
compare (gconstpointer a,
         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  if (values->len == 0)
    return -1;
  g_array_sort (values, compare);
  return values->len % 2 ? g_array_index (values, double, values->len / 2)
                         : (g_array_index (values, double, values->len / 2 - 1) +
                            g_array_index (values, double, values->len / 2)) / 2;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- time to first frame");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = NULL;
  g_autofree char *self_path = NULL;
  const char *names[] = { "bare libadwaita window (baseline)", "green-avatar",
                          "green-avatar --demo" };
  GArray *times[3];
  GArray *loops[3];
  GArray *maps[3];
  double base;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (bare)
    return run_bare ();

  if (app_path == NULL || hook_path == NULL)
    {
      g_printerr ("--app and --hook are needed\n");
      return EXIT_FAILURE;
    }

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  envp = g_get_environ ();
  envp = g_environ_setenv (envp, "GA_BENCH_FIRST_FRAME", "1", TRUE);
  envp = g_environ_setenv (envp, "LD_PRELOAD", hook_path, TRUE);

  for (guint k = 0; k < G_N_ELEMENTS (times); k++)
    {
      times[k] = g_array_new (FALSE, FALSE, sizeof (double));
      loops[k] = g_array_new (FALSE, FALSE, sizeof (double));
      maps[k] = g_array_new (FALSE, FALSE, sizeof (double));
    }

  /* Alternate, so that a busy moment of the machine hits all three alike. Round -1 is not
   * counted: it starts the D-Bus services both use (portal, keyring) and fills the page
   * cache, which a desktop session has done long before. */
  for (int i = -1; i < rounds; i++)
    {
      char *bare_argv[] = { self_path, "--bare", NULL };
      char *app_argv[] = { app_path, NULL };
      char *demo_argv[] = { app_path, "--demo", NULL };
      char **all[] = { bare_argv, app_argv, demo_argv };

      for (guint k = 0; k < G_N_ELEMENTS (all); k++)
        {
          double loop_ms = 0, map_ms = 0;
          double ms = launch (all[k], envp, &loop_ms, &map_ms);

          if (ms > 0 && i >= 0)
            {
              g_array_append_val (times[k], ms);
              g_array_append_val (loops[k], loop_ms);
              g_array_append_val (maps[k], map_ms);
            }
        }
    }

  base = median (times[0]);
  g_print ("Time to first frame: exec to the first painted frame (GdkFrameClock after-paint), "
           "median of %d launches each, alternated\n", rounds);
  g_print ("  %-36s %8s %8s  %-15s %s\n", "", "ms", "ratio", "[min-max]",
           "median ms to: main loop / window mapped");
  for (guint k = 0; k < G_N_ELEMENTS (times); k++)
    {
      double m = median (times[k]);

      if (times[k]->len == 0)
        {
          g_print ("  %-36s no frame painted\n", names[k]);
          continue;
        }
      g_print ("  %-36s %8.1f %8.2f  [%.0f-%.0f]  %8.1f / %.1f\n", names[k], m,
               base > 0 ? m / base : 0, g_array_index (times[k], double, 0),
               g_array_index (times[k], double, times[k]->len - 1),
               median (loops[k]), median (maps[k]));
      g_print ("RESULT first-frame \"%s\" %.1f ms ratio %.3f\n", names[k], m,
               base > 0 ? m / base : 0);
    }

  return EXIT_SUCCESS;
}
