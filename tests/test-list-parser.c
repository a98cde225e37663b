/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-list-parser"

#include "config.h"

#include "ga-list-parser.h"

#include <string.h>

static GaList *
parse_full (const char   *data,
            gssize        len,
            const char   *file_name,
            GaListFormat  format,
            int           column)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len < 0 ? strlen (data) : (gsize) len);
  g_autoptr(GError) error = NULL;
  GaList *list;

  list = ga_list_parse (bytes, file_name, format, column, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);

  return list;
}

static GaList *
parse (const char *data,
       const char *file_name)
{
  return parse_full (data, -1, file_name, GA_LIST_FORMAT_AUTO, -1);
}

/* The canonical IDs of the entries, "-" for a rejected one, joined with spaces. */
static char *
ids (GaList *list)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ga_list_get_n_entries (list); i++)
    {
      const GaListEntry *entry = ga_list_get_entry (list, i);

      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, entry->chat_id != NULL ? entry->chat_id : "-");
    }

  return g_string_free (out, FALSE);
}

static void
assert_ids (GaList     *list,
            const char *expected)
{
  g_autofree char *got = ids (list);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_text_lines (void)
{
  g_autoptr(GaList) list = parse ("79001234567\n\n  +7 900 123-45-68  \r\n"
                                  "wa.me/11001234567\r\n", NULL);
  const GaListEntry *entry;

  g_assert_cmpint (ga_list_get_format (list), ==, GA_LIST_FORMAT_TEXT);
  assert_ids (list, "79001234567@c.us 79001234568@c.us 11001234567@c.us");
  entry = ga_list_get_entry (list, 1);
  g_assert_cmpuint (entry->line, ==, 3);
  g_assert_cmpstr (entry->text, ==, "+7 900 123-45-68");
  g_assert_null (entry->name);
  g_assert_cmpuint (ga_list_get_entry (list, 2)->line, ==, 4);
  g_assert_cmpuint (ga_list_get_n_rejected (list), ==, 0);
  g_assert_null (ga_list_get_columns (list));
}

static void
test_text_separators (void)
{
  struct {
    const char *input;
    const char *expected;
  } cases[] = {
    { "79001234567,79001234568", "79001234567@c.us 79001234568@c.us" },
    { "79001234567, 79001234568 ,79001234569", "79001234567@c.us 79001234568@c.us 79001234569@c.us" },
    { "79001234567;79001234568", "79001234567@c.us 79001234568@c.us" },
    { "79001234567\t79001234568", "79001234567@c.us 79001234568@c.us" },
    { "79001234567 79001234568", "79001234567@c.us 79001234568@c.us" },
    { "79001234567   79001234568\t\t79001234569",
      "79001234567@c.us 79001234568@c.us 79001234569@c.us" },
    /* A number written with spaces is one entry, alone or beside others. */
    { "+7 900 123-45-67", "79001234567@c.us" },
    { "+1 (100) 123-4567", "11001234567@c.us" },
    { "1100 123 4567", "11001234567@c.us" },
    { "+7 900 123-45-67 +7 900 123-45-68", "79001234567@c.us 79001234568@c.us" },
    { "+7 900 123-45-67, +1 (100) 123-4567", "79001234567@c.us 11001234567@c.us" },
    { "79001234567 wa.me/11001234567 120363043968066561@g.us",
      "79001234567@c.us 11001234567@c.us 120363043968066561@g.us" },
    { "+7 900 123-45-67; 79001234567@c.us", "79001234567@c.us 79001234567@c.us" },
    /* Not a number at all: one rejected entry, not one per word. */
    { "hello there world", "-" },
    /* Words beside a number are its name, not an entry. */
    { "79001234567 hello", "79001234567@c.us" },
    { "Ivan Petrov +7 900 123-45-67", "79001234567@c.us" },
    { "Ivan 79001234567, Anna +7 900 123-45-68", "79001234567@c.us 79001234568@c.us" },
    { "79001234567 abc 79001234568 def", "79001234567@c.us 79001234568@c.us" },
    /* Numbers with something wrong in them stay one rejected entry each. */
    { "79001234567 +7 900 12x-45-67", "79001234567@c.us -" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GaList) list = parse_full (cases[i].input, -1, NULL, GA_LIST_FORMAT_TEXT, -1);

      g_test_message ("input: %s", cases[i].input);
      assert_ids (list, cases[i].expected);
    }
}

static void
test_text_names (void)
{
  g_autoptr(GaList) list = parse ("Ivan Petrov +7 900 123-45-67\n"
                                  "79001234568 Anna Smith\n"
                                  "Boris 79001234569; Vera 79001234560\n", NULL);

  g_assert_cmpint (ga_list_get_format (list), ==, GA_LIST_FORMAT_TEXT);
  assert_ids (list, "79001234567@c.us 79001234568@c.us 79001234569@c.us 79001234560@c.us");
  g_assert_cmpstr (ga_list_get_entry (list, 0)->name, ==, "Ivan Petrov");
  g_assert_cmpstr (ga_list_get_entry (list, 0)->text, ==, "+7 900 123-45-67");
  g_assert_cmpstr (ga_list_get_entry (list, 1)->name, ==, "Anna Smith");
  g_assert_cmpstr (ga_list_get_entry (list, 2)->name, ==, "Boris");
  g_assert_cmpstr (ga_list_get_entry (list, 3)->name, ==, "Vera");
  g_assert_cmpuint (ga_list_get_entry (list, 3)->line, ==, 3);
}

static void
test_rejected (void)
{
  g_autoptr(GaList) list = parse ("79001234567\nabc\n123\n", "list.txt");
  const GaListEntry *entry;

  assert_ids (list, "79001234567@c.us - -");
  g_assert_cmpuint (ga_list_get_n_rejected (list), ==, 2);
  entry = ga_list_get_entry (list, 1);
  g_assert_cmpuint (entry->line, ==, 2);
  g_assert_cmpstr (entry->text, ==, "abc");
  g_assert_nonnull (entry->error);
  g_assert_nonnull (strstr (entry->error, "abc"));
  g_assert_cmpuint (entry->chat, ==, GA_LIST_NO_CHAT);
  entry = ga_list_get_entry (list, 2);
  g_assert_cmpuint (entry->line, ==, 3);
  g_assert_nonnull (entry->error);
}

static void
test_duplicates (void)
{
  g_autoptr(GaList) list = parse ("+7 900 123-45-67\n79001234567@c.us\nwa.me/79001234567\n"
                                  "11001234567\n79001234567\n", NULL);

  g_assert_cmpuint (ga_list_get_n_entries (list), ==, 5);
  g_assert_cmpuint (ga_list_get_n_chats (list), ==, 2);
  g_assert_cmpstr (ga_list_get_chat_id (list, 0), ==, "79001234567@c.us");
  g_assert_cmpstr (ga_list_get_chat_id (list, 1), ==, "11001234567@c.us");
  g_assert_cmpuint (ga_list_get_chat_entry (list, 0), ==, 0);
  g_assert_cmpuint (ga_list_get_chat_entry (list, 1), ==, 3);

  g_assert_false (ga_list_get_entry (list, 0)->duplicate);
  g_assert_true (ga_list_get_entry (list, 1)->duplicate);
  g_assert_true (ga_list_get_entry (list, 2)->duplicate);
  g_assert_false (ga_list_get_entry (list, 3)->duplicate);
  g_assert_true (ga_list_get_entry (list, 4)->duplicate);

  g_assert_cmpuint (ga_list_get_entry (list, 0)->chat, ==, 0);
  g_assert_cmpuint (ga_list_get_entry (list, 1)->chat, ==, 0);
  g_assert_cmpuint (ga_list_get_entry (list, 2)->chat, ==, 0);
  g_assert_cmpuint (ga_list_get_entry (list, 3)->chat, ==, 1);
  g_assert_cmpuint (ga_list_get_entry (list, 4)->chat, ==, 0);

  /* Each keeps its own text. */
  g_assert_cmpstr (ga_list_get_entry (list, 1)->text, ==, "79001234567@c.us");
}

/* The same list in each encoding a spreadsheet or an editor writes. */
static GBytes *
utf16 (const char *text,
       gboolean    big_endian,
       gboolean    bom)
{
  g_autofree gunichar2 *units = NULL;
  glong n = 0;
  GByteArray *out = g_byte_array_new ();

  units = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  g_assert_nonnull (units);
  if (bom)
    g_byte_array_append (out, (const guint8 *) (big_endian ? "\xfe\xff" : "\xff\xfe"), 2);
  for (glong i = 0; i < n; i++)
    {
      guint8 pair[2];

      pair[big_endian ? 0 : 1] = units[i] >> 8;
      pair[big_endian ? 1 : 0] = units[i] & 0xff;
      g_byte_array_append (out, pair, 2);
    }

  return g_byte_array_free_to_bytes (out);
}

static void
check_encoded (GBytes     *bytes,
               const char *file_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaList) list = ga_list_parse (bytes, file_name, GA_LIST_FORMAT_AUTO, -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (ga_list_get_format (list), ==, GA_LIST_FORMAT_CSV);
  assert_ids (list, "79001234567@c.us 79001234568@c.us");
  g_assert_cmpstr (ga_list_get_entry (list, 0)->name, ==, "Иван Петров");
  g_assert_cmpstr (ga_list_get_entry (list, 1)->name, ==, "Zoë");
  g_assert_cmpuint (ga_list_get_entry (list, 1)->line, ==, 3);
  g_assert_true (ga_list_get_has_header (list));
}

static void
test_encodings (void)
{
  const char *text = "Name,Phone\r\nИван Петров,+7 900 123-45-67\r\nZoë,79001234568\r\n";
  g_autofree char *with_bom = g_strconcat ("\357\273\277", text, NULL);

  {
    g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
    check_encoded (bytes, "contacts.csv");
  }
  {
    g_autoptr(GBytes) bytes = g_bytes_new (with_bom, strlen (with_bom));
    check_encoded (bytes, "contacts.csv");
  }
  {
    g_autoptr(GBytes) bytes = utf16 (text, FALSE, TRUE);
    check_encoded (bytes, "contacts.csv");
  }
  {
    g_autoptr(GBytes) bytes = utf16 (text, TRUE, TRUE);
    check_encoded (bytes, "contacts.csv");
  }
  /* Without a name, from stdin. */
  {
    g_autoptr(GBytes) bytes = utf16 (text, FALSE, TRUE);
    check_encoded (bytes, NULL);
  }
  /* UTF-16 without a byte order mark is recognised by its zero bytes. */
  {
    g_autoptr(GBytes) bytes = utf16 (text, FALSE, FALSE);
    check_encoded (bytes, "contacts.csv");
  }
}

static void
test_utf16_broken (void)
{
  /* A lone high surrogate. */
  static const guint8 data[] = { 0xff, 0xfe, '7', 0, '9', 0, 0x00, 0xd8, '\n', 0 };
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GaList) list = ga_list_parse (bytes, NULL, GA_LIST_FORMAT_AUTO, -1, NULL, &error);

  g_assert_null (list);
  g_assert_error (error, GA_LIST_ERROR, GA_LIST_ERROR_ENCODING);
}

