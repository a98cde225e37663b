/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-chat-id"

#include "config.h"

#include "ga-chat-id.h"

#include <string.h>

/* What a person types or pastes, and the chat ID it must turn into. */
typedef struct
{
  const char *input;
  const char *expected;
  GaChatKind  kind;
} ValidCase;

static const ValidCase valid_cases[] = {
  /* Canonical chat IDs. */
  { "11001234567@c.us", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "79876543210@c.us", "79876543210@c.us", GA_CHAT_KIND_PERSONAL },
  { "1234567890123456@c.us", "1234567890123456@c.us", GA_CHAT_KIND_PERSONAL },
  { "79001234567@C.US", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "79001234567@s.whatsapp.net", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "+7 900 123-45-67@c.us", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "120363043968066561@g.us", "120363043968066561@g.us", GA_CHAT_KIND_GROUP },
  { "120363043968066561@G.Us", "120363043968066561@g.us", GA_CHAT_KIND_GROUP },
  { "79876543210-1581234048@g.us", "79876543210-1581234048@g.us", GA_CHAT_KIND_GROUP },
  { "79876543210-158123404@g.us", "79876543210-158123404@g.us", GA_CHAT_KIND_GROUP },
  { "79876543210-1581234048", "79876543210-1581234048@g.us", GA_CHAT_KIND_GROUP },
  { "120650379300963@lid", "120650379300963@lid", GA_CHAT_KIND_LID },
  { "120650379300963@LID", "120650379300963@lid", GA_CHAT_KIND_LID },

  /* Bare digits and numbers as people write them. */
  { "11001234567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "1234567890123456", "1234567890123456@c.us", GA_CHAT_KIND_PERSONAL },
  { "+1 (100) 123-4567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "+7 900 123-45-67", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "+7 (900) 123-45-67", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "1100 123 4567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "+44 20.7946.0958", "442079460958@c.us", GA_CHAT_KIND_PERSONAL },
  { "[7] 900 1234567", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "0079001234567", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "+0079001234567", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "00 49 30 1234 5678", "493012345678@c.us", GA_CHAT_KIND_PERSONAL },
  { "  79001234567\t\n", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "\u00a0+7\u00a0900\u00a0123\u00a045\u00a067\u00a0", "79001234567@c.us",
    GA_CHAT_KIND_PERSONAL },
  { "+7\u202f900\u2009123\u200945\u200867", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "+7\u3000900\u2002123\u2003" "4567", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  /* What Android and WhatsApp put around a copied number: direction marks. */
  { "\u202a+7 900 123-45-67\u202c", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "\ufeff\u200b79001234567\u200e", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "+7 900 123\u201345\u201467", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "+7\u2011900\u2011123\u221245\u221267", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "\uff0b\uff17\uff19\uff10\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17",
    "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  /* Arabic-Indic digits. */
  { "\u0669\u0667\u0661\u0665\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667",
    "971501234567@c.us", GA_CHAT_KIND_PERSONAL },

  /* Click-to-chat links. */
  { "wa.me/11001234567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "https://wa.me/11001234567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "https://wa.me/11001234567?text=hi", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "https://wa.me/11001234567/?text=hello%20there#top", "11001234567@c.us",
    GA_CHAT_KIND_PERSONAL },
  { "http://wa.me/11001234567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "HTTPS://WA.ME/11001234567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "https://www.wa.me/+11001234567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "wa.me/%2B11001234567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { " https://wa.me/11001234567 ", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "api.whatsapp.com/send?phone=11001234567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "https://api.whatsapp.com/send?phone=+11001234567&text=hi", "11001234567@c.us",
    GA_CHAT_KIND_PERSONAL },
  { "https://api.whatsapp.com/send/?phone=79001234567&text&type=phone_number&app_absent=0",
    "79001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "https://api.whatsapp.com/send?text=hi&phone=%2B79001234567", "79001234567@c.us",
    GA_CHAT_KIND_PERSONAL },
  { "https://web.whatsapp.com/send?phone=79001234567", "79001234567@c.us",
    GA_CHAT_KIND_PERSONAL },
  { "whatsapp://send?phone=11001234567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "whatsapp://send?phone=11001234567&text=hi", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "whatsapp://send?phone=+11001234567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "WhatsApp://send/?Phone=11001234567", "11001234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "tel:+7-900-123-45-67", "79001234567@c.us", GA_CHAT_KIND_PERSONAL },

  /* Country codes that start with 8 stay numbers of their own (Vietnam, Japan, China). */
  { "84901234567", "84901234567@c.us", GA_CHAT_KIND_PERSONAL },
  { "81312345678", "81312345678@c.us", GA_CHAT_KIND_PERSONAL },
  { "8613912345678", "8613912345678@c.us", GA_CHAT_KIND_PERSONAL },
};

/* The examples that error messages show of the form expected. */
#define LIKE_PHONE   "like +7 900 123-45-67"
#define LIKE_DIGITS  "like 79001234567"
#define LIKE_ABROAD  "like +44 7911 123456"
#define INSTEAD_OF_8 "+7 in place of the 8, like "
#define LIKE_CHAT_ID "like 79001234567@c.us"
#define LIKE_GROUP   "like 120363043968066561@g.us"
#define LIKE_LID     "like 120650379300963@lid"
#define LIKE_LINK    "like https://wa.me/79001234567"

typedef struct
{
  const char    *input;
  GaChatIdError  code;
  /* Each message names the problem and shows the expected form: it contains @form, and
   * @form2 too when that is not NULL. */
  const char    *form;
  const char    *form2;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "", GA_CHAT_ID_ERROR_EMPTY, LIKE_PHONE, LIKE_CHAT_ID },
  { "   ", GA_CHAT_ID_ERROR_EMPTY, LIKE_PHONE, LIKE_CHAT_ID },
  { " \t\r\n\u00a0\u3000 ", GA_CHAT_ID_ERROR_EMPTY, LIKE_PHONE, LIKE_CHAT_ID },
  { "\u200b\ufeff", GA_CHAT_ID_ERROR_EMPTY, LIKE_PHONE, LIKE_CHAT_ID },

  { "John", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_PHONE, NULL },
  { "7900l234567", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_PHONE, NULL },
  { "+7 900 ABC 45 67", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_PHONE, NULL },
  { "79001234567\x01", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_PHONE, NULL },
  { "7900123 4567 ext 12", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_PHONE, NULL },
  { "7 900+1234567", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_PHONE, NULL },
  { "++79001234567", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_PHONE, NULL },
  { "79001234567x@c.us", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_PHONE, NULL },
  { "\xff\xfe" "79001234567", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_DIGITS, NULL },
  { "7900123456\xc3", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_DIGITS, NULL },
  { "\xed\xa0\x80" "79001234567", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_DIGITS, NULL },
  { "\xc0\xb7" "9001234567", GA_CHAT_ID_ERROR_INVALID_CHARACTERS, LIKE_DIGITS, NULL },

  { "79001234", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_DIGITS, NULL },
  { "1234567890", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_DIGITS, NULL },
  { "+7 900 123", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_DIGITS, NULL },
  { "---", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_DIGITS, NULL },
  { "+", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_DIGITS, NULL },
  { "00123456789", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_DIGITS, NULL },
  { "@c.us", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_DIGITS, NULL },
  { "7900123@c.us", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_DIGITS, NULL },
  /* No country code starts with 0: a number as dialled within its country. */
  { "07911 123456", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_ABROAD, NULL },
  { "079001234567@c.us", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_ABROAD, NULL },
  { "+0 0(50) 1250) 123-8", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_DIGITS, NULL },
  { "000079001234567", GA_CHAT_ID_ERROR_TOO_SHORT, LIKE_ABROAD, NULL },
  /* 8 in place of +7, as Russia and Kazakhstan dial at home: no country code starts with
   * 83, 87 or 89, and the message gives the number to enter instead of guessing it. */
  { "8 (900) 123-45-67", GA_CHAT_ID_ERROR_TOO_SHORT, INSTEAD_OF_8 "+79001234567", NULL },
  { "89001234567", GA_CHAT_ID_ERROR_TOO_SHORT, INSTEAD_OF_8 "+79001234567", NULL },
  { "+8 900123-45-67", GA_CHAT_ID_ERROR_TOO_SHORT, INSTEAD_OF_8 "+79001234567", NULL },
  { "8 727 123 45 67", GA_CHAT_ID_ERROR_TOO_SHORT, INSTEAD_OF_8 "+77271234567", NULL },
  { "8-383-123-45-67@c.us", GA_CHAT_ID_ERROR_TOO_SHORT, INSTEAD_OF_8 "+73831234567", NULL },

  { "12345678901234567", GA_CHAT_ID_ERROR_TOO_LONG, LIKE_DIGITS, LIKE_GROUP },
  { "120363043968066561", GA_CHAT_ID_ERROR_TOO_LONG, LIKE_DIGITS, LIKE_GROUP },
  { "12345678901234567@c.us", GA_CHAT_ID_ERROR_TOO_LONG, LIKE_DIGITS, LIKE_GROUP },

  { "79001234567@example.com", GA_CHAT_ID_ERROR_UNKNOWN_SUFFIX, LIKE_CHAT_ID, NULL },
  { "79001234567@", GA_CHAT_ID_ERROR_UNKNOWN_SUFFIX, LIKE_CHAT_ID, NULL },
  { "79001234567@c.us@c.us", GA_CHAT_ID_ERROR_UNKNOWN_SUFFIX, LIKE_CHAT_ID, NULL },
  { "someone@gmail.com", GA_CHAT_ID_ERROR_UNKNOWN_SUFFIX, LIKE_CHAT_ID, NULL },
  { "79001234567@broadcast", GA_CHAT_ID_ERROR_UNKNOWN_SUFFIX, LIKE_CHAT_ID, NULL },

  { "@g.us", GA_CHAT_ID_ERROR_MALFORMED_GROUP, LIKE_GROUP, NULL },
  { "12345@g.us", GA_CHAT_ID_ERROR_MALFORMED_GROUP, LIKE_GROUP, NULL },
  { "12036304396806656112345@g.us", GA_CHAT_ID_ERROR_MALFORMED_GROUP, LIKE_GROUP, NULL },
  { "12036304396806656a@g.us", GA_CHAT_ID_ERROR_MALFORMED_GROUP, LIKE_GROUP, NULL },
  { "7987654-1581234048@g.us", GA_CHAT_ID_ERROR_MALFORMED_GROUP, LIKE_GROUP, NULL },
  { "79876543210-158@g.us", GA_CHAT_ID_ERROR_MALFORMED_GROUP, LIKE_GROUP, NULL },
  { "79876543210-1581234048-1@g.us", GA_CHAT_ID_ERROR_MALFORMED_GROUP, LIKE_GROUP, NULL },
  { "79876543210-@g.us", GA_CHAT_ID_ERROR_MALFORMED_GROUP, LIKE_GROUP, NULL },
  { "+120363043968066561@g.us", GA_CHAT_ID_ERROR_MALFORMED_GROUP, LIKE_GROUP, NULL },

  { "@lid", GA_CHAT_ID_ERROR_MALFORMED_LID, LIKE_LID, NULL },
  { "abc@lid", GA_CHAT_ID_ERROR_MALFORMED_LID, LIKE_LID, NULL },
  { "1206-50379300963@lid", GA_CHAT_ID_ERROR_MALFORMED_LID, LIKE_LID, NULL },
  { "1234567890123456789012345@lid", GA_CHAT_ID_ERROR_MALFORMED_LID, LIKE_LID, NULL },

  { "wa.me", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://wa.me/", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://wa.me/?text=hi", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://wa.me/message/ABCDEFGHIJ1", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://wa.me/7900", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://wa.me/john", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://wa.me/%ZZ11001234567", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://wa.me/%0011001234567", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://wa.me/%FF11001234567", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://api.whatsapp.com/send?text=hi", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://api.whatsapp.com/send?phone=", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "whatsapp://send?text=hi", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "whatsapp://send", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "whatsapp://call?phone=11001234567", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://example.com/11001234567", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://wa.me.example.com/11001234567", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://wa.me@example.com/11001234567", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
  { "https://chat.whatsapp.com/AbCdEfGhIjK1234567", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_GROUP,
    NULL },
  { "tel:", GA_CHAT_ID_ERROR_MALFORMED_LINK, LIKE_LINK, NULL },
};

/* Error messages are shown to people: never empty, always text, never a control character,
 * and always with an example of what would be right ("like 79001234567"). */
static void
assert_message_readable (const GError *error)
{
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 20);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "like "));

  for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      g_assert_true (type != G_UNICODE_CONTROL && type != G_UNICODE_FORMAT &&
                     type != G_UNICODE_LINE_SEPARATOR &&
                     type != G_UNICODE_PARAGRAPH_SEPARATOR);
    }
}

