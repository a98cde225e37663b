/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>
#include <libsoup/soup.h>

#include "ga-credentials.h"
#include "ga-instances.h"

G_BEGIN_DECLS

#define GA_TYPE_INSTANCE_ROW (ga_instance_row_get_type ())

G_DECLARE_FINAL_TYPE (GaInstanceRow, ga_instance_row, GA, INSTANCE_ROW, AdwExpanderRow)

/*
 * One instance in the Preferences list: its label and ID, a "Use" button (a check mark when it
 * is the current one), and, expanded, its label and API URL to edit, Test Connection (with
 * the instance's own token from the keyring) and Remove.
 */

GtkWidget *ga_instance_row_new          (GaInstances   *instances,
                                         GaInstance    *instance,
                                         GaCredentials *credentials,
                                         SoupSession   *session);
GaInstance *ga_instance_row_get_instance (GaInstanceRow *self);

G_END_DECLS