static void
test_invalid_utf8 (void)
{
  /* Windows-1251 names (Excel's default in Russia) and a number with a broken byte. */
  static const char data[] = "\xc8\xe2\xe0\xed;79001234567\n"
                             "\xcf\xe5\xf2\xf0;79001234568\n"
                             "Anna;7900123\xff" "4569\n";
  g_autoptr(GaList) list = parse_full (data, sizeof data - 1, "list.csv", GA_LIST_FORMAT_AUTO, -1);
  const GaListEntry *entry;

  assert_ids (list, "79001234567@c.us 79001234568@c.us -");
  entry = ga_list_get_entry (list, 2);
  g_assert_cmpuint (entry->line, ==, 3);
  g_assert_true (g_utf8_validate (entry->text, -1, NULL));
  g_assert_nonnull (strstr (entry->error, "Line 3"));
  g_assert_nonnull (strstr (entry->error, "UTF-8"));
  /* The names are shown, if garbled: the numbers are what matters. */
  g_assert_nonnull (ga_list_get_entry (list, 0)->name);
  g_assert_true (g_utf8_validate (ga_list_get_entry (list, 0)->name, -1, NULL));

  /* Invalid bytes of every kind, and zero bytes, never crash. */
  {
    static const char junk[] = "\x80\x81\xfe\xff\0\0\xc0\xaf\xed\xa0\x80\n79001234567\n";
    g_autoptr(GaList) junk_list = parse_full (junk, sizeof junk - 1, NULL, GA_LIST_FORMAT_AUTO, -1);

    g_assert_cmpuint (ga_list_get_n_chats (junk_list), ==, 1);
    for (guint i = 0; i < ga_list_get_n_entries (junk_list); i++)
      g_assert_true (g_utf8_validate (ga_list_get_entry (junk_list, i)->text, -1, NULL));
  }
}

