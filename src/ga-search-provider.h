/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ga-cache.h"
#include "ga-chat-status.h"
#include "ga-contact-list.h"
#include "ga-credentials.h"

G_BEGIN_DECLS

/* The object path, on the application's own bus name. */
#define GA_SEARCH_PROVIDER_PATH "/io/github/greenavatar/GreenAvatar/SearchProvider"

/* A person's words give at most this many contacts, a partial number this many from history
 * and this many contacts. */
#define GA_SEARCH_PROVIDER_MAX_CONTACTS 5

/* The process stays up this long after the last search when no window is open. */
#define GA_SEARCH_PROVIDER_IDLE_SECONDS 60

/*
 * How name matching plugs in: ga_search_provider_set_contact_list() for the contacts list,
 * or any other source through these functions. @match returns up to
 * @max_results canonical chat IDs whose contact names (or numbers, for a partial number)
 * match @query, best first; @get_name returns the contact's name for a chat ID, or NULL.
 * Both must answer at once from memory.
 */
typedef GStrv (*GaSearchMatchFunc)   (const char *query,
                                      guint       max_results,
                                      gpointer    user_data);
typedef char *(*GaSearchNameFunc)    (const char *chat_id,
                                      gpointer    user_data);

#define GA_TYPE_SEARCH_PROVIDER (ga_search_provider_get_type ())

G_DECLARE_FINAL_TYPE (GaSearchProvider, ga_search_provider, GA, SEARCH_PROVIDER, GObject)

GaSearchProvider *ga_search_provider_new            (GApplication      *application,
                                                     GSettings         *settings,
                                                     GaCredentials     *credentials,
                                                     SoupSession       *session,
                                                     GaCache           *cache,
                                                     GaChatStatus      *status);
void              ga_search_provider_set_services   (GaSearchProvider  *self,
                                                     GSettings         *settings,
                                                     GaCredentials     *credentials,
                                                     SoupSession       *session,
                                                     GaCache           *cache,
                                                     GaChatStatus      *status);
void              ga_search_provider_set_contacts   (GaSearchProvider  *self,
                                                     GaSearchMatchFunc  match,
                                                     GaSearchNameFunc   get_name,
                                                     gpointer           user_data,
                                                     GDestroyNotify     destroy);
void              ga_search_provider_set_contact_list (GaSearchProvider *self,
                                                       GaContactList    *list);
gboolean          ga_search_provider_export         (GaSearchProvider  *self,
                                                     GDBusConnection   *connection,
                                                     const char        *object_path,
                                                     GError           **error);
void              ga_search_provider_unexport       (GaSearchProvider  *self);

/* For tests: whether a background lookup is running. */
gboolean          ga_search_provider_get_busy       (GaSearchProvider  *self);

G_END_DECLS
