/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "bench-contacts"

#include "config.h"

#include "ga-contact-list.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Names everywhere (issue 11), two figures:
 *
 * 1. Completion over 10,000 contacts, per keystroke, on the main thread (target: under 2 ms).
 *    The baseline, measured in the same run over the same queries, is the naive way:
 *    normalizing (NFKD, marks dropped, case folded) every name for every query.
 * 2. Parsing and indexing a 10,000-entry getContacts answer (about 1 MB) off the main thread,
 *    while a 1 ms timer notes the main loop's longest gap (target: none above 10 ms). The
 *    baselines are the same timer over an idle main loop, and the same work done on the main
 *    thread (the gap it would cause).
 */

static int contacts = 10000;
static int rounds = 20;

static GOptionEntry entries[] = {
  { "contacts", 0, 0, G_OPTION_ARG_INT, &contacts, "Contacts in the list", "N" },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds of typing", "N" },
  { NULL }
};

static const char * const first_names[] = {
  "Anna", "Boris", "Élodie", "Ёлка", "Мария", "José", "Zoë", "Søren", "Ольга", "Ivan",
  "Chloé", "Dmitri", "Françoise", "Łukasz", "Анастасия", "Mohammed", "Ngozi", "Wei", "Yuki",
};
static const char * const last_names[] = {
  "Karenina", "Petrov", "Müller", "Иванова", "García", "Dupont", "Nørgaard", "Smirnova",
  "O'Brien", "Kowalski", "Соколов", "Nakamura", "Rossi", "Schröder", "Kuznetsova",
};

static GBytes *
make_answer (guint n)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    {
      const char *first = first_names[(i * 7) % G_N_ELEMENTS (first_names)];
      const char *last = last_names[(i * 13) % G_N_ELEMENTS (last_names)];

      if (i % 25 == 24)
        g_string_append_printf (json, "%s{\"id\": \"1203630439%08u@g.us\", \"name\": "
                                "\"%s's group %u\", \"type\": \"group\"}",
                                i > 0 ? "," : "", i, last, i);
      else
        g_string_append_printf (json, "%s{\"id\": \"79%09u@c.us\", \"name\": \"%s %u\", "
                                "\"contactName\": \"%s %s (work %u)\", \"type\": \"user\"}",
                                i > 0 ? "," : "", (i * 7919) % 1000000000, first, i, first,
                                last, i);
    }
  g_string_append (json, "]");

  return g_string_free_to_bytes (json);
}

/* CPU time of the main thread: tells a slow keystroke from one that waited for a core (the
 * machine has 2, shared). */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p * values->len)));
}

/* The naive completion: every name normalized for every query. */
static guint
naive_complete (GPtrArray  *list,
                const char *query,
                guint       max)
{
  g_autofree char *needle = ga_contact_list_normalize (query, -1);
  guint found = 0;

  for (guint i = 0; i < list->len && found < max * 50; i++)
    {
      GaContact *contact = g_ptr_array_index (list, i);
      g_autofree char *a = ga_contact_list_normalize (ga_contact_get_contact_name (contact), -1);
      g_autofree char *b = ga_contact_list_normalize (ga_contact_get_name (contact), -1);

      if (strstr (a, needle) != NULL || strstr (b, needle) != NULL)
        found++;
    }

  return found;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ga_contact_list_update_finish (GA_CONTACT_LIST (object), result, &error))
    g_error ("update failed: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

typedef struct
{
  gint64  last;
  double  max_ms;
} Ticker;

static gboolean
tick_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();

  if (ticker->last != 0)
    ticker->max_ms = MAX (ticker->max_ms, (now - ticker->last) / 1000.0);
  ticker->last = now;

  return G_SOURCE_CONTINUE;
}

