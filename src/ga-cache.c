/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-cache"

#include "config.h"

#include "ga-cache.h"

#include "ga-error.h"
#include "ga-http.h"
#include "ga-image.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <utime.h>

/* A chat record is "<key>\n<expiry>\n"; anything longer is not ours. */
#define CHAT_RECORD_MAX 256
/* Eviction frees down to this share of the limit, so it does not run on every store. */
#define EVICT_TARGET_PERCENT 80

struct _GaCachedAvatar
{
  gatomicrefcount  ref_count;
  char            *key;      /* (owned) */
  GBytes          *bytes;    /* (owned) (nullable) */
  GdkTexture      *texture;  /* (owned) (nullable) */
  gint64           expiry;
};

typedef struct
{
  char       *key;      /* (owned) */
  GdkTexture *texture;  /* (owned) */
  gsize       size;
} MemoryEntry;

struct _GaCache
{
  GObject     parent_instance;

  char       *directory;        /* (owned) */
  char       *image_origin;     /* (owned) (nullable) */
  char       *pictures_dir;     /* (owned) */
  char       *chats_dir;        /* (owned): the chats of no instance (before instances) */
  char       *instances_dir;    /* (owned): instances/<idInstance>/chats for each instance */
  char       *instance;         /* (owned) (nullable): written on the main thread only, under
                                 * instance_lock; whose chats these are */
  GMutex      instance_lock;    /* for ga_cache_read_chat_record() in a worker thread */
  guint64     max_disk_bytes;
  gsize       max_memory_bytes;

  /* Serialises writes, eviction and clearing between worker threads. */
  GMutex      disk_lock;
  /* Bumped by every clear: work started before it must not bring pictures back. */
  int         generation;

  /* Stores still being written by worker threads, for ga_cache_flush(). */
  GMutex      pending_lock;
  GCond       pending_cond;
  guint       n_pending;

  /* Main thread only: key → GList link in @lru, whose data is a MemoryEntry. */
  GHashTable *memory;           /* (owned) */
  /* Main thread only: "<instance>\n<chat ID>" → key of its last picture, as far as this run
   * has seen, for the pictures in memory only (so it is bounded like them). */
  GHashTable *chat_keys;        /* (owned) */
  GQueue      lru;              /* most recently used at the head */
  gsize       memory_bytes;
};

