/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>
#include <libsoup/soup.h>

#include "ga-application.h"
#include "ga-credentials.h"

G_BEGIN_DECLS

/**
 * GaWindowState:
 * @GA_WINDOW_STATE_WELCOME: the first-run page: the credentials are incomplete
 * @GA_WINDOW_STATE_EMPTY: nothing looked up yet (or the last lookup was cancelled)
 * @GA_WINDOW_STATE_LOADING: a lookup is running: the spinner shows
 * @GA_WINDOW_STATE_PICTURE: a picture shows
 * @GA_WINDOW_STATE_PRIVATE: the placeholder and the "Private" badge show
 * @GA_WINDOW_STATE_NOT_SET: the placeholder and the "Not set / no account" badge show
 * @GA_WINDOW_STATE_ERROR: an error with what to do shows
 * @GA_WINDOW_STATE_CACHED: a lookup is running and the chat's saved picture shows meanwhile,
 *   marked as a saved copy
 *
 * What the window shows. For tests: the UI itself is what people look at.
 */
typedef enum
{
  GA_WINDOW_STATE_WELCOME,
  GA_WINDOW_STATE_EMPTY,
  GA_WINDOW_STATE_LOADING,
  GA_WINDOW_STATE_PICTURE,
  GA_WINDOW_STATE_PRIVATE,
  GA_WINDOW_STATE_NOT_SET,
  GA_WINDOW_STATE_ERROR,
  GA_WINDOW_STATE_CACHED,
} GaWindowState;

#define GA_TYPE_WINDOW (ga_window_get_type ())

G_DECLARE_FINAL_TYPE (GaWindow, ga_window, GA, WINDOW, AdwApplicationWindow)

/*
 * Construct properties: "settings" (GSettings for the window size, nullable), "credentials",
 * "session" (the application's one SoupSession), "cache" (the picture cache, nullable),
 * "chat-status" (each lookup's answer is recorded there for the search provider), "demo"
 * (show the demo marks and the sample chats), "instances" (every instance, nullable: the header's
 * account button switches between them; the window follows the current one). Read-only: "busy" (a lookup is running; notifies).
 */
GaWindow      *ga_window_new          (GaApplication *application);
void           ga_window_look_up      (GaWindow      *self,
                                       const char    *input);
void           ga_window_set_input    (GaWindow      *self,
                                       const char    *text);
gboolean       ga_window_get_busy     (GaWindow      *self);
void           ga_window_add_toast    (GaWindow      *self,
                                       AdwToast      *toast);
void           ga_window_set_token_loading (GaWindow  *self,
                                            gboolean   loading);

/* For tests. */
GaWindowState  ga_window_get_state    (GaWindow      *self);

G_END_DECLS
