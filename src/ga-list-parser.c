/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-list-parser"

#include "config.h"

#include "ga-list-parser.h"

#include "ga-chat-id.h"

#include <glib/gi18n.h>
#include <string.h>

/* How many records the separator, header and column detection look at. */
#define SAMPLE_RECORDS 1000
#define SEPARATOR_SAMPLE 50
#define MAX_COLUMNS 256
/* A sample cell is cut to this many characters. */
#define SAMPLE_CHARS 24
/* U+FFFD, what g_utf8_make_valid() puts where bytes were not UTF-8. */
#define REPLACEMENT "\357\277\275"

typedef struct
{
  char  *chat_id;  /* (owned) */
  char  *name;     /* (owned) (nullable) */
  guint  entry;    /* the first entry that names it */
} Chat;

struct _GaList
{
  GObject       parent_instance;

  GaListFormat  format;
  GArray       *entries;      /* (owned) of GaListEntry */
  GArray       *chats;        /* (owned) of Chat */
  GHashTable   *chat_index;   /* (owned) chat ID (unowned, in chats) -> index + 1 */
  guint         n_rejected;

  GStrv         columns;      /* (owned) (nullable): CSV only */
  GPtrArray    *samples;      /* (owned) (element-type GStrv): CSV only, the first rows */
  int           phone_column;
  gboolean      phone_column_certain;
  int           name_column;
  gboolean      has_header;
  char          separator;

  /* While parsing. */
  gboolean      had_invalid;  /* some bytes were not UTF-8 */
  gboolean      too_many_entries;
};

G_DEFINE_FINAL_TYPE (GaList, ga_list, G_TYPE_OBJECT)

G_DEFINE_QUARK (ga-list-error-quark, ga_list_error)

static void
entry_clear (gpointer data)
{
  GaListEntry *entry = data;

  g_free (entry->text);
  g_free (entry->chat_id);
  g_free (entry->name);
  g_free (entry->error);
}

static void
chat_clear (gpointer data)
{
  Chat *chat = data;

  g_free (chat->chat_id);
  g_free (chat->name);
}

static void
ga_list_finalize (GObject *object)
{
  GaList *self = GA_LIST (object);

  g_clear_pointer (&self->chat_index, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->chats, g_array_unref);
  g_clear_pointer (&self->columns, g_strfreev);
  g_clear_pointer (&self->samples, g_ptr_array_unref);

  G_OBJECT_CLASS (ga_list_parent_class)->finalize (object);
}

static void
ga_list_class_init (GaListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ga_list_finalize;
}

static void
ga_list_init (GaList *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (GaListEntry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->chats = g_array_new (FALSE, TRUE, sizeof (Chat));
  g_array_set_clear_func (self->chats, chat_clear);
  self->chat_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->phone_column = -1;
  self->name_column = -1;
}

/* Decoding */

/* Turns the bytes into UTF-8 with LF line ends: a UTF-8 or UTF-16 byte order mark is read and
 * dropped, UTF-16 without one is recognised by its zero bytes, invalid UTF-8 becomes U+FFFD. */
static char *
decode (GaList        *self,
        const guint8  *data,
        gsize          len,
        GError       **error)
{
  g_autofree char *converted = NULL;
  const char *from = NULL;
  const char *text;
  gsize text_len;
  GString *out;

  if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    {
      data += 3;
      len -= 3;
    }
  else if (len >= 2 && data[0] == 0xff && data[1] == 0xfe)
    {
      from = "UTF-16LE";
      data += 2;
      len -= 2;
    }
  else if (len >= 2 && data[0] == 0xfe && data[1] == 0xff)
    {
      from = "UTF-16BE";
      data += 2;
      len -= 2;
    }
  else if (len >= 4 && len % 2 == 0 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0)
    from = "UTF-16LE";
  else if (len >= 4 && len % 2 == 0 && data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0)
    from = "UTF-16BE";

  if (from != NULL)
    {
      gsize written = 0;

      converted = g_convert ((const char *) data, len, "UTF-8", from, NULL, &written, NULL);
      if (converted == NULL)
        {
          g_set_error_literal (error, GA_LIST_ERROR, GA_LIST_ERROR_ENCODING,
                               _("The file is marked as UTF-16 text but cannot be read as such. "
                                 "Save it as UTF-8 text and try again."));
          return NULL;
        }
      text = converted;
      text_len = written;
    }
  else
    {
      text = (const char *) data;
      text_len = len;
    }

  if (!g_utf8_validate_len (text, text_len, NULL))
    {
      char *valid = g_utf8_make_valid (text, text_len);

      self->had_invalid = TRUE;
      g_free (converted);
      converted = valid;
      text = valid;
      text_len = strlen (valid);
    }

  /* CRLF and a lone CR become LF. */
  out = g_string_sized_new (text_len + 1);
  for (gsize i = 0; i < text_len; i++)
    {
      if (text[i] == '\r')
        {
          g_string_append_c (out, '\n');
          if (i + 1 < text_len && text[i + 1] == '\n')
            i++;
        }
      else
        {
          g_string_append_c (out, text[i]);
        }
    }

  return g_string_free (out, FALSE);
}

static gboolean
check_lines (const char  *text,
             GError     **error)
{
  guint lines = 0;
  const char *p = text;

  while (*p != '\0')
    {
      const char *nl = strchr (p, '\n');

      lines++;
      if (lines > GA_LIST_MAX_LINES)
        {
          g_set_error (error, GA_LIST_ERROR, GA_LIST_ERROR_TOO_MANY_LINES,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The list has more than %u line. Split it into lists of at "
                                    "most %u line each.",
                                    "The list has more than %u lines. Split it into lists of at "
                                    "most %u lines each.",
                                    GA_LIST_MAX_LINES),
                       GA_LIST_MAX_LINES, GA_LIST_MAX_LINES);
          return FALSE;
        }
      if (nl == NULL)
        break;
      p = nl + 1;
    }

  return TRUE;
}

