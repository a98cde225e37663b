/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "ga-instance.h"

G_BEGIN_DECLS

#define GA_TYPE_INSTANCES (ga_instances_get_type ())

G_DECLARE_FINAL_TYPE (GaInstances, ga_instances, GA, INSTANCES, GObject)

/*
 * Every configured GREEN-API instance, a GListModel of GaInstance in the order shown.
 *
 * Kept in GSettings: "instances" (a(sss): idInstance, label, apiUrl) holds the list, and the
 * one-instance keys "id-instance" and "api-url" name the current instance, so GaCredentials
 * (and everything that uses it: the window, the command line, the search provider) keeps
 * working on "the current instance" unchanged. The model keeps both in step: an
 * "id-instance" that is not in the list yet (the settings of a version before instances, or a
 * value typed in the one-instance form) becomes an entry of the list; the upgrade is that
 * rule applied once. The token needs no move: it has always been one keyring item per
 * idInstance (ga-secret.h), which is what each entry uses.
 *
 * Without settings (demo mode, tests) the list lives in memory only.
 *
 * Property "current" (GaInstance, nullable, notifies).
 */

GaInstances *ga_instances_new              (GSettings            *settings,
                                            const char           *cache_dir);

GaInstance  *ga_instances_lookup           (GaInstances          *self,
                                            const char           *id_instance);
GaInstance  *ga_instances_find             (GaInstances          *self,
                                            const char           *id_or_label,
                                            GError              **error);
GaInstance  *ga_instances_get_current      (GaInstances          *self);
gboolean     ga_instances_set_current      (GaInstances          *self,
                                            const char           *id_instance);

GaInstance  *ga_instances_add              (GaInstances          *self,
                                            const char           *label,
                                            const char           *api_url,
                                            const char           *id_instance,
                                            GError              **error);
gboolean     ga_instances_rename           (GaInstances          *self,
                                            const char           *id_instance,
                                            const char           *label);
gboolean     ga_instances_set_api_url      (GaInstances          *self,
                                            const char           *id_instance,
                                            const char           *api_url,
                                            GError              **error);

/* Removes the entry at once, then its token (Secret Service), its contacts file and its
 * cached chats. Finishes with TRUE also when there was nothing to remove; with the keyring's
 * error when it could not remove the token (the files are removed all the same). */
void         ga_instances_remove_async     (GaInstances          *self,
                                            const char           *id_instance,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean     ga_instances_remove_finish    (GaInstances          *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* The API URL GREEN-API's SDK derives from an instance ID's first four digits
 * ("7103…" → "https://7103.api.greenapi.com"), or NULL when @id_instance is too short or
 * not all digits. Only a suggestion: the console's value wins. */
char        *ga_instances_api_url_for_id   (const char           *id_instance);

/* Where the per-instance files of @id_instance live under @cache_dir (the app's cache
 * directory, e.g. ~/.cache/green-avatar): the contacts file and the cached chats directory
 * that GaCache uses for that instance. */
char        *ga_instances_contacts_path    (const char           *cache_dir,
                                            const char           *id_instance);
char        *ga_instances_chats_dir        (const char           *cache_dir,
                                            const char           *id_instance);

G_END_DECLS