G_DEFINE_FINAL_TYPE (GaCache, ga_cache, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IMAGE_ORIGIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GaCachedAvatar *
cached_avatar_new (const char *key,
                   GBytes     *bytes,
                   GdkTexture *texture,
                   gint64      expiry)
{
  GaCachedAvatar *avatar = g_new0 (GaCachedAvatar, 1);

  g_atomic_ref_count_init (&avatar->ref_count);
  avatar->key = g_strdup (key);
  avatar->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  avatar->texture = texture != NULL ? g_object_ref (texture) : NULL;
  avatar->expiry = expiry;

  return avatar;
}

GaCachedAvatar *
ga_cached_avatar_ref (GaCachedAvatar *avatar)
{
  g_return_val_if_fail (avatar != NULL, NULL);

  g_atomic_ref_count_inc (&avatar->ref_count);

  return avatar;
}

void
ga_cached_avatar_unref (GaCachedAvatar *avatar)
{
  g_return_if_fail (avatar != NULL);

  if (!g_atomic_ref_count_dec (&avatar->ref_count))
    return;

  g_free (avatar->key);
  g_clear_pointer (&avatar->bytes, g_bytes_unref);
  g_clear_object (&avatar->texture);
  g_free (avatar);
}

const char *
ga_cached_avatar_get_key (GaCachedAvatar *avatar)
{
  return avatar->key;
}

GBytes *
ga_cached_avatar_get_bytes (GaCachedAvatar *avatar)
{
  return avatar->bytes;
}

GdkTexture *
ga_cached_avatar_get_texture (GaCachedAvatar *avatar)
{
  return avatar->texture;
}

gint64
ga_cached_avatar_get_expiry (GaCachedAvatar *avatar)
{
  return avatar->expiry;
}

static void
memory_entry_free (MemoryEntry *entry)
{
  g_free (entry->key);
  g_object_unref (entry->texture);
  g_free (entry);
}

static void
ga_cache_finalize (GObject *object)
{
  GaCache *self = (GaCache *)object;

  g_hash_table_unref (self->memory);
  g_hash_table_unref (self->chat_keys);
  g_queue_clear_full (&self->lru, (GDestroyNotify) memory_entry_free);
  g_mutex_clear (&self->disk_lock);
  g_mutex_clear (&self->instance_lock);
  g_mutex_clear (&self->pending_lock);
  g_cond_clear (&self->pending_cond);
  g_free (self->directory);
  g_free (self->image_origin);
  g_free (self->pictures_dir);
  g_free (self->chats_dir);
  g_free (self->instances_dir);
  g_free (self->instance);

  G_OBJECT_CLASS (ga_cache_parent_class)->finalize (object);
}

static void
ga_cache_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  GaCache *self = GA_CACHE (object);

  switch (prop_id)
    {
    case PROP_IMAGE_ORIGIN:
      g_value_set_string (value, self->image_origin);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_cache_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  GaCache *self = GA_CACHE (object);

  switch (prop_id)
    {
    case PROP_IMAGE_ORIGIN:
      ga_cache_set_image_origin (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static guint cleared_signal;

static void
ga_cache_class_init (GaCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ga_cache_finalize;
  object_class->get_property = ga_cache_get_property;
  object_class->set_property = ga_cache_set_property;

  /**
   * GaCache:image-origin:
   * The origin ("https://host[:port]") the last picture came from, or %NULL.
   */
  properties[PROP_IMAGE_ORIGIN] =
    g_param_spec_string ("image-origin", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GaCache::cleared:
   * Every picture was forgotten (ga_cache_clear_async()): whatever was kept about the chats
   * beside the pictures (the application's #GaChatStatus) goes too.
   */
  cleared_signal = g_signal_new ("cleared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ga_cache_init (GaCache *self)
{
  g_mutex_init (&self->disk_lock);
  g_mutex_init (&self->instance_lock);
  g_mutex_init (&self->pending_lock);
  g_cond_init (&self->pending_cond);
  self->memory = g_hash_table_new (g_str_hash, g_str_equal);
  self->chat_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->lru);
}

/**
 * ga_cache_new:
 * @directory: where the cache keeps its files; created when first written
 * @max_disk_bytes: the most the pictures on disk may take
 * @max_memory_bytes: the most the decoded textures in memory may take
 *
 * Returns: (transfer full): a new #GaCache
 */
GaCache *
ga_cache_new (const char *directory,
              guint64     max_disk_bytes,
              gsize       max_memory_bytes)
{
  GaCache *self;

  g_return_val_if_fail (directory != NULL, NULL);

  self = g_object_new (GA_TYPE_CACHE, NULL);
  self->directory = g_strdup (directory);
  self->pictures_dir = g_build_filename (directory, "pictures", NULL);
  self->chats_dir = g_build_filename (directory, "chats", NULL);
  self->instances_dir = g_build_filename (directory, "instances", NULL);
  self->max_disk_bytes = max_disk_bytes;
  self->max_memory_bytes = max_memory_bytes;

  return self;
}

GaCache *
ga_cache_new_default (void)
{
  g_autofree char *directory = g_build_filename (g_get_user_cache_dir (),
                                                 "green-avatar", "avatars", NULL);

  return ga_cache_new (directory, GA_CACHE_DEFAULT_DISK_BYTES, GA_CACHE_DEFAULT_MEMORY_BYTES);
}

const char *
ga_cache_get_directory (GaCache *self)
{
  g_return_val_if_fail (GA_IS_CACHE (self), NULL);

  return self->directory;
}

/**
 * ga_cache_origin_for_url:
 * @url: (nullable): a picture's URL
 *
 * Returns: (transfer full) (nullable): "scheme://host[:port]" of @url, or %NULL when @url is
 *   not an address a picture may be downloaded from
 */
char *
ga_cache_origin_for_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) origin = NULL;

  if (url == NULL || url[0] == '\0')
    return NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || !ga_http_uri_is_allowed (uri))
    return NULL;

  origin = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                        g_uri_get_port (uri), "", NULL, NULL);

  return g_uri_to_string (origin);
}

const char *
ga_cache_get_image_origin (GaCache *self)
{
  g_return_val_if_fail (GA_IS_CACHE (self), NULL);

  return self->image_origin;
}

/**
 * ga_cache_set_image_origin:
 * @origin: (nullable): an origin from ga_cache_origin_for_url(); anything else is ignored
 */
void
ga_cache_set_image_origin (GaCache    *self,
                           const char *origin)
{
  g_autofree char *checked = NULL;

  g_return_if_fail (GA_IS_CACHE (self));

  /* The value may come from GSettings: accept only what could have been made from a URL. */
  checked = ga_cache_origin_for_url (origin);
  if (g_strcmp0 (checked, origin) != 0)
    g_clear_pointer (&checked, g_free);

  if (g_strcmp0 (checked, self->image_origin) == 0)
    return;

  g_free (self->image_origin);
  self->image_origin = g_steal_pointer (&checked);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_ORIGIN]);
}

/**
 * ga_cache_key_for_url:
 * @url: (nullable): a picture's URL
 *
 * The CDN signs every URL anew (its query changes on each getAvatar) but keeps the path while
 * the picture is unchanged, so the path alone names the picture.
 *
 * Returns: (transfer full) (nullable): a hex SHA-256 of the URL's host-independent path
 */
char *
ga_cache_key_for_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *path;

  if (url == NULL || url[0] == '\0')
    return NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;

  path = g_uri_get_path (uri);
  if (path == NULL || path[0] == '\0' || g_str_equal (path, "/"))
    return NULL;

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);
}