/* Spreadsheet damage */

typedef enum
{
  NUMBER_NONE,
  NUMBER_SCIENTIFIC,   /* 7.90012E+10: digits lost */
  NUMBER_DECIMAL,      /* 79001234567.0: all digits there, if few enough */
  NUMBER_DECIMAL_LONG, /* 1234567890123456.0: more digits than a double keeps */
} NumberKind;

/* Recognises a cell that a spreadsheet wrote as a number. For NUMBER_DECIMAL, @digits gets
 * the integer part (with a leading + if there was one). */
static NumberKind
spreadsheet_number (const char  *text,
                    char       **digits)
{
  const char *p = text;
  const char *int_start;
  gsize int_len;
  gboolean zeros_only = TRUE;
  gboolean has_fraction = FALSE;

  if (*p == '+')
    p++;
  int_start = p;
  while (g_ascii_isdigit (*p))
    p++;
  int_len = p - int_start;
  if (int_len == 0)
    return NUMBER_NONE;

  if (*p == '.' || *p == ',')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return NUMBER_NONE;
      has_fraction = TRUE;
      while (g_ascii_isdigit (*p))
        {
          if (*p != '0')
            zeros_only = FALSE;
          p++;
        }
    }

  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return NUMBER_NONE;
      while (g_ascii_isdigit (*p))
        p++;
      return *p == '\0' ? NUMBER_SCIENTIFIC : NUMBER_NONE;
    }

  /* Seven digits or more before a fraction of zeros: a phone number stored as a decimal. A
   * short one is not worth guessing about; the chat ID parser refuses it anyway. */
  if (*p != '\0' || !has_fraction || !zeros_only || int_len < 7)
    return NUMBER_NONE;

  /* A double holds 15 significant digits exactly; beyond that digits may have changed. */
  if (int_len > 15)
    return NUMBER_DECIMAL_LONG;

  if (digits != NULL)
    *digits = g_strndup (text, int_start + int_len - text);

  return NUMBER_DECIMAL;
}

static gboolean
phone_like (const char *cell)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *text = g_strstrip (g_strdup (cell[0] == '\'' ? cell + 1 : cell));

  if (text[0] == '\0')
    return FALSE;
  if (spreadsheet_number (text, NULL) != NUMBER_NONE)
    return TRUE;

  id = ga_chat_id_parse (text, NULL, &error);

  return id != NULL;
}

static gboolean
has_digit_run (const char *text,
               guint       min)
{
  guint run = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      run = g_ascii_isdigit (*p) ? run + 1 : 0;
      if (run >= min)
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_letter (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_isalpha (g_utf8_get_char (p)))
        return TRUE;
    }

  return FALSE;
}

/* Entries */

static void
add_entry (GaList     *self,
           guint       line,
           const char *written,
           const char *name)
{
  g_autofree char *text = g_strstrip (g_strdup (written));
  g_autofree char *digits = NULL;
  g_autoptr(GError) error = NULL;
  GaListEntry entry = { 0, };
  const char *parse_text;
  NumberKind number;

  if (text[0] == '\0')
    return;

  /* One line may hold many entries: the limit holds for entries too. */
  if (self->entries->len >= GA_LIST_MAX_LINES)
    {
      self->too_many_entries = TRUE;
      return;
    }

  entry.line = line;
  entry.chat = GA_LIST_NO_CHAT;
  if (name != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (name));

      if (stripped[0] != '\0')
        entry.name = g_steal_pointer (&stripped);
    }

  number = spreadsheet_number (text, &digits);
  parse_text = digits != NULL ? digits : text;

  if (self->had_invalid && strstr (text, REPLACEMENT) != NULL)
    {
      entry.error = g_strdup_printf (_("Line %u has bytes that are not UTF-8 text. Save the list "
                                       "as UTF-8 text and try again."), line);
    }
  else if (number == NUMBER_SCIENTIFIC)
    {
      entry.error = g_strdup_printf (_("“%s” is a number a spreadsheet shortened to scientific "
                                       "notation, so digits are lost. Format the phone column "
                                       "as Text in the spreadsheet, type the numbers again and "
                                       "export the file again."), text);
    }
  else if (number == NUMBER_DECIMAL_LONG)
    {
      entry.error = g_strdup_printf (_("“%s” is a number a spreadsheet stored with more digits "
                                       "than it keeps exactly, so digits may have changed. "
                                       "Format the phone column as Text in the spreadsheet and "
                                       "export the file again."), text);
    }
  else
    {
      entry.chat_id = ga_chat_id_parse (parse_text, NULL, &error);
      if (entry.chat_id == NULL)
        entry.error = g_strdup (error->message);
    }

  entry.text = g_steal_pointer (&text);

  if (entry.chat_id != NULL)
    {
      gpointer found = g_hash_table_lookup (self->chat_index, entry.chat_id);

      if (found != NULL)
        {
          entry.chat = GPOINTER_TO_UINT (found) - 1;
          entry.duplicate = TRUE;
        }
      else
        {
          Chat chat = { 0, };

          chat.chat_id = g_strdup (entry.chat_id);
          chat.entry = self->entries->len;
          g_array_append_val (self->chats, chat);
          entry.chat = self->chats->len - 1;
          g_hash_table_insert (self->chat_index, chat.chat_id, GUINT_TO_POINTER (self->chats->len));
        }
    }
  else
    {
      self->n_rejected++;
    }

  g_array_append_val (self->entries, entry);
}