/* A canonical chat ID parses to itself. */
static void
assert_fixed_point (const char *chat_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *again = ga_chat_id_parse (chat_id, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, chat_id);
}

static void
test_valid (gconstpointer data)
{
  const ValidCase *test = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *chat_id = NULL;
  GaChatKind kind = -1;

  chat_id = ga_chat_id_parse (test->input, &kind, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chat_id, ==, test->expected);
  g_assert_cmpint (kind, ==, test->kind);

  assert_fixed_point (chat_id);
}

static void
test_error (gconstpointer data)
{
  const ErrorCase *test = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *chat_id = NULL;
  GaChatKind kind = GA_CHAT_KIND_LID;

  chat_id = ga_chat_id_parse (test->input, &kind, &error);
  g_assert_null (chat_id);
  g_assert_error (error, GA_CHAT_ID_ERROR, (int) test->code);
  assert_message_readable (error);
  g_test_message ("message: %s", error->message);
  g_assert_nonnull (strstr (error->message, test->form));
  if (test->form2 != NULL)
    g_assert_nonnull (strstr (error->message, test->form2));
  /* @kind is left alone on failure. */
  g_assert_cmpint (kind, ==, GA_CHAT_KIND_LID);
}

static void
test_message_shows_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *chat_id = NULL;

  chat_id = ga_chat_id_parse ("79001234", NULL, &error);
  g_assert_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_SHORT);
  g_assert_cmpstr (error->message, ==,
                   "“79001234” has 8 digits; a phone number needs 11 to 16 digits including "
                   "the country code, like 79001234567.");
  g_clear_error (&error);

  /* Only the offending character is named. */
  chat_id = ga_chat_id_parse ("7900l234567", NULL, &error);
  g_assert_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_INVALID_CHARACTERS);
  g_assert_nonnull (strstr (error->message, "“7900l234567”"));
  g_assert_nonnull (strstr (error->message, "“l”"));
  g_clear_error (&error);

  /* The same number with a tab and direction marks is shown with a plain space and
   * without the invisible characters. */
  chat_id = ga_chat_id_parse ("\u202a7900\t1234\u202c", NULL, &error);
  g_assert_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_SHORT);
  g_assert_nonnull (strstr (error->message, "“7900 1234” has 8 digits"));
  g_clear_error (&error);

  chat_id = ga_chat_id_parse ("79001234567@example.com", NULL, &error);
  g_assert_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_UNKNOWN_SUFFIX);
  g_assert_nonnull (strstr (error->message, "“@example.com”"));
  g_assert_nonnull (strstr (error->message, "@c.us"));
  g_clear_error (&error);

  chat_id = ga_chat_id_parse ("12345@g.us", NULL, &error);
  g_assert_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_MALFORMED_GROUP);
  g_assert_nonnull (strstr (error->message, "“12345@g.us”"));
  g_assert_nonnull (strstr (error->message, "120363043968066561@g.us"));
  g_clear_error (&error);

  chat_id = ga_chat_id_parse ("https://wa.me/7900", NULL, &error);
  g_assert_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_MALFORMED_LINK);
  g_assert_nonnull (strstr (error->message, "“https://wa.me/7900”"));
  g_assert_nonnull (strstr (error->message, "https://wa.me/79001234567"));
}