static void
test_csv_separators (void)
{
  const char *cases[][2] = {
    { "Name,Phone\nAnna,79001234567\nBoris,79001234568\n", "," },
    { "Name;Phone\nAnna;79001234567\nBoris;79001234568\n", ";" },
    { "Name\tPhone\nAnna\t79001234567\nBoris\t79001234568\n", "\t" },
    /* No header. */
    { "Anna,79001234567\nBoris,79001234568\n", "," },
    { "Anna;79001234567\nBoris;79001234568\n", ";" },
    { "Anna\t79001234567\nBoris\t79001234568\n", "\t" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GaList) list = parse (cases[i][0], "list.csv");

      g_test_message ("input: %s", cases[i][0]);
      g_assert_cmpint (ga_list_get_separator (list), ==, cases[i][1][0]);
      g_assert_cmpint (ga_list_get_phone_column (list), ==, 1);
      g_assert_true (ga_list_get_phone_column_certain (list));
      g_assert_cmpint (ga_list_get_name_column (list), ==, 0);
      g_assert_cmpint (ga_list_get_has_header (list), ==, i < 3);
      assert_ids (list, "79001234567@c.us 79001234568@c.us");
      g_assert_cmpstr (ga_list_get_entry (list, 0)->name, ==, "Anna");
      g_assert_cmpstr (ga_list_get_chat_name (list, 1), ==, "Boris");
      g_assert_cmpuint (ga_list_get_entry (list, 0)->line, ==, i < 3 ? 2 : 1);
    }

  /* Pasted cells from a spreadsheet (tabs), without a file name. */
  {
    g_autoptr(GaList) list = parse ("Anna\t+7 900 123-45-67\nBoris\t79001234568\n", NULL);

    g_assert_cmpint (ga_list_get_format (list), ==, GA_LIST_FORMAT_CSV);
    assert_ids (list, "79001234567@c.us 79001234568@c.us");
    g_assert_cmpstr (ga_list_get_entry (list, 1)->name, ==, "Boris");
  }
}