/**
 * ga_cache_expiry_for_url:
 * @url: (nullable): a WhatsApp CDN URL
 *
 * Returns: the `oe` parameter (hexadecimal Unix time) as Unix time, or 0 when absent or
 *   malformed
 */
gint64
ga_cache_expiry_for_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *query;
  const char *oe;
  guint64 value = 0;

  if (url == NULL)
    return 0;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (uri == NULL || (query = g_uri_get_query (uri)) == NULL)
    return 0;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL || (oe = g_hash_table_lookup (params, "oe")) == NULL)
    return 0;

  /* Eight hex digits in practice; sixteen at most fit an unsigned 64-bit value. */
  if (oe[0] == '\0' || strlen (oe) > 15 ||
      !g_ascii_string_to_unsigned (oe, 16, 1, G_MAXINT64, &value, NULL))
    return 0;

  return (gint64) value;
}

/* Main thread only: the chat as seen through the current instance. */
static char *
scoped_chat (GaCache    *self,
             const char *chat_id)
{
  return g_strconcat (self->instance != NULL ? self->instance : "", "\n", chat_id, NULL);
}

/* Main thread only (it reads the current instance); the workers get the path. */
static char *
chat_record_path (GaCache    *self,
                  const char *chat_id)
{
  g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, chat_id, -1);

  if (self->instance == NULL)
    return g_build_filename (self->chats_dir, name, NULL);

  return g_build_filename (self->instances_dir, self->instance, "chats", name, NULL);
}

static gboolean
key_is_valid (const char *key)
{
  gsize len = 0;

  if (key == NULL)
    return FALSE;

  for (const char *p = key; *p != '\0'; p++, len++)
    {
      if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
        return FALSE;
    }

  return len == 64;
}

/* Memory cache (main thread only) */

static gboolean
value_is_key (gpointer key,
              gpointer value,
              gpointer user_data)
{
  return g_str_equal (value, user_data);
}

/* Notes that @scoped's picture (a chat through an instance) is @key, while that picture is in
 * memory: a chat whose picture is not is looked up on disk, so the table never outgrows the
 * memory cache. */
static void
remember_chat_key (GaCache    *self,
                   const char *scoped,
                   const char *key)
{
  if (g_hash_table_contains (self->memory, key))
    g_hash_table_replace (self->chat_keys, g_strdup (scoped), g_strdup (key));
  else
    g_hash_table_remove (self->chat_keys, scoped);
}

static void
memory_put (GaCache    *self,
            const char *key,
            GdkTexture *texture)
{
  MemoryEntry *entry;
  GList *link;
  gsize size;

  if (texture == NULL || key == NULL)
    return;

  size = (gsize) gdk_texture_get_width (texture) * (gsize) gdk_texture_get_height (texture) * 4;
  if (size > self->max_memory_bytes)
    return;

  link = g_hash_table_lookup (self->memory, key);
  if (link != NULL)
    {
      g_queue_unlink (&self->lru, link);
      g_queue_push_head_link (&self->lru, link);
      return;
    }

  entry = g_new0 (MemoryEntry, 1);
  entry->key = g_strdup (key);
  entry->texture = g_object_ref (texture);
  entry->size = size;
  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->memory, entry->key, self->lru.head);
  self->memory_bytes += size;

  while (self->memory_bytes > self->max_memory_bytes && self->lru.tail != NULL)
    {
      MemoryEntry *oldest = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->memory, oldest->key);
      g_hash_table_foreach_remove (self->chat_keys, value_is_key, oldest->key);
      self->memory_bytes -= oldest->size;
      memory_entry_free (oldest);
    }
}

