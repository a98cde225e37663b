/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "ga-contact.h"

G_BEGIN_DECLS

/* getContacts is asked no more often than this (the API says updates take up to 5 minutes). */
#define GA_CONTACT_LIST_REFRESH_INTERVAL (5 * G_TIME_SPAN_MINUTE)

#define GA_TYPE_CONTACT_LIST (ga_contact_list_get_type ())

G_DECLARE_FINAL_TYPE (GaContactList, ga_contact_list, GA, CONTACT_LIST, GObject)

GaContactList *ga_contact_list_new              (const char          *cache_dir,
                                                 const char          *id_instance);
void           ga_contact_list_update_async     (GaContactList       *self,
                                                 GBytes              *answer,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       ga_contact_list_update_finish    (GaContactList       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void           ga_contact_list_load_async       (GaContactList       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       ga_contact_list_load_finish      (GaContactList       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
guint          ga_contact_list_get_n_contacts   (GaContactList       *self);
GaContact     *ga_contact_list_lookup           (GaContactList       *self,
                                                 const char          *chat_id);
GPtrArray     *ga_contact_list_complete         (GaContactList       *self,
                                                 const char          *query,
                                                 guint                max_results);
gint64         ga_contact_list_get_fetched_time (GaContactList       *self);
gboolean       ga_contact_list_should_fetch     (GaContactList       *self,
                                                 gint64               now);
gboolean       ga_contact_list_wants_retry      (GaContactList       *self);
char          *ga_contact_list_get_path         (GaContactList       *self);

char          *ga_contact_list_normalize        (const char          *text,
                                                 gssize               length);

G_END_DECLS