static void
test_csv_quoting (void)
{
  const char *csv =
    "\"Name\",\"Phone\",\"Note\"\r\n"
    "\"Petrov, Ivan\",\"+7 900 123-45-67\",\"said \"\"hi\"\"\"\r\n"
    "\"Anna\r\nSecond line\",79001234568,\"a;b,c\r\nd\"\r\n"
    "Boris,\"79001234569\",\r\n";
  g_autoptr(GaList) list = parse (csv, "list.csv");
  const char * const *columns;

  assert_ids (list, "79001234567@c.us 79001234568@c.us 79001234569@c.us");
  g_assert_cmpstr (ga_list_get_entry (list, 0)->name, ==, "Petrov, Ivan");
  g_assert_cmpstr (ga_list_get_entry (list, 1)->name, ==, "Anna\nSecond line");
  g_assert_cmpuint (ga_list_get_entry (list, 0)->line, ==, 2);
  g_assert_cmpuint (ga_list_get_entry (list, 1)->line, ==, 3);
  /* The quoted line breaks count: Boris is on line 6. */
  g_assert_cmpuint (ga_list_get_entry (list, 2)->line, ==, 6);

  columns = ga_list_get_columns (list);
  g_assert_nonnull (columns);
  g_assert_cmpuint (g_strv_length ((char **) columns), ==, 3);
  g_assert_cmpstr (columns[0], ==, "Name");
  g_assert_cmpstr (columns[1], ==, "Phone");
  g_assert_cmpstr (columns[2], ==, "Note");
}

