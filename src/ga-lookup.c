/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-lookup"

#include "config.h"

#include "ga-lookup.h"

#include "ga-download.h"
#include "ga-error.h"
#include "ga-http.h"
#include "ga-image.h"

#include <glib/gi18n.h>

/*
 * The lookup chain, one small static step per stage so that a cache (issue 5) can slot in
 * before fetch_info() and after decode_cb() without reshaping it:
 *
 *   ga_lookup_async -> parse -> fetch_info -> get_avatar_cb -+-> return_result (no picture)
 *                                   ^                        +-> decode (inline base64Avatar)
 *                                   |                        +-> download -> decode
 *                                   +---- 403 (expired URL), once <-+
 *
 * A picture sent inline that fails to decode falls back to downloading the URL, when there
 * is one. Every step uses the task's cancellable; errors are passed on unchanged, as they are
 * already written for people.
 */

/* GaLookupResult */

struct _GaLookupResult
{
  GObject       parent_instance;

  GaAvatarInfo *info;       /* (owned) */
  GdkTexture   *texture;    /* (owned) (nullable) */
  GBytes       *bytes;      /* (owned) (nullable) */
  gboolean      from_cache;
};

G_DEFINE_FINAL_TYPE (GaLookupResult, ga_lookup_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INFO,
  PROP_TEXTURE,
  PROP_BYTES,
  PROP_FROM_CACHE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ga_lookup_result_finalize (GObject *object)
{
  GaLookupResult *self = (GaLookupResult *)object;

  g_clear_object (&self->info);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->bytes, g_bytes_unref);

  G_OBJECT_CLASS (ga_lookup_result_parent_class)->finalize (object);
}

