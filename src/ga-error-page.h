/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the button of an error page does. */
typedef enum
{
  GA_ERROR_PAGE_ACTION_NONE,
  GA_ERROR_PAGE_ACTION_RETRY,
  GA_ERROR_PAGE_ACTION_PREFERENCES,
} GaErrorPageAction;

/* How the window shows one error: the strings are untranslated (mark them with N_()), the
 * window translates them as it shows them. */
typedef struct
{
  const char        *title;
  const char        *icon_name;
  GaErrorPageAction  action;
  gboolean           console;        /* a link to the GREEN-API console shows */
  gboolean           auto_retry;     /* tried once more by itself after a few seconds */
  const char        *entry_message;  /* (nullable): said under the entry as well */
} GaErrorPage;

const GaErrorPage *ga_error_page_lookup (const GError *error);
const GaErrorPage *ga_error_page_get    (const GError *error);

G_END_DECLS
