/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "ga-chat-id.h"
#include "ga-text.h"

/* ga_text_for_display() and ga_text_format_chat_id(): what untrusted names become on screen. */

static void
test_markup_kept_as_text (void)
{
  g_autofree char *text = ga_text_for_display ("<b>Bold</b> & Co", 200, GA_TEXT_ONE_LINE);

  g_assert_cmpstr (text, ==, "<b>Bold</b> & Co");
}

static void
test_controls_removed (void)
{
  g_autofree char *one = NULL;
  g_autofree char *multi = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *invalid = NULL;

  one = ga_text_for_display ("  A\x01\x7f\u200bB \n\n\n C\t\r\nD\u2028E  ", 200,
                             GA_TEXT_ONE_LINE);
  g_assert_cmpstr (one, ==, "AB C D E");

  multi = ga_text_for_display ("Line\n\n\n\nNext\r\nLast ", 200, GA_TEXT_MULTI_LINE);
  g_assert_cmpstr (multi, ==, "Line\n\nNext\nLast");

  empty = ga_text_for_display (" \u200b\ufeff\x02 ", 200, GA_TEXT_ONE_LINE);
  g_assert_null (empty);
  g_assert_null (ga_text_for_display (NULL, 200, GA_TEXT_ONE_LINE));

  invalid = ga_text_for_display ("A\xff\xfe" "B", 200, GA_TEXT_ONE_LINE);
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_true (g_str_has_prefix (invalid, "A"));
}

static void
test_rtl_and_emoji_kept (void)
{
  const char *name = "\u200f\u0645\u0631\u064a\u0645 \U0001F469\u200D\U0001F4BB \U0001F1F7\U0001F1FA";
  g_autofree char *text = ga_text_for_display (name, 200, GA_TEXT_ONE_LINE);

  g_assert_cmpstr (text, ==, name);
}

static void
test_capped (void)
{
  gsize size = 1024 * 1024;
  g_autofree char *huge = g_malloc (size + 1);
  g_autofree char *spaces = g_malloc (size + 1);
  g_autofree char *text = NULL;
  g_autofree char *blank = NULL;

  memset (huge, 'x', size);
  huge[size] = '\0';
  memset (spaces, ' ', size);
  spaces[size] = '\0';
  spaces[size - 1] = 'y';

  text = ga_text_for_display (huge, 200, GA_TEXT_ONE_LINE);
  g_assert_cmpuint (g_utf8_strlen (text, -1), ==, 201);
  g_assert_true (g_str_has_suffix (text, "…"));

  /* Only the first bytes are looked at: a megabyte of spaces is as cheap as a short name. */
  blank = ga_text_for_display (spaces, 200, GA_TEXT_ONE_LINE);
  g_assert_null (blank);
}

static void
test_format_chat_id (void)
{
  const struct
  {
    const char *chat_id;
    const char *expected;
  } cases[] = {
    { "79001234567@c.us", "+7 900 123-45-67" },
    { "11001234567@c.us", "+1 100-123-4567" },
    { "4915112345678@c.us", "+49 151 123 456 78" },
    { "380501234567@c.us", "+380 501 234 567" },
    { "120363043968066561@g.us", "120363043968066561@g.us" },
    { "120650379300963@lid", "120650379300963@lid" },
    { "12ab@c.us", "12ab@c.us" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ga_text_format_chat_id (cases[i].chat_id);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  g_assert_null (ga_text_format_chat_id (NULL));

  /* A number written for people reads back as the same chat. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *text = ga_text_format_chat_id (cases[i].chat_id);
      g_autofree char *again = ga_chat_id_parse (text, NULL, NULL);

      g_assert_cmpstr (again, ==, cases[i].chat_id);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/text/markup-kept-as-text", test_markup_kept_as_text);
  g_test_add_func ("/green-avatar/text/controls-removed", test_controls_removed);
  g_test_add_func ("/green-avatar/text/rtl-and-emoji-kept", test_rtl_and_emoji_kept);
  g_test_add_func ("/green-avatar/text/capped", test_capped);
  g_test_add_func ("/green-avatar/text/format-chat-id", test_format_chat_id);

  return g_test_run ();
}
