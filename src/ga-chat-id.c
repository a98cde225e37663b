/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-chat-id"

#include "config.h"

#include "ga-chat-id.h"

#include <glib/gi18n.h>
#include <string.h>

/* checkWhatsapp's rule for a phone number with its country code. */
#define PHONE_MIN_DIGITS 11
#define PHONE_MAX_DIGITS 16

/* New-style group ids are observed with 18 digits; allow some room either side. */
#define GROUP_MIN_DIGITS 15
#define GROUP_MAX_DIGITS 22

/* Old-style group ids: the creator's phone number, a dash and a Unix time. */
#define GROUP_TIME_MIN_DIGITS 9
#define GROUP_TIME_MAX_DIGITS 10

#define LID_MIN_DIGITS 5
#define LID_MAX_DIGITS 24

/* Only input this short is repeated back in an error message. */
#define QUOTE_MAX_CHARS 64

G_DEFINE_QUARK (ga-chat-id-error-quark, ga_chat_id_error)

typedef enum
{
  PHONE_OK,
  PHONE_BAD_CHARACTER,
  PHONE_MISPLACED_PLUS,
  PHONE_TOO_SHORT,
  PHONE_TOO_LONG,
  PHONE_NO_COUNTRY_CODE,
  PHONE_TRUNK_EIGHT,
} PhoneStatus;

typedef struct
{
  PhoneStatus status;
  gunichar    bad_char;  /* for PHONE_BAD_CHARACTER */
  guint       n_digits;  /* after dropping a 00 prefix */
  char       *digits;    /* (owned) (nullable): set for PHONE_OK, and for PHONE_TRUNK_EIGHT the
                          * number with +7 in place of the 8 */
} PhoneResult;

static void
phone_result_clear (PhoneResult *result)
{
  g_clear_pointer (&result->digits, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PhoneResult, phone_result_clear)

/* White space of any kind: what people paste between groups of digits (spaces, no-break
 * spaces, thin spaces, tabs, line breaks). */
static gboolean
is_space (gunichar c)
{
  GUnicodeType type;

  if (g_unichar_isspace (c))
    return TRUE;

  type = g_unichar_type (c);
  return type == G_UNICODE_SPACE_SEPARATOR ||
         type == G_UNICODE_LINE_SEPARATOR ||
         type == G_UNICODE_PARAGRAPH_SEPARATOR;
}

/* Invisible formatting characters (zero-width spaces, byte order marks, the direction marks
 * that phone and messenger apps wrap around numbers): they are dropped wherever they are. */
static gboolean
is_invisible (gunichar c)
{
  return g_unichar_type (c) == G_UNICODE_FORMAT;
}

static gboolean
is_phone_separator (gunichar c)
{
  switch (c)
    {
    case '.':
    case '-':
    case '(':
    case ')':
    case '[':
    case ']':
    case 0x2212: /* MINUS SIGN */
    case 0xFF08: /* FULLWIDTH LEFT PARENTHESIS */
    case 0xFF09: /* FULLWIDTH RIGHT PARENTHESIS */
    case 0xFF0E: /* FULLWIDTH FULL STOP */
      return TRUE;

    default:
      return g_unichar_type (c) == G_UNICODE_DASH_PUNCTUATION;
    }
}

static gboolean
is_plus (gunichar c)
{
  return c == '+' || c == 0xFF0B; /* FULLWIDTH PLUS SIGN */
}

static gboolean
is_ascii_digits (const char *s,
                 gsize       len)
{
  if (len == 0)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
    }

  return TRUE;
}

/* Returns a newly allocated copy of valid UTF-8 @text without white space and invisible
 * characters at either end. */
static char *
strip_text (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (start < end)
    {
      gunichar c = g_utf8_get_char (start);

      if (!is_space (c) && !is_invisible (c))
        break;
      start = g_utf8_next_char (start);
    }

  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);
      gunichar c;

      if (prev == NULL)
        break;
      c = g_utf8_get_char (prev);
      if (!is_space (c) && !is_invisible (c))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