/**
 * ga_cache_peek_texture:
 * @key: (nullable): a picture identity
 *
 * Returns: (transfer none) (nullable): the decoded picture if it is in memory
 */
GdkTexture *
ga_cache_peek_texture (GaCache    *self,
                       const char *key)
{
  GList *link;

  g_return_val_if_fail (GA_IS_CACHE (self), NULL);

  if (key == NULL || (link = g_hash_table_lookup (self->memory, key)) == NULL)
    return NULL;

  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);

  return ((MemoryEntry *) link->data)->texture;
}

/**
 * ga_cache_peek_chat:
 * @chat_id: a canonical chat ID
 *
 * The picture @chat_id had when this run last saw it, if it is still in memory: a repeat
 * lookup can show it in the very frame it starts in.
 *
 * Returns: (transfer none) (nullable): the decoded picture
 */
GdkTexture *
ga_cache_peek_chat (GaCache    *self,
                    const char *chat_id)
{
  g_return_val_if_fail (GA_IS_CACHE (self), NULL);

  if (chat_id == NULL)
    return NULL;

  {
    g_autofree char *scoped = scoped_chat (self, chat_id);

    return ga_cache_peek_texture (self, g_hash_table_lookup (self->chat_keys, scoped));
  }
}

/* Disk (worker threads) */

static gboolean
read_chat_record (const char  *path,
                  char       **key,
                  gint64      *expiry)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;
  gint64 value = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL) || length > CHAT_RECORD_MAX)
    return FALSE;

  lines = g_strsplit (contents, "\n", 3);
  if (g_strv_length (lines) < 2 || !key_is_valid (lines[0]))
    return FALSE;

  if (!g_ascii_string_to_signed (lines[1], 10, 0, G_MAXINT64, &value, NULL))
    value = 0;

  *key = g_strdup (lines[0]);
  *expiry = value;

  return TRUE;
}

/**
 * ga_cache_lookup_chat_file:
 * @self: a #GaCache
 * @chat_id: a canonical chat ID
 *
 * The file holding @chat_id's last picture, for another process to show (the search
 * provider hands it to GNOME Shell). Pictures are only stored once they decoded, so the file
 * is a valid image. This blocks on a small read and a stat, which the search provider accepts
 * as it must answer at once; everything else uses ga_cache_load_chat_async().
 *
 * Returns: (transfer full) (nullable): the path, or %NULL when no picture is stored
 */
