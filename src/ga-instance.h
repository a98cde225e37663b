/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GA_TYPE_INSTANCE (ga_instance_get_type ())

G_DECLARE_FINAL_TYPE (GaInstance, ga_instance, GA, INSTANCE, GObject)

/*
 * One configured GREEN-API instance: its ID (construct-only, the key of everything kept per
 * instance: the keyring item, the contacts file, the cached chats), the label a person chose
 * and its API URL. Properties "id-instance", "label", "api-url" (the last two notify). The
 * token is not here: it is in the Secret Service (ga-secret.h), read by GaCredentials.
 */

GaInstance *ga_instance_new             (const char *id_instance,
                                         const char *label,
                                         const char *api_url);

const char *ga_instance_get_id_instance (GaInstance *self);
const char *ga_instance_get_label       (GaInstance *self);
const char *ga_instance_get_api_url     (GaInstance *self);
void        ga_instance_set_label       (GaInstance *self,
                                         const char *label);
void        ga_instance_set_api_url     (GaInstance *self,
                                         const char *api_url);

G_END_DECLS