/* A chat takes the first name any of its entries gives. */
static void
name_chats (GaList *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      GaListEntry *entry = &g_array_index (self->entries, GaListEntry, i);
      Chat *chat;

      if (entry->chat == GA_LIST_NO_CHAT || entry->name == NULL)
        continue;
      chat = &g_array_index (self->chats, Chat, entry->chat);
      if (chat->name == NULL)
        chat->name = g_strdup (entry->name);
    }
}

/* Plain text */

static gboolean
parses (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = ga_chat_id_parse (text, NULL, &error);

  return id != NULL;
}

static gboolean
starts_entry (const char *token)
{
  return token[0] == '+' || strchr (token, '@') != NULL || strstr (token, "://") != NULL ||
         g_ascii_strncasecmp (token, "wa.me", 5) == 0 || g_ascii_strncasecmp (token, "www.", 4) == 0;
}

/* Words that can only be a name: letters, no digits, not a link or an ID. */
static gboolean
is_name (const char *words)
{
  return has_letter (words) && !has_digit_run (words, 1) && !starts_entry (words);
}

/* One piece of a line between separators. A phone number written with spaces is one entry;
 * several numbers separated by spaces are several: the words are grouped so that each group
 * starts with a "+", a link or an ID, or after a group that is complete on its own. */
static void
add_piece (GaList     *self,
           guint       line,
           const char *piece)
{
  g_autofree char *text = g_strstrip (g_strdup (piece));
  g_autoptr(GPtrArray) groups = NULL;
  const char *p;
  GString *group = NULL;
  guint n_valid = 0;

  if (text[0] == '\0')
    return;

  if (spreadsheet_number (text, NULL) != NUMBER_NONE || parses (text) ||
      strpbrk (text, " \t") == NULL)
    {
      add_entry (self, line, text, NULL);
      return;
    }

  /* The words, walked in place: a line of a million words makes no million strings. */
  groups = g_ptr_array_new_with_free_func (g_free);
  for (p = text; *p != '\0'; )
    {
      g_autofree char *token = NULL;
      const char *end;
      gboolean split = FALSE;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        break;
      end = p;
      while (*end != '\0' && *end != ' ' && *end != '\t')
        end++;
      token = g_strndup (p, end - p);
      p = end;

      if (group == NULL)
        {
          group = g_string_new (token);
          continue;
        }

      /* Longer than any chat ID: no use growing it (and no quadratic time on a long line). */
      if (group->len + strlen (token) >= GA_CHAT_ID_MAX_INPUT)
        split = TRUE;
      else if (starts_entry (token) || spreadsheet_number (token, NULL) != NUMBER_NONE)
        split = TRUE;
      /* From words to a number, or from a number to words: a name beside it. */
      else if (has_digit_run (group->str, 1) != has_digit_run (token, 1) &&
               (has_letter (group->str) || has_letter (token)))
        split = TRUE;
      else if (parses (group->str))
        {
          g_autofree char *longer = g_strconcat (group->str, " ", token, NULL);

          split = !parses (longer);
        }

      if (split)
        {
          g_ptr_array_add (groups, g_string_free (group, FALSE));
          group = g_string_new (token);
        }
      else
        {
          g_string_append_c (group, ' ');
          g_string_append (group, token);
        }
    }
  if (group != NULL)
    g_ptr_array_add (groups, g_string_free (group, FALSE));

  for (guint i = 0; i < groups->len; i++)
    {
      if (parses (g_ptr_array_index (groups, i)))
        n_valid++;
    }

  if (groups->len < 2 || n_valid == 0)
    {
      add_entry (self, line, text, NULL);
      return;
    }

  /* Words without a digit beside numbers ("Ivan Petrov +7 900 123-45-67") are the name of
   * the number after them, or of the one before when they come last. */
  for (guint i = 0; i < groups->len; i++)
    {
      const char *words = g_ptr_array_index (groups, i);
      const char *name = NULL;
      int target = -1;

      if (parses (words))
        {
          /* Its name comes right before it, or right after it at the end of the piece. */
          if (i > 0 && is_name (g_ptr_array_index (groups, i - 1)))
            name = g_ptr_array_index (groups, i - 1);
          else if (i + 2 == groups->len && is_name (g_ptr_array_index (groups, i + 1)))
            name = g_ptr_array_index (groups, i + 1);
          add_entry (self, line, words, name);
          continue;
        }

      if (is_name (words))
        {
          if (i + 1 < groups->len && parses (g_ptr_array_index (groups, i + 1)))
            target = i + 1;
          else if (i + 1 == groups->len && i > 0 && parses (g_ptr_array_index (groups, i - 1)))
            target = i - 1;
        }
      if (target < 0)
        add_entry (self, line, words, NULL);
    }
}