char *
ga_cache_lookup_chat_file (GaCache    *self,
                           const char *chat_id)
{
  g_autofree char *key = NULL;
  g_autofree char *path = NULL;
  g_autofree char *record = NULL;
  gint64 expiry = 0;

  g_return_val_if_fail (GA_IS_CACHE (self), NULL);
  g_return_val_if_fail (chat_id != NULL, NULL);

  /* The current instance's record (ga_cache_set_instance()): main thread only. */
  record = chat_record_path (self, chat_id);
  if (!read_chat_record (record, &key, &expiry))
    return NULL;

  path = g_build_filename (self->pictures_dir, key, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;

  return g_steal_pointer (&path);
}

static GaCachedAvatar *
read_picture (GaCache       *self,
              const char    *key,
              gint64         expiry,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  if (!key_is_valid (key))
    return NULL;

  path = g_build_filename (self->pictures_dir, key, NULL);
  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;

  if (length > GA_IMAGE_MAX_BYTES || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  texture = ga_image_decode (bytes, GA_IMAGE_MAX_DIMENSION, &local_error);
  if (texture == NULL)
    {
      /* A damaged file is not worth an error: forget it and let the caller download. */
      g_debug ("Dropping an unreadable cached picture: %s", local_error->message);
      g_unlink (path);
      return NULL;
    }

  /* The modification time orders eviction: a picture just used is the last to go. */
  g_utime (path, NULL);

  return cached_avatar_new (key, bytes, texture, expiry);
}

/**
 * ga_cache_read_chat_record:
 * @chat_id: a canonical chat ID
 * @key: (out): the identity of the last picture stored for @chat_id
 * @expiry: (out): when the URL it came from stops working (Unix time), or 0
 *
 * Blocking and safe in any thread: for a worker thread that looks up many chats and needs
 * no decoded picture (the batch). Reads the current instance's record
 * (ga_cache_set_instance()).
 *
 * Returns: whether a picture is known for @chat_id
 */
gboolean
ga_cache_read_chat_record (GaCache     *self,
                           const char  *chat_id,
                           char       **key,
                           gint64      *expiry)
{
  g_autofree char *record = NULL;

  g_return_val_if_fail (GA_IS_CACHE (self), FALSE);
  g_return_val_if_fail (chat_id != NULL && key != NULL && expiry != NULL, FALSE);

  /* The current instance's record: the main thread may switch instances meanwhile. */
  g_mutex_lock (&self->instance_lock);
  record = chat_record_path (self, chat_id);
  g_mutex_unlock (&self->instance_lock);

  return read_chat_record (record, key, expiry);
}

/**
 * ga_cache_read_bytes:
 * @key: a picture's identity
 *
 * Reads the encoded picture @key from disk, undecoded. Blocking and safe in any thread.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL when it is not cached
 */
GBytes *
ga_cache_read_bytes (GaCache    *self,
                     const char *key)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (GA_IS_CACHE (self), NULL);

  if (key == NULL || !key_is_valid (key))
    return NULL;

  path = g_build_filename (self->pictures_dir, key, NULL);
  if (!g_file_get_contents (path, &contents, &length, NULL) || length > GA_IMAGE_MAX_BYTES)
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

typedef struct
{
  char           *chat_id;   /* (owned) (nullable) */
  char           *scoped;    /* (owned) (nullable): the chat_keys key of chat_id */
  char           *record;    /* (owned) (nullable): the path of chat_id's record */
  char           *key;       /* (owned) (nullable) */
  gint64          expiry;
  GBytes         *bytes;     /* (owned) (nullable) */
  GdkTexture     *texture;   /* (owned) (nullable) */
  GTask          *outer;     /* (owned) (nullable) the caller's task */
  int             generation;
} CacheOp;

static void
cache_op_free (CacheOp *op)
{
  g_free (op->chat_id);
  g_free (op->scoped);
  g_free (op->record);
  g_free (op->key);
  g_clear_pointer (&op->bytes, g_bytes_unref);
  g_clear_object (&op->texture);
  g_clear_object (&op->outer);
  g_free (op);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GaCache *self = source_object;
  CacheOp *op = task_data;
  GError *error = NULL;
  GaCachedAvatar *avatar;

  if (op->chat_id != NULL)
    {
      g_autofree char *key = NULL;
      gint64 expiry = 0;

      if (!read_chat_record (op->record, &key, &expiry))
        {
          g_task_return_pointer (task, NULL, NULL);
          return;
        }

      g_free (op->key);
      op->key = g_steal_pointer (&key);
      op->expiry = expiry;
    }

  avatar = read_picture (self, op->key, op->expiry, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, avatar, (GDestroyNotify) ga_cached_avatar_unref);
}

static void
load_thread_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GaCache *self = GA_CACHE (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GaCachedAvatar) avatar = NULL;
  GError *error = NULL;

  avatar = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    {
      g_task_return_error (outer, error);
      return;
    }

  /* Back on the cache's thread: keep the decoded picture at hand for next time, unless the
   * cache was cleared meanwhile. */
  if (avatar != NULL &&
      ((CacheOp *) g_task_get_task_data (G_TASK (result)))->generation ==
      g_atomic_int_get (&self->generation))
    {
      CacheOp *op = g_task_get_task_data (G_TASK (result));

      memory_put (self, avatar->key, avatar->texture);
      if (op->scoped != NULL)
        remember_chat_key (self, op->scoped, avatar->key);
    }

  g_task_return_pointer (outer, g_steal_pointer (&avatar), (GDestroyNotify) ga_cached_avatar_unref);
}

static void
start_load (GaCache             *self,
            const char          *chat_id,
            const char          *key,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autofree char *scoped = chat_id != NULL ? scoped_chat (self, chat_id) : NULL;
  CacheOp *op;

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, source_tag);

  if (key == NULL && chat_id != NULL)
    key = g_hash_table_lookup (self->chat_keys, scoped);

  if (key != NULL)
    {
      GdkTexture *texture = ga_cache_peek_texture (self, key);

      if (texture != NULL)
        {
          g_task_return_pointer (outer, cached_avatar_new (key, NULL, texture, 0),
                                 (GDestroyNotify) ga_cached_avatar_unref);
          return;
        }
    }

  op = g_new0 (CacheOp, 1);
  op->chat_id = g_strdup (chat_id);
  op->scoped = g_steal_pointer (&scoped);
  op->record = chat_id != NULL ? chat_record_path (self, chat_id) : NULL;
  op->key = g_strdup (key);
  op->generation = g_atomic_int_get (&self->generation);

  inner = g_task_new (self, cancellable, load_thread_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, source_tag);
  g_task_set_task_data (inner, op, (GDestroyNotify) cache_op_free);
  g_task_run_in_thread (inner, load_thread);
}

