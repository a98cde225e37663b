/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-settings-check"

#include "config.h"

#include "ga-settings-check.h"

#include "ga-error.h"
#include "ga-http.h"

#include <glib/gi18n.h>
#include <string.h>

/* Sets @error to @message and fails, so that each refusal below is one statement. */
static gboolean
refuse (GError     **error,
        GaError      code,
        const char  *message)
{
  g_set_error_literal (error, GA_ERROR, code, message);
  return FALSE;
}

static gboolean
check_api_url (const char  *api_url,
               GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (*api_url == '\0')
    return refuse (error, GA_ERROR_INVALID_SETTINGS,
                   _("Enter the API URL (apiUrl) shown in the GREEN-API console, "
                     "for example https://api.green-api.com."));

  if (strlen (api_url) > GA_SETTINGS_MAX_API_URL_LENGTH)
    return refuse (error, GA_ERROR_INVALID_SETTINGS,
                   _("The API URL is too long. Copy the apiUrl from the GREEN-API "
                     "console."));

  for (const char *p = api_url; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        return refuse (error, GA_ERROR_INVALID_SETTINGS,
                       _("The API URL must not contain spaces. Copy the apiUrl from "
                         "the GREEN-API console."));

      if ((guchar) *p < 0x20 || (guchar) *p >= 0x7f)
        return refuse (error, GA_ERROR_INVALID_SETTINGS,
                       _("The API URL contains characters that cannot be part of a web "
                         "address. Copy the apiUrl from the GREEN-API console."));
    }

  if (strstr (api_url, "://") == NULL)
    return refuse (error, GA_ERROR_INVALID_SETTINGS,
                   _("The API URL must start with https://, for example "
                     "https://api.green-api.com."));

  uri = g_uri_parse (api_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return refuse (error, GA_ERROR_INVALID_SETTINGS,
                   _("The API URL is not a valid web address. Copy the apiUrl from the "
                     "GREEN-API console, for example https://api.green-api.com."));

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    return refuse (error, GA_ERROR_INVALID_SETTINGS,
                   _("The API URL must start with https://, for example "
                     "https://api.green-api.com."));

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    return refuse (error, GA_ERROR_INVALID_SETTINGS,
                   _("The API URL has no host name, for example "
                     "https://api.green-api.com."));

  if (g_uri_get_userinfo (uri) != NULL)
    return refuse (error, GA_ERROR_INVALID_SETTINGS,
                   _("The API URL must not contain a user name or password."));

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return refuse (error, GA_ERROR_INVALID_SETTINGS,
                   _("The API URL must not contain “?” or “#”. Copy the apiUrl from the "
                     "GREEN-API console."));

  /* The token travels in the URL path: plain http would send it readable by anyone on the way,
   * so it is only accepted when the server is this computer (tests, local proxies). */
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !ga_http_host_is_loopback (host))
    return refuse (error, GA_ERROR_INSECURE_URL,
                   _("The API URL uses http://, which would send the API token "
                     "unencrypted. Use https:// instead (http:// is only allowed for "
                     "this computer, such as localhost)."));

  return TRUE;
}

static gboolean
check_id_instance (const char  *id_instance,
                   GError     **error)
{
  if (*id_instance == '\0')
    return refuse (error, GA_ERROR_INVALID_SETTINGS,
                   _("Enter the instance ID (idInstance) shown in the GREEN-API "
                     "console."));

  for (const char *p = id_instance; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return refuse (error, GA_ERROR_INVALID_SETTINGS,
                       _("The instance ID may only contain digits, for example "
                         "1101000001."));
    }

  if (strlen (id_instance) > GA_SETTINGS_MAX_ID_INSTANCE_LENGTH)
    {
      g_set_error (error, GA_ERROR, GA_ERROR_INVALID_SETTINGS,
                   ngettext ("The instance ID has at most %d digit.",
                             "The instance ID has at most %d digits.",
                             GA_SETTINGS_MAX_ID_INSTANCE_LENGTH),
                   GA_SETTINGS_MAX_ID_INSTANCE_LENGTH);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_token (const char  *token,
             GError     **error)
{
  /* Never quote the token in a message: it is a password. */
  if (*token == '\0')
    return refuse (error, GA_ERROR_INVALID_SETTINGS,
                   _("Enter the API token (apiTokenInstance) shown in the GREEN-API "
                     "console."));

  if (strlen (token) > GA_SETTINGS_MAX_TOKEN_LENGTH)
    return refuse (error, GA_ERROR_INVALID_SETTINGS,
                   _("The API token is too long. Copy the apiTokenInstance from the "
                     "GREEN-API console."));

  for (const char *p = token; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        return refuse (error, GA_ERROR_INVALID_SETTINGS,
                       _("The API token must not contain spaces. Copy the "
                         "apiTokenInstance from the GREEN-API console."));

      if (*p == '/' || (guchar) *p < 0x20 || (guchar) *p >= 0x7f)
        return refuse (error, GA_ERROR_INVALID_SETTINGS,
                       _("The API token contains characters a token cannot have. Copy "
                         "the apiTokenInstance from the GREEN-API console."));
    }

  return TRUE;
}

/**
 * ga_settings_check:
 * @api_url: (nullable): the API URL, or %NULL to skip it
 * @id_instance: (nullable): the instance ID, or %NULL to skip it
 * @token: (nullable): the API token, or %NULL to skip it
 * @error: return location for a #GError
 *
 * The one check of the values that reach an instance, for the settings screen and the client
 * alike, without any request. The URL must parse, be https (http only to a loopback host) and
 * carry no spaces, user info, query or fragment; the instance ID is 1 to 10 digits; the token
 * is 1 to 256 printable ASCII characters without white space or "/". An empty string is a
 * missing value. The first bad field is reported; messages never quote the token.
 *
 * Returns: %FALSE with a %GA_ERROR_INVALID_SETTINGS or %GA_ERROR_INSECURE_URL error
 */
gboolean
ga_settings_check (const char  *api_url,
                   const char  *id_instance,
                   const char  *token,
                   GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (api_url != NULL && !check_api_url (api_url, error))
    return FALSE;

  if (id_instance != NULL && !check_id_instance (id_instance, error))
    return FALSE;

  if (token != NULL && !check_token (token, error))
    return FALSE;

  return TRUE;
}
