/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

char               *ga_http_log_redact               (const char         *text);

SoupLoggerLogLevel  ga_http_log_level_from_env       (void);

void                ga_http_session_enable_logging   (SoupSession        *session,
                                                      SoupLoggerLogLevel  level);

G_END_DECLS