static void
ga_lookup_result_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GaLookupResult *self = GA_LOOKUP_RESULT (object);

  switch (prop_id)
    {
    case PROP_INFO:
      g_value_set_object (value, self->info);
      break;

    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;

    case PROP_BYTES:
      g_value_set_boxed (value, self->bytes);
      break;

    case PROP_FROM_CACHE:
      g_value_set_boolean (value, self->from_cache);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_lookup_result_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GaLookupResult *self = GA_LOOKUP_RESULT (object);

  switch (prop_id)
    {
    case PROP_INFO:
      self->info = g_value_dup_object (value);
      break;

    case PROP_TEXTURE:
      self->texture = g_value_dup_object (value);
      break;

    case PROP_BYTES:
      self->bytes = g_value_dup_boxed (value);
      break;

    case PROP_FROM_CACHE:
      self->from_cache = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_lookup_result_class_init (GaLookupResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ga_lookup_result_finalize;
  object_class->get_property = ga_lookup_result_get_property;
  object_class->set_property = ga_lookup_result_set_property;

  /**
   * GaLookupResult:info:
   * What getAvatar said about the chat.
   */
  properties[PROP_INFO] =
    g_param_spec_object ("info", NULL, NULL,
                         GA_TYPE_AVATAR_INFO,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GaLookupResult:texture:
   * The decoded picture, or %NULL when there is none (private, not set).
   */
  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GaLookupResult:bytes:
   * The encoded picture the texture was decoded from, or %NULL.
   */
  properties[PROP_BYTES] =
    g_param_spec_boxed ("bytes", NULL, NULL,
                        G_TYPE_BYTES,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GaLookupResult:from-cache:
   * Whether the picture came from the cache rather than the network.
   */
  properties[PROP_FROM_CACHE] =
    g_param_spec_boolean ("from-cache", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ga_lookup_result_init (GaLookupResult *self)
{
}

GaAvatarInfo *
ga_lookup_result_get_info (GaLookupResult *self)
{
  g_return_val_if_fail (GA_IS_LOOKUP_RESULT (self), NULL);

  return self->info;
}

GdkTexture *
ga_lookup_result_get_texture (GaLookupResult *self)
{
  g_return_val_if_fail (GA_IS_LOOKUP_RESULT (self), NULL);

  return self->texture;
}

GBytes *
ga_lookup_result_get_bytes (GaLookupResult *self)
{
  g_return_val_if_fail (GA_IS_LOOKUP_RESULT (self), NULL);

  return self->bytes;
}

gboolean
ga_lookup_result_get_from_cache (GaLookupResult *self)
{
  g_return_val_if_fail (GA_IS_LOOKUP_RESULT (self), FALSE);

  return self->from_cache;
}

/* The chain */

/* getAvatar is called at most this often per lookup: once, and once more for a fresh URL
 * when the first one had expired. */
#define MAX_FETCHES 2

typedef struct
{
  GaCache      *cache;           /* (owned) (nullable) */
  char         *key;             /* (owned) (nullable) the picture's identity in the cache */
  gboolean      from_cache;      /* the picture was found in @cache */
  char         *chat_id;         /* (owned) canonical */
  GaAvatarInfo *info;            /* (owned) (nullable) the latest getAvatar answer */
  GBytes       *bytes;           /* (owned) (nullable) the encoded picture being decoded */
  guint         n_fetches;       /* getAvatar calls made so far */
  gboolean      decoding_inline; /* @bytes came from base64Avatar, not from the URL */
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_clear_object (&data->cache);
  g_clear_pointer (&data->key, g_free);
  g_clear_pointer (&data->chat_id, g_free);
  g_clear_object (&data->info);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data);
}

static void fetch_info (GTask *task);

static GaClient *
task_get_client (GTask *task)
{
  return GA_CLIENT (g_task_get_source_object (task));
}

/* Finishes @task with what is known; @texture is %NULL when there is no picture. */
static void
return_result (GTask      *task,
               GdkTexture *texture)
{
  LookupData *data = g_task_get_task_data (task);
  GaLookupResult *result;

  result = g_object_new (GA_TYPE_LOOKUP_RESULT,
                         "info", data->info,
                         "texture", texture,
                         "bytes", texture != NULL ? data->bytes : NULL,
                         "from-cache", data->from_cache,
                         NULL);

  g_task_return_pointer (task, result, g_object_unref);
}

static void download (GTask *task);
static void download_or_load_cached (GTask *task);

static void
decode_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = ga_image_decode_finish (result, &error);
  if (texture == NULL)
    {
      /* A broken inline picture is no reason to fail while the URL may still work. */
      if (data->decoding_inline &&
          ga_avatar_info_get_url (data->info) != NULL &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("The inline picture could not be decoded (%s); downloading it instead",
                   error->message);
          g_clear_pointer (&data->bytes, g_bytes_unref);
          download (g_steal_pointer (&task));
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Writing happens in a worker thread and need not hold up the picture. */
  if (data->cache != NULL && data->key != NULL && !data->decoding_inline)
    ga_cache_store_async (data->cache, data->chat_id, data->key,
                          ga_cache_expiry_for_url (ga_avatar_info_get_url (data->info)),
                          data->bytes, texture, NULL, NULL, NULL);

  return_result (task, texture);
}

/* Takes over the caller's reference on @task. */
static void
decode (GTask    *task,
        GBytes   *bytes,
        gboolean  is_inline)
{
  LookupData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->bytes, g_bytes_unref);
  data->bytes = g_bytes_ref (bytes);
  data->decoding_inline = is_inline;

  ga_image_decode_async (bytes, g_task_get_cancellable (task), decode_cb, task);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = ga_download_finish (result, &error);
  if (bytes == NULL)
    {
      /* Signed URLs expire; getAvatar hands out a fresh one. */
      if (g_error_matches (error, GA_ERROR, GA_ERROR_IMAGE_EXPIRED) &&
          data->n_fetches < MAX_FETCHES)
        {
          g_debug ("The picture's URL expired; asking for a fresh one");
          fetch_info (g_steal_pointer (&task));
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->cache != NULL)
    {
      g_autofree char *origin = ga_cache_origin_for_url (ga_avatar_info_get_url (data->info));

      if (origin != NULL)
        ga_cache_set_image_origin (data->cache, origin);
    }

  decode (g_steal_pointer (&task), bytes, FALSE);
}

static void
cache_load_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GaCachedAvatar) cached = NULL;
  g_autoptr(GError) error = NULL;

  cached = ga_cache_load_key_finish (GA_CACHE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (cached == NULL)
    {
      download (g_steal_pointer (&task));
      return;
    }

  /* The same picture as before: no download. Keep the chat pointing at it. */
  data->from_cache = TRUE;
  g_clear_pointer (&data->bytes, g_bytes_unref);
  if (ga_cached_avatar_get_bytes (cached) != NULL)
    {
      data->bytes = g_bytes_ref (ga_cached_avatar_get_bytes (cached));
      ga_cache_store_async (data->cache, data->chat_id, data->key,
                            ga_cache_expiry_for_url (ga_avatar_info_get_url (data->info)),
                            data->bytes, NULL, NULL, NULL, NULL);
    }

  return_result (task, ga_cached_avatar_get_texture (cached));
}

/* Takes over the caller's reference on @task. */
static void
download_or_load_cached (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->key, g_free);
  if (data->cache != NULL)
    data->key = ga_cache_key_for_url (ga_avatar_info_get_url (data->info));

  if (data->key == NULL)
    {
      download (task);
      return;
    }

  ga_cache_load_key_async (data->cache, data->key, g_task_get_cancellable (task),
                           cache_load_cb, task);
}

/* Takes over the caller's reference on @task. */
static void
download (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);
  GaClient *client = task_get_client (task);

  ga_download_async (ga_client_get_session (client),
                     ga_avatar_info_get_url (data->info),
                     ga_client_get_image_timeout_seconds (client),
                     g_task_get_cancellable (task),
                     download_cb,
                     task);
}

static void
get_avatar_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GaAvatarInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *inline_image;

  info = ga_client_get_avatar_finish (GA_CLIENT (object), result, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_set_object (&data->info, info);

  if (ga_avatar_info_get_state (info) != GA_AVATAR_STATE_HAS_AVATAR)
    {
      /* Whatever picture was cached for this chat is no longer its picture. */
      if (data->cache != NULL)
        ga_cache_forget_chat_async (data->cache, data->chat_id, NULL, NULL, NULL);

      return_result (task, NULL);
      return;
    }

  inline_image = ga_avatar_info_get_inline_image (info);
  if (inline_image != NULL && g_bytes_get_size (inline_image) > 0)
    {
      decode (g_steal_pointer (&task), inline_image, TRUE);
      return;
    }

  if (ga_avatar_info_get_url (info) != NULL)
    {
      download_or_load_cached (g_steal_pointer (&task));
      return;
    }

  /* The client should never say there is a picture without saying where it is. */
  g_task_return_new_error (task, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                           _("The server said there is a picture but sent neither the picture "
                             "nor its address. Try again later."));
}

/* Takes over the caller's reference on @task. */
static void
fetch_info (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);

  data->n_fetches++;
  ga_client_get_avatar_async (task_get_client (task),
                              data->chat_id,
                              g_task_get_cancellable (task),
                              get_avatar_cb,
                              task);
}

/**
 * ga_lookup_async:
 * @client: the configured client
 * @chat_id: a canonical chat ID, as ga_chat_id_parse() gives it: what a person typed is
 *   parsed once, where they typed it, and not again here
 * @cancellable: (nullable): a #GCancellable for every step of the chain
 * @callback: called once, when the lookup finished, failed or was cancelled
 * @user_data: data for @callback
 *
 * The whole chain: chat ID → getAvatar → image download (or the inline `base64Avatar`
 * picture, falling back to the URL when it does not decode) → decode off the main thread
 * → texture.
 *
 * A 403 from the image host (an expired signed URL) triggers one fresh getAvatar and one
 * more download; a second 403 fails with %GA_ERROR_IMAGE_EXPIRED. A private or unset
 * picture is not an error: the result then has no texture. Errors of the steps (#GA_ERROR,
 * %G_IO_ERROR_CANCELLED) are passed on unchanged.
 */
void
ga_lookup_async (GaClient            *client,
                 const char          *chat_id,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  ga_lookup_with_cache_async (client, NULL, chat_id, cancellable, callback, user_data);
}

/**
 * ga_lookup_with_cache_async:
 * @client: the configured client
 * @cache: (nullable): the picture cache
 * @chat_id: a canonical chat ID
 * @cancellable: (nullable): a #GCancellable for every step of the chain
 * @callback: called once, when the lookup finished, failed or was cancelled
 * @user_data: data for @callback
 *
 * Like ga_lookup_async(), with @cache: while getAvatar is on its way, a connection to the
 * host of the last picture is opened; a picture whose identity (its URL's path) is in the
 * cache is not downloaded again (the result is then marked from-cache); a downloaded one is
 * stored; a chat whose picture became private or unset is forgotten.
 */
void
ga_lookup_with_cache_async (GaClient            *client,
                            GaCache             *cache,
                            const char          *chat_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LookupData *data;

  g_return_if_fail (GA_IS_CLIENT (client));
  g_return_if_fail (cache == NULL || GA_IS_CACHE (cache));
  g_return_if_fail (chat_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_lookup_async);

  data = g_new0 (LookupData, 1);
  data->chat_id = g_strdup (chat_id);
  data->cache = cache != NULL ? g_object_ref (cache) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);

  /* The picture's host is only known once getAvatar answers; it rarely changes, so connect
   * to last time's while getAvatar is on its way. The connection is not this lookup's to
   * cancel: the next lookup's download may already be waiting on it (libsoup hands a
   * connection that is being opened ahead of time to the first request for its host, and
   * fails that request if the opening is cancelled), and an idle connection costs nothing. */
  if (cache != NULL)
    ga_http_preconnect (ga_client_get_session (client), ga_cache_get_image_origin (cache),
                        NULL);

  fetch_info (g_steal_pointer (&task));
}

/**
 * ga_lookup_finish:
 * @client: the client given to ga_lookup_async()
 * @result: the #GAsyncResult given to the callback
 * @error: the step's error, unchanged
 *
 * Returns: (transfer full) (nullable): the result
 */
GaLookupResult *
ga_lookup_finish (GaClient      *client,
                  GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (GA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