/**
 * ga_cache_load_chat_async:
 * @chat_id: a canonical chat ID
 *
 * Finds the last picture stored for @chat_id, decoded off the main thread.
 */
void
ga_cache_load_chat_async (GaCache             *self,
                          const char          *chat_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (GA_IS_CACHE (self));
  g_return_if_fail (chat_id != NULL);

  start_load (self, chat_id, NULL, ga_cache_load_chat_async, cancellable, callback, user_data);
}

/**
 * ga_cache_load_chat_finish:
 *
 * Returns: (transfer full) (nullable): the cached picture, or %NULL when there is none
 */
GaCachedAvatar *
ga_cache_load_chat_finish (GaCache       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ga_cache_load_key_async:
 * @key: a picture identity from ga_cache_key_for_url()
 *
 * Finds the picture @key in memory, or on disk (read and decoded off the main thread).
 */
void
ga_cache_load_key_async (GaCache             *self,
                         const char          *key,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (GA_IS_CACHE (self));
  g_return_if_fail (key != NULL);

  start_load (self, NULL, key, ga_cache_load_key_async, cancellable, callback, user_data);
}

/**
 * ga_cache_load_key_finish:
 *
 * Returns: (transfer full) (nullable): the cached picture (its bytes are %NULL when it came
 *   from memory), or %NULL when it is not cached
 */
GaCachedAvatar *
ga_cache_load_key_finish (GaCache       *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  char    *path;
  guint64  size;
  gint64   mtime;  /* nanoseconds */
} DiskFile;

static int
compare_oldest_first (gconstpointer a,
                      gconstpointer b)
{
  const DiskFile *fa = a;
  const DiskFile *fb = b;

  return (fa->mtime > fb->mtime) - (fa->mtime < fb->mtime);
}

static void
disk_file_clear (DiskFile *file)
{
  g_free (file->path);
}

/* Lists the regular files of @dir with their sizes and modification times. */
static GArray *
list_files (const char *dir)
{
  g_autoptr(GDir) handle = NULL;
  GArray *files = g_array_new (FALSE, FALSE, sizeof (DiskFile));
  const char *name;

  g_array_set_clear_func (files, (GDestroyNotify) disk_file_clear);

  handle = g_dir_open (dir, 0, NULL);
  if (handle == NULL)
    return files;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;
      DiskFile file;

      if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;

      file.path = g_steal_pointer (&path);
      file.size = (guint64) st.st_size;
      /* To the nanosecond where the file system keeps it: pictures stored within one second
       * are still told apart. */
      file.mtime = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                   st.st_mtim.tv_nsec;
      g_array_append_val (files, file);
    }

  return files;
}

static guint64
total_size (GArray *files)
{
  guint64 total = 0;

  for (guint i = 0; i < files->len; i++)
    total += g_array_index (files, DiskFile, i).size;

  return total;
}

/* Called with disk_lock held. @keep, the picture just stored, is never evicted: file times
 * are coarse (a few milliseconds on tmpfs and ext4), and among pictures stored within one tick,
 * which one is "oldest" would be left to the order of the directory. */
static void
evict (GaCache    *self,
       const char *keep)
{
  g_autoptr(GArray) files = list_files (self->pictures_dir);
  guint64 total = total_size (files);
  guint64 target = self->max_disk_bytes / 100 * EVICT_TARGET_PERCENT;

  if (total <= self->max_disk_bytes)
    return;

  g_array_sort (files, compare_oldest_first);

  for (guint i = 0; i < files->len && total > target; i++)
    {
      DiskFile *file = &g_array_index (files, DiskFile, i);

      if (g_strcmp0 (file->path, keep) == 0)
        continue;
      if (g_unlink (file->path) == 0)
        total -= file->size;
    }
}