/* Returns a form of @text that can be shown inside an error message, or %NULL if @text is
 * long, not valid UTF-8 or holds characters that cannot be shown (control characters,
 * unassigned code points). White space becomes a plain space; invisible characters go. */
static char *
quotable (const char *text)
{
  g_autoptr(GString) out = NULL;
  guint n_chars = 0;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_space (c))
        c = ' ';
      else if (is_invisible (c))
        continue;
      else if (!g_unichar_isprint (c) || g_unichar_type (c) == G_UNICODE_PRIVATE_USE)
        return NULL;

      if (++n_chars > QUOTE_MAX_CHARS)
        return NULL;
      g_string_append_unichar (out, c);
    }

  if (out->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A single character for an error message, or %NULL if it would not show. */
static char *
quotable_char (gunichar c)
{
  char buf[8] = { 0 };

  if (c == 0 || is_space (c) || !g_unichar_isprint (c) ||
      g_unichar_type (c) == G_UNICODE_PRIVATE_USE)
    return NULL;

  g_unichar_to_utf8 (c, buf);
  return g_strdup (buf);
}

/* Reads a phone number as people write it: digits of any script, one leading plus, and
 * spaces, dots, dashes and brackets between the digits. A leading international 00 goes. */
static void
read_phone (const char  *text,
            PhoneResult *result)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean seen_plus = FALSE;

  memset (result, 0, sizeof *result);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int value = g_unichar_digit_value (c);

      if (value >= 0)
        {
          /* The input is capped, so this stays small. */
          g_string_append_c (digits, '0' + value);
        }
      else if (is_plus (c))
        {
          if (seen_plus || digits->len > 0)
            {
              result->status = PHONE_MISPLACED_PLUS;
              return;
            }
          seen_plus = TRUE;
        }
      else if (!is_space (c) && !is_invisible (c) && !is_phone_separator (c))
        {
          result->status = PHONE_BAD_CHARACTER;
          result->bad_char = c;
          return;
        }
    }

  /* 00 is how much of the world dials out of the country: 0079001234567 is +7 900 123 45 67.
   * Some people type +00 as well. */
  if (digits->len > 2 && digits->str[0] == '0' && digits->str[1] == '0')
    g_string_erase (digits, 0, 2);

  result->n_digits = digits->len;
  if (digits->len < PHONE_MIN_DIGITS)
    result->status = PHONE_TOO_SHORT;
  else if (digits->len > PHONE_MAX_DIGITS)
    result->status = PHONE_TOO_LONG;
  else if (digits->str[0] == '0')
    {
      /* No country code starts with 0: this is a number as dialled inside its country
       * (07911 123456 in the UK). */
      result->status = PHONE_NO_COUNTRY_CODE;
    }
  else if (digits->len == 11 && digits->str[0] == '8' && strchr ("379", digits->str[1]) != NULL)
    {
      /* 8 (900) 123-45-67 is how Russia and Kazakhstan dial their own +7 numbers. No country
       * code starts with 83, 87 or 89, so this cannot be an international number (with a plus
       * or without: refusing both keeps every chat ID this returns one it accepts again); but
       * it is not rewritten either (a wrong guess would show a stranger's picture): the
       * message gives the +7 form to enter. */
      result->status = PHONE_TRUNK_EIGHT;
      digits->str[0] = '7';
      g_string_prepend_c (digits, '+');
      result->digits = g_string_free (g_steal_pointer (&digits), FALSE);
    }
  else
    {
      result->status = PHONE_OK;
      result->digits = g_string_free (g_steal_pointer (&digits), FALSE);
    }
}

