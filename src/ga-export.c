/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-export"

#include "config.h"

#include "ga-export.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/**
 * ga_export_file_name_for_chat:
 * @chat_id: a canonical chat ID, e.g. `79001234567@c.us` or `120363043968066561@g.us`
 * @extension: the extension without the dot
 *
 * A file name that needs no quoting anywhere: the part of the chat ID before the `@`, with
 * anything but ASCII letters, digits and `-` replaced by `_`, at most 64 characters, never a
 * dot file and never starting with `-`. An `@lid` chat gets `-lid` after it: its digits can
 * be those of a phone number too, and the two are different chats. The window's Save and
 * the batch export both use it.
 *
 * Returns: (transfer full): e.g. `79001234567.jpg`, `120650379300963-lid.jpg`
 */
char *
ga_export_file_name_for_chat (const char *chat_id,
                              const char *extension)
{
  g_autoptr(GString) name = g_string_new (NULL);

  g_return_val_if_fail (chat_id != NULL, NULL);
  g_return_val_if_fail (extension != NULL, NULL);

  for (const char *p = chat_id; *p != '\0' && *p != '@' && name->len < 64; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-')
        g_string_append_c (name, *p);
      else
        g_string_append_c (name, '_');
    }

  /* Not a dot file, not an option, and never empty. */
  if (name->len == 0 || name->str[0] == '-')
    g_string_prepend (name, "avatar");

  if (g_str_has_suffix (chat_id, "@lid"))
    g_string_append (name, "-lid");

  g_string_append_c (name, '.');
  for (const char *p = extension; *p != '\0' && p - extension < 8; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) ? *p : '_');

  return g_string_free (g_steal_pointer (&name), FALSE);
}

/**
 * ga_export_csv_cell:
 * @value: (nullable): a cell's text
 *
 * One CSV cell (RFC 4180): quoted when it holds a comma, a semicolon, a quote or a line break,
 * quotes doubled. A cell that a spreadsheet would run as a formula (it starts with `=`, `+`,
 * `-`, `@`, a tab or a carriage return) gets a leading `'` first (OWASP, CSV injection).
 *
 * Returns: (transfer full): the cell as written to the file
 */
char *
ga_export_csv_cell (const char *value)
{
  GString *cell;

  if (value == NULL)
    value = "";

  cell = g_string_sized_new (strlen (value) + 3);
  if (value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL)
    g_string_append_c (cell, '\'');
  g_string_append (cell, value);

  if (strpbrk (cell->str, ",;\"\r\n") != NULL)
    {
      for (gsize i = 0; i < cell->len; i++)
        {
          if (cell->str[i] == '"')
            {
              g_string_insert_c (cell, i, '"');
              i++;
            }
        }
      g_string_prepend_c (cell, '"');
      g_string_append_c (cell, '"');
    }

  return g_string_free (cell, FALSE);
}

static void
append_cell (GString    *out,
             const char *value,
             gboolean    last)
{
  g_autofree char *cell = ga_export_csv_cell (value);

  g_string_append (out, cell);
  g_string_append (out, last ? "\r\n" : ",");
}

/**
 * ga_export_csv:
 * @rows: (array length=n_rows): one row per input entry, in input order
 * @n_rows: how many
 * @flags: %GA_EXPORT_CSV_BOM to start with a UTF-8 byte order mark (which spreadsheets need
 *   to read names in other scripts right)
 *
 * avatars.csv: a header row `input,line,chat_id,status,name,file,error`, then the rows, with
 * CRLF line ends.
 *
 * Returns: (transfer full): the file's content
 */