static void
test_csv_columns (void)
{
  /* Two columns of numbers: the header decides, and the caller may choose the other. */
  const char *csv = "Home,Mobile,Name\n74951234567,79001234567,Anna\n74951234568,79001234568,Boris\n";
  g_autoptr(GaList) list = parse (csv, "list.csv");
  g_autoptr(GaList) chosen = NULL;

  g_assert_cmpint (ga_list_get_phone_column (list), ==, 1);
  g_assert_true (ga_list_get_phone_column_certain (list));
  g_assert_cmpint (ga_list_get_name_column (list), ==, 2);
  assert_ids (list, "79001234567@c.us 79001234568@c.us");

  chosen = parse_full (csv, -1, "list.csv", GA_LIST_FORMAT_AUTO, 0);
  g_assert_cmpint (ga_list_get_phone_column (chosen), ==, 0);
  assert_ids (chosen, "74951234567@c.us 74951234568@c.us");
  g_assert_cmpstr (ga_list_get_entry (chosen, 0)->name, ==, "Anna");

  /* Without a header, a tie cannot be settled: the view must ask. */
  {
    g_autoptr(GaList) tie = parse ("74951234567,79001234567\n74951234568,79001234568\n",
                                   "list.csv");

    g_assert_false (ga_list_get_phone_column_certain (tie));
    g_assert_cmpstr (ga_list_get_columns (tie)[0], ==, "Column 1");
    g_assert_cmpstr (ga_list_get_columns (tie)[1], ==, "Column 2");
    /* What the person sees to choose: the first rows, every one a data row. */
    g_assert_cmpuint (ga_list_get_n_sample_rows (tie), ==, 2);
    g_assert_cmpstr (ga_list_get_sample (tie, 0, 0), ==, "74951234567");
    g_assert_cmpstr (ga_list_get_sample (tie, 1, 1), ==, "79001234568");
    g_assert_cmpstr (ga_list_get_sample (tie, 1, 2), ==, "");
  }

  /* Samples start under the header, at most three rows, long cells cut short. */
  {
    g_autoptr(GaList) long_cells = parse ("Phone,Note\n"
                                          "79001234561, a note that goes on and on and on \n"
                                          "79001234562,b\n79001234563,c\n79001234564,d\n",
                                          "list.csv");

    g_assert_cmpuint (ga_list_get_n_sample_rows (long_cells), ==, 3);
    g_assert_cmpstr (ga_list_get_sample (long_cells, 0, 0), ==, "79001234561");
    g_assert_cmpstr (ga_list_get_sample (long_cells, 0, 1), ==, "a note that goes on and…");
    g_assert_cmpstr (ga_list_get_sample (long_cells, 2, 1), ==, "c");
  }

  /* The column most of whose cells are numbers wins over a column of few. */
  {
    g_autoptr(GaList) most = parse ("id,contact\n11001234567,79001234567\nx,79001234568\n"
                                    "y,79001234569\n", "list.csv");

    g_assert_cmpint (ga_list_get_phone_column (most), ==, 1);
    g_assert_true (ga_list_get_phone_column_certain (most));
  }

  /* Google Contacts' export: "Phone 1 - Type" holds words, "Phone 1 - Value" the numbers. */
  {
    g_autoptr(GaList) google = parse ("Name,Phone 1 - Type,Phone 1 - Value\n"
                                      "Anna,Mobile,+7 900 123-45-67\n", "contacts.csv");

    g_assert_cmpint (ga_list_get_phone_column (google), ==, 2);
    g_assert_cmpstr (ga_list_get_entry (google, 0)->name, ==, "Anna");
    assert_ids (google, "79001234567@c.us");
  }

  /* A column of anything but numbers: a guess, flagged as such. */
  {
    g_autoptr(GaList) none = parse ("a,b\nc,d\n", "list.csv");

    g_assert_false (ga_list_get_phone_column_certain (none));
  }
}

static void
test_csv_one_column (void)
{
  g_autoptr(GaList) list = parse ("phone\r\n+7 900 123-45-67\r\n\r\n79001234568\r\n", "list.csv");

  g_assert_true (ga_list_get_has_header (list));
  g_assert_cmpint (ga_list_get_phone_column (list), ==, 0);
  g_assert_cmpint (ga_list_get_name_column (list), ==, -1);
  assert_ids (list, "79001234567@c.us 79001234568@c.us");
  g_assert_cmpuint (ga_list_get_entry (list, 1)->line, ==, 4);
}

static void
test_spreadsheet_numbers (void)
{
  struct {
    const char *input;
    const char *file_name;
    const char *expected;
  } cases[] = {
    { "7.90012E+10\n", NULL, "-" },
    { "7,90012E+10\n", NULL, "-" },
    { "7.90012e10\n", NULL, "-" },
    { "phone\n7,90012E+10\n7,90013E+10\n", "list.csv", "- -" },
    { "Anna;7,90012E+10\nBoris;79001234568\n", "list.csv", "- 79001234568@c.us" },
    /* All digits are there: handled, the ".0" dropped. */
    { "79001234567.0\n", NULL, "79001234567@c.us" },
    { "79001234567,0\n", NULL, "79001234567@c.us" },
    { "phone\n79001234567.0\n", "list.csv", "79001234567@c.us" },
    /* More digits than a double keeps: refused. */
    { "1234567890123456.0\n", NULL, "-" },
    /* Not a spreadsheet's number: the chat ID parser's own verdict. */
    { "+44 20.7946.0958\n", NULL, "442079460958@c.us" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GaList) list = parse (cases[i].input, cases[i].file_name);

      g_test_message ("input: %s", cases[i].input);
      assert_ids (list, cases[i].expected);
    }

  /* The reason says what happened and what to do. */
  {
    g_autoptr(GaList) list = parse ("7.90012E+10\n", NULL);
    const GaListEntry *entry = ga_list_get_entry (list, 0);

    g_assert_nonnull (strstr (entry->error, "scientific notation"));
    g_assert_nonnull (strstr (entry->error, "as Text"));
    g_assert_cmpstr (entry->text, ==, "7.90012E+10");
  }
  {
    g_autoptr(GaList) list = parse ("79001234567.0\n", NULL);

    g_assert_cmpstr (ga_list_get_entry (list, 0)->text, ==, "79001234567.0");
  }
}

