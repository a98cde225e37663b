/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-text"

#include "config.h"

#include "ga-text.h"

#include <string.h>

/* At most this many bytes of the input are looked at for each character kept: a name of a
 * megabyte of spaces costs no more than one of a few hundred characters. */
#define BYTES_PER_CHAR 8

/* Format characters that right-to-left text and emoji need: the direction marks, embeddings,
 * overrides and isolates, the zero-width (non-)joiners of emoji and Indic scripts, and the
 * tag characters of subdivision flags. Every other format character (zero-width spaces,
 * byte order marks, interlinear annotations...) is dropped. */
static gboolean
is_kept_format (gunichar c)
{
  return c == 0x200C || c == 0x200D ||       /* ZWNJ, ZWJ */
         c == 0x200E || c == 0x200F ||       /* LRM, RLM */
         c == 0x061C ||                      /* ARABIC LETTER MARK */
         (c >= 0x202A && c <= 0x202E) ||     /* LRE, RLE, PDF, LRO, RLO */
         (c >= 0x2066 && c <= 0x2069) ||     /* LRI, RLI, FSI, PDI */
         (c >= 0xE0020 && c <= 0xE007F);     /* tags */
}

static gboolean
is_line_break (gunichar c)
{
  return c == '\n' || c == 0x2028 || c == 0x2029 || c == 0x85;
}

static gboolean
is_space (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return g_unichar_isspace (c) ||
         type == G_UNICODE_SPACE_SEPARATOR ||
         type == G_UNICODE_LINE_SEPARATOR ||
         type == G_UNICODE_PARAGRAPH_SEPARATOR;
}

/**
 * ga_text_for_display:
 * @text: (nullable): untrusted text: a name, a description, anything the network sent
 * @max_chars: the most characters kept; longer text ends in "…"
 * @flags: one line (titles) or several (descriptions)
 *
 * Makes untrusted text fit to be shown in a label whose markup is off: invalid UTF-8 is
 * replaced, control characters and invisible format characters are removed (except those
 * that right-to-left text and emoji need), white space is collapsed (into one space for one
 * line, keeping at most two line breaks in a row otherwise), the ends are trimmed and the
 * length is capped before Pango ever sees the text. Markup-looking text (`<b>`, `&amp;`) is
 * left as it is: it is never parsed as markup, so it shows exactly as written.
 *
 * Returns: (transfer full) (nullable): the text to show, or %NULL when nothing is left
 */
char *
ga_text_for_display (const char  *text,
                     gsize        max_chars,
                     GaTextFlags  flags)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) out = NULL;
  gsize length;
  gsize n_chars = 0;
  gsize pending_spaces = 0;
  gsize pending_breaks = 0;
  gboolean truncated = FALSE;

  if (text == NULL || max_chars == 0)
    return NULL;

  /* Look at no more than the input needed for max_chars characters. */
  length = strlen (text);
  if (max_chars < G_MAXSIZE / (BYTES_PER_CHAR * 2) && length > max_chars * BYTES_PER_CHAR)
    {
      length = max_chars * BYTES_PER_CHAR;
      truncated = TRUE;
    }
  valid = g_utf8_make_valid (text, length);

  out = g_string_sized_new (MIN (length, max_chars * 4) + 4);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (is_line_break (c) || c == '\r')
        {
          if (c != '\r')
            pending_breaks++;
          pending_spaces++;
          continue;
        }
      if (is_space (c))
        {
          pending_spaces++;
          continue;
        }
      if (type == G_UNICODE_CONTROL ||
          type == G_UNICODE_SURROGATE ||
          (type == G_UNICODE_FORMAT && !is_kept_format (c)))
        continue;

      /* The white space before this character, collapsed; none at the start. */
      if (out->len > 0 && pending_spaces > 0)
        {
          gboolean breaks = flags == GA_TEXT_MULTI_LINE && pending_breaks > 0;
          gsize n_space = breaks ? MIN (pending_breaks, 2) : 1;

          if (n_chars + n_space + 1 > max_chars)
            {
              truncated = TRUE;
              break;
            }
          g_string_append (out, !breaks ? " " : pending_breaks > 1 ? "\n\n" : "\n");
          n_chars += n_space;
        }
      else if (n_chars + 1 > max_chars)
        {
          truncated = TRUE;
          break;
        }
      pending_spaces = 0;
      pending_breaks = 0;

      g_string_append_unichar (out, c);
      n_chars++;
    }

  if (out->len == 0)
    return NULL;

  if (truncated)
    g_string_append (out, "…");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* How many digits the country calling code of @digits has: 1 (North America) and 7 (Russia,
 * Kazakhstan) are one digit; the codes of zone 2 and zones 3-9 are two or three digits. The
 * list of two-digit codes is ITU-T E.164's; every other code is taken as three digits. */
static guint
country_code_length (const char *digits)
{
  static const char * const two_digit[] = {
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
    "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
    "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
  };

  if (digits[0] == '1' || digits[0] == '7')
    return 1;

  for (guint i = 0; i < G_N_ELEMENTS (two_digit); i++)
    if (strncmp (digits, two_digit[i], 2) == 0)
      return 2;

  return 3;
}

/**
 * ga_text_format_chat_id:
 * @chat_id: (nullable): a canonical chat ID
 *
 * The number of a personal chat written for people: `79001234567@c.us` becomes
 * `+7 900 123-45-67`, `11001234567@c.us` becomes `+1 100-123-4567`, others `+CC` and the rest
 * in groups. Groups and `@lid` IDs, which are not phone numbers, come back as they are.
 *
 * Returns: (transfer full) (nullable): the text to show, or %NULL for %NULL
 */
char *
ga_text_format_chat_id (const char *chat_id)
{
  g_autoptr(GString) out = NULL;
  const char *at;
  g_autofree char *digits = NULL;
  gsize n;
  guint cc;
  const char *rest;
  gsize rest_len;

  if (chat_id == NULL)
    return NULL;

  at = strchr (chat_id, '@');
  if (at == NULL || !g_str_equal (at, "@c.us"))
    return g_strdup (chat_id);

  digits = g_strndup (chat_id, at - chat_id);
  n = strlen (digits);
  if (n < 8 || n > 16 || strspn (digits, "0123456789") != n)
    return g_strdup (chat_id);

  cc = country_code_length (digits);
  rest = digits + cc;
  rest_len = n - cc;

  out = g_string_new ("+");
  g_string_append_len (out, digits, cc);
  g_string_append_c (out, ' ');

  if (digits[0] == '7' && rest_len == 10)
    {
      /* +7 900 123-45-67, as written in Russia and Kazakhstan. */
      g_string_append_printf (out, "%.3s %.3s-%.2s-%.2s", rest, rest + 3, rest + 6, rest + 8);
    }
  else if (digits[0] == '1' && rest_len == 10)
    {
      /* +1 100-123-4567, the North American plan. */
      g_string_append_printf (out, "%.3s-%.3s-%.4s", rest, rest + 3, rest + 6);
    }
  else
    {
      /* Groups of three, the last one of two or four rather than one. */
      gsize i = 0;

      while (i < rest_len)
        {
          gsize left = rest_len - i;
          gsize take = left == 4 ? 4 : MIN (left, 3);

          if (left == 4 || left == 2)
            take = left;
          if (i > 0)
            g_string_append_c (out, ' ');
          g_string_append_len (out, rest + i, take);
          i += take;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