static gboolean
parse_text (GaList        *self,
            const char    *text,
            GCancellable  *cancellable,
            GError       **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      g_autofree char *trimmed = g_strstrip (g_strdup (line));
      const char *separators;

      if ((i & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (trimmed[0] == '\0')
        continue;

      /* "7,90012E+10" is one number with a decimal comma, not two entries. */
      if (spreadsheet_number (trimmed, NULL) != NUMBER_NONE)
        {
          add_entry (self, i + 1, trimmed, NULL);
          continue;
        }

      /* Walked in place: a long line of separators allocates nothing per empty piece. */
      separators = strpbrk (trimmed, ";\t") != NULL ? ";\t" : ",";
      for (char *piece = trimmed; piece != NULL && !self->too_many_entries; )
        {
          char *end = strpbrk (piece, separators);

          if (end != NULL)
            *end = '\0';
          add_piece (self, i + 1, piece);
          piece = end != NULL ? end + 1 : NULL;
        }

      if (self->too_many_entries)
        break;
    }

  return TRUE;
}

/* CSV (RFC 4180, leniently) */

typedef struct
{
  guint      line;
  GPtrArray *cells;  /* (owned) of char* */
} Record;

static void
record_clear (gpointer data)
{
  Record *record = data;

  g_clear_pointer (&record->cells, g_ptr_array_unref);
}

static const char *
record_cell (const Record *record,
             int           column)
{
  if (column < 0 || (guint) column >= record->cells->len)
    return "";

  return g_ptr_array_index (record->cells, column);
}

/* Reads up to @max records (0: all). A quoted field may hold separators, doubled quotes and
 * line breaks; text after a closing quote is kept as it is; a record that is one empty field
 * (a blank line) is skipped. */
static GArray *
read_records (const char    *text,
              char           sep,
              guint          max,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GArray) records = g_array_new (FALSE, TRUE, sizeof (Record));
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = text;
  guint line = 1;

  g_array_set_clear_func (records, record_clear);

  while (*p != '\0' && (max == 0 || records->len < max))
    {
      Record record = { line, g_ptr_array_new_with_free_func (g_free) };
      gboolean end = FALSE;

      if ((records->len & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          record_clear (&record);
          return NULL;
        }

      while (!end)
        {
          g_string_truncate (field, 0);

          if (*p == '"')
            {
              p++;
              while (*p != '\0')
                {
                  if (*p == '"')
                    {
                      if (p[1] == '"')
                        {
                          g_string_append_c (field, '"');
                          p += 2;
                          continue;
                        }
                      p++;
                      break;
                    }
                  if (*p == '\n')
                    line++;
                  g_string_append_c (field, *p);
                  p++;
                }
            }

          while (*p != '\0' && *p != sep && *p != '\n')
            {
              g_string_append_c (field, *p);
              p++;
            }

          /* Cells past the last column anyone would choose are read but not kept. */
          if (record.cells->len < MAX_COLUMNS)
            g_ptr_array_add (record.cells, g_strndup (field->str, field->len));

          if (*p == sep)
            {
              p++;
            }
          else
            {
              if (*p == '\n')
                {
                  p++;
                  line++;
                }
              end = TRUE;
            }
        }

      if (record.cells->len == 1 && ((char *) record.cells->pdata[0])[0] == '\0')
        record_clear (&record);
      else
        g_array_append_val (records, record);
    }

  return g_steal_pointer (&records);
}

/* A spreadsheet in a decimal-comma locale writes 7,90012E+10 into a one-column CSV: those two
 * "fields" are one number, and say nothing about the separator. */
static gboolean
is_split_number (const Record *record,
                 char          sep)
{
  g_autofree char *joined = NULL;

  if (sep != ',' || record->cells->len != 2)
    return FALSE;

  joined = g_strjoin (",", record_cell (record, 0), record_cell (record, 1), NULL);
  g_strstrip (joined);

  return spreadsheet_number (joined, NULL) != NUMBER_NONE;
}

/* The separator whose field count is the same, and more than one, in most sampled records. */
static char
detect_separator (const char *text,
                  guint      *score_out,
                  guint      *sampled_out)
{
  static const char candidates[] = { '\t', ';', ',' };
  char best = ',';
  guint best_score = 0, best_mode = 0, sampled = 0;

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      g_autoptr(GArray) records = read_records (text, candidates[c], SEPARATOR_SAMPLE, NULL, NULL);
      g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
      guint mode = 0, mode_count = 0, n = 0;

      for (guint i = 0; i < records->len; i++)
        {
          const Record *record = &g_array_index (records, Record, i);
          guint count;

          if (is_split_number (record, candidates[c]))
            continue;
          n++;
          count = GPOINTER_TO_UINT (g_hash_table_lookup (counts,
                                                         GUINT_TO_POINTER (record->cells->len))) + 1;
          g_hash_table_insert (counts, GUINT_TO_POINTER (record->cells->len),
                               GUINT_TO_POINTER (count));
          if (count > mode_count || (count == mode_count && record->cells->len > mode))
            {
              mode_count = count;
              mode = record->cells->len;
            }
        }

      if (c == 0)
        sampled = n;
      if (mode < 2)
        continue;
      if (mode_count > best_score || (mode_count == best_score && mode > best_mode))
        {
          best = candidates[c];
          best_score = mode_count;
          best_mode = mode;
          sampled = n;
        }
    }

  if (score_out != NULL)
    *score_out = best_score;
  if (sampled_out != NULL)
    *sampled_out = sampled;

  return best;
}

static gboolean
header_says (const char         *header,
             const char * const *words)
{
  g_autofree char *folded = g_utf8_casefold (header, -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (strstr (folded, words[i]) != NULL)
        return TRUE;
    }

  return FALSE;
}

static const char * const phone_words[] = {
  "phone", "tel", "mobile", "cell", "number", "whatsapp", "chat", "msisdn",
  "телефон", "номер", "мобильный", "ватсап", NULL
};

static const char * const name_words[] = {
  "name", "fn", "contact", "имя", "фио", "контакт", "название", NULL
};

