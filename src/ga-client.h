/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ga-account.h"
#include "ga-avatar-info.h"
#include "ga-contact-info.h"
#include "ga-contact.h"
#include "ga-group-data.h"
#include "ga-limiter.h"
#include "ga-response.h"

G_BEGIN_DECLS

#define GA_TYPE_CLIENT (ga_client_get_type ())

G_DECLARE_FINAL_TYPE (GaClient, ga_client, GA, CLIENT, GObject)

/* The most a JSON answer of the API may be. */
#define GA_CLIENT_MAX_RESPONSE_SIZE (256 * 1024)
/* The most a getContacts answer may be: about 100 bytes a contact, 100,000 contacts and more. */
#define GA_CLIENT_MAX_CONTACTS_SIZE (16 * 1024 * 1024)

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

/*
 * The methods beside getAvatar (issue 11). All go through the process-wide limiter (see the
 * "limiter" and "priority" properties), share getAvatar's retries, deadline and errors, and
 * have their gtk-doc in ga-client.c.
 */
void             ga_client_get_contact_info_async  (GaClient            *self,
                                                    const char          *chat_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GaContactInfo   *ga_client_get_contact_info_finish (GaClient            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void             ga_client_get_group_data_async    (GaClient            *self,
                                                    const char          *group_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GaGroupData     *ga_client_get_group_data_finish   (GaClient            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void             ga_client_get_contacts_async      (GaClient            *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GBytes          *ga_client_get_contacts_finish     (GaClient            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void             ga_client_check_whatsapp_async    (GaClient            *self,
                                                    const char          *phone_number,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean         ga_client_check_whatsapp_finish   (GaClient            *self,
                                                    GAsyncResult        *result,
                                                    gboolean            *exists,
                                                    GError             **error);
void             ga_client_get_wa_settings_async   (GaClient            *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GaAccount       *ga_client_get_wa_settings_finish  (GaClient            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void             ga_client_get_settings_async      (GaClient            *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GaAccount       *ga_client_get_settings_finish     (GaClient            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
