/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "ga-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GaApplication) app = NULL;

#if defined (__GLIBC__) && defined (M_ARENA_MAX)
  /* Before any thread starts. Pictures are decoded in worker threads and dropped on the main
   * thread, and glibc returns freed memory to the arena of the thread that allocated it. With
   * an arena for each thread, the resident size after 1,000 lookups grew 6 to 14 MiB past
   * what the caches may hold (bench/bench-memory.c); with one arena for all threads the
   * memory of dropped pictures is reused and it stays within them. */
  mallopt (M_ARENA_MAX, 1);
#endif

  /* Before anything is translated: GLib decides once whether to translate at all. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ga_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
