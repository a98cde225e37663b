/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer harness for ga_list_parse(): the first byte picks the file name and the format,
 * the rest is the list (any bytes: CSV, vCard, UTF-16, garbage). */

#define G_LOG_DOMAIN "fuzz-list-parser"

#include "config.h"

#include "ga-list-parser.h"

#include <string.h>

#include "fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static const char * const file_names[] = { NULL, "list.txt", "list.csv", "contacts.vcf" };

static void
check_list (GaList *list)
{
  guint n_rejected = 0;
  guint last_line = 0;

  for (guint i = 0; i < ga_list_get_n_entries (list); i++)
    {
      const GaListEntry *entry = ga_list_get_entry (list, i);

      /* Every entry is readable text with a line, and either a chat or a reason. */
      fuzz_assert (entry->line >= 1);
      fuzz_assert (entry->line >= last_line);
      last_line = entry->line;
      fuzz_assert (entry->text != NULL && entry->text[0] != '\0');
      fuzz_assert (g_utf8_validate (entry->text, -1, NULL));
      fuzz_assert (entry->name == NULL || g_utf8_validate (entry->name, -1, NULL));
      fuzz_assert ((entry->chat_id == NULL) != (entry->error == NULL));

      if (entry->chat_id == NULL)
        {
          n_rejected++;
          fuzz_assert (entry->chat == GA_LIST_NO_CHAT);
          fuzz_assert (entry->error[0] != '\0' && g_utf8_validate (entry->error, -1, NULL));
          continue;
        }

      /* It maps to the unique chat of the same ID, first seen at or before it. */
      fuzz_assert (entry->chat < ga_list_get_n_chats (list));
      fuzz_assert (strcmp (ga_list_get_chat_id (list, entry->chat), entry->chat_id) == 0);
      fuzz_assert (ga_list_get_chat_entry (list, entry->chat) <= i);
      fuzz_assert (entry->duplicate == (ga_list_get_chat_entry (list, entry->chat) != i));
    }

  fuzz_assert (n_rejected == ga_list_get_n_rejected (list));
  fuzz_assert (ga_list_get_n_entries (list) <= GA_LIST_MAX_LINES);

  /* Unique chats are unique. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint c = 0; c < ga_list_get_n_chats (list); c++)
      fuzz_assert (g_hash_table_add (seen, (gpointer) ga_list_get_chat_id (list, c)));
  }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaList) list = NULL;
  const char *file_name;
  GaListFormat format;
  const char * const *columns;

  if (size < 1)
    return 0;

  file_name = file_names[data[0] & 3];
  format = (data[0] >> 2) % 4;
  bytes = g_bytes_new (data + 1, size - 1);

  list = ga_list_parse (bytes, file_name, format, -1, NULL, &error);
  if (list == NULL)
    {
      fuzz_assert (error != NULL && error->domain == GA_LIST_ERROR);
      fuzz_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  fuzz_assert (error == NULL);
  check_list (list);

  /* A CSV read again with each other column it offers (the first few). */
  columns = ga_list_get_columns (list);
  if (columns != NULL)
    {
      fuzz_assert (ga_list_get_format (list) == GA_LIST_FORMAT_CSV);
      fuzz_assert (ga_list_get_phone_column (list) >= 0);
      for (guint c = 0; columns[c] != NULL && c < 4; c++)
        {
          g_autoptr(GaList) again = NULL;

          fuzz_assert (g_utf8_validate (columns[c], -1, NULL));
          again = ga_list_parse (bytes, file_name, GA_LIST_FORMAT_CSV, c, NULL, &error);
          fuzz_assert (again != NULL);
          fuzz_assert (ga_list_get_phone_column (again) == (int) c);
          check_list (again);
        }
    }

  return 0;
}