static void
detect_columns (GaList *self,
                GArray *records,
                int     chosen)
{
  guint first = records->len > 1 ? 1 : 0;
  guint last = MIN (records->len, first + SAMPLE_RECORDS);
  guint n_columns = 0;
  g_autofree guint *phone_counts = NULL;
  g_autofree guint *text_counts = NULL;
  guint sampled = last - first;
  const Record *head;
  int best = -1;
  guint best_count = 0;
  gboolean tie = FALSE;

  for (guint i = 0; i < last; i++)
    n_columns = MAX (n_columns, g_array_index (records, Record, i).cells->len);
  n_columns = MIN (n_columns, MAX_COLUMNS);
  if (n_columns == 0)
    n_columns = 1;

  phone_counts = g_new0 (guint, n_columns);
  text_counts = g_new0 (guint, n_columns);
  for (guint i = first; i < last; i++)
    {
      const Record *record = &g_array_index (records, Record, i);

      for (guint c = 0; c < n_columns && c < record->cells->len; c++)
        {
          const char *cell = record_cell (record, c);

          if (phone_like (cell))
            phone_counts[c]++;
          else if (cell[0] != '\0' && !has_digit_run (cell, 5))
            text_counts[c]++;
        }
    }

  for (guint c = 0; c < n_columns; c++)
    {
      if (phone_counts[c] > best_count)
        {
          best = c;
          best_count = phone_counts[c];
          tie = FALSE;
        }
      else if (phone_counts[c] == best_count && best_count > 0)
        {
          tie = TRUE;
        }
    }

  /* The header row: a first record none of whose cells is, or looks like, a phone number. */
  head = records->len > 0 ? &g_array_index (records, Record, 0) : NULL;
  if (head != NULL && (records->len > 1 || best < 0))
    {
      gboolean numbers = FALSE;
      gboolean letters = FALSE;

      for (guint c = 0; c < head->cells->len; c++)
        {
          const char *cell = record_cell (head, c);

          if (phone_like (cell) || has_digit_run (cell, 7))
            numbers = TRUE;
          if (has_letter (cell))
            letters = TRUE;
        }
      self->has_header = !numbers && letters;
    }

  /* Equal counts: the header decides, if it names a phone column. */
  if (tie && self->has_header)
    {
      for (guint c = 0; c < n_columns; c++)
        {
          if (phone_counts[c] == best_count && header_says (record_cell (head, c), phone_words))
            {
              best = c;
              tie = FALSE;
              break;
            }
        }
    }

  self->columns = g_new0 (char *, n_columns + 1);
  for (guint c = 0; c < n_columns; c++)
    {
      const char *header = self->has_header ? record_cell (head, c) : "";
      g_autofree char *stripped = g_strstrip (g_strdup (header));

      if (stripped[0] != '\0')
        self->columns[c] = g_steal_pointer (&stripped);
      else
        self->columns[c] = g_strdup_printf (_("Column %u"), c + 1);
    }

  /* The first rows under the header, each cell cut short, for a person choosing the column. */
  for (guint i = self->has_header ? 1 : 0;
       i < records->len && self->samples->len < GA_LIST_N_SAMPLE_ROWS; i++)
    {
      const Record *record = &g_array_index (records, Record, i);
      GStrv row = g_new0 (char *, n_columns + 1);

      for (guint c = 0; c < n_columns; c++)
        {
          g_autofree char *cell = g_strstrip (g_strdup (record_cell (record, c)));

          if (g_utf8_strlen (cell, -1) > SAMPLE_CHARS)
            {
              g_autofree char *cut = g_utf8_substring (cell, 0, SAMPLE_CHARS);

              row[c] = g_strconcat (g_strchomp (cut), "…", NULL);
            }
          else
            {
              row[c] = g_steal_pointer (&cell);
            }
        }
      g_ptr_array_add (self->samples, row);
    }

  if (chosen >= 0)
    {
      self->phone_column = chosen;
      self->phone_column_certain = TRUE;
    }
  else
    {
      self->phone_column = best < 0 ? 0 : best;
      self->phone_column_certain = best >= 0 && !tie && best_count * 2 > sampled;
    }

  /* The name column: named so by the header, or else the one column of words. */
  for (guint c = 0; c < n_columns && self->has_header; c++)
    {
      if ((int) c != self->phone_column && header_says (record_cell (head, c), name_words))
        {
          self->name_column = c;
          break;
        }
    }
  if (self->name_column < 0 && !self->has_header)
    {
      for (guint c = 0; c < n_columns; c++)
        {
          if ((int) c != self->phone_column && text_counts[c] * 2 > sampled)
            {
              self->name_column = c;
              break;
            }
        }
    }
}

