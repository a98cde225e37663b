/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * GaAvatarState:
 * @GA_AVATAR_STATE_HAS_AVATAR: there is a picture (a URL, inline bytes, or both)
 * @GA_AVATAR_STATE_PRIVATE: privacy settings hide the picture from this account
 * @GA_AVATAR_STATE_NOT_SET: no picture is set, or the number has no WhatsApp account
 */
typedef enum
{
  GA_AVATAR_STATE_HAS_AVATAR,
  GA_AVATAR_STATE_PRIVATE,
  GA_AVATAR_STATE_NOT_SET,
} GaAvatarState;

#define GA_TYPE_AVATAR_INFO (ga_avatar_info_get_type ())

G_DECLARE_FINAL_TYPE (GaAvatarInfo, ga_avatar_info, GA, AVATAR_INFO, GObject)

/* What getAvatar said about one chat. Immutable once made. */
GaAvatarInfo  *ga_avatar_info_new                (const char    *chat_id,
                                                  GaAvatarState  state,
                                                  const char    *url,
                                                  gboolean       available,
                                                  GBytes        *inline_image);
const char    *ga_avatar_info_get_chat_id        (GaAvatarInfo  *self);
GaAvatarState  ga_avatar_info_get_state          (GaAvatarInfo  *self);
const char    *ga_avatar_info_get_url            (GaAvatarInfo  *self);
gboolean       ga_avatar_info_get_available      (GaAvatarInfo  *self);
GBytes        *ga_avatar_info_get_inline_image   (GaAvatarInfo  *self);

G_END_DECLS
