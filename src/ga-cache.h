/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

#define GA_TYPE_CACHE (ga_cache_get_type ())

G_DECLARE_FINAL_TYPE (GaCache, ga_cache, GA, CACHE, GObject)

#define GA_CACHE_DEFAULT_DISK_BYTES   (64 * 1024 * 1024)
#define GA_CACHE_DEFAULT_MEMORY_BYTES (48 * 1024 * 1024)

/*
 * Pictures already seen. On disk: the encoded bytes under the XDG cache directory, one file
 * per picture, named after a hash of the picture's identity (the path of its URL: the CDN
 * keeps it while the picture is unchanged), plus a small record per chat and instance naming
 * its last picture and the URL's expiry (ga_cache_set_instance()). In memory: decoded textures, least recently used first out.
 * Both are bounded. File I/O, hashing of bytes and decoding run in worker threads; the
 * memory cache is only touched on the thread that made the cache.
 */

/* A cached picture: its identity, bytes, texture, and the expiry of the URL it came from. */
typedef struct _GaCachedAvatar GaCachedAvatar;

GaCachedAvatar *ga_cached_avatar_ref          (GaCachedAvatar *avatar);
void            ga_cached_avatar_unref        (GaCachedAvatar *avatar);
const char     *ga_cached_avatar_get_key      (GaCachedAvatar *avatar);
GBytes         *ga_cached_avatar_get_bytes    (GaCachedAvatar *avatar);
GdkTexture     *ga_cached_avatar_get_texture  (GaCachedAvatar *avatar);
/* Unix time after which the URL it was downloaded from no longer works; 0 if unknown. */
gint64          ga_cached_avatar_get_expiry   (GaCachedAvatar *avatar);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaCachedAvatar, ga_cached_avatar_unref)

GaCache        *ga_cache_new                  (const char           *directory,
                                               guint64               max_disk_bytes,
                                               gsize                 max_memory_bytes);
/* $XDG_CACHE_HOME/green-avatar/avatars with the default limits. */
GaCache        *ga_cache_new_default          (void);
const char     *ga_cache_get_directory        (GaCache              *self);

/* "scheme://host[:port]" of the last picture downloaded, so the next lookup can connect to
 * it ahead of time ("image-origin" property, bound to GSettings by the application). */
const char     *ga_cache_get_image_origin     (GaCache              *self);
void            ga_cache_set_image_origin     (GaCache              *self,
                                               const char           *origin);
/* The origin of @url, or NULL when it is no URL a picture may come from. */
char           *ga_cache_origin_for_url       (const char           *url);

/* The identity of the picture at @url (a hex hash of its path), or NULL for no usable URL. */
char           *ga_cache_key_for_url          (const char           *url);
/* The `oe` query parameter of a WhatsApp CDN URL as Unix time, or 0. */
gint64          ga_cache_expiry_for_url       (const char           *url);

/* Whose chats the chat functions below see (main thread only): the current instance's. */
void            ga_cache_set_instance         (GaCache              *self,
                                               const char           *id_instance);
const char     *ga_cache_get_instance         (GaCache              *self);

/* The memory cache: instant, main thread only. */
GdkTexture     *ga_cache_peek_texture         (GaCache              *self,
                                               const char           *key);

/* The last picture of @chat_id if it is in memory: instant, main thread only. */
GdkTexture     *ga_cache_peek_chat            (GaCache              *self,
                                               const char           *chat_id);

/* The last picture stored for @chat_id, or NULL (no error) when there is none. */
void            ga_cache_load_chat_async      (GaCache              *self,
                                               const char           *chat_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GaCachedAvatar *ga_cache_load_chat_finish     (GaCache              *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* The path of @chat_id's stored picture, or NULL: blocks on a small read (see the .c). */
char           *ga_cache_lookup_chat_file     (GaCache              *self,
                                               const char           *chat_id);

/* The picture with identity @key, or NULL (no error) when it is not cached. */
void            ga_cache_load_key_async       (GaCache              *self,
                                               const char           *key,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GaCachedAvatar *ga_cache_load_key_finish      (GaCache              *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Remembers @bytes (and its decoded @texture) as @chat_id's picture, then evicts the oldest
 * pictures beyond the disk limit. */
void            ga_cache_store_async          (GaCache              *self,
                                               const char           *chat_id,
                                               const char           *key,
                                               gint64                expiry,
                                               GBytes               *bytes,
                                               GdkTexture           *texture,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        ga_cache_store_finish         (GaCache              *self,
                                               GAsyncResult         *result,
                                               GError              **error);
/* Blocks until what was given to ga_cache_store_async() is written, before exiting. */
gboolean        ga_cache_flush                (GaCache              *self,
                                               guint                 timeout_ms);

/* Blocking, for worker threads: the chat's last picture key, and a picture's bytes. */
gboolean        ga_cache_read_chat_record     (GaCache              *self,
                                               const char           *chat_id,
                                               char                **key,
                                               gint64               *expiry);
GBytes         *ga_cache_read_bytes           (GaCache              *self,
                                               const char           *key);

/* Forgets which picture @chat_id had (it became private or was removed). */
void            ga_cache_forget_chat_async    (GaCache              *self,
                                               const char           *chat_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        ga_cache_forget_chat_finish   (GaCache              *self,
                                               GAsyncResult         *result,
                                               GError              **error);

void            ga_cache_measure_async        (GaCache              *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
guint64         ga_cache_measure_finish       (GaCache              *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Emits "cleared" at once. */
void            ga_cache_clear_async          (GaCache              *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        ga_cache_clear_finish         (GaCache              *self,
                                               GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