static void
test_message_hides_unprintable (void)
{
  static const char * const inputs[] = {
    "7900\x01" "1234567",
    "7900\x7f" "1234567",
    "7900\xc2\x85" "1234567",         /* NEXT LINE, a C1 control */
    "7900\xe2\x80\xae" "1234567@g.us", /* RIGHT-TO-LEFT OVERRIDE inside a group id */
    "7900\xee\x80\x80" "1234567",     /* private use */
    "\xff" "79001234567",
    "79001234567@\x1b[31mred",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *chat_id = ga_chat_id_parse (inputs[i], NULL, &error);

      g_assert_null (chat_id);
      g_assert_nonnull (error);
      assert_message_readable (error);
      g_assert_null (strchr (error->message, '\x1b'));
      g_assert_null (strstr (error->message, "\xee\x80\x80"));
    }
}

static void
test_long_input_not_quoted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) input = g_string_new (NULL);
  g_autofree char *chat_id = NULL;

  /* Long but under the cap: refused, and not repeated back at full length. */
  for (guint i = 0; i < 100; i++)
    g_string_append (input, "1 ");
  chat_id = ga_chat_id_parse (input->str, NULL, &error);
  g_assert_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_LONG);
  assert_message_readable (error);
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_assert_null (strstr (error->message, "1 1 1 1"));
  g_assert_nonnull (strstr (error->message, LIKE_DIGITS));
  g_assert_nonnull (strstr (error->message, LIKE_GROUP));
}

