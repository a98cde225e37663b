/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "ga-avatar-info.h"

G_BEGIN_DECLS

/*
 * The last answer GREEN-API gave for each chat: whether it had a picture, was private or had
 * none, and when (Unix time). It lets the search provider describe a chat without asking the
 * network; the pictures themselves stay in #GaCache. Kept on disk as one small text file
 * beside the picture cache (`$XDG_CACHE_HOME/green-avatar/chat-status`), one line per chat
 * ("<chat ID>\t<state>\t<time>"), at most %GA_CHAT_STATUS_MAX chats, the oldest forgotten
 * first. It holds chat IDs only: no token, instance or URL. Main thread only; the file is
 * read and written in worker threads.
 */

#define GA_CHAT_STATUS_MAX 2000

#define GA_TYPE_CHAT_STATUS (ga_chat_status_get_type ())

G_DECLARE_FINAL_TYPE (GaChatStatus, ga_chat_status, GA, CHAT_STATUS, GObject)

/* @path: the file, or NULL to keep nothing on disk (demo mode, tests). */
GaChatStatus *ga_chat_status_new          (const char           *path);
GaChatStatus *ga_chat_status_new_default  (void);

/* Reads the file; answers recorded before it finished win over what it holds. */
void          ga_chat_status_load_async   (GaChatStatus         *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      ga_chat_status_load_finish  (GaChatStatus         *self,
                                           GAsyncResult         *result,
                                           GError              **error);

void          ga_chat_status_record       (GaChatStatus         *self,
                                           const char           *chat_id,
                                           GaAvatarState         state,
                                           gint64                time);
gboolean      ga_chat_status_lookup       (GaChatStatus         *self,
                                           const char           *chat_id,
                                           GaAvatarState        *state,
                                           gint64               *time);
guint         ga_chat_status_get_n_chats  (GaChatStatus         *self);
void          ga_chat_status_clear        (GaChatStatus         *self);

/* Writes pending changes now (blocking); done on dispose as well. */
void          ga_chat_status_flush        (GaChatStatus         *self);

G_END_DECLS
