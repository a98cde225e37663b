/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * What a batch leaves behind: avatars.csv with one row per input entry, and picture files
 * named after their chat. GTK-free, shared by the batch view and the command line.
 */

/**
 * GaExportRow:
 * @input: the entry as written
 * @line: its line in the input
 * @chat_id: (nullable): the canonical chat ID
 * @status: (nullable): what the lookup found, a short word the caller picks (e.g. `picture`,
 *   `private`, `none`, `invalid`, `failed`)
 * @name: (nullable): the name the input or the lookup gave
 * @file: (nullable): the picture's file name, relative to the CSV
 * @error: (nullable): why there is no picture
 *
 * One row of avatars.csv. The strings are not copied.
 */
typedef struct
{
  const char *input;
  guint       line;
  const char *chat_id;
  const char *status;
  const char *name;
  const char *file;
  const char *error;
} GaExportRow;

typedef enum
{
  GA_EXPORT_CSV_NONE = 0,
  GA_EXPORT_CSV_BOM  = 1 << 0,
} GaExportCsvFlags;

char       *ga_export_file_name_for_chat    (const char           *chat_id,
                                             const char           *extension);

char       *ga_export_csv_cell              (const char           *value);
GBytes     *ga_export_csv                   (const GaExportRow    *rows,
                                             gsize                 n_rows,
                                             GaExportCsvFlags      flags);

gboolean    ga_export_write_file            (GFile                *file,
                                             GBytes               *contents,
                                             gboolean              overwrite,
                                             GCancellable         *cancellable,
                                             GError              **error);
void        ga_export_write_file_async      (GFile                *file,
                                             GBytes               *contents,
                                             gboolean              overwrite,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean    ga_export_write_file_finish     (GAsyncResult         *result,
                                             GError              **error);

void        ga_export_write_csv_async       (GFile                *file,
                                             const GaExportRow    *rows,
                                             gsize                 n_rows,
                                             GaExportCsvFlags      flags,
                                             gboolean              overwrite,
                                             gpointer              strings_owner,
                                             GDestroyNotify        strings_owner_free,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean    ga_export_write_csv_finish      (GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