static void
test_over_cap (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *big = NULL;
  g_autofree char *chat_id = NULL;
  g_autofree char *at_cap = NULL;

  /* 10 KB of digits: refused for its size, not for its digits. */
  big = g_malloc (10 * 1024 + 1);
  memset (big, '7', 10 * 1024);
  big[10 * 1024] = '\0';
  chat_id = ga_chat_id_parse (big, NULL, &error);
  g_assert_null (chat_id);
  g_assert_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_LONG);
  assert_message_readable (error);
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_assert_nonnull (strstr (error->message, LIKE_DIGITS));
  g_assert_nonnull (strstr (error->message, LIKE_CHAT_ID));
  g_clear_error (&error);

  /* 10 KB of invalid UTF-8: the size is checked first. */
  memset (big, 0xff, 10 * 1024);
  chat_id = ga_chat_id_parse (big, NULL, &error);
  g_assert_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_LONG);
  g_clear_error (&error);

  /* A valid number padded with spaces up to exactly the cap is still accepted... */
  at_cap = g_malloc (GA_CHAT_ID_MAX_INPUT + 2);
  memset (at_cap, ' ', GA_CHAT_ID_MAX_INPUT + 1);
  memcpy (at_cap, "79001234567", strlen ("79001234567"));
  at_cap[GA_CHAT_ID_MAX_INPUT] = '\0';
  chat_id = ga_chat_id_parse (at_cap, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chat_id, ==, "79001234567@c.us");
  g_clear_pointer (&chat_id, g_free);

  /* ...and one byte more is not. */
  at_cap[GA_CHAT_ID_MAX_INPUT] = ' ';
  at_cap[GA_CHAT_ID_MAX_INPUT + 1] = '\0';
  chat_id = ga_chat_id_parse (at_cap, NULL, &error);
  g_assert_null (chat_id);
  g_assert_error (error, GA_CHAT_ID_ERROR, GA_CHAT_ID_ERROR_TOO_LONG);
}