static void
set_phone_error (GError            **error,
                 const PhoneResult  *result,
                 const char         *text)
{
  g_autofree char *quoted = quotable (text);

  switch (result->status)
    {
    case PHONE_BAD_CHARACTER:
      {
        g_autofree char *bad = quotable_char (result->bad_char);

        if (quoted != NULL && bad != NULL)
          g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_INVALID_CHARACTERS,
                       /* Translators: the first %s is what was entered, the second %s one
                        * character of it. */
                       _("“%s” contains “%s”, which does not belong in a phone number. Enter "
                         "digits with the country code, like +7 900 123-45-67."),
                       quoted, bad);
        else if (bad != NULL)
          g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_INVALID_CHARACTERS,
                       /* Translators: %s is one character of what was entered. */
                       _("The number contains “%s”, which does not belong in a phone number. "
                         "Enter digits with the country code, like +7 900 123-45-67."),
                       bad);
        else if (quoted != NULL)
          g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_INVALID_CHARACTERS,
                       _("“%s” contains a character that does not belong in a phone number. "
                         "Enter digits with the country code, like +7 900 123-45-67."),
                       quoted);
        else
          g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_INVALID_CHARACTERS,
                               _("The number contains a character that does not belong in a "
                                 "phone number. Enter digits with the country code, like "
                                 "+7 900 123-45-67."));
      }
      break;

    case PHONE_MISPLACED_PLUS:
      if (quoted != NULL)
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_INVALID_CHARACTERS,
                     _("“%s” has a “+” that is not at the start. A “+” may only come before "
                       "the country code, like +7 900 123-45-67."),
                     quoted);
      else
        g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_INVALID_CHARACTERS,
                             _("The number has a “+” that is not at the start. A “+” may only "
                               "come before the country code, like +7 900 123-45-67."));
      break;

    case PHONE_TOO_SHORT:
      if (quoted != NULL)
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_SHORT,
                     /* Translators: %s is what was entered, %u how many digits it has; the
                      * two %d are the smallest and largest number of digits allowed. */
                     ngettext ("“%s” has %u digit; a phone number needs %d to %d digits "
                               "including the country code, like 79001234567.",
                               "“%s” has %u digits; a phone number needs %d to %d digits "
                               "including the country code, like 79001234567.",
                               result->n_digits),
                     quoted, result->n_digits, PHONE_MIN_DIGITS, PHONE_MAX_DIGITS);
      else
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_SHORT,
                     ngettext ("The number has %u digit; a phone number needs %d to %d digits "
                               "including the country code, like 79001234567.",
                               "The number has %u digits; a phone number needs %d to %d digits "
                               "including the country code, like 79001234567.",
                               result->n_digits),
                     result->n_digits, PHONE_MIN_DIGITS, PHONE_MAX_DIGITS);
      break;

    case PHONE_TOO_LONG:
      if (quoted != NULL)
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_LONG,
                     ngettext ("“%s” has %u digit; a phone number needs %d to %d digits "
                               "including the country code, like 79001234567. A group ID "
                               "ends in @g.us, like 120363043968066561@g.us.",
                               "“%s” has %u digits; a phone number needs %d to %d digits "
                               "including the country code, like 79001234567. A group ID "
                               "ends in @g.us, like 120363043968066561@g.us.",
                               result->n_digits),
                     quoted, result->n_digits, PHONE_MIN_DIGITS, PHONE_MAX_DIGITS);
      else
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_LONG,
                     ngettext ("The number has %u digit; a phone number needs %d to %d digits "
                               "including the country code, like 79001234567. A group ID "
                               "ends in @g.us, like 120363043968066561@g.us.",
                               "The number has %u digits; a phone number needs %d to %d "
                               "digits including the country code, like 79001234567. A group "
                               "ID ends in @g.us, like 120363043968066561@g.us.",
                               result->n_digits),
                     result->n_digits, PHONE_MIN_DIGITS, PHONE_MAX_DIGITS);
      break;

    case PHONE_NO_COUNTRY_CODE:
      if (quoted != NULL)
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_SHORT,
                     _("“%s” starts with 0, so its country code seems to be missing. Enter the "
                       "number with the country code, like +44 7911 123456 or "
                       "+7 900 123-45-67."),
                     quoted);
      else
        g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_SHORT,
                             _("The number starts with 0, so its country code seems to be "
                               "missing. Enter the number with the country code, like "
                               "+44 7911 123456 or +7 900 123-45-67."));
      break;

    case PHONE_TRUNK_EIGHT:
      if (quoted != NULL)
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_SHORT,
                     /* Translators: the first %s is what was entered, the second the same
                      * number with +7, like +79001234567. */
                     _("“%s” is written as it is dialled within Russia or Kazakhstan. Enter it "
                       "with +7 in place of the 8, like %s."),
                     quoted, result->digits);
      else
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_SHORT,
                     /* Translators: %s is the number with +7, like +79001234567. */
                     _("The number is written as it is dialled within Russia or Kazakhstan. "
                       "Enter it with +7 in place of the 8, like %s."),
                     result->digits);
      break;

    case PHONE_OK:
    default:
      g_assert_not_reached ();
    }
}

