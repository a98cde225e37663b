/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-error-page.h"

#include "ga-error.h"

#include <glib/gi18n.h>

#define WARNING_ICON "dialog-warning-symbolic"

/* One entry for every GaError code; test-error-page fails on a code without one. */
static const GaErrorPage pages[] = {
  [GA_ERROR_INVALID_CHAT_ID] = {
    N_("Chat ID Rejected"), WARNING_ICON, GA_ERROR_PAGE_ACTION_NONE, FALSE, FALSE,
    N_("GREEN-API does not accept this chat ID."),
  },
  [GA_ERROR_NOT_AUTHORIZED] = {
    N_("No Phone Linked"), "phone-symbolic", GA_ERROR_PAGE_ACTION_RETRY, TRUE,
  },
  [GA_ERROR_STARTING] = {
    N_("The Instance Is Starting"), "view-refresh-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_EXPIRED] = {
    N_("The Instance Is Not Active"), WARNING_ICON, GA_ERROR_PAGE_ACTION_PREFERENCES, TRUE,
  },
  [GA_ERROR_WRONG_TOKEN] = {
    N_("Wrong API Token"), "dialog-password-symbolic", GA_ERROR_PAGE_ACTION_PREFERENCES,
  },
  [GA_ERROR_WRONG_INSTANCE] = {
    N_("Wrong Instance ID or API URL"), "dialog-password-symbolic",
    GA_ERROR_PAGE_ACTION_PREFERENCES,
  },
  [GA_ERROR_WRONG_METHOD] = {
    N_("Check the Settings"), "preferences-system-symbolic", GA_ERROR_PAGE_ACTION_PREFERENCES,
  },
  /* The client has already backed off a few times; one more, slower try often works. */
  [GA_ERROR_RATE_LIMITED] = {
    N_("Too Many Requests"), "preferences-system-time-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
    FALSE, TRUE,
  },
  [GA_ERROR_QUOTA_EXCEEDED] = {
    N_("Monthly Quota Used Up"), WARNING_ICON, GA_ERROR_PAGE_ACTION_NONE, TRUE,
  },
  [GA_ERROR_SERVER] = {
    N_("GREEN-API Could Not Answer"), "network-server-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_UPSTREAM_UNAVAILABLE] = {
    N_("GREEN-API Could Not Answer"), "network-server-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_HTTP] = {
    N_("GREEN-API Could Not Answer"), "network-server-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_NETWORK] = {
    N_("No Connection"), "network-offline-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_TIMEOUT] = {
    N_("No Answer in Time"), "network-offline-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_TLS] = {
    N_("Secure Connection Failed"), "channel-insecure-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_MALFORMED_RESPONSE] = {
    N_("GREEN-API Could Not Answer"), "network-server-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_TOO_LARGE] = {
    N_("GREEN-API Could Not Answer"), "network-server-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_INVALID_SETTINGS] = {
    N_("Check the Settings"), "preferences-system-symbolic", GA_ERROR_PAGE_ACTION_PREFERENCES,
  },
  [GA_ERROR_INSECURE_URL] = {
    N_("Check the Settings"), "preferences-system-symbolic", GA_ERROR_PAGE_ACTION_PREFERENCES,
  },
  [GA_ERROR_IMAGE_EXPIRED] = {
    N_("The Picture Could Not Be Shown"), "image-missing-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_IMAGE_DOWNLOAD] = {
    N_("The Picture Could Not Be Shown"), "image-missing-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_IMAGE_TOO_LARGE] = {
    N_("The Picture Could Not Be Shown"), "image-missing-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
  [GA_ERROR_IMAGE_INVALID] = {
    N_("The Picture Could Not Be Shown"), "image-missing-symbolic", GA_ERROR_PAGE_ACTION_RETRY,
  },
};

/* Any other error: a network error of GIO, a file error, a code added without an entry. */
static const GaErrorPage generic_page = {
  N_("The Lookup Failed"), WARNING_ICON, GA_ERROR_PAGE_ACTION_RETRY,
};

/**
 * ga_error_page_lookup:
 * @error: an error a lookup failed with
 *
 * Returns: (nullable): the page of @error's #GA_ERROR code, or %NULL when it has none
 */
const GaErrorPage *
ga_error_page_lookup (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != GA_ERROR ||
      error->code < 0 ||
      (gsize) error->code >= G_N_ELEMENTS (pages) ||
      pages[error->code].title == NULL)
    return NULL;

  return &pages[error->code];
}

/**
 * ga_error_page_get:
 * @error: an error a lookup failed with
 *
 * Returns: the page to show for @error: its own, or the generic one
 */
const GaErrorPage *
ga_error_page_get (const GError *error)
{
  const GaErrorPage *page = ga_error_page_lookup (error);

  return page != NULL ? page : &generic_page;
}