static gboolean
parse_csv (GaList        *self,
           const char    *text,
           int            chosen,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GArray) records = NULL;
  guint skipped_lines = 0;

  /* Excel's hint: a first line "sep=;" names the separator. */
  if (g_ascii_strncasecmp (text, "sep=", 4) == 0 && text[4] != '\0' &&
      (text[5] == '\n' || text[5] == '\0'))
    {
      self->separator = text[4];
      text += text[5] == '\n' ? 6 : 5;
      skipped_lines = 1;
    }
  else
    {
      self->separator = detect_separator (text, NULL, NULL);
    }

  records = read_records (text, self->separator, 0, cancellable, error);
  if (records == NULL)
    return FALSE;

  detect_columns (self, records, chosen);

  for (guint i = self->has_header ? 1 : 0; i < records->len; i++)
    {
      const Record *record = &g_array_index (records, Record, i);
      const char *cell = record_cell (record, self->phone_column);

      if ((i & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      /* A leading apostrophe is a spreadsheet's mark for text (and what the export writes). */
      if (cell[0] == '\'')
        cell++;

      add_entry (self, record->line + skipped_lines, cell,
                 self->name_column >= 0 ? record_cell (record, self->name_column) : NULL);
    }

  return TRUE;
}

/* Whether pasted or unnamed text is a table (CSV or pasted cells) rather than a list: the same
 * number of fields in most lines, and a column that is not phone numbers (names, a header). */
static gboolean
looks_like_table (const char *text)
{
  g_autoptr(GArray) records = NULL;
  guint score, sampled;
  char sep = detect_separator (text, &score, &sampled);

  if (score == 0 || score * 5 < sampled * 4)
    return FALSE;

  records = read_records (text, sep, SEPARATOR_SAMPLE, NULL, NULL);
  for (guint i = 0; i < records->len; i++)
    {
      const Record *record = &g_array_index (records, Record, i);

      for (guint c = 0; c < record->cells->len; c++)
        {
          const char *cell = record_cell (record, c);
          g_autofree char *stripped = g_strstrip (g_strdup (cell));

          if (stripped[0] != '\0' && !phone_like (stripped) && has_letter (stripped))
            return TRUE;
        }
    }

  return FALSE;
}

/* vCard */

static char *
vcard_unescape (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          g_string_append_c (out, (*p == 'n' || *p == 'N') ? ' ' : *p);
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

/* vCard 2.1 (what Android exports) writes names outside ASCII as quoted-printable UTF-8. */
static char *
quoted_printable_decode (const char *value)
{
  GString *out = g_string_new (NULL);
  char *valid;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '=' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_c (out, (char) (g_ascii_xdigit_value (p[1]) * 16 +
                                          g_ascii_xdigit_value (p[2])));
          p += 2;
        }
      else if (*p == '=' && p[1] == '\0')
        {
          break;
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }

  valid = g_utf8_make_valid (out->str, out->len);
  g_string_free (out, TRUE);

  return valid;
}

static gboolean
is_quoted_printable (const char *line,
                     const char *value)
{
  g_autofree char *params = g_ascii_strup (line, value - line);

  return strstr (params, "QUOTED-PRINTABLE") != NULL;
}

/* The name of a property without its group ("item1.TEL" is TEL), upper-cased, and where its
 * value starts (after the first colon outside a quoted parameter value). */
static char *
vcard_split (const char  *line,
             const char **value)
{
  gboolean quoted = FALSE;
  const char *name_end = NULL;
  const char *dot;
  g_autofree char *name = NULL;

  *value = NULL;
  for (const char *p = line; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == ';' && name_end == NULL)
        name_end = p;
      else if (!quoted && *p == ':')
        {
          if (name_end == NULL)
            name_end = p;
          *value = p + 1;
          break;
        }
    }

  if (*value == NULL)
    return NULL;

  name = g_strndup (line, name_end - line);
  dot = strrchr (name, '.');

  return g_ascii_strup (dot != NULL ? dot + 1 : name, -1);
}

static void
vcard_line (GaList     *self,
            const char *line,
            guint       line_number,
            guint      *card_start,
            char      **card_name,
            char      **card_n)
{
  const char *value;
  g_autofree char *name = vcard_split (line, &value);

  if (name == NULL)
    return;

  if (strcmp (name, "BEGIN") == 0)
    {
      *card_start = self->entries->len;
      g_clear_pointer (card_name, g_free);
      g_clear_pointer (card_n, g_free);
    }
  else if (strcmp (name, "FN") == 0)
    {
      g_autofree char *decoded = is_quoted_printable (line, value) ?
                                 quoted_printable_decode (value) : NULL;

      g_free (*card_name);
      *card_name = vcard_unescape (decoded != NULL ? decoded : value);
    }
  else if (strcmp (name, "N") == 0)
    {
      g_autofree char *decoded = is_quoted_printable (line, value) ?
                                 quoted_printable_decode (value) : NULL;
      /* Family;Given;Additional;Prefix;Suffix, for a card without FN. */
      g_auto(GStrv) parts = g_strsplit (decoded != NULL ? decoded : value, ";", 3);
      g_autofree char *given = parts[0] != NULL && parts[1] != NULL ? vcard_unescape (parts[1]) : NULL;
      g_autofree char *family = parts[0] != NULL ? vcard_unescape (parts[0]) : NULL;

      g_free (*card_n);
      *card_n = g_strstrip (g_strjoin (" ", given != NULL ? given : "", family != NULL ? family : "",
                                       NULL));
    }
  else if (strcmp (name, "TEL") == 0)
    {
      g_autofree char *number = NULL;

      if (g_ascii_strncasecmp (value, "tel:", 4) == 0)
        {
          const char *params = strchr (value + 4, ';');

          number = params != NULL ? g_strndup (value + 4, params - value - 4) : g_strdup (value + 4);
        }
      else
        {
          number = vcard_unescape (value);
        }
      add_entry (self, line_number, number, NULL);
    }
  else if (strcmp (name, "END") == 0)
    {
      const char *card = *card_name != NULL && (*card_name)[0] != '\0' ? *card_name : *card_n;

      for (guint i = *card_start; i < self->entries->len && card != NULL && card[0] != '\0'; i++)
        {
          GaListEntry *entry = &g_array_index (self->entries, GaListEntry, i);

          if (entry->name == NULL)
            entry->name = g_strdup (card);
        }
      *card_start = self->entries->len;
      g_clear_pointer (card_name, g_free);
      g_clear_pointer (card_n, g_free);
    }
}