static char *
parse_phone (const char  *text,
             GaChatKind  *kind,
             GError     **error)
{
  g_auto(PhoneResult) result = { 0 };

  read_phone (text, &result);
  if (result.status != PHONE_OK)
    {
      set_phone_error (error, &result, text);
      return NULL;
    }

  if (kind != NULL)
    *kind = GA_CHAT_KIND_PERSONAL;
  return g_strdup_printf ("%s@c.us", result.digits);
}

/* <owner phone>-<unix time>, all ASCII digits. */
static gboolean
is_old_group (const char *text)
{
  const char *dash = strchr (text, '-');
  gsize owner_len;
  gsize time_len;

  if (dash == NULL)
    return FALSE;

  owner_len = dash - text;
  time_len = strlen (dash + 1);

  return owner_len >= PHONE_MIN_DIGITS && owner_len <= PHONE_MAX_DIGITS &&
         time_len >= GROUP_TIME_MIN_DIGITS && time_len <= GROUP_TIME_MAX_DIGITS &&
         is_ascii_digits (text, owner_len) &&
         is_ascii_digits (dash + 1, time_len);
}

static gboolean
is_new_group (const char *text)
{
  gsize len = strlen (text);

  return len >= GROUP_MIN_DIGITS && len <= GROUP_MAX_DIGITS && is_ascii_digits (text, len);
}

static char *
parse_group (const char  *local,
             GaChatKind  *kind,
             GError     **error)
{
  if (is_new_group (local) || is_old_group (local))
    {
      if (kind != NULL)
        *kind = GA_CHAT_KIND_GROUP;
      return g_strdup_printf ("%s@g.us", local);
    }
  else
    {
      g_autofree char *quoted = quotable (local);

      if (quoted != NULL)
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_MALFORMED_GROUP,
                     /* Translators: %s is the part of the group ID before @g.us. */
                     _("“%s@g.us” is not a group ID. A group ID looks like "
                       "120363043968066561@g.us or 79876543210-1581234048@g.us."),
                     quoted);
      else
        g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_MALFORMED_GROUP,
                             _("This is not a group ID. A group ID looks like "
                               "120363043968066561@g.us or 79876543210-1581234048@g.us."));
      return NULL;
    }
}

static char *
parse_lid (const char  *local,
           GaChatKind  *kind,
           GError     **error)
{
  gsize len = strlen (local);

  if (len >= LID_MIN_DIGITS && len <= LID_MAX_DIGITS && is_ascii_digits (local, len))
    {
      if (kind != NULL)
        *kind = GA_CHAT_KIND_LID;
      return g_strdup_printf ("%s@lid", local);
    }
  else
    {
      g_autofree char *quoted = quotable (local);

      if (quoted != NULL)
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_MALFORMED_LID,
                     /* Translators: %s is the part of the ID before @lid. */
                     _("“%s@lid” is not a valid ID. An @lid ID is digits followed by @lid, "
                       "like 120650379300963@lid."),
                     quoted);
      else
        g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_MALFORMED_LID,
                             _("This is not a valid @lid ID. An @lid ID is digits followed by "
                               "@lid, like 120650379300963@lid."));
      return NULL;
    }
}

