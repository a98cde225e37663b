/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "ga-client.h"
#include "ga-instances.h"

G_BEGIN_DECLS

/**
 * GaAccountButtonState:
 * @GA_ACCOUNT_BUTTON_STATE_NONE: no client
 * @GA_ACCOUNT_BUTTON_STATE_LOADING: getWaSettings runs
 * @GA_ACCOUNT_BUTTON_STATE_LINKED: the number (and picture) of the linked account are known
 * @GA_ACCOUNT_BUTTON_STATE_NOT_READY: the instance is not authorized, blocked, starting…: the
 *   popover gives the advice for that state
 * @GA_ACCOUNT_BUTTON_STATE_FAILED: the request failed; the popover says why
 */
typedef enum
{
  GA_ACCOUNT_BUTTON_STATE_NONE,
  GA_ACCOUNT_BUTTON_STATE_LOADING,
  GA_ACCOUNT_BUTTON_STATE_LINKED,
  GA_ACCOUNT_BUTTON_STATE_NOT_READY,
  GA_ACCOUNT_BUTTON_STATE_FAILED,
} GaAccountButtonState;

#define GA_TYPE_ACCOUNT_BUTTON (ga_account_button_get_type ())

G_DECLARE_FINAL_TYPE (GaAccountButton, ga_account_button, GA, ACCOUNT_BUTTON, GtkWidget)

GtkWidget            *ga_account_button_new          (void);
void                  ga_account_button_set_client   (GaAccountButton *self,
                                                      GaClient        *client);
void                  ga_account_button_set_instances (GaAccountButton *self,
                                                       GaInstances     *instances);
void                  ga_account_button_refresh      (GaAccountButton *self);
GaAccountButtonState  ga_account_button_get_state    (GaAccountButton *self);
const char           *ga_account_button_get_chat_id  (GaAccountButton *self);
gboolean              ga_account_button_get_has_picture (GaAccountButton *self);
void                  ga_account_button_popup        (GaAccountButton *self);
gboolean              ga_account_button_get_has_switcher (GaAccountButton *self);
GtkWidget            *ga_account_button_get_switcher (GaAccountButton *self);

G_END_DECLS