static gboolean
ensure_dirs (GaCache     *self,
             const char  *record,
             GError     **error)
{
  g_autofree char *chats_dir = g_path_get_dirname (record);

  if (g_mkdir_with_parents (self->pictures_dir, 0700) != 0 ||
      g_mkdir_with_parents (chats_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the picture cache folder: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static void
store_write (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GaCache *self = source_object;
  CacheOp *op = task_data;
  g_autofree char *picture_path = NULL;
  g_autofree char *record = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  GError *error = NULL;
  gconstpointer data;
  gsize length;

  data = g_bytes_get_data (op->bytes, &length);
  if (length > self->max_disk_bytes)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  locker = g_mutex_locker_new (&self->disk_lock);

  /* Stored before a clear that has run already: the person asked to forget it. */
  if (op->generation != g_atomic_int_get (&self->generation))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!ensure_dirs (self, op->record, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  picture_path = g_build_filename (self->pictures_dir, op->key, NULL);
  if (!g_file_test (picture_path, G_FILE_TEST_IS_REGULAR))
    {
      if (!g_file_set_contents_full (picture_path, data, length,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    {
      g_utime (picture_path, NULL);
    }

  record = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n", op->key, op->expiry);
  if (!g_file_set_contents_full (op->record, record, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  evict (self, picture_path);

  g_task_return_boolean (task, TRUE);
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GaCache *self = source_object;

  store_write (task, source_object, task_data, cancellable);

  g_mutex_lock (&self->pending_lock);
  if (--self->n_pending == 0)
    g_cond_broadcast (&self->pending_cond);
  g_mutex_unlock (&self->pending_lock);
}

/**
 * ga_cache_flush:
 * @self: a #GaCache
 * @timeout_ms: the most to wait
 *
 * Waits until every picture given to ga_cache_store_async() so far is on disk (or failed),
 * for a process about to exit: the command line when its last line is out, the application
 * when it shuts down. Writes are atomic, so one cut short leaves no damaged file, but it is
 * lost, and its temporary file stays behind.
 *
 * Returns: %TRUE if nothing is left to write, %FALSE if @timeout_ms passed first
 */
gboolean
ga_cache_flush (GaCache *self,
                guint    timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean done = TRUE;

  g_return_val_if_fail (GA_IS_CACHE (self), FALSE);

  g_mutex_lock (&self->pending_lock);
  while (self->n_pending > 0 && done)
    done = g_cond_wait_until (&self->pending_cond, &self->pending_lock, end);
  done = self->n_pending == 0;
  g_mutex_unlock (&self->pending_lock);

  return done;
}

/**
 * ga_cache_store_async:
 * @chat_id: the canonical chat ID the picture belongs to
 * @key: the picture's identity, from ga_cache_key_for_url()
 * @expiry: the URL's expiry (ga_cache_expiry_for_url()), or 0
 * @bytes: the encoded picture as downloaded
 * @texture: (nullable): the decoded picture, kept in memory
 */
void
ga_cache_store_async (GaCache             *self,
                      const char          *chat_id,
                      const char          *key,
                      gint64               expiry,
                      GBytes              *bytes,
                      GdkTexture          *texture,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CacheOp *op;

  g_return_if_fail (GA_IS_CACHE (self));
  g_return_if_fail (chat_id != NULL);
  g_return_if_fail (bytes != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_cache_store_async);

  if (!key_is_valid (key))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Not a picture identity");
      return;
    }

  memory_put (self, key, texture);
  {
    g_autofree char *scoped = scoped_chat (self, chat_id);

    remember_chat_key (self, scoped, key);
  }

  op = g_new0 (CacheOp, 1);
  op->chat_id = g_strdup (chat_id);
  op->record = chat_record_path (self, chat_id);
  op->key = g_strdup (key);
  op->expiry = expiry;
  op->bytes = g_bytes_ref (bytes);
  op->generation = g_atomic_int_get (&self->generation);
  g_task_set_task_data (task, op, (GDestroyNotify) cache_op_free);

  g_mutex_lock (&self->pending_lock);
  self->n_pending++;
  g_mutex_unlock (&self->pending_lock);
  g_task_run_in_thread (task, store_thread);
}

gboolean
ga_cache_store_finish (GaCache       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
forget_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GaCache *self = source_object;
  CacheOp *op = task_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->disk_lock);

  g_unlink (op->record);
  g_task_return_boolean (task, TRUE);
}

void
ga_cache_forget_chat_async (GaCache             *self,
                            const char          *chat_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CacheOp *op;

  g_return_if_fail (GA_IS_CACHE (self));
  g_return_if_fail (chat_id != NULL);

  {
    g_autofree char *scoped = scoped_chat (self, chat_id);

    g_hash_table_remove (self->chat_keys, scoped);
  }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_cache_forget_chat_async);

  op = g_new0 (CacheOp, 1);
  op->chat_id = g_strdup (chat_id);
  op->record = chat_record_path (self, chat_id);
  g_task_set_task_data (task, op, (GDestroyNotify) cache_op_free);
  g_task_run_in_thread (task, forget_thread);
}

gboolean
ga_cache_forget_chat_finish (GaCache       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
measure_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GaCache *self = source_object;
  g_autoptr(GArray) pictures = list_files (self->pictures_dir);
  g_autoptr(GArray) chats = list_files (self->chats_dir);
  guint64 *total = g_new (guint64, 1);

  *total = total_size (pictures) + total_size (chats);
  g_task_return_pointer (task, total, g_free);
}

/**
 * ga_cache_measure_async:
 *
 * Adds up the size of the cache's files on disk, off the main thread.
 */
void
ga_cache_measure_async (GaCache             *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GA_IS_CACHE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_cache_measure_async);
  g_task_run_in_thread (task, measure_thread);
}

guint64
ga_cache_measure_finish (GaCache       *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_autofree guint64 *total = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  total = g_task_propagate_pointer (G_TASK (result), error);

  return total != NULL ? *total : 0;
}

static void
clear_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GaCache *self = source_object;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->disk_lock);
  /* "cards": the contact cards saved beside the pictures (ga-contact-card.c). */
  g_autofree char *cards_dir = g_build_filename (ga_cache_get_directory (self), "cards", NULL);
  const char *dirs[] = { self->pictures_dir, self->chats_dir, cards_dir };

  g_autoptr(GDir) instances = NULL;
  const char *name;

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autoptr(GArray) files = list_files (dirs[d]);

      for (guint i = 0; i < files->len; i++)
        g_unlink (g_array_index (files, DiskFile, i).path);
    }

  /* The chats of every instance: instances/<id>/chats/<record>. */
  instances = g_dir_open (self->instances_dir, 0, NULL);
  while (instances != NULL && (name = g_dir_read_name (instances)) != NULL)
    {
      g_autofree char *instance_dir = g_build_filename (self->instances_dir, name, NULL);
      g_autofree char *chats = g_build_filename (instance_dir, "chats", NULL);
      g_autoptr(GArray) files = list_files (chats);

      for (guint i = 0; i < files->len; i++)
        g_unlink (g_array_index (files, DiskFile, i).path);
      g_rmdir (chats);
      g_rmdir (instance_dir);
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * ga_cache_clear_async:
 *
 * Forgets every picture, in memory at once and on disk off the main thread.
 */
void
ga_cache_clear_async (GaCache             *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GA_IS_CACHE (self));

  g_atomic_int_inc (&self->generation);
  g_hash_table_remove_all (self->chat_keys);
  g_hash_table_remove_all (self->memory);
  g_queue_clear_full (&self->lru, (GDestroyNotify) memory_entry_free);
  self->memory_bytes = 0;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_cache_clear_async);
  g_task_run_in_thread (task, clear_thread);

  g_signal_emit (self, cleared_signal, 0);
}

gboolean
ga_cache_clear_finish (GaCache       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ga_cache_set_instance:
 * @id_instance: (nullable): the instance whose lookups follow, or %NULL
 *
 * Which instance's chats the chat functions see from now on (main thread only). What a chat
 * showed through one instance (its record, kept in instances/<id>/chats) is never the answer
 * for another: a contact's privacy settings can hide the picture from one account and show it
 * to another. The pictures themselves are shared: they are named after their CDN URL, which
 * only an instance that may see the picture is given. An ID that is not all digits is taken as
 * %NULL.
 */
void
ga_cache_set_instance (GaCache    *self,
                       const char *id_instance)
{
  gboolean valid = id_instance != NULL && *id_instance != '\0' && strlen (id_instance) <= 20;

  g_return_if_fail (GA_IS_CACHE (self));

  for (const char *p = id_instance; valid && *p != '\0'; p++)
    valid = g_ascii_isdigit (*p);

  g_mutex_lock (&self->instance_lock);
  g_free (self->instance);
  self->instance = valid ? g_strdup (id_instance) : NULL;
  g_mutex_unlock (&self->instance_lock);
}

const char *
ga_cache_get_instance (GaCache *self)
{
  g_return_val_if_fail (GA_IS_CACHE (self), NULL);

  return self->instance;
}
