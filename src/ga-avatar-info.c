/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-avatar-info"

#include "config.h"

#include "ga-avatar-info.h"

struct _GaAvatarInfo
{
  GObject        parent_instance;

  char          *chat_id;      /* (owned) */
  char          *url;          /* (owned) (nullable) */
  GBytes        *inline_image; /* (owned) (nullable) */
  GaAvatarState  state;
  gboolean       available;
};

G_DEFINE_FINAL_TYPE (GaAvatarInfo, ga_avatar_info, G_TYPE_OBJECT)

static void
ga_avatar_info_finalize (GObject *object)
{
  GaAvatarInfo *self = (GaAvatarInfo *)object;

  g_clear_pointer (&self->chat_id, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->inline_image, g_bytes_unref);

  G_OBJECT_CLASS (ga_avatar_info_parent_class)->finalize (object);
}

static void
ga_avatar_info_class_init (GaAvatarInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ga_avatar_info_finalize;
}

static void
ga_avatar_info_init (GaAvatarInfo *self)
{
}

/**
 * ga_avatar_info_new:
 * @chat_id: the canonical chat ID
 * @state: what the answer means
 * @url: (nullable): the picture's URL; empty strings are stored as %NULL
 * @available: the `available` field as the server sent it (%TRUE when missing)
 * @inline_image: (nullable): decoded `base64Avatar` bytes
 *
 * Returns: (transfer full): a new #GaAvatarInfo
 */
GaAvatarInfo *
ga_avatar_info_new (const char    *chat_id,
                    GaAvatarState  state,
                    const char    *url,
                    gboolean       available,
                    GBytes        *inline_image)
{
  GaAvatarInfo *self;

  g_return_val_if_fail (chat_id != NULL, NULL);

  self = g_object_new (GA_TYPE_AVATAR_INFO, NULL);
  self->chat_id = g_strdup (chat_id);
  self->state = state;
  self->url = (url != NULL && url[0] != '\0') ? g_strdup (url) : NULL;
  self->available = !!available;
  self->inline_image = inline_image != NULL ? g_bytes_ref (inline_image) : NULL;

  return self;
}

const char *
ga_avatar_info_get_chat_id (GaAvatarInfo *self)
{
  g_return_val_if_fail (GA_IS_AVATAR_INFO (self), NULL);

  return self->chat_id;
}

GaAvatarState
ga_avatar_info_get_state (GaAvatarInfo *self)
{
  g_return_val_if_fail (GA_IS_AVATAR_INFO (self), GA_AVATAR_STATE_NOT_SET);

  return self->state;
}

const char *
ga_avatar_info_get_url (GaAvatarInfo *self)
{
  g_return_val_if_fail (GA_IS_AVATAR_INFO (self), NULL);

  return self->url;
}

gboolean
ga_avatar_info_get_available (GaAvatarInfo *self)
{
  g_return_val_if_fail (GA_IS_AVATAR_INFO (self), FALSE);

  return self->available;
}

GBytes *
ga_avatar_info_get_inline_image (GaAvatarInfo *self)
{
  g_return_val_if_fail (GA_IS_AVATAR_INFO (self), NULL);

  return self->inline_image;
}