/* Splits "<local>@<suffix>" at the first @. */
static char *
parse_with_suffix (const char  *text,
                   const char  *at,
                   GaChatKind  *kind,
                   GError     **error)
{
  g_autofree char *local_raw = g_strndup (text, at - text);
  g_autofree char *local = strip_text (local_raw);
  g_autofree char *suffix_raw = strip_text (at + 1);
  g_autofree char *suffix = g_ascii_strdown (suffix_raw, -1);

  if (g_str_equal (suffix, "c.us") || g_str_equal (suffix, "s.whatsapp.net"))
    return parse_phone (local, kind, error);
  else if (g_str_equal (suffix, "g.us"))
    return parse_group (local, kind, error);
  else if (g_str_equal (suffix, "lid"))
    return parse_lid (local, kind, error);
  else
    {
      g_autofree char *quoted = quotable (suffix_raw);

      if (quoted != NULL)
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_UNKNOWN_SUFFIX,
                     /* Translators: %s is what follows the @ in what was entered. */
                     _("“@%s” is not a chat ID ending. Use @c.us for a person, @g.us for a "
                       "group or @lid, like 79001234567@c.us."),
                     quoted);
      else
        g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_UNKNOWN_SUFFIX,
                             _("The part after “@” is not a chat ID ending. Use @c.us for a "
                               "person, @g.us for a group or @lid, like 79001234567@c.us."));
      return NULL;
    }
}

/* Decodes %XX escapes of a URL part; %NULL if an escape is broken or the result is not
 * valid UTF-8 text without NUL. */
static char *
percent_decode (const char *s,
                gsize       len)
{
  g_autoptr(GString) out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '%')
        {
          int hi;
          int lo;

          if (len - i < 3)
            return NULL;
          hi = g_ascii_xdigit_value (s[i + 1]);
          lo = g_ascii_xdigit_value (s[i + 2]);
          if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return NULL;
          g_string_append_c (out, (char) ((hi << 4) | lo));
          i += 2;
        }
      else
        g_string_append_c (out, s[i]);
    }

  if (!g_utf8_validate (out->str, out->len, NULL))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The decoded value of the first "phone" parameter in a query string, or %NULL. */
static char *
query_phone (const char *query)
{
  const char *p = query;

  while (*p != '\0')
    {
      gsize len = strcspn (p, "&;");

      if (len >= 6 && g_ascii_strncasecmp (p, "phone=", 6) == 0)
        return percent_decode (p + 6, len - 6);

      p += len;
      if (*p != '\0')
        p++;
    }

  return NULL;
}

static gboolean
has_prefix_ascii_nocase (const char *text,
                         const char *prefix)
{
  return g_ascii_strncasecmp (text, prefix, strlen (prefix)) == 0;
}

static gboolean
segment_is (const char *segment,
            gsize       len,
            const char *word)
{
  return len == strlen (word) && g_ascii_strncasecmp (segment, word, len) == 0;
}

/* Hosts of click-to-chat links, with and without the scheme typed. */
static const char * const link_hosts[] = {
  "wa.me",
  "www.wa.me",
  "api.whatsapp.com",
  "web.whatsapp.com",
  "whatsapp.com",
  "www.whatsapp.com",
  "chat.whatsapp.com",
};

static gboolean
starts_with_link_host (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (link_hosts); i++)
    {
      gsize len = strlen (link_hosts[i]);

      if (g_ascii_strncasecmp (text, link_hosts[i], len) == 0 &&
          (text[len] == '\0' || text[len] == '/' || text[len] == '?' || text[len] == '#'))
        return TRUE;
    }

  return FALSE;
}

static gboolean
looks_like_link (const char *text)
{
  return has_prefix_ascii_nocase (text, "http://") ||
         has_prefix_ascii_nocase (text, "https://") ||
         has_prefix_ascii_nocase (text, "whatsapp:") ||
         has_prefix_ascii_nocase (text, "tel:") ||
         starts_with_link_host (text);
}