static void
test_vcard (void)
{
  const char *vcf =
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Petrov;Ivan;;;\r\n"
    "FN:Ivan Petrov\r\n"
    "TEL;TYPE=CELL:+7 900 123-45-67\r\n"
    "TEL;TYPE=HOME,VOICE:+7 495 123-45-67\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "TEL;VALUE=uri;TYPE=\"voice,cell\":tel:+79001234568\r\n"
    "FN:Anna Long Name Th\r\n"
    " at Is Folded\r\n"
    "item1.TEL;type=pref:+1 (100)\r\n"
    "  123-4567\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\n"
    "VERSION:2.1\n"
    "N:Smith;John\n"
    "TEL;CELL:79001234569\n"
    "TEL:not a number\n"
    "END:VCARD\n";
  g_autoptr(GaList) list = parse (vcf, "contacts.vcf");

  g_assert_cmpint (ga_list_get_format (list), ==, GA_LIST_FORMAT_VCARD);
  assert_ids (list, "79001234567@c.us 74951234567@c.us 79001234568@c.us 11001234567@c.us "
                    "79001234569@c.us -");
  g_assert_cmpstr (ga_list_get_entry (list, 0)->name, ==, "Ivan Petrov");
  g_assert_cmpstr (ga_list_get_entry (list, 1)->name, ==, "Ivan Petrov");
  g_assert_cmpstr (ga_list_get_entry (list, 2)->name, ==, "Anna Long Name That Is Folded");
  g_assert_cmpstr (ga_list_get_entry (list, 3)->name, ==, "Anna Long Name That Is Folded");
  g_assert_cmpstr (ga_list_get_entry (list, 4)->name, ==, "John Smith");
  g_assert_cmpuint (ga_list_get_entry (list, 0)->line, ==, 5);
  g_assert_cmpuint (ga_list_get_entry (list, 2)->line, ==, 10);
  g_assert_cmpuint (ga_list_get_entry (list, 3)->line, ==, 13);
  g_assert_cmpstr (ga_list_get_entry (list, 3)->text, ==, "+1 (100) 123-4567");
  g_assert_cmpstr (ga_list_get_entry (list, 2)->text, ==, "+79001234568");
  g_assert_cmpuint (ga_list_get_entry (list, 5)->line, ==, 20);
  g_assert_nonnull (ga_list_get_entry (list, 5)->error);
}

/* What Android's contacts export writes: vCard 2.1, names in quoted-printable UTF-8. */
static void
test_vcard_21 (void)
{
  const char *vcf =
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9F=D0=B5=D1=82=D1=80=D0=BE=D0=B2;=D0=98=D0=B2=D0=B0=D0=BD;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=98=D0=B2=D0=B0=D0=BD =D0=9F=D0=B5=D1=82=\r\n"
    "=D1=80=D0=BE=D0=B2\r\n"
    "TEL;CELL;PREF:+79001234567\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=90=D0=BD=D0=BD=D0=B0;;;;\r\n"
    "TEL;CELL:123-45-68\r\n"
    "TEL;HOME:+7 900 123-45-69\r\n"
    "END:VCARD\r\n";
  g_autoptr(GaList) list = parse (vcf, "00001.vcf");

  assert_ids (list, "79001234567@c.us - 79001234569@c.us");
  g_assert_cmpstr (ga_list_get_entry (list, 0)->name, ==, "Иван Петров");
  g_assert_cmpuint (ga_list_get_entry (list, 0)->line, ==, 6);
  g_assert_cmpstr (ga_list_get_entry (list, 1)->name, ==, "Анна");
  g_assert_cmpstr (ga_list_get_entry (list, 2)->name, ==, "Анна");
}

static void
test_csv_sep_line (void)
{
  g_autoptr(GaList) list = parse ("sep=;\r\nName;Phone\r\n\"Petrov, Ivan\";79001234567\r\n",
                                  "list.csv");

  g_assert_cmpint (ga_list_get_separator (list), ==, ';');
  g_assert_true (ga_list_get_has_header (list));
  assert_ids (list, "79001234567@c.us");
  g_assert_cmpstr (ga_list_get_entry (list, 0)->name, ==, "Petrov, Ivan");
  g_assert_cmpuint (ga_list_get_entry (list, 0)->line, ==, 3);
}