static gboolean
stop_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The longest gap of a 1 ms timer while the main loop runs until *@done (or @idle_ms). */
static double
measure_gaps (gboolean *done,
              guint     idle_ms)
{
  Ticker ticker = { 0, };
  guint id = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, &ticker, NULL);
  gboolean stop = FALSE;

  if (idle_ms > 0)
    {
      g_timeout_add (idle_ms, stop_cb, &stop);
      done = &stop;
    }
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  return ticker.max_ms;
}

int
main (int   argc,
      char *argv[])
{
  const char *typed[] = { "Anna Karenina", "+7 900 12", "ivanova", "ELODIE", "rossi", "group 1" };
  g_autoptr(GOptionContext) context = g_option_context_new ("- contacts benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GaContactList) list = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GArray) fast = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) naive = g_array_new (FALSE, FALSE, sizeof (double));
  double cpu_max = 0;
  gboolean done = FALSE;
  double fast_median, fast_p99, fast_max, naive_median;
  double idle_max, index_max, main_ms;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);

  answer = make_answer (contacts);
  g_print ("answer: %d contacts, %.2f MB\n", contacts, g_bytes_get_size (answer) / 1e6);

  /* 2. Off the main thread, against an idle main loop and the same work on it. */
  idle_max = measure_gaps (NULL, 500);

  list = ga_contact_list_new (NULL, NULL);
  start = g_get_monotonic_time ();
  ga_contact_list_update_async (list, answer, NULL, done_cb, &done);
  index_max = measure_gaps (&done, 0);
  g_print ("parse + index off the main thread: %.1f ms wall\n",
           (g_get_monotonic_time () - start) / 1000.0);

  {
    g_autoptr(GaContactList) blocking = ga_contact_list_new (NULL, NULL);
    gsize length;
    const char *data = g_bytes_get_data (answer, &length);
    gboolean blocking_done = FALSE;

    /* The same parse done where the main thread would wait for it. */
    start = g_get_monotonic_time ();
    parsed = ga_contact_parse_list (data, length, NULL);
    ga_contact_list_update_async (blocking, answer, NULL, done_cb, &blocking_done);
    while (!blocking_done)
      g_main_context_iteration (NULL, TRUE);
    main_ms = (g_get_monotonic_time () - start) / 1000.0;
  }

  g_print ("RESULT contacts-index max_gap_ms %.2f idle_max_ms %.2f main_thread_ms %.2f "
           "ratio_vs_idle %.2f\n",
           index_max, idle_max, main_ms, idle_max > 0 ? index_max / idle_max : 0);

  /* 1. Completion per keystroke. */
  for (int r = 0; r < rounds; r++)
    for (guint t = 0; t < G_N_ELEMENTS (typed); t++)
      for (gsize len = 1; len <= strlen (typed[t]); len++)
        {
          g_autofree char *query = g_strndup (typed[t], len);
          g_autoptr(GPtrArray) results = NULL;
          gint64 t0 = g_get_monotonic_time ();
          double cpu0 = thread_cpu_ms ();
          double ms;

          results = ga_contact_list_complete (list, query, 10);
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          cpu_max = MAX (cpu_max, thread_cpu_ms () - cpu0);
          g_array_append_val (fast, ms);

          /* The naive baseline on the first rounds only: it is slow. */
          if (r < 2)
            {
              t0 = g_get_monotonic_time ();
              naive_complete (parsed, query, 10);
              ms = (g_get_monotonic_time () - t0) / 1000.0;
              g_array_append_val (naive, ms);
            }
        }

  fast_max = percentile (fast, 1.0);
  fast_p99 = percentile (fast, 0.99);
  fast_median = percentile (fast, 0.5);
  naive_median = percentile (naive, 0.5);
  g_print ("RESULT contacts-complete median_ms %.3f p99_ms %.3f max_ms %.3f cpu_max_ms %.3f "
           "naive_median_ms %.3f speedup %.1f keystrokes %u\n",
           fast_median, fast_p99, fast_max, cpu_max, naive_median,
           fast_median > 0 ? naive_median / fast_median : 0, fast->len);

  return EXIT_SUCCESS;
}