typedef enum
{
  LINK_OK,
  LINK_NO_NUMBER,
  LINK_NOT_WHATSAPP,
  LINK_GROUP_INVITE,
} LinkStatus;

/* Finds the phone number in a click-to-chat link: wa.me/<number>, …/send?phone=<number>,
 * whatsapp://send?phone=<number> or tel:<number>. Returns the decoded number in @number. */
static LinkStatus
read_link (const char  *text,
           char       **number)
{
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  const char *rest = text;
  gsize host_len;
  gsize path_len;

  *number = NULL;

  if (has_prefix_ascii_nocase (rest, "tel:"))
    {
      rest += strlen ("tel:");
      /* tel:+7-900-123-45-67;ext=1 */
      *number = percent_decode (rest, strcspn (rest, ";?#"));
      return *number != NULL ? LINK_OK : LINK_NO_NUMBER;
    }

  if (has_prefix_ascii_nocase (rest, "https://"))
    rest += strlen ("https://");
  else if (has_prefix_ascii_nocase (rest, "http://"))
    rest += strlen ("http://");
  else if (has_prefix_ascii_nocase (rest, "whatsapp:"))
    {
      rest += strlen ("whatsapp:");
      while (*rest == '/')
        rest++;
      host_len = strcspn (rest, "/?#");
      if (!segment_is (rest, host_len, "send"))
        return LINK_NO_NUMBER;
      rest += host_len;
      rest += strcspn (rest, "?#");
      if (*rest == '?')
        {
          query = g_strndup (rest + 1, strcspn (rest + 1, "#"));
          *number = query_phone (query);
        }
      return *number != NULL ? LINK_OK : LINK_NO_NUMBER;
    }

  host_len = strcspn (rest, "/?#");
  host = g_ascii_strdown (rest, host_len);
  rest += host_len;
  path_len = strcspn (rest, "?#");
  path = g_strndup (rest, path_len);
  rest += path_len;
  if (*rest == '?')
    query = g_strndup (rest + 1, strcspn (rest + 1, "#"));

  if (g_str_equal (host, "chat.whatsapp.com"))
    return LINK_GROUP_INVITE;

  if (g_str_equal (host, "wa.me") || g_str_equal (host, "www.wa.me"))
    {
      const char *segment = path;
      gsize segment_len;

      while (*segment == '/')
        segment++;
      segment_len = strcspn (segment, "/");

      /* wa.me/message/<code> and wa.me/qr/<code> are business short links without a
       * number; the number is in the first segment otherwise. */
      if (segment_len > 0 &&
          !segment_is (segment, segment_len, "message") &&
          !segment_is (segment, segment_len, "qr"))
        *number = percent_decode (segment, segment_len);
      else if (query != NULL)
        *number = query_phone (query);

      return *number != NULL ? LINK_OK : LINK_NO_NUMBER;
    }

  for (guint i = 0; i < G_N_ELEMENTS (link_hosts); i++)
    {
      if (g_str_equal (host, link_hosts[i]))
        {
          if (query != NULL)
            *number = query_phone (query);
          return *number != NULL ? LINK_OK : LINK_NO_NUMBER;
        }
    }

  return LINK_NOT_WHATSAPP;
}

