/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-export"

#include "config.h"

#include "ga-export.h"
#include "ga-list-parser.h"

#include <glib/gstdio.h>
#include <string.h>

static void
test_file_names (void)
{
  const char *cases[][3] = {
    { "79001234567@c.us", "jpg", "79001234567.jpg" },
    { "120363043968066561@g.us", "jpg", "120363043968066561.jpg" },
    { "79876543210-1581234048@g.us", "png", "79876543210-1581234048.png" },
    { "120650379300963@lid", "jpg", "120650379300963-lid.jpg" },
    { "120650379300963@c.us", "jpg", "120650379300963.jpg" },
    { "../../etc/passwd", "jpg", "______etc_passwd.jpg" },
    { ".hidden@c.us", "jpg", "_hidden.jpg" },
    { "-rf@c.us", "jpg", "avatar-rf.jpg" },
    { "@c.us", "jpg", "avatar.jpg" },
    { "", "jpg", "avatar.jpg" },
    { "a b\n\\c:*?\"<>|@c.us", "jpg", "a_b__c_______.jpg" },
    { "Иван@c.us", "jpg", "________.jpg" },
    { "79001234567@c.us", "j/p g", "79001234567.j_p_g" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = ga_export_file_name_for_chat (cases[i][0], cases[i][1]);

      g_assert_cmpstr (name, ==, cases[i][2]);
    }

  /* Never longer than 64 characters before the extension. */
  {
    g_autofree char *long_id = g_strnfill (300, '7');
    g_autofree char *name = ga_export_file_name_for_chat (long_id, "jpg");

    g_assert_cmpuint (strlen (name), ==, 64 + 4);
  }
}

static void
test_csv_cells (void)
{
  const char *cases[][2] = {
    { "79001234567", "79001234567" },
    { "", "" },
    { "=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"" },
    { "+7 900 123-45-67", "'+7 900 123-45-67" },
    { "-1+1", "'-1+1" },
    { "@SUM(A1:A2)", "'@SUM(A1:A2)" },
    { "\tcmd", "'\tcmd" },
    { "\rcmd", "\"'\rcmd\"" },
    { "a,b", "\"a,b\"" },
    { "a;b", "\"a;b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "1=1", "1=1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cell = ga_export_csv_cell (cases[i][0]);

      g_assert_cmpstr (cell, ==, cases[i][1]);
    }

  {
    g_autofree char *cell = ga_export_csv_cell (NULL);
    g_assert_cmpstr (cell, ==, "");
  }
}

static const GaExportRow rows[] = {
  { "+7 900 123-45-67", 2, "79001234567@c.us", "picture", "=HYPERLINK(\"http://evil\",\"x\")",
    "79001234567.jpg", NULL },
  { "79001234567@c.us", 3, "79001234567@c.us", "picture", "@SUM(A1)", "79001234567.jpg", NULL },
  { "abc", 4, NULL, "invalid", "-2+3", NULL, "“abc” is not, a \"number\";\nreally" },
  { "11001234567", 5, "11001234567@c.us", "private", "Иван, \"Ваня\"", NULL, NULL },
};

static void
test_csv_round_trip (void)
{
  g_autoptr(GBytes) csv = ga_export_csv (rows, G_N_ELEMENTS (rows), GA_EXPORT_CSV_BOM);
  g_autoptr(GError) error = NULL;
  g_autoptr(GaList) list = NULL;
  gsize len;
  const char *data = g_bytes_get_data (csv, &len);
  g_autofree char *text = g_strndup (data, len);

  g_assert_true (g_str_has_prefix (text, "\357\273\277input,line,chat_id,status,name,file,error\r\n"));
  g_assert_nonnull (strstr (text, "\r\n'+7 900 123-45-67,2,79001234567@c.us,picture,"
                                  "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\","
                                  "79001234567.jpg,\r\n"));
  g_assert_nonnull (strstr (text, ",'@SUM(A1),"));
  g_assert_nonnull (strstr (text, "\r\nabc,4,,invalid,'-2+3,,\"“abc” is not, a \"\"number\"\";\n"
                                  "really\"\r\n"));

  /* Read back with the list parser: the chat ID column is found by its header, the names come
   * back with the apostrophe that keeps a spreadsheet from running them. */
  list = ga_list_parse (csv, "avatars.csv", GA_LIST_FORMAT_AUTO, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ga_list_get_has_header (list));
  g_assert_cmpstr (ga_list_get_columns (list)[ga_list_get_phone_column (list)], ==, "chat_id");
  g_assert_cmpstr (ga_list_get_columns (list)[ga_list_get_name_column (list)], ==, "name");
  g_assert_cmpuint (ga_list_get_n_entries (list), ==, 3);
  g_assert_cmpstr (ga_list_get_entry (list, 0)->chat_id, ==, "79001234567@c.us");
  g_assert_cmpstr (ga_list_get_entry (list, 0)->name, ==, "'=HYPERLINK(\"http://evil\",\"x\")");
  g_assert_cmpstr (ga_list_get_entry (list, 1)->name, ==, "'@SUM(A1)");
  g_assert_cmpstr (ga_list_get_entry (list, 2)->chat_id, ==, "11001234567@c.us");
  g_assert_cmpstr (ga_list_get_entry (list, 2)->name, ==, "Иван, \"Ваня\"");
  /* The record with the quoted line break takes two lines: 11001234567 is on line 6. */
  g_assert_cmpuint (ga_list_get_entry (list, 2)->line, ==, 6);

  /* And by the input column, the apostrophe is dropped again. */
  {
    g_autoptr(GaList) by_input = ga_list_parse (csv, "avatars.csv", GA_LIST_FORMAT_AUTO, 0,
                                                NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ga_list_get_n_entries (by_input), ==, 4);
    g_assert_cmpstr (ga_list_get_entry (by_input, 0)->text, ==, "+7 900 123-45-67");
    g_assert_cmpstr (ga_list_get_entry (by_input, 0)->chat_id, ==, "79001234567@c.us");
    g_assert_null (ga_list_get_entry (by_input, 2)->chat_id);
  }
}

static void
test_csv_no_bom (void)
{
  g_autoptr(GBytes) csv = ga_export_csv (rows, 0, GA_EXPORT_CSV_NONE);
  gsize len;
  const char *data = g_bytes_get_data (csv, &len);

  g_assert_cmpmem (data, len, "input,line,chat_id,status,name,file,error\r\n", 43);
}

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ga-test-export-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;

  return n;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_write_atomic (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "avatars.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) first = g_bytes_new_static ("first\n", 6);
  g_autoptr(GBytes) second = g_bytes_new_static ("second\n", 7);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_true (ga_export_write_file (file, first, FALSE, NULL, &error));
  g_assert_no_error (error);
  contents = read_file (path);
  g_assert_cmpstr (contents, ==, "first\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  /* No temporary file is left beside it. */
  g_assert_cmpuint (count_files (dir), ==, 1);

  /* The same content again: fine, nothing changes. */
  g_assert_true (ga_export_write_file (file, first, FALSE, NULL, &error));
  g_assert_no_error (error);

  /* Other content: refused with a distinct error, the file kept. */
  g_assert_false (ga_export_write_file (file, second, FALSE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "avatars.csv"));
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  contents = read_file (path);
  g_assert_cmpstr (contents, ==, "first\n");
  g_assert_cmpuint (count_files (dir), ==, 1);

  /* Unless the caller says so. */
  g_assert_true (ga_export_write_file (file, second, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  contents = read_file (path);
  g_assert_cmpstr (contents, ==, "second\n");
  g_assert_cmpuint (count_files (dir), ==, 1);

  remove_dir (dir);
}

static void
test_write_errors (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "avatars.csv", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder", NULL);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GFile) folder_file = g_file_new_for_path (folder);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (ga_export_write_file (missing_file, bytes, TRUE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A folder in the way is never replaced. */
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_false (ga_export_write_file (folder_file, bytes, FALSE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (ga_export_write_file (folder_file, bytes, TRUE, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_rmdir (folder);

  g_cancellable_cancel (cancellable);
  g_assert_false (ga_export_write_file (folder_file, bytes, TRUE, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));

  g_assert_cmpuint (count_files (dir), ==, 0);
  remove_dir (dir);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_write_async (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *name = ga_export_file_name_for_chat ("79001234567@c.us", "jpg");
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) picture = g_bytes_new_static ("\xff\xd8\xff\xe0", 4);
  g_autoptr(GBytes) other = g_bytes_new_static ("\x89PNG", 4);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GAsyncResult) result = NULL;

    ga_export_write_file_async (file, picture, FALSE, NULL, write_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (ga_export_write_file_finish (result, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    ga_export_write_file_async (file, other, FALSE, NULL, write_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (ga_export_write_file_finish (result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  }

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_files (dir), ==, 1);
  remove_dir (dir);
}

static void
owner_free (gpointer data)
{
  gint *freed = data;

  /* The last reference may be dropped in the worker thread: wake the waiting loop. */
  g_atomic_int_set (freed, TRUE);
  g_main_context_wakeup (NULL);
}

static void
test_write_csv_async (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "avatars.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) expected = ga_export_csv (rows, G_N_ELEMENTS (rows), GA_EXPORT_CSV_BOM);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  gint freed = FALSE;

  {
    g_autoptr(GAsyncResult) result = NULL;

    ga_export_write_csv_async (file, rows, G_N_ELEMENTS (rows), GA_EXPORT_CSV_BOM, FALSE,
                               &freed, owner_free, NULL, write_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (ga_export_write_csv_finish (result, &error));
    g_assert_no_error (error);
  }
  /* The strings' owner is released once the task is done with them. */
  while (!g_atomic_int_get (&freed))
    g_main_context_iteration (NULL, TRUE);

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));

  /* Fewer rows now: a different file, refused unless overwriting. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    ga_export_write_csv_async (file, rows, 1, GA_EXPORT_CSV_BOM, FALSE, NULL, NULL, NULL,
                               write_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (ga_export_write_csv_finish (result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    ga_export_write_csv_async (file, rows, 1, GA_EXPORT_CSV_BOM, TRUE, NULL, NULL, NULL,
                               write_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (ga_export_write_csv_finish (result, &error));
    g_assert_no_error (error);
  }

  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/export/file-names", test_file_names);
  g_test_add_func ("/green-avatar/export/csv-cells", test_csv_cells);
  g_test_add_func ("/green-avatar/export/csv-round-trip", test_csv_round_trip);
  g_test_add_func ("/green-avatar/export/csv-no-bom", test_csv_no_bom);
  g_test_add_func ("/green-avatar/export/write-atomic", test_write_atomic);
  g_test_add_func ("/green-avatar/export/write-errors", test_write_errors);
  g_test_add_func ("/green-avatar/export/write-async", test_write_async);
  g_test_add_func ("/green-avatar/export/write-csv-async", test_write_csv_async);

  return g_test_run ();
}