static void
test_detect_by_content (void)
{
  const char *vcf = "BEGIN:VCARD\nVERSION:3.0\nFN:Anna\nTEL:79001234567\nEND:VCARD\n";

  /* A vCard under a wrong name, or none. */
  {
    g_autoptr(GaList) list = parse (vcf, "contacts.txt");
    g_assert_cmpint (ga_list_get_format (list), ==, GA_LIST_FORMAT_VCARD);
    g_assert_cmpstr (ga_list_get_entry (list, 0)->name, ==, "Anna");
  }
  {
    g_autoptr(GaList) list = parse (vcf, NULL);
    g_assert_cmpint (ga_list_get_format (list), ==, GA_LIST_FORMAT_VCARD);
  }
  {
    g_autoptr(GaList) list = parse (vcf, "contacts.csv");
    g_assert_cmpint (ga_list_get_format (list), ==, GA_LIST_FORMAT_VCARD);
  }
  /* A table under .txt. */
  {
    g_autoptr(GaList) list = parse ("Name;Phone\nAnna;79001234567\n", "list.txt");
    g_assert_cmpint (ga_list_get_format (list), ==, GA_LIST_FORMAT_CSV);
    assert_ids (list, "79001234567@c.us");
  }
  /* Numbers separated by commas on every line are a list, not a table. */
  {
    g_autoptr(GaList) list = parse ("79001234567,79001234568\n79001234569,79001234560\n", NULL);
    g_assert_cmpint (ga_list_get_format (list), ==, GA_LIST_FORMAT_TEXT);
    g_assert_cmpuint (ga_list_get_n_entries (list), ==, 4);
  }
  /* The caller's format wins. */
  {
    g_autoptr(GaList) list = parse_full ("79001234567,79001234568\n", -1, NULL,
                                         GA_LIST_FORMAT_CSV, -1);
    g_assert_cmpint (ga_list_get_format (list), ==, GA_LIST_FORMAT_CSV);
    g_assert_cmpuint (ga_list_get_n_entries (list), ==, 1);
  }
}

static GBytes *
many_lines (guint n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "7900%07u\n", i);

  return g_string_free_to_bytes (out);
}

static void
test_line_limit (void)
{
  g_autoptr(GBytes) ok_bytes = many_lines (GA_LIST_MAX_LINES);
  g_autoptr(GBytes) over_bytes = many_lines (GA_LIST_MAX_LINES + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GaList) ok = NULL;
  g_autoptr(GaList) over = NULL;

  ok = ga_list_parse (ok_bytes, "list.txt", GA_LIST_FORMAT_AUTO, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ga_list_get_n_entries (ok), ==, GA_LIST_MAX_LINES);
  g_assert_cmpuint (ga_list_get_n_chats (ok), ==, GA_LIST_MAX_LINES);
  g_assert_cmpuint (ga_list_get_entry (ok, GA_LIST_MAX_LINES - 1)->line, ==, GA_LIST_MAX_LINES);

  over = ga_list_parse (over_bytes, "list.txt", GA_LIST_FORMAT_AUTO, -1, NULL, &error);
  g_assert_null (over);
  g_assert_error (error, GA_LIST_ERROR, GA_LIST_ERROR_TOO_MANY_LINES);
  g_assert_nonnull (strstr (error->message, "100000"));
}

/* Many entries on one line: the cap holds for entries, and a long line of words is read in
 * linear time (the test would time out otherwise). */
static void
test_entry_limit (void)
{
  GString *line = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaList) list = NULL;

  for (guint i = 0; i <= GA_LIST_MAX_LINES; i++)
    g_string_append_printf (line, "7900%07u ", i);
  bytes = g_string_free_to_bytes (line);
  list = ga_list_parse (bytes, NULL, GA_LIST_FORMAT_TEXT, -1, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, GA_LIST_ERROR, GA_LIST_ERROR_TOO_MANY_ENTRIES);
  g_clear_error (&error);
  g_clear_pointer (&bytes, g_bytes_unref);

  line = g_string_new (NULL);
  for (guint i = 0; i < 200000; i++)
    g_string_append (line, "a ");
  bytes = g_string_free_to_bytes (line);
  list = ga_list_parse (bytes, NULL, GA_LIST_FORMAT_TEXT, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ga_list_get_n_entries (list), ==, 1);
  g_assert_cmpuint (ga_list_get_n_rejected (list), ==, 1);
  g_clear_object (&list);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* A million empty pieces: nothing. */
  {
    g_autofree char *separators = g_strnfill (1000000, ';');

    bytes = g_bytes_new (separators, strlen (separators));
    list = ga_list_parse (bytes, NULL, GA_LIST_FORMAT_TEXT, -1, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ga_list_get_n_entries (list), ==, 0);
  }
}

