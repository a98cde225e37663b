/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The built-in GREEN-API of `green-avatar --demo`: a SoupServer on 127.0.0.1 (port 0) in the
 * main context, answering getAvatar, getStateInstance and the sample images (from the
 * GResource) over real HTTP, so the app takes its real code path. It serves two instances
 * whose answers differ for one chat (private through the first, a picture through the
 * second), so Compare has something to show without an account.
 */

typedef struct
{
  const char *chat_id;      /* canonical, e.g. "11001234567@c.us" */
  const char *title;        /* translatable (N_()), e.g. "Personal chat with a picture" */
} GaDemoChat;

#define GA_TYPE_DEMO_SERVER (ga_demo_server_get_type ())

G_DECLARE_FINAL_TYPE (GaDemoServer, ga_demo_server, GA, DEMO_SERVER, GObject)

GaDemoServer     *ga_demo_server_new            (GError       **error);
const char       *ga_demo_server_get_url        (GaDemoServer  *self);
const char       *ga_demo_server_get_id_instance (GaDemoServer *self);
const char       *ga_demo_server_get_other_id_instance (GaDemoServer *self);
const char       *ga_demo_server_get_token      (GaDemoServer  *self);
const GaDemoChat *ga_demo_server_get_chats      (guint         *n_chats);

G_END_DECLS