GBytes *
ga_export_csv (const GaExportRow *rows,
               gsize              n_rows,
               GaExportCsvFlags   flags)
{
  GString *out = g_string_sized_new (64 + n_rows * 64);

  g_return_val_if_fail (rows != NULL || n_rows == 0, NULL);

  if (flags & GA_EXPORT_CSV_BOM)
    g_string_append (out, "\357\273\277");
  g_string_append (out, "input,line,chat_id,status,name,file,error\r\n");

  for (gsize i = 0; i < n_rows; i++)
    {
      const GaExportRow *row = &rows[i];
      char line[16];

      g_snprintf (line, sizeof line, "%u", row->line);
      append_cell (out, row->input, FALSE);
      append_cell (out, line, FALSE);
      append_cell (out, row->chat_id, FALSE);
      append_cell (out, row->status, FALSE);
      append_cell (out, row->name, FALSE);
      append_cell (out, row->file, FALSE);
      append_cell (out, row->error, TRUE);
    }

  return g_string_free_to_bytes (out);
}

/* Whether the file at @path holds exactly @contents. */
static gboolean
same_contents (const char *path,
               GBytes     *contents)
{
  g_autofree char *existing = NULL;
  gsize existing_len = 0;
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) ||
      (gsize) st.st_size != g_bytes_get_size (contents))
    return FALSE;

  if (!g_file_get_contents (path, &existing, &existing_len, NULL))
    return FALSE;

  return existing_len == g_bytes_get_size (contents) &&
         memcmp (existing, g_bytes_get_data (contents, NULL), existing_len) == 0;
}

static gboolean
set_exists_error (const char  *path,
                  GError     **error)
{
  g_autofree char *display = g_filename_display_basename (path);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("“%s” already exists with other content. Replace it, or choose another folder."),
               display);
  return FALSE;
}

static gboolean
set_errno_error (const char  *path,
                 int          saved_errno,
                 GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not write “%s”: %s"), display, g_strerror (saved_errno));
  return FALSE;
}

/* Writes @contents to a new temporary file beside @path; returns its name. */
static char *
write_temp (const char  *path,
            GBytes      *contents,
            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *template_name = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *tmp = g_build_filename (dir, template_name, NULL);
  const char *data;
  gsize len;
  int fd;

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      set_errno_error (path, errno, error);
      return NULL;
    }

  data = g_bytes_get_data (contents, &len);
  while (len > 0)
    {
      gssize written = write (fd, data, len);

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_unlink (tmp);
          set_errno_error (path, saved_errno, error);
          return NULL;
        }
      data += written;
      len -= written;
    }

  /* mkstemp makes the file private; a saved picture or table is an ordinary file. */
  if (fchmod (fd, 0644) != 0 || fsync (fd) != 0 || close (fd) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp);
      set_errno_error (path, saved_errno, error);
      return NULL;
    }

  return g_steal_pointer (&tmp);
}

/**
 * ga_export_write_file:
 * @file: a local file
 * @contents: what to write
 * @overwrite: replace an existing file with other content
 * @cancellable: (nullable): checked before writing
 * @error: %G_IO_ERROR_EXISTS when the file exists with other content and @overwrite is
 *   %FALSE (the UI asks, then calls again with %TRUE); another #G_IO_ERROR otherwise
 *
 * Writes atomically: a temporary file in the same folder, then renamed over (or, without
 * @overwrite, hard-linked to) the name, so a reader never sees half a file and an existing
 * file that appears meanwhile is not replaced. An existing file with the same content is left
 * as it is and counts as success. Blocking: in the UI use ga_export_write_file_async().
 *
 * Returns: whether the file now holds @contents
 */
gboolean
ga_export_write_file (GFile         *file,
                      GBytes        *contents,
                      gboolean       overwrite,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *tmp = NULL;
  const char *path;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_peek_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only files on this computer can be written. Choose a local "
                             "folder."));
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (same_contents (path, contents))
    return TRUE;
  if (!overwrite && g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK))
    return set_exists_error (path, error);

  tmp = write_temp (path, contents, error);
  if (tmp == NULL)
    return FALSE;

  if (!overwrite)
    {
      /* link() never replaces: a file that appeared since the check above is kept. */
      if (link (tmp, path) == 0)
        {
          g_unlink (tmp);
          return TRUE;
        }
      if (errno == EEXIST)
        {
          g_unlink (tmp);
          return same_contents (path, contents) ? TRUE : set_exists_error (path, error);
        }
      /* File systems without hard links (FAT, some network shares): check, then rename. */
      if (g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK))
        {
          g_unlink (tmp);
          return set_exists_error (path, error);
        }
    }

  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp);
      return set_errno_error (path, saved_errno, error);
    }

  return TRUE;
}