static void
test_size_limit (void)
{
  g_autofree char *data = g_malloc (GA_LIST_MAX_BYTES + 1);
  g_autoptr(GBytes) exact = NULL;
  g_autoptr(GBytes) over = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaList) list = NULL;

  /* 20 MiB on few lines: accepted (the lines are rejected, each too long to be a chat ID). */
  memset (data, '7', GA_LIST_MAX_BYTES + 1);
  for (gsize i = 1024 * 1024; i < GA_LIST_MAX_BYTES; i += 1024 * 1024)
    data[i] = '\n';
  exact = g_bytes_new_static (data, GA_LIST_MAX_BYTES);
  list = ga_list_parse (exact, "list.txt", GA_LIST_FORMAT_AUTO, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ga_list_get_n_entries (list), ==, 20);
  g_assert_cmpuint (ga_list_get_n_rejected (list), ==, 20);

  over = g_bytes_new_static (data, GA_LIST_MAX_BYTES + 1);
  g_clear_object (&list);
  list = ga_list_parse (over, "list.txt", GA_LIST_FORMAT_AUTO, -1, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, GA_LIST_ERROR, GA_LIST_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "20 MiB"));
}

static void
parse_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (void)
{
  const char *csv = "Name,Phone\nAnna,79001234567\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (csv, strlen (csv));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaList) list = NULL;

  ga_list_parse_async (bytes, "list.csv", GA_LIST_FORMAT_AUTO, -1, NULL, parse_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  list = ga_list_parse_finish (result, &error);
  g_assert_no_error (error);
  assert_ids (list, "79001234567@c.us");
}

static void
test_async_cancelled (void)
{
  g_autoptr(GBytes) bytes = many_lines (50000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaList) list = NULL;

  g_cancellable_cancel (cancellable);
  ga_list_parse_async (bytes, NULL, GA_LIST_FORMAT_TEXT, -1, cancellable, parse_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  list = ga_list_parse_finish (result, &error);
  g_assert_null (list);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_empty (void)
{
  const char *inputs[] = { "", "\n\n", "\357\273\277", "\r\n  \r\n", "phone\n" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GaList) list = parse (inputs[i], i == 4 ? "list.csv" : NULL);

      g_assert_cmpuint (ga_list_get_n_entries (list), ==, 0);
      g_assert_cmpuint (ga_list_get_n_chats (list), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/list-parser/text-lines", test_text_lines);
  g_test_add_func ("/green-avatar/list-parser/text-separators", test_text_separators);
  g_test_add_func ("/green-avatar/list-parser/text-names", test_text_names);
  g_test_add_func ("/green-avatar/list-parser/rejected", test_rejected);
  g_test_add_func ("/green-avatar/list-parser/duplicates", test_duplicates);
  g_test_add_func ("/green-avatar/list-parser/encodings", test_encodings);
  g_test_add_func ("/green-avatar/list-parser/utf16-broken", test_utf16_broken);
  g_test_add_func ("/green-avatar/list-parser/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/green-avatar/list-parser/csv-separators", test_csv_separators);
  g_test_add_func ("/green-avatar/list-parser/csv-quoting", test_csv_quoting);
  g_test_add_func ("/green-avatar/list-parser/csv-columns", test_csv_columns);
  g_test_add_func ("/green-avatar/list-parser/csv-one-column", test_csv_one_column);
  g_test_add_func ("/green-avatar/list-parser/spreadsheet-numbers", test_spreadsheet_numbers);
  g_test_add_func ("/green-avatar/list-parser/vcard", test_vcard);
  g_test_add_func ("/green-avatar/list-parser/vcard-2.1", test_vcard_21);
  g_test_add_func ("/green-avatar/list-parser/csv-sep-line", test_csv_sep_line);
  g_test_add_func ("/green-avatar/list-parser/detect-by-content", test_detect_by_content);
  g_test_add_func ("/green-avatar/list-parser/line-limit", test_line_limit);
  g_test_add_func ("/green-avatar/list-parser/entry-limit", test_entry_limit);
  g_test_add_func ("/green-avatar/list-parser/size-limit", test_size_limit);
  g_test_add_func ("/green-avatar/list-parser/async", test_async);
  g_test_add_func ("/green-avatar/list-parser/async-cancelled", test_async_cancelled);
  g_test_add_func ("/green-avatar/list-parser/empty", test_empty);

  return g_test_run ();
}
