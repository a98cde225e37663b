/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gdk/gdk.h>

#include "ga-avatar-info.h"
#include "ga-cache.h"
#include "ga-client.h"

G_BEGIN_DECLS

#define GA_TYPE_LOOKUP_RESULT (ga_lookup_result_get_type ())

G_DECLARE_FINAL_TYPE (GaLookupResult, ga_lookup_result, GA, LOOKUP_RESULT, GObject)

GaAvatarInfo *ga_lookup_result_get_info     (GaLookupResult *self);
/* The decoded picture, or %NULL when the state is private or not set. */
GdkTexture   *ga_lookup_result_get_texture  (GaLookupResult *self);
/* The encoded image bytes the texture came from (for saving), or %NULL. */
GBytes       *ga_lookup_result_get_bytes    (GaLookupResult *self);
gboolean      ga_lookup_result_get_from_cache (GaLookupResult *self);

/* The whole chain from a canonical chat ID to a texture: see ga_lookup_async(). */
void            ga_lookup_async   (GaClient             *client,
                                   const char           *chat_id,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
void            ga_lookup_with_cache_async (GaClient             *client,
                                            GaCache              *cache,
                                            const char           *chat_id,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* Finishes both ga_lookup_async() and ga_lookup_with_cache_async(). */
GaLookupResult *ga_lookup_finish  (GaClient             *client,
                                   GAsyncResult         *result,
                                   GError              **error);

G_END_DECLS