static gboolean
parse_vcard (GaList        *self,
             const char    *text,
             GCancellable  *cancellable,
             GError       **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) logical = g_string_new (NULL);
  g_autofree char *card_name = NULL;
  g_autofree char *card_n = NULL;
  guint logical_line = 0;
  guint card_start = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if ((i & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      /* A line that starts with a space or a tab continues the one before (folding). */
      if ((line[0] == ' ' || line[0] == '\t') && logical_line != 0)
        {
          g_string_append (logical, line + 1);
          continue;
        }

      /* A quoted-printable value ending in "=" continues on the next line (vCard 2.1). */
      if (logical_line != 0 && logical->len > 0 && logical->str[logical->len - 1] == '=' &&
          strstr (logical->str, "QUOTED-PRINTABLE") != NULL && strchr (line, ':') == NULL)
        {
          g_string_truncate (logical, logical->len - 1);
          g_string_append (logical, line);
          continue;
        }

      if (logical_line != 0)
        vcard_line (self, logical->str, logical_line, &card_start, &card_name, &card_n);

      g_string_assign (logical, line);
      logical_line = i + 1;
    }

  if (logical_line != 0)
    vcard_line (self, logical->str, logical_line, &card_start, &card_name, &card_n);

  return TRUE;
}

static gboolean
is_vcard (const char *text)
{
  const char *p = text;

  while (*p == ' ' || *p == '\n' || *p == '\t')
    p++;

  return g_ascii_strncasecmp (p, "BEGIN:VCARD", 11) == 0;
}

static GaListFormat
detect_format (const char *text,
               const char *file_name)
{
  if (is_vcard (text))
    return GA_LIST_FORMAT_VCARD;

  if (file_name != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (file_name, -1);

      if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".tsv"))
        return GA_LIST_FORMAT_CSV;
    }

  return looks_like_table (text) ? GA_LIST_FORMAT_CSV : GA_LIST_FORMAT_TEXT;
}

/**
 * ga_list_parse:
 * @bytes: the list: pasted text or a file's content, in any of the encodings people use
 * @file_name: (nullable): the file's name, whose extension is a hint (content decides when it
 *   is missing or wrong)
 * @format: %GA_LIST_FORMAT_AUTO, or the format to read it as
 * @phone_column: for CSV, the 0-based column that holds the numbers, or -1 to detect it
 * @cancellable: (nullable): checked every few thousand lines
 * @error: a #GA_LIST_ERROR when the input is refused whole
 *
 * Reads every entry of a list. Blocking and CPU-bound: in the UI use ga_list_parse_async().
 * To read a CSV again with another phone column, call it again with the same bytes.
 *
 * Returns: (transfer full) (nullable): the list, or %NULL when refused or cancelled
 */
GaList *
ga_list_parse (GBytes        *bytes,
               const char    *file_name,
               GaListFormat   format,
               int            phone_column,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GaList) self = NULL;
  g_autofree char *text = NULL;
  const guint8 *data;
  gsize len;
  gboolean ok = FALSE;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len > GA_LIST_MAX_BYTES)
    {
      g_set_error (error, GA_LIST_ERROR, GA_LIST_ERROR_TOO_LARGE,
                   _("The list is larger than %u MiB. Split it into smaller files."),
                   GA_LIST_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  self = g_object_new (GA_TYPE_LIST, NULL);

  text = decode (self, data != NULL ? data : (const guint8 *) "", len, error);
  if (text == NULL || !check_lines (text, error))
    return NULL;

  self->format = format != GA_LIST_FORMAT_AUTO ? format : detect_format (text, file_name);

  switch (self->format)
    {
    case GA_LIST_FORMAT_CSV:
      ok = parse_csv (self, text, phone_column, cancellable, error);
      break;
    case GA_LIST_FORMAT_VCARD:
      ok = parse_vcard (self, text, cancellable, error);
      break;
    case GA_LIST_FORMAT_TEXT:
    case GA_LIST_FORMAT_AUTO:
    default:
      self->format = GA_LIST_FORMAT_TEXT;
      ok = parse_text (self, text, cancellable, error);
      break;
    }

  if (!ok)
    return NULL;

  if (self->too_many_entries)
    {
      g_set_error (error, GA_LIST_ERROR, GA_LIST_ERROR_TOO_MANY_ENTRIES,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The list has more than %u entry. Split it into lists of at "
                                "most %u entry each.",
                                "The list has more than %u entries. Split it into lists of at "
                                "most %u entries each.",
                                GA_LIST_MAX_LINES),
                   GA_LIST_MAX_LINES, GA_LIST_MAX_LINES);
      return NULL;
    }

  name_chats (self);

  return g_steal_pointer (&self);
}

/**
 * ga_list_parse_text:
 * @text: pasted text (UTF-8)
 * @error: a #GA_LIST_ERROR when refused
 *
 * ga_list_parse() of pasted text: no file name, the kind detected from the content.
 *
 * Returns: (transfer full) (nullable): the list
 */
GaList *
ga_list_parse_text (const char  *text,
                    GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  bytes = g_bytes_new_static (text, strlen (text));

  return ga_list_parse (bytes, NULL, GA_LIST_FORMAT_AUTO, -1, NULL, error);
}

typedef struct
{
  GBytes       *bytes;
  char         *file_name;
  GaListFormat  format;
  int           phone_column;
} ParseData;

static void
parse_data_free (gpointer data)
{
  ParseData *parse = data;

  g_bytes_unref (parse->bytes);
  g_free (parse->file_name);
  g_free (parse);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseData *parse = task_data;
  g_autoptr(GError) error = NULL;
  GaList *list;

  list = ga_list_parse (parse->bytes, parse->file_name, parse->format, parse->phone_column,
                        cancellable, &error);
  if (list == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, list, g_object_unref);
}

