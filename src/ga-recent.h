/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Recent lookups, kept in the `recent-chats` key of the app's settings: canonical chat IDs
 * only, newest first, each once, at most %GA_RECENT_MAX. Nothing is kept while the
 * `history-enabled` key is off.
 */

#define GA_RECENT_MAX 20

gboolean   ga_recent_add       (GSettings  *settings,
                                const char *chat_id);
char     **ga_recent_get       (GSettings  *settings);
void       ga_recent_clear     (GSettings  *settings);

G_END_DECLS
