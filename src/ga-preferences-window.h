/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>
#include <libsoup/soup.h>

#include "ga-cache.h"
#include "ga-credentials.h"
#include "ga-instances.h"

G_BEGIN_DECLS

/*
 * The preferences: the list of instances (ga-instances-group.h), then the current instance's
 * API URL, instance ID and API token (with inline validation, saved when applied with the
 * row's apply button or Enter, and when the window closes while they are valid), where the token is kept, a "Test Connection" button and a link to the console.
 *
 * The content is a #GaPreferencesPage so it can live in an AdwPreferencesWindow (libadwaita
 * 1.2) or an AdwPreferencesDialog (libadwaita >= 1.5). The application hands in its services
 * (credentials, session, settings, cache) when it creates them.
 */

#define GA_TYPE_PREFERENCES_PAGE (ga_preferences_page_get_type ())

G_DECLARE_FINAL_TYPE (GaPreferencesPage, ga_preferences_page,
                      GA, PREFERENCES_PAGE, AdwPreferencesPage)

GaPreferencesPage *ga_preferences_page_new           (GaCredentials     *credentials,
                                                      SoupSession       *session,
                                                      GSettings         *settings,
                                                      GaCache           *cache);

void               ga_preferences_page_set_instances (GaPreferencesPage *self,
                                                      GaInstances       *instances);

GtkWindow         *ga_preferences_window_new         (GtkWindow         *parent,
                                                      GaCredentials     *credentials,
                                                      SoupSession       *session,
                                                      GSettings         *settings,
                                                      GaCache           *cache);
GaPreferencesPage *ga_preferences_window_get_page    (GtkWindow         *window);

void               ga_preferences_present            (GtkWidget         *parent,
                                                      GaCredentials     *credentials,
                                                      SoupSession       *session,
                                                      GSettings         *settings,
                                                      GaCache           *cache,
                                                      GaInstances       *instances);

G_END_DECLS
