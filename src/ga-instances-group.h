/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>
#include <libsoup/soup.h>

#include "ga-credentials.h"
#include "ga-instances.h"

G_BEGIN_DECLS

#define GA_TYPE_INSTANCES_GROUP (ga_instances_group_get_type ())

G_DECLARE_FINAL_TYPE (GaInstancesGroup, ga_instances_group, GA, INSTANCES_GROUP,
                      AdwPreferencesGroup)

/*
 * The list of instances in Preferences: a GaInstanceRow for each, and "Add Instance" with
 * label, instance ID, API URL (offered from the ID until the person edits it) and token.
 * Nothing shows until ga_instances_group_set_instances() is called (demo mode has none).
 */

void ga_instances_group_set_instances (GaInstancesGroup *self,
                                       GaInstances      *instances,
                                       GaCredentials    *credentials,
                                       SoupSession      *session);

G_END_DECLS
