/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ga-avatar-info.h"

G_BEGIN_DECLS

/* Pure functions over untrusted bytes: no I/O, no global state, safe to fuzz. */

/**
 * GaInstanceState:
 * The `stateInstance` of getStateInstance. %GA_INSTANCE_STATE_UNKNOWN is a JSON null (a fresh
 * instance answers that for a few minutes) or a value this version does not know.
 */
typedef enum
{
  GA_INSTANCE_STATE_UNKNOWN,
  GA_INSTANCE_STATE_NOT_AUTHORIZED,
  GA_INSTANCE_STATE_AUTHORIZED,
  GA_INSTANCE_STATE_BLOCKED,
  GA_INSTANCE_STATE_SLEEP_MODE,
  GA_INSTANCE_STATE_STARTING,
  GA_INSTANCE_STATE_YELLOW_CARD,
} GaInstanceState;

/* What a getAvatar answer of HTTP 200 asks the caller to do beside returning info. */
typedef enum
{
  GA_RESPONSE_OK,
  GA_RESPONSE_RETRY, /* "get avatar timeout limit exceeded": transient, retry */
} GaResponseAction;

GaAvatarInfo    *ga_response_parse_avatar  (const char        *data,
                                            gsize              length,
                                            const char        *chat_id,
                                            GaResponseAction  *action,
                                            GError           **error);

gboolean         ga_response_parse_state   (const char        *data,
                                            gsize              length,
                                            GaInstanceState   *state,
                                            GError           **error);

GError          *ga_response_error_from_status (guint        status,
                                                const char  *content_type,
                                                const char  *data,
                                                gsize        length);

JsonNode        *ga_response_parse_object  (const char        *data,
                                            gsize              length,
                                            gsize              max_size,
                                            GError           **error);

const char      *ga_response_describe_state (GaInstanceState state);

G_END_DECLS
