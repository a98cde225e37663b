/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * ga_http_log_redact:
 * @text: a line of HTTP log output, an error body, anything that may carry a request path
 *
 * Replaces the token in every `waInstance<digits>/<method>/<token>` (also with JSON-escaped
 * `\/` or percent-encoded `%2F` separators) by `<redacted>`.
 *
 * Returns: (transfer full): the redacted copy
 */
char               *ga_http_log_redact               (const char         *text);

/**
 * ga_http_log_level_from_env:
 *
 * What the environment asks for: `GREEN_AVATAR_HTTP_DEBUG=1` (or `headers`) gives
 * %SOUP_LOGGER_LOG_HEADERS, `GREEN_AVATAR_HTTP_DEBUG=body` gives %SOUP_LOGGER_LOG_BODY, and a
 * `G_MESSAGES_DEBUG` naming `all`, `green-avatar` or `ga-http` gives %SOUP_LOGGER_LOG_HEADERS.
 *
 * Returns: the level, %SOUP_LOGGER_LOG_NONE when no HTTP logging was asked for
 */
SoupLoggerLogLevel  ga_http_log_level_from_env       (void);

/**
 * ga_http_session_enable_logging:
 * @session: a #SoupSession
 * @level: how much to log; %SOUP_LOGGER_LOG_NONE does nothing
 *
 * Attaches a #SoupLogger to @session that writes to stderr with the API token redacted from
 * every line (request lines, headers such as Location, and bodies). Tokens seen in request
 * paths are remembered and also redacted where they show up alone, e.g. echoed in a body.
 */
void                ga_http_session_enable_logging   (SoupSession        *session,
                                                      SoupLoggerLogLevel  level);

G_END_DECLS
