/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ga-avatar-info.h"
#include "ga-response.h"

G_BEGIN_DECLS

#define GA_TYPE_CLIENT (ga_client_get_type ())

G_DECLARE_FINAL_TYPE (GaClient, ga_client, GA, CLIENT, GObject)

/* The most a JSON answer of the API may be. */
#define GA_CLIENT_MAX_RESPONSE_SIZE (256 * 1024)

GaClient        *ga_client_new                (SoupSession          *session,
                                               const char           *api_url,
                                               const char           *id_instance,
                                               const char           *token);
SoupSession     *ga_client_get_session        (GaClient             *self);
const char      *ga_client_get_api_url        (GaClient             *self);
const char      *ga_client_get_id_instance    (GaClient             *self);
guint            ga_client_get_image_timeout_seconds (GaClient *self);

gboolean         ga_client_check_settings     (GaClient             *self,
                                               GError              **error);

void             ga_client_get_avatar_async   (GaClient             *self,
                                               const char           *chat_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GaAvatarInfo    *ga_client_get_avatar_finish  (GaClient             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

void             ga_client_get_state_async    (GaClient             *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean         ga_client_get_state_finish   (GaClient             *self,
                                               GAsyncResult         *result,
                                               GaInstanceState      *state,
                                               GError              **error);

G_END_DECLS
