/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-bench-frame-hook"

#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>
#include <unistd.h>

/*
 * Loaded with LD_PRELOAD into the program under test (the app, or the bench's bare window)
 * by bench-first-frame, so that both are measured the same way and the app needs no
 * measuring code of its own. At the first "after-paint" of a window's frame clock it writes
 * "GA_BENCH_FIRST_FRAME <CLOCK_MONOTONIC in µs>" to stdout and ends the process at once.
 * On the way it notes when the main loop first ran (GA_BENCH_LOOP) and when the first window
 * was mapped (GA_BENCH_MAP), to tell where the time goes.
 */

static void G_GNUC_NORETURN
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  /* g_get_monotonic_time() is CLOCK_MONOTONIC, the driver's clock too. */
  printf ("GA_BENCH_FIRST_FRAME %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  _exit (0);
}

static void
watch_window (GtkWidget *widget)
{
  GdkFrameClock *clock;

  if (!GTK_IS_WINDOW (widget) || g_object_get_data (G_OBJECT (widget), "ga-bench-watched"))
    return;

  clock = gtk_widget_get_frame_clock (widget);
  if (clock == NULL)
    return;

  printf ("GA_BENCH_MAP %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());

  g_object_set_data (G_OBJECT (widget), "ga-bench-watched", GINT_TO_POINTER (1));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
}

static gboolean
map_hook (GSignalInvocationHint *hint,
          guint                  n_values,
          const GValue          *values,
          gpointer               user_data)
{
  watch_window (g_value_get_object (&values[0]));
  return TRUE;
}

/* Runs first in the main loop's first iteration: GTK is initialised by then, and no frame
 * has been painted yet (painting needs the loop). */
static gboolean
install_cb (gpointer user_data)
{
  GList *toplevels;

  printf ("GA_BENCH_LOOP %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_type_class_unref (g_type_class_ref (GTK_TYPE_WINDOW));
  g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, map_hook, NULL,
                              NULL);

  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (gtk_widget_get_mapped (l->data))
      watch_window (l->data);
  g_list_free (toplevels);

  return G_SOURCE_REMOVE;
}

static void __attribute__ ((constructor))
ga_bench_frame_hook_init (void)
{
  if (g_getenv ("GA_BENCH_FIRST_FRAME") == NULL)
    return;

  g_idle_add_full (G_PRIORITY_HIGH, install_cb, NULL, NULL);
}
