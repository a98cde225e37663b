/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>
#include <libsoup/soup.h>

#include "ga-compare.h"
#include "ga-credentials.h"
#include "ga-instances.h"

G_BEGIN_DECLS

#define GA_TYPE_COMPARE_DIALOG (ga_compare_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GaCompareDialog, ga_compare_dialog, GA, COMPARE_DIALOG, AdwWindow)

/*
 * "Look up through every instance": one card per instance, side by side (a flow box: one
 * column at 360 px, several when wide), each saying what that instance's account is told
 * about the chat: the picture, "Private", nothing set, or the failure and why.
 */

/* Asks every instance in @instances (each with its own token from the keyring; in demo mode
 * the demo token) about @chat_id, and shows the dialog at once. A temporary instance of
 * GREEN_API_* variables is asked too. */
GaCompareDialog *ga_compare_dialog_present (GtkWindow     *parent,
                                            GaInstances   *instances,
                                            GaCredentials *credentials,
                                            SoupSession   *session,
                                            const char    *chat_id);

/* The comparison shown, for tests. */
GaCompare       *ga_compare_dialog_get_compare (GaCompareDialog *self);

G_END_DECLS