/**
 * ga_list_parse_async:
 *
 * ga_list_parse() in a worker thread. The bytes are kept until it finishes.
 */
void
ga_list_parse_async (GBytes              *bytes,
                     const char          *file_name,
                     GaListFormat         format,
                     int                  phone_column,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ParseData *parse;

  g_return_if_fail (bytes != NULL);

  parse = g_new0 (ParseData, 1);
  parse->bytes = g_bytes_ref (bytes);
  parse->file_name = g_strdup (file_name);
  parse->format = format;
  parse->phone_column = phone_column;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_list_parse_async);
  g_task_set_task_data (task, parse, parse_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, parse_thread);
}

/**
 * ga_list_parse_finish:
 *
 * Returns: (transfer full) (nullable): the list; %NULL with %G_IO_ERROR_CANCELLED when cancelled
 */
GaList *
ga_list_parse_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_list_parse_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GaListFormat
ga_list_get_format (GaList *self)
{
  g_return_val_if_fail (GA_IS_LIST (self), GA_LIST_FORMAT_AUTO);

  return self->format;
}

/* Every entry of the input, accepted or rejected, in input order. */
guint
ga_list_get_n_entries (GaList *self)
{
  g_return_val_if_fail (GA_IS_LIST (self), 0);

  return self->entries->len;
}

const GaListEntry *
ga_list_get_entry (GaList *self,
                   guint   position)
{
  g_return_val_if_fail (GA_IS_LIST (self), NULL);
  g_return_val_if_fail (position < self->entries->len, NULL);

  return &g_array_index (self->entries, GaListEntry, position);
}

guint
ga_list_get_n_rejected (GaList *self)
{
  g_return_val_if_fail (GA_IS_LIST (self), 0);

  return self->n_rejected;
}

/* The unique chats, each to be looked up once, in the order they first appear. */
guint
ga_list_get_n_chats (GaList *self)
{
  g_return_val_if_fail (GA_IS_LIST (self), 0);

  return self->chats->len;
}

const char *
ga_list_get_chat_id (GaList *self,
                     guint   chat)
{
  g_return_val_if_fail (GA_IS_LIST (self), NULL);
  g_return_val_if_fail (chat < self->chats->len, NULL);

  return g_array_index (self->chats, Chat, chat).chat_id;
}

/* The first name any entry of the chat gives, or %NULL. */
const char *
ga_list_get_chat_name (GaList *self,
                       guint   chat)
{
  g_return_val_if_fail (GA_IS_LIST (self), NULL);
  g_return_val_if_fail (chat < self->chats->len, NULL);

  return g_array_index (self->chats, Chat, chat).name;
}

/* The position of the first entry of the chat. */
guint
ga_list_get_chat_entry (GaList *self,
                        guint   chat)
{
  g_return_val_if_fail (GA_IS_LIST (self), 0);
  g_return_val_if_fail (chat < self->chats->len, 0);

  return g_array_index (self->chats, Chat, chat).entry;
}

/**
 * ga_list_get_columns:
 *
 * Returns: (nullable) (transfer none): for a CSV, the column names (the header's, or
 *   "Column 1"…), for the view to offer as the phone column; %NULL otherwise
 */
const char * const *
ga_list_get_columns (GaList *self)
{
  g_return_val_if_fail (GA_IS_LIST (self), NULL);

  return (const char * const *) self->columns;
}

/**
 * ga_list_get_n_sample_rows:
 *
 * Returns: how many rows of a CSV under its header ga_list_get_sample() has (at most
 *   %GA_LIST_N_SAMPLE_ROWS), 0 for other kinds of list
 */
guint
ga_list_get_n_sample_rows (GaList *self)
{
  g_return_val_if_fail (GA_IS_LIST (self), 0);

  return self->samples->len;
}

/**
 * ga_list_get_sample:
 * @row: a row under the header, below ga_list_get_n_sample_rows()
 * @column: a column, as in ga_list_get_columns()
 *
 * A cell of the first rows of a CSV, as written, blanks trimmed and cut to 24 characters: what
 * a person needs to see to choose the phone column.
 *
 * Returns: the cell, "" when the row has no such column
 */
const char *
ga_list_get_sample (GaList *self,
                    guint   row,
                    guint   column)
{
  GStrv cells;

  g_return_val_if_fail (GA_IS_LIST (self), "");
  g_return_val_if_fail (row < self->samples->len, "");

  cells = g_ptr_array_index (self->samples, row);
  if (column >= g_strv_length (cells))
    return "";

  return cells[column];
}

/* The 0-based column read as chat IDs (CSV), or -1. */
int
ga_list_get_phone_column (GaList *self)
{
  g_return_val_if_fail (GA_IS_LIST (self), -1);

  return self->phone_column;
}

/* FALSE when the detection was a guess (a tie, or no column mostly phone numbers): the view
 * should ask which column to use. TRUE when the caller chose the column. */
gboolean
ga_list_get_phone_column_certain (GaList *self)
{
  g_return_val_if_fail (GA_IS_LIST (self), FALSE);

  return self->phone_column_certain;
}

int
ga_list_get_name_column (GaList *self)
{
  g_return_val_if_fail (GA_IS_LIST (self), -1);

  return self->name_column;
}

gboolean
ga_list_get_has_header (GaList *self)
{
  g_return_val_if_fail (GA_IS_LIST (self), FALSE);

  return self->has_header;
}

/* The CSV separator (`,` `;` or tab), or 0 when not a CSV. */
char
ga_list_get_separator (GaList *self)
{
  g_return_val_if_fail (GA_IS_LIST (self), 0);

  return self->separator;
}
