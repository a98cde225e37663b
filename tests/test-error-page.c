/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-error-page.h"

#include "ga-enums.h"
#include "ga-error.h"

#include <gio/gio.h>

/* Every GaError code has a page of its own: a new code cannot fall into the generic one. */
static void
test_every_code (void)
{
  g_autoptr(GEnumClass) codes = g_type_class_ref (GA_TYPE_ERROR);
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  const GaErrorPage *generic = ga_error_page_get (other);

  g_assert_null (ga_error_page_lookup (other));
  g_assert_cmpstr (generic->title, ==, "The Lookup Failed");
  g_assert_cmpint (generic->action, ==, GA_ERROR_PAGE_ACTION_RETRY);

  for (guint i = 0; i < codes->n_values; i++)
    {
      g_autoptr(GError) error = g_error_new_literal (GA_ERROR, codes->values[i].value, "x");
      const GaErrorPage *page = ga_error_page_lookup (error);

      g_test_message ("%s", codes->values[i].value_name);
      g_assert_nonnull (page);
      g_assert_true (ga_error_page_get (error) == page);
      g_assert_nonnull (page->title);
      g_assert_nonnull (page->icon_name);
      g_assert_true (g_str_has_suffix (page->icon_name, "-symbolic"));
      g_assert_cmpint (page->action, <=, GA_ERROR_PAGE_ACTION_PREFERENCES);
    }
}

/* Codes past the table and other domains get the generic page, never a crash. */
static void
test_unknown (void)
{
  int codes[] = { -1, 9999 };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (GA_ERROR, codes[i], "x");

      g_assert_null (ga_error_page_lookup (error));
      g_assert_cmpstr (ga_error_page_get (error)->title, ==, "The Lookup Failed");
    }
}

/* A few pages as people see them, so a shuffled table is noticed. */
static void
test_pages (void)
{
  struct {
    GaError code;
    const char *title;
    GaErrorPageAction action;
    gboolean console;
    gboolean auto_retry;
    gboolean entry_message;
  } cases[] = {
    { GA_ERROR_INVALID_CHAT_ID, "Chat ID Rejected", GA_ERROR_PAGE_ACTION_NONE, FALSE, FALSE, TRUE },
    { GA_ERROR_NOT_AUTHORIZED, "No Phone Linked", GA_ERROR_PAGE_ACTION_RETRY, TRUE, FALSE, FALSE },
    { GA_ERROR_EXPIRED, "The Instance Is Not Active", GA_ERROR_PAGE_ACTION_PREFERENCES, TRUE,
      FALSE, FALSE },
    { GA_ERROR_WRONG_TOKEN, "Wrong API Token", GA_ERROR_PAGE_ACTION_PREFERENCES, FALSE, FALSE,
      FALSE },
    { GA_ERROR_RATE_LIMITED, "Too Many Requests", GA_ERROR_PAGE_ACTION_RETRY, FALSE, TRUE, FALSE },
    { GA_ERROR_QUOTA_EXCEEDED, "Monthly Quota Used Up", GA_ERROR_PAGE_ACTION_NONE, TRUE, FALSE,
      FALSE },
    { GA_ERROR_INSECURE_URL, "Check the Settings", GA_ERROR_PAGE_ACTION_PREFERENCES, FALSE, FALSE,
      FALSE },
    { GA_ERROR_NETWORK, "No Connection", GA_ERROR_PAGE_ACTION_RETRY, FALSE, FALSE, FALSE },
    { GA_ERROR_IMAGE_INVALID, "The Picture Could Not Be Shown", GA_ERROR_PAGE_ACTION_RETRY, FALSE,
      FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (GA_ERROR, cases[i].code, "x");
      const GaErrorPage *page = ga_error_page_get (error);

      g_assert_cmpstr (page->title, ==, cases[i].title);
      g_assert_cmpint (page->action, ==, cases[i].action);
      g_assert_cmpint (page->console, ==, cases[i].console);
      g_assert_cmpint (page->auto_retry, ==, cases[i].auto_retry);
      g_assert_cmpint (page->entry_message != NULL, ==, cases[i].entry_message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/error-page/every-code", test_every_code);
  g_test_add_func ("/green-avatar/error-page/unknown", test_unknown);
  g_test_add_func ("/green-avatar/error-page/pages", test_pages);

  return g_test_run ();
}
