/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The limits of the three values that reach an instance (see ga_settings_check()). */
#define GA_SETTINGS_MAX_API_URL_LENGTH     2048
#define GA_SETTINGS_MAX_ID_INSTANCE_LENGTH 10
#define GA_SETTINGS_MAX_TOKEN_LENGTH       256

gboolean ga_settings_check (const char  *api_url,
                            const char  *id_instance,
                            const char  *token,
                            GError     **error);

G_END_DECLS
