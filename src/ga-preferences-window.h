/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>
#include <libsoup/soup.h>

#include "ga-cache.h"
#include "ga-credentials.h"

G_BEGIN_DECLS

/*
 * The preferences: API URL, instance ID and API token (with inline validation, saved when
 * applied with the row's apply button or Enter, and when the window closes while they are
 * valid), where the token is kept, a "Test Connection" button and a link to the console.
 *
 * The content is a #GaPreferencesPage so it can live in an AdwPreferencesWindow (libadwaita
 * 1.2) or an AdwPreferencesDialog (libadwaita >= 1.5).
 */

#define GA_TYPE_PREFERENCES_PAGE (ga_preferences_page_get_type ())

G_DECLARE_FINAL_TYPE (GaPreferencesPage, ga_preferences_page,
                      GA, PREFERENCES_PAGE, AdwPreferencesPage)

GaPreferencesPage *ga_preferences_page_new           (GaCredentials     *credentials,
                                                      GSettings         *settings,
                                                      GaCache           *cache);
/* The session for "Test Connection"; by default the application's, else a new one. */
void               ga_preferences_page_set_session   (GaPreferencesPage *self,
                                                      SoupSession       *session);

/**
 * ga_preferences_window_new:
 * @parent: (nullable): the main window; the preferences are modal to it
 * @credentials: the application's credentials
 * @settings: (nullable): the application's settings, for the history switch
 * @cache: (nullable): the picture cache, to show its size and clear it
 *
 * Returns: (transfer none): a new preferences window, not yet presented; GTK owns it
 *   until it is closed
 */
GtkWindow         *ga_preferences_window_new         (GtkWindow         *parent,
                                                      GaCredentials     *credentials,
                                                      GSettings         *settings,
                                                      GaCache           *cache);
/* The page inside a window from ga_preferences_window_new(). */
GaPreferencesPage *ga_preferences_window_get_page    (GtkWindow         *window);

/**
 * ga_preferences_present:
 * @parent: the main window (or any widget in it)
 * @credentials: the application's credentials
 * @settings: (nullable): the application's settings
 * @cache: (nullable): the picture cache
 *
 * Shows the preferences: an AdwPreferencesDialog with libadwaita >= 1.5, otherwise the window
 * of ga_preferences_window_new().
 */
void               ga_preferences_present            (GtkWidget         *parent,
                                                      GaCredentials     *credentials,
                                                      GSettings         *settings,
                                                      GaCache           *cache);

G_END_DECLS