static char *
parse_link (const char  *text,
            GaChatKind  *kind,
            GError     **error)
{
  g_autofree char *number = NULL;
  g_autofree char *quoted = NULL;
  LinkStatus status;

  status = read_link (text, &number);
  if (status == LINK_OK)
    {
      g_auto(PhoneResult) result = { 0 };

      read_phone (number, &result);
      if (result.status == PHONE_OK)
        {
          if (kind != NULL)
            *kind = GA_CHAT_KIND_PERSONAL;
          return g_strdup_printf ("%s@c.us", result.digits);
        }
      status = LINK_NO_NUMBER;
    }

  quoted = quotable (text);
  switch (status)
    {
    case LINK_GROUP_INVITE:
      g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_MALFORMED_LINK,
                           _("A group invite link cannot be looked up. Enter the group’s ID "
                             "instead, like 120363043968066561@g.us."));
      break;

    case LINK_NOT_WHATSAPP:
      if (quoted != NULL)
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_MALFORMED_LINK,
                     /* Translators: %s is the link that was entered. */
                     _("“%s” is not a WhatsApp link. Enter a phone number with the country "
                       "code, or a link like https://wa.me/79001234567."),
                     quoted);
      else
        g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_MALFORMED_LINK,
                             _("This is not a WhatsApp link. Enter a phone number with the "
                               "country code, or a link like https://wa.me/79001234567."));
      break;

    case LINK_NO_NUMBER:
    case LINK_OK:
    default:
      if (quoted != NULL)
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_MALFORMED_LINK,
                     /* Translators: the first %s is the link that was entered; the two %d
                      * are the smallest and largest number of digits allowed. */
                     _("The link “%s” has no usable phone number. A link needs %d to %d "
                       "digits including the country code, like https://wa.me/79001234567."),
                     quoted, PHONE_MIN_DIGITS, PHONE_MAX_DIGITS);
      else
        g_set_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_MALFORMED_LINK,
                     /* Translators: the two %d are the smallest and largest number of
                      * digits allowed. */
                     _("The link has no usable phone number. A link needs %d to %d digits "
                       "including the country code, like https://wa.me/79001234567."),
                     PHONE_MIN_DIGITS, PHONE_MAX_DIGITS);
      break;
    }

  return NULL;
}

/**
 * ga_chat_id_parse:
 * @input: what a person typed or pasted (any UTF-8, or even invalid UTF-8)
 * @kind: (out) (optional): the kind of chat
 * @error: a #GA_CHAT_ID_ERROR whose message names the problem and shows the expected form
 *
 * Turns a phone number as people write it (`+7 900 123-45-67`, `0079001234567`), a
 * click-to-chat link (`https://wa.me/79001234567`, `whatsapp://send?phone=…`) or a chat ID
 * (`…@c.us`, `…@g.us`, `…@lid`) into the canonical chat ID that GREEN-API expects.
 *
 * Returns: (transfer full) (nullable): the canonical chat ID, e.g. `11001234567@c.us`
 */
char *
ga_chat_id_parse (const char  *input,
                  GaChatKind  *kind,
                  GError     **error)
{
  g_autofree char *text = NULL;
  const char *at;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input == NULL || input[0] == '\0')
    {
      g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_EMPTY,
                           _("No chat ID was entered. Enter a phone number with the country "
                             "code, like +7 900 123-45-67, or a chat ID like 79001234567@c.us."));
      return NULL;
    }

  /* Checked before anything else reads the text: strnlen stops at the cap. */
  if (strnlen (input, GA_CHAT_ID_MAX_INPUT + 1) > GA_CHAT_ID_MAX_INPUT)
    {
      g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_LONG,
                           _("The text is too long to be a chat ID. Enter a phone number with "
                             "the country code, like 79001234567, or a chat ID like "
                             "79001234567@c.us."));
      return NULL;
    }

  if (!g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_INVALID_CHARACTERS,
                           _("The text contains characters that cannot be read. Enter a phone "
                             "number with the country code, like 79001234567."));
      return NULL;
    }

  text = strip_text (input);
  if (text[0] == '\0')
    {
      g_set_error_literal (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_EMPTY,
                           _("No chat ID was entered. Enter a phone number with the country "
                             "code, like +7 900 123-45-67, or a chat ID like 79001234567@c.us."));
      return NULL;
    }

  if (looks_like_link (text))
    return parse_link (text, kind, error);

  at = strchr (text, '@');
  if (at != NULL)
    return parse_with_suffix (text, at, kind, error);

  /* An old-style group ID pasted without its @g.us cannot be a phone number: it has at least
   * 20 digits. */
  if (is_old_group (text))
    return parse_group (text, kind, error);

  return parse_phone (text, kind, error);
}
