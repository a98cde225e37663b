/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "bench-list-parser"

#include "config.h"

#include "ga-export.h"
#include "ga-list-parser.h"

#include <string.h>

/*
 * The list parser on a 100,000-line CSV as a spreadsheet exports it (a header, `;`, names,
 * numbers in the forms people write them, some duplicates and some damaged cells), against a
 * baseline measured in the same run: splitting the same bytes into lines. Also the export of
 * the same 100,000 rows to avatars.csv. Each figure is the median of --rounds runs.
 * The batch view needs the first rows within a second, so the full parse is held to that.
 */

static int lines = GA_LIST_MAX_LINES;
static int rounds = 7;

static GOptionEntry options[] = {
  { "lines", 0, 0, G_OPTION_ARG_INT, &lines, "Lines of the CSV, with its header", "N" },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Runs of each, the median is reported", "N" },
  { NULL }
};

static GBytes *
make_csv (guint n)
{
  GString *out = g_string_new ("\357\273\277Имя;Телефон;Заметка\r\n");

  for (guint i = 1; i < n; i++)
    {
      guint number = i % 90000;

      switch (i % 10)
        {
        case 0:
          g_string_append_printf (out, "Иван Петров %u;+7 900 %03u-%02u-%02u;\r\n", i,
                                  number / 10000, (number / 100) % 100, number % 100);
          break;
        case 1:
          g_string_append_printf (out, "\"Smith, John %u\";7900%07u;\"a; b\"\r\n", i, number);
          break;
        case 2:
          g_string_append_printf (out, "Anna %u;7900%07u@c.us;\r\n", i, number);
          break;
        case 3:
          g_string_append_printf (out, "Boris %u;https://wa.me/7900%07u;\r\n", i, number);
          break;
        case 4:
          g_string_append_printf (out, "Zoë %u;7,9%05uE+10;\r\n", i, number % 100000);
          break;
        case 5:
          g_string_append_printf (out, "Ann %u;7900%07u.0;\r\n", i, number);
          break;
        case 6:
          g_string_append_printf (out, "Nobody %u;n/a;\r\n", i);
          break;
        default:
          g_string_append_printf (out, "Contact %u;+7 (900) %07u;note %u\r\n", i, number, i);
          break;
        }
    }

  return g_string_free_to_bytes (out);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- time the list parser");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree double *baseline = NULL;
  g_autofree double *parse = NULL;
  g_autofree double *export = NULL;
  guint entries = 0, chats = 0, rejected = 0;
  gsize csv_size = 0;
  double b, p, e;

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  rounds = MAX (rounds, 1);

  csv = make_csv (lines);
  baseline = g_new0 (double, rounds);
  parse = g_new0 (double, rounds);
  export = g_new0 (double, rounds);

  for (int r = 0; r < rounds; r++)
    {
      g_autoptr(GaList) list = NULL;
      g_autofree char *copy = NULL;
      g_autofree GaExportRow *rows = NULL;
      g_autoptr(GBytes) out = NULL;
      gint64 start;
      gsize len;
      const char *data = g_bytes_get_data (csv, &len);

      /* Baseline: the bytes copied into a string and split into lines, each line freed. */
      start = g_get_monotonic_time ();
      {
        g_auto(GStrv) split = NULL;

        copy = g_strndup (data, len);
        split = g_strsplit (copy, "\n", -1);
        entries = g_strv_length (split);
      }
      baseline[r] = (g_get_monotonic_time () - start) / 1000.0;

      start = g_get_monotonic_time ();
      list = ga_list_parse (csv, "contacts.csv", GA_LIST_FORMAT_AUTO, -1, NULL, &error);
      parse[r] = (g_get_monotonic_time () - start) / 1000.0;
      if (list == NULL)
        g_error ("The list was refused: %s", error->message);
      entries = ga_list_get_n_entries (list);
      chats = ga_list_get_n_chats (list);
      rejected = ga_list_get_n_rejected (list);

      /* The export of one row per entry, as the batch writes it. */
      rows = g_new0 (GaExportRow, entries);
      for (guint i = 0; i < entries; i++)
        {
          const GaListEntry *entry = ga_list_get_entry (list, i);

          rows[i].input = entry->text;
          rows[i].line = entry->line;
          rows[i].chat_id = entry->chat_id;
          rows[i].status = entry->chat_id != NULL ? "picture" : "invalid";
          rows[i].name = entry->name;
          rows[i].file = entry->chat_id != NULL ? "79001234567.jpg" : NULL;
          rows[i].error = entry->error;
        }
      start = g_get_monotonic_time ();
      out = ga_export_csv (rows, entries, GA_EXPORT_CSV_BOM);
      export[r] = (g_get_monotonic_time () - start) / 1000.0;
      csv_size = g_bytes_get_size (out);
    }

  b = median (baseline, rounds);
  p = median (parse, rounds);
  e = median (export, rounds);

  g_print ("CSV: %d lines, %zu bytes; %u entries, %u unique chats, %u rejected\n",
           lines, g_bytes_get_size (csv), entries, chats, rejected);
  g_print ("%-40s %10s %10s\n", "", "ms", "ratio");
  g_print ("%-40s %10.1f %10s\n", "split into lines (baseline)", b, "1.0");
  g_print ("%-40s %10.1f %10.1f\n", "ga_list_parse (detect, parse, dedupe)", p, p / b);
  g_print ("%-40s %10.1f %10.1f\n", "ga_export_csv (avatars.csv, one row each)", e, e / b);
  g_print ("avatars.csv: %zu bytes\n", csv_size);
  g_print ("RESULT list-parser parse %.1f baseline %.1f ratio %.1f export %.1f\n", p, b, p / b, e);

  return 0;
}
