/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ga-client.h"

G_BEGIN_DECLS

#define GA_TYPE_CREDENTIALS (ga_credentials_get_type ())

G_DECLARE_FINAL_TYPE (GaCredentials, ga_credentials, GA, CREDENTIALS, GObject)

/*
 * What the app needs to reach an instance: api-url and id-instance (GSettings), the token
 * (Secret Service through ga-secret.h). Environment overrides GREEN_API_URL,
 * GREEN_API_ID_INSTANCE and GREEN_API_TOKEN win over both and are never saved.
 *
 * Properties (all notify): "api-url", "id-instance", the token (no property, so that nothing
 * that lists properties can show it: read it with ga_credentials_dup_token()),
 * "token-remembered" (TRUE when the token is in the Secret Service), "secret-problem"
 * (nullable: a sentence saying why the token could not be remembered, e.g. no Secret Service),
 * "demo" (construct-only: nothing is ever saved). Signal "changed" after any of them changes.
 */

GaCredentials *ga_credentials_new               (GSettings            *settings);
/* One given instance (`--instance`), not following nor writing the settings. */
GaCredentials *ga_credentials_new_for_instance  (const char           *id_instance,
                                                 const char           *api_url);
GaCredentials *ga_credentials_new_for_demo      (const char           *api_url,
                                                 const char           *id_instance,
                                                 const char           *token);

const char    *ga_credentials_get_api_url       (GaCredentials        *self);
const char    *ga_credentials_get_id_instance   (GaCredentials        *self);
gboolean       ga_credentials_get_demo          (GaCredentials        *self);
gboolean       ga_credentials_get_token_remembered (GaCredentials     *self);
char          *ga_credentials_dup_token         (GaCredentials        *self);
const char    *ga_credentials_get_secret_problem (GaCredentials       *self);
/* TRUE when api-url, id-instance and a token are all set. */
gboolean       ga_credentials_is_complete       (GaCredentials        *self);

/* Reads the token for the current id-instance from the Secret Service. A missing Secret
 * Service is not an error: it sets "secret-problem" and finishes with TRUE. */
void           ga_credentials_load_async        (GaCredentials        *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean       ga_credentials_load_finish       (GaCredentials        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Applies new values at once (for the session) and saves them: api-url and id-instance to
 * GSettings, the token to the Secret Service. When the token cannot be stored it stays in
 * memory, "secret-problem" says why, and the task still succeeds.
 * Each value may be NULL to keep the current one; an empty token forgets the token. Invalid
 * values (ga_settings_check()) fail the task with nothing applied or saved; values set
 * by GREEN_API_* variables are kept and the given ones ignored; demo credentials apply the
 * values for the session and save nothing. */
void           ga_credentials_save_async        (GaCredentials        *self,
                                                 const char           *api_url,
                                                 const char           *id_instance,
                                                 const char           *token,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean       ga_credentials_save_finish       (GaCredentials        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Which values come from GREEN_API_* environment variables (they win and are never saved). */
typedef enum
{
  GA_CREDENTIALS_FIELD_NONE        = 0,
  GA_CREDENTIALS_FIELD_API_URL     = 1 << 0,
  GA_CREDENTIALS_FIELD_ID_INSTANCE = 1 << 1,
  GA_CREDENTIALS_FIELD_TOKEN       = 1 << 2,
} GaCredentialsFields;

GaCredentialsFields ga_credentials_get_overridden (GaCredentials *self);

/* A client for the current values, or NULL when incomplete. */
GaClient      *ga_credentials_create_client     (GaCredentials        *self,
                                                 SoupSession          *session);

G_END_DECLS