static void
test_null_error (void)
{
  g_autofree char *chat_id = NULL;
  GaChatKind kind = GA_CHAT_KIND_LID;

  /* Callers that only want a yes or no may pass no GError. */
  chat_id = ga_chat_id_parse ("nonsense", &kind, NULL);
  g_assert_null (chat_id);
  chat_id = ga_chat_id_parse ("+7 900 123-45-67", &kind, NULL);
  g_assert_cmpstr (chat_id, ==, "79001234567@c.us");
  g_assert_cmpint (kind, ==, GA_CHAT_KIND_PERSONAL);
}

/* Every single byte value and every truncation of tricky inputs: no crash, and either a
 * chat ID or a readable error. Under ASan this also checks that nothing is read past the
 * end. */
static void
test_any_bytes (void)
{
  static const char * const seeds[] = {
    "https://api.whatsapp.com/send?phone=%2B79001234567&text=%D0%BF",
    "whatsapp://send?phone=+11001234567",
    "\u202a+7\u00a0900\u2011123\u201345\u201467\u202c",
    "79876543210-1581234048@g.us",
    "tel:+7-900-123-45-67;ext=1",
    "+0 0(50) 1250) 123-8",
    "wa.me/00%2B79001234567",
  };

  for (guint b = 1; b < 256; b++)
    {
      char input[16];
      g_autoptr(GError) error = NULL;
      g_autofree char *chat_id = NULL;

      g_snprintf (input, sizeof input, "7900%c1234567", (char) b);
      chat_id = ga_chat_id_parse (input, NULL, &error);
      g_assert_true ((chat_id == NULL) != (error == NULL));
      if (error != NULL)
        assert_message_readable (error);
      else
        assert_fixed_point (chat_id);
    }

  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      gsize len = strlen (seeds[i]);

      for (gsize cut = 0; cut <= len; cut++)
        {
          g_autofree char *input = g_strndup (seeds[i], cut);
          g_autoptr(GError) error = NULL;
          g_autofree char *chat_id = ga_chat_id_parse (input, NULL, &error);

          g_assert_true ((chat_id == NULL) != (error == NULL));
          if (error != NULL)
            assert_message_readable (error);
          else
            assert_fixed_point (chat_id);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (valid_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/green-avatar/chat-id/valid/%u", i);

      g_test_add_data_func (path, &valid_cases[i], test_valid);
    }

  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/green-avatar/chat-id/error/%u", i);

      g_test_add_data_func (path, &error_cases[i], test_error);
    }

  g_test_add_func ("/green-avatar/chat-id/message-shows-input", test_message_shows_input);
  g_test_add_func ("/green-avatar/chat-id/message-hides-unprintable",
                   test_message_hides_unprintable);
  g_test_add_func ("/green-avatar/chat-id/long-input-not-quoted", test_long_input_not_quoted);
  g_test_add_func ("/green-avatar/chat-id/over-cap", test_over_cap);
  g_test_add_func ("/green-avatar/chat-id/null-error", test_null_error);
  g_test_add_func ("/green-avatar/chat-id/any-bytes", test_any_bytes);

  return g_test_run ();
}
