/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

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

/**
 * ga_response_parse_avatar:
 * @data: the body of an HTTP 200 answer to getAvatar (not NUL-terminated)
 * @length: its length
 * @chat_id: the canonical chat ID that was asked for
 * @action: (out) (optional): %GA_RESPONSE_RETRY when the server asks to try again
 * @error: a #GA_ERROR: malformed response, or an error carried in a 200 body
 *   (`{"code": 401}`, `reason: "bad request data"`)
 *
 * Accepts every shape and quirk listed in green-api.md.
 *
 * Returns: (transfer full) (nullable): the avatar info, or %NULL with @error set, or %NULL
 *   without @error when @action is %GA_RESPONSE_RETRY
 */
GaAvatarInfo    *ga_response_parse_avatar  (const char        *data,
                                            gsize              length,
                                            const char        *chat_id,
                                            GaResponseAction  *action,
                                            GError           **error);

gboolean         ga_response_parse_state   (const char        *data,
                                            gsize              length,
                                            GaInstanceState   *state,
                                            GError           **error);

/**
 * ga_response_error_from_status:
 * @status: an HTTP status that is not 2xx
 * @content_type: (nullable): the Content-Type of the body
 * @data: (nullable): the body, which may be JSON, text, HTML or empty
 * @length: its length
 *
 * Maps an HTTP error answer of the API to a #GA_ERROR whose message says what to do and
 * quotes the server's own (sanitised, length-capped) detail when it gave one.
 *
 * Returns: (transfer full): the error
 */
GError          *ga_response_error_from_status (guint        status,
                                                const char  *content_type,
                                                const char  *data,
                                                gsize        length);

/**
 * ga_response_describe_state:
 * Returns: a translated sentence that says what @state means, for the settings screen.
 */
const char      *ga_response_describe_state (GaInstanceState state);

G_END_DECLS