typedef struct
{
  GFile    *file;
  GBytes   *contents;
  gboolean  overwrite;
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *write_data = data;

  g_object_unref (write_data->file);
  g_bytes_unref (write_data->contents);
  g_free (write_data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *write_data = task_data;
  g_autoptr(GError) error = NULL;

  if (ga_export_write_file (write_data->file, write_data->contents, write_data->overwrite,
                            cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* ga_export_write_file() in a worker thread. */
void
ga_export_write_file_async (GFile               *file,
                            GBytes              *contents,
                            gboolean             overwrite,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *write_data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (contents != NULL);

  write_data = g_new0 (WriteData, 1);
  write_data->file = g_object_ref (file);
  write_data->contents = g_bytes_ref (contents);
  write_data->overwrite = overwrite;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_export_write_file_async);
  g_task_set_task_data (task, write_data, write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
ga_export_write_file_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_export_write_file_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GFile            *file;
  GaExportRow      *rows;
  gsize             n_rows;
  GaExportCsvFlags  flags;
  gboolean          overwrite;
  gpointer          strings_owner;
  GDestroyNotify    strings_owner_free;
} CsvData;

static void
csv_data_free (gpointer data)
{
  CsvData *csv = data;

  g_object_unref (csv->file);
  g_free (csv->rows);
  if (csv->strings_owner_free != NULL)
    csv->strings_owner_free (csv->strings_owner);
  g_free (csv);
}

static void
csv_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  CsvData *csv = task_data;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) error = NULL;

  contents = ga_export_csv (csv->rows, csv->n_rows, csv->flags);
  if (ga_export_write_file (csv->file, contents, csv->overwrite, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * ga_export_write_csv_async:
 * @file: where avatars.csv goes
 * @rows: (array length=n_rows): the rows; the array is copied, the strings are not
 * @n_rows: how many
 * @flags: see ga_export_csv()
 * @overwrite: see ga_export_write_file()
 * @strings_owner: (nullable): what keeps the rows' strings alive (e.g. a ref on the #GaList
 *   and the results), released with @strings_owner_free when the task is done
 * @strings_owner_free: (nullable): releases @strings_owner
 *
 * ga_export_csv() and ga_export_write_file() in one worker thread: 100,000 rows take some tens
 * of milliseconds to format, too long for the main loop. The strings must not change until
 * the callback runs.
 */
void
ga_export_write_csv_async (GFile               *file,
                           const GaExportRow   *rows,
                           gsize                n_rows,
                           GaExportCsvFlags     flags,
                           gboolean             overwrite,
                           gpointer             strings_owner,
                           GDestroyNotify       strings_owner_free,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CsvData *csv;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (rows != NULL || n_rows == 0);

  csv = g_new0 (CsvData, 1);
  csv->file = g_object_ref (file);
  csv->rows = n_rows > 0 ? g_memdup2 (rows, n_rows * sizeof (GaExportRow)) : NULL;
  csv->n_rows = n_rows;
  csv->flags = flags;
  csv->overwrite = overwrite;
  csv->strings_owner = strings_owner;
  csv->strings_owner_free = strings_owner_free;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_export_write_csv_async);
  g_task_set_task_data (task, csv, csv_data_free);
  g_task_run_in_thread (task, csv_thread);
}

/* Returns: whether avatars.csv now holds the rows; %G_IO_ERROR_EXISTS as for
 * ga_export_write_file(). */
gboolean
ga_export_write_csv_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_export_write_csv_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
