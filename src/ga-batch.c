/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-batch"

#include "config.h"

#include "ga-batch.h"

#include "ga-contact-list.h"
#include "ga-download.h"
#include "ga-error.h"
#include "ga-export.h"
#include "ga-image.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

/*
 * A batch: one item per unique chat of a list, looked up a few at a time. Pacing is not done
 * here: every getAvatar goes through the client, which waits for the process-wide limiter,
 * so the engine only bounds how many lookups (and so picture downloads) run at once.
 *
 *   queue -> pump -> start_item -+-> cache_check (worker thread) -> done (recent picture)
 *                                +-> fetch_info -> download -> store -> done
 *                                        ^            |
 *                                        +- expired --+   (once)
 *
 * A failed lookup that may work later (network, timeout, 5xx, 429 after the client's own
 * retries) is retried with backoff up to MAX_ATTEMPTS times; 466 stops the batch. Pictures
 * are kept in the disk cache only; grid thumbnails are decoded on demand, off the main thread,
 * and only the most recently asked ones stay in memory.
 */

#define MAX_ATTEMPTS       3
#define MAX_FETCHES        2
#define DEFAULT_PARALLEL   8
#define DEFAULT_RETRY_MS   1000
#define MAX_THUMBNAILS     200
/* Thumbnails are decoded one at a time: a grid scrolled to a new place asks for dozens at once,
 * and as many decoding threads would take every core from the main thread and the display
 * server for a few hundred milliseconds. */
#define MAX_THUMBNAIL_DECODES 1
#define SAVE_INTERVAL_MS   3000
#define STATE_FILE_MAX     (64 * 1024 * 1024)
#define STATE_VERSION      1

/* g_set_str() is GLib 2.76; the floor is 2.74. */
static gboolean
set_str (char       **str_pointer,
         const char  *new_str)
{
  if (g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  g_free (*str_pointer);
  *str_pointer = g_strdup (new_str);

  return TRUE;
}

/* GaBatchItem */

struct _GaBatchItem
{
  GObject        parent_instance;

  char          *chat_id;     /* (owned) */
  char          *input;       /* (owned) */
  char          *list_name;   /* (owned) (nullable): from the list */
  char          *name;        /* (owned) (nullable): shown */
  char          *error;       /* (owned) (nullable) */
  char          *key;         /* (owned) (nullable): the picture in the cache */
  GdkTexture    *thumbnail;   /* (owned) (nullable) */
  guint          line;
  GaBatchStatus  status;

  guint          attempts;
  gboolean       thumbnail_loading; /* being decoded */
  GList         *thumbnail_link; /* (unowned) (nullable): in the batch's LRU */
  GList         *thumbnail_wait; /* (unowned) (nullable): in the batch's queue of decodes */
};

G_DEFINE_FINAL_TYPE (GaBatchItem, ga_batch_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_CHAT_ID,
  ITEM_PROP_INPUT,
  ITEM_PROP_LINE,
  ITEM_PROP_NAME,
  ITEM_PROP_STATUS,
  ITEM_PROP_ERROR,
  ITEM_PROP_THUMBNAIL,
  ITEM_PROP_KEY,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

static void
ga_batch_item_finalize (GObject *object)
{
  GaBatchItem *self = GA_BATCH_ITEM (object);

  g_free (self->chat_id);
  g_free (self->input);
  g_free (self->list_name);
  g_free (self->name);
  g_free (self->error);
  g_free (self->key);
  g_clear_object (&self->thumbnail);

  G_OBJECT_CLASS (ga_batch_item_parent_class)->finalize (object);
}

static void
ga_batch_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GaBatchItem *self = GA_BATCH_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_CHAT_ID:
      g_value_set_string (value, self->chat_id);
      break;
    case ITEM_PROP_INPUT:
      g_value_set_string (value, self->input);
      break;
    case ITEM_PROP_LINE:
      g_value_set_uint (value, self->line);
      break;
    case ITEM_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case ITEM_PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case ITEM_PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case ITEM_PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;
    case ITEM_PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_batch_item_class_init (GaBatchItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ga_batch_item_finalize;
  object_class->get_property = ga_batch_item_get_property;

  item_properties[ITEM_PROP_CHAT_ID] = g_param_spec_string ("chat-id", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_INPUT] = g_param_spec_string ("input", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_LINE] = g_param_spec_uint ("line", NULL, NULL,
                                                       0, G_MAXUINT, 0, flags);
  item_properties[ITEM_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_STATUS] = g_param_spec_int ("status", NULL, NULL,
                                                        0, GA_BATCH_N_STATUSES - 1, 0, flags);
  item_properties[ITEM_PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_THUMBNAIL] = g_param_spec_object ("thumbnail", NULL, NULL,
                                                              GDK_TYPE_TEXTURE, flags);
  item_properties[ITEM_PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
ga_batch_item_init (GaBatchItem *self)
{
}

const char *
ga_batch_item_get_chat_id (GaBatchItem *self)
{
  g_return_val_if_fail (GA_IS_BATCH_ITEM (self), NULL);
  return self->chat_id;
}

const char *
ga_batch_item_get_input (GaBatchItem *self)
{
  g_return_val_if_fail (GA_IS_BATCH_ITEM (self), NULL);
  return self->input;
}

guint
ga_batch_item_get_line (GaBatchItem *self)
{
  g_return_val_if_fail (GA_IS_BATCH_ITEM (self), 0);
  return self->line;
}

const char *
ga_batch_item_get_name (GaBatchItem *self)
{
  g_return_val_if_fail (GA_IS_BATCH_ITEM (self), NULL);
  return self->name;
}

GaBatchStatus
ga_batch_item_get_status (GaBatchItem *self)
{
  g_return_val_if_fail (GA_IS_BATCH_ITEM (self), GA_BATCH_STATUS_PENDING);
  return self->status;
}

const char *
ga_batch_item_get_error (GaBatchItem *self)
{
  g_return_val_if_fail (GA_IS_BATCH_ITEM (self), NULL);
  return self->error;
}

GdkTexture *
ga_batch_item_get_thumbnail (GaBatchItem *self)
{
  g_return_val_if_fail (GA_IS_BATCH_ITEM (self), NULL);
  return self->thumbnail;
}

const char *
ga_batch_item_get_key (GaBatchItem *self)
{
  g_return_val_if_fail (GA_IS_BATCH_ITEM (self), NULL);
  return self->key;
}

static GaBatchItem *
item_new (const char *chat_id,
          const char *input,
          guint       line,
          const char *list_name)
{
  GaBatchItem *item = g_object_new (GA_TYPE_BATCH_ITEM, NULL);

  item->chat_id = g_strdup (chat_id);
  item->input = g_strdup (input != NULL ? input : chat_id);
  item->line = line;
  item->list_name = g_strdup (list_name);
  item->name = g_strdup (list_name);

  return item;
}

/* GaBatch */

typedef struct
{
  guint  line;
  char  *text;   /* (owned) */
  char  *name;   /* (owned) (nullable) */
  char  *error;  /* (owned) (nullable): rejected by the parser */
  guint  chat;   /* index into the items, or GA_LIST_NO_CHAT */
} Entry;

static void
entry_clear (Entry *entry)
{
  g_free (entry->text);
  g_free (entry->name);
  g_free (entry->error);
}

struct _GaBatch
{
  GObject       parent_instance;

  GaCache      *cache;          /* (owned) (nullable) */
  GaClient     *client;         /* (owned) (nullable) */
  char         *state_file;     /* (owned) (nullable) */
  GListStore   *items;          /* (owned) of GaBatchItem */
  GArray       *entries;        /* (owned) of Entry */
  GQueue        queue;          /* (owned) GaBatchItem refs waiting to be looked up */
  GCancellable *cancellable;    /* (owned): the running lookups */
  GHashTable   *names;          /* (owned) (nullable): chat ID -> name from the contacts */
  GaContactList *contacts;      /* (owned) (nullable): the application's */
  GArray       *retry_sources;  /* (owned) of guint */
  GQueue        thumbnails;     /* (unowned) items holding a thumbnail, most recent last */
  GQueue        thumbnail_queue; /* (owned) GaBatchItem refs waiting for a decode, newest last */
  guint         n_decoding;     /* thumbnails being decoded */
  guint         thumbnail_size; /* pixels: the grid's avatar size times its scale */
  char         *error;          /* (owned) (nullable): why the batch stopped by itself */

  GaBatchState  state;
  guint         counts[GA_BATCH_N_STATUSES];
  guint         n_rejected;
  guint         n_in_flight;
  guint         n_waiting;
  guint         max_parallel;
  guint         retry_delay_ms;
  gboolean      network_available;
  gboolean      fetch_names;
  gboolean      names_fetched;

  guint         generation;     /* bumped by reset(): work for an older list is dropped */
  gint64        run_started;    /* monotonic µs, 0: not running */
  guint         done_at_run_start;
  guint         save_id;
  gboolean      saving;
  gboolean      save_again;
};

G_DEFINE_FINAL_TYPE (GaBatch, ga_batch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_MAX_PARALLEL,
  PROP_RETRY_DELAY_MS,
  PROP_FETCH_NAMES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pump (GaBatch *self);
static void thumbnail_pump (GaBatch *self);
static void schedule_save (GaBatch *self);

const char *
ga_batch_status_to_string (GaBatchStatus status)
{
  /* The words in avatars.csv and in the saved batch: never translated. */
  static const char *const names[GA_BATCH_N_STATUSES] = {
    [GA_BATCH_STATUS_PENDING] = "pending",
    [GA_BATCH_STATUS_PICTURE] = "picture",
    [GA_BATCH_STATUS_PRIVATE] = "private",
    [GA_BATCH_STATUS_NOT_SET] = "none",
    [GA_BATCH_STATUS_FAILED] = "failed",
  };

  g_return_val_if_fail ((guint) status < GA_BATCH_N_STATUSES, "pending");

  return names[status];
}

static GaBatchStatus
status_from_string (const char *text)
{
  for (guint i = 0; i < GA_BATCH_N_STATUSES; i++)
    if (g_strcmp0 (text, ga_batch_status_to_string (i)) == 0)
      return i;

  return GA_BATCH_STATUS_PENDING;
}

static void
emit_changed (GaBatch *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
set_state (GaBatch      *self,
           GaBatchState  state)
{
  if (self->state == state)
    return;

  if (state == GA_BATCH_STATE_RUNNING)
    {
      self->run_started = g_get_monotonic_time ();
      self->done_at_run_start = ga_batch_get_n_done (self);
    }
  else
    {
      self->run_started = 0;
    }

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  emit_changed (self);
  schedule_save (self);
}

static void
set_item_result (GaBatch       *self,
                 GaBatchItem   *item,
                 GaBatchStatus  status,
                 const char    *key,
                 const char    *error)
{
  self->counts[item->status]--;
  self->counts[status]++;

  item->status = status;
  if (set_str (&item->key, key))
    g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_KEY]);
  if (set_str (&item->error, error))
    g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_STATUS]);

  emit_changed (self);
  schedule_save (self);
}

/* Lookups */

typedef struct
{
  GaBatch      *batch;        /* (owned) */
  GaBatchItem  *item;         /* (owned) */
  GCancellable *cancellable;  /* (owned) */
  GaAvatarInfo *info;         /* (owned) (nullable) */
  char         *key;          /* (owned) (nullable) */
  guint         n_fetches;
  guint         generation;
} Op;

static void
op_free (Op *op)
{
  g_object_unref (op->batch);
  g_object_unref (op->item);
  g_object_unref (op->cancellable);
  g_clear_object (&op->info);
  g_free (op->key);
  g_free (op);
}

static gboolean
error_is_transient (const GError *error)
{
  if (error->domain == GA_ERROR)
    switch (error->code)
      {
      case GA_ERROR_NETWORK:
      case GA_ERROR_TIMEOUT:
      case GA_ERROR_SERVER:
      case GA_ERROR_UPSTREAM_UNAVAILABLE:
      case GA_ERROR_RATE_LIMITED:
      case GA_ERROR_STARTING:
      case GA_ERROR_IMAGE_DOWNLOAD:
        return TRUE;
      default:
        return FALSE;
      }

  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR;
}

typedef struct
{
  GaBatch     *batch; /* (unowned): the source is removed in dispose */
  GaBatchItem *item;  /* (owned) */
  guint        id;
} Retry;

static void
retry_free (Retry *retry)
{
  g_object_unref (retry->item);
  g_free (retry);
}

static gboolean
retry_cb (gpointer user_data)
{
  Retry *retry = user_data;
  GaBatch *self = retry->batch;

  for (guint i = 0; i < self->retry_sources->len; i++)
    if (g_array_index (self->retry_sources, guint, i) == retry->id)
      {
        g_array_remove_index_fast (self->retry_sources, i);
        break;
      }

  self->n_waiting--;
  g_queue_push_head (&self->queue, g_object_ref (retry->item));
  pump (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_retry (GaBatch     *self,
                GaBatchItem *item)
{
  Retry *retry = g_new0 (Retry, 1);
  guint delay = self->retry_delay_ms << MIN (item->attempts - 1, 8u);

  retry->batch = self;
  retry->item = g_object_ref (item);
  retry->id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay, retry_cb, retry,
                                  (GDestroyNotify) retry_free);
  g_source_set_name_by_id (retry->id, "[green-avatar] batch retry");
  g_array_append_val (self->retry_sources, retry->id);
  self->n_waiting++;
}

/* Ends @op: @error NULL means @status (and op->key) is the result. Frees @op. */
static void
op_done (Op            *op,
         GaBatchStatus  status,
         GError        *error)
{
  /* The lookup may hold the last reference (the batch was dropped while its cancelled lookup
   * came back, which with the network thread can be a few loop turns later): kept until
   * pump() below is done with it. */
  g_autoptr(GaBatch) self = g_object_ref (op->batch);
  GaBatchItem *item = op->item;

  /* A lookup for a list that was replaced meanwhile: reset() forgot it already. */
  if (op->generation != self->generation)
    {
      g_clear_error (&error);
      op_free (op);
      return;
    }

  self->n_in_flight--;

  if (error == NULL)
    {
      set_item_result (self, item, status, op->key, NULL);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped: it is looked up again on the next start. */
      g_queue_push_head (&self->queue, g_object_ref (item));
    }
  else if (g_error_matches (error, GA_ERROR, GA_ERROR_QUOTA_EXCEEDED))
    {
      /* Nothing more can be looked up this month: stop and keep what is there. */
      g_queue_push_head (&self->queue, g_object_ref (item));
      if (self->state != GA_BATCH_STATE_STOPPED)
        {
          g_free (self->error);
          self->error = g_strdup (error->message);
          g_cancellable_cancel (self->cancellable);
          set_state (self, GA_BATCH_STATE_STOPPED);
        }
    }
  else if (error_is_transient (error) && !self->network_available)
    {
      /* Not the chat's fault: wait for the network without spending an attempt. */
      g_queue_push_head (&self->queue, g_object_ref (item));
    }
  else if (error_is_transient (error) && ++item->attempts < MAX_ATTEMPTS)
    {
      g_debug ("Retrying a lookup after: %s", error->message);
      schedule_retry (self, item);
    }
  else
    {
      set_item_result (self, item, GA_BATCH_STATUS_FAILED, NULL, error->message);
    }

  g_clear_error (&error);
  op_free (op);
  pump (self);
}

static void fetch_info (Op *op);

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Op *op = user_data;
  GError *error = NULL;

  if (!ga_cache_store_finish (GA_CACHE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("A picture could not be cached: %s", error->message);
          g_clear_error (&error);
          g_set_error_literal (&error, GA_ERROR, GA_ERROR_IMAGE_DOWNLOAD,
                               _("The picture could not be kept in the cache."));
        }
      op_done (op, GA_BATCH_STATUS_FAILED, error);
      return;
    }

  op_done (op, GA_BATCH_STATUS_PICTURE, NULL);
}

static void
keep_picture (Op     *op,
              GBytes *bytes)
{
  GaImageFormat format = GA_IMAGE_FORMAT_UNKNOWN;
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  guint width = 0, height = 0;
  GError *error = NULL;

  if (!ga_image_probe (data, length, &format, &width, &height, &error))
    {
      op_done (op, GA_BATCH_STATUS_FAILED, error);
      return;
    }

  if (op->key == NULL)
    op->key = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  if (op->batch->cache == NULL)
    {
      op_done (op, GA_BATCH_STATUS_PICTURE, NULL);
      return;
    }

  ga_cache_store_async (op->batch->cache, op->item->chat_id, op->key,
                        ga_cache_expiry_for_url (ga_avatar_info_get_url (op->info)),
                        bytes, NULL, op->cancellable, store_cb, op);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Op *op = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = ga_download_finish (result, &error);
  if (bytes == NULL)
    {
      /* Signed URLs expire; getAvatar hands out a fresh one, once. */
      if (g_error_matches (error, GA_ERROR, GA_ERROR_IMAGE_EXPIRED) &&
          op->n_fetches < MAX_FETCHES)
        {
          g_clear_error (&error);
          fetch_info (op);
          return;
        }

      op_done (op, GA_BATCH_STATUS_FAILED, error);
      return;
    }

  keep_picture (op, bytes);
}

static void
get_avatar_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Op *op = user_data;
  GError *error = NULL;
  const char *url;

  g_clear_object (&op->info);
  op->info = ga_client_get_avatar_finish (GA_CLIENT (object), result, &error);
  if (op->info == NULL)
    {
      op_done (op, GA_BATCH_STATUS_FAILED, error);
      return;
    }

  switch (ga_avatar_info_get_state (op->info))
    {
    case GA_AVATAR_STATE_PRIVATE:
      op_done (op, GA_BATCH_STATUS_PRIVATE, NULL);
      return;

    case GA_AVATAR_STATE_NOT_SET:
      op_done (op, GA_BATCH_STATUS_NOT_SET, NULL);
      return;

    case GA_AVATAR_STATE_HAS_AVATAR:
    default:
      break;
    }

  url = ga_avatar_info_get_url (op->info);
  g_clear_pointer (&op->key, g_free);
  op->key = ga_cache_key_for_url (url);

  if (ga_avatar_info_get_inline_image (op->info) != NULL)
    {
      keep_picture (op, ga_avatar_info_get_inline_image (op->info));
      return;
    }

  if (url == NULL || op->key == NULL)
    {
      g_set_error_literal (&error, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE,
                           _("The server gave no usable address for the picture."));
      op_done (op, GA_BATCH_STATUS_FAILED, error);
      return;
    }

  ga_download_async (ga_client_get_session (op->batch->client), url,
                     ga_client_get_image_timeout_seconds (op->batch->client),
                     op->cancellable, download_cb, op);
}

static void
fetch_info (Op *op)
{
  op->n_fetches++;
  ga_client_get_avatar_async (op->batch->client, op->item->chat_id, op->cancellable,
                              get_avatar_cb, op);
}

/* A picture stored for the chat whose URL has not expired yet was seen recently: it is not
 * asked again. Runs in a worker thread; returns the key or NULL. */
static void
cache_check_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Op *op = task_data;
  g_autofree char *key = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gint64 expiry = 0;

  if (ga_cache_read_chat_record (op->batch->cache, op->item->chat_id, &key, &expiry) &&
      expiry > g_get_real_time () / G_USEC_PER_SEC + 60 &&
      (bytes = ga_cache_read_bytes (op->batch->cache, key)) != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&key), g_free);
      return;
    }

  g_task_return_pointer (task, NULL, NULL);
}

static void
cache_check_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Op *op = g_task_get_task_data (G_TASK (result));
  char *key = g_task_propagate_pointer (G_TASK (result), NULL);

  if (g_cancellable_is_cancelled (op->cancellable))
    {
      g_free (key);
      op_done (op, GA_BATCH_STATUS_PENDING,
               g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
      return;
    }

  if (key != NULL)
    {
      op->key = key;
      op_done (op, GA_BATCH_STATUS_PICTURE, NULL);
      return;
    }

  if (op->batch->client == NULL)
    {
      op_done (op, GA_BATCH_STATUS_FAILED,
               g_error_new_literal (GA_ERROR, GA_ERROR_INVALID_SETTINGS,
                                    _("Green Avatar is not set up: enter the instance’s "
                                      "details in Preferences.")));
      return;
    }

  fetch_info (op);
}

static void
start_item (GaBatch     *self,
            GaBatchItem *item)
{
  g_autoptr(GTask) task = NULL;
  Op *op = g_new0 (Op, 1);

  op->batch = g_object_ref (self);
  op->item = g_object_ref (item);
  op->cancellable = g_object_ref (self->cancellable);
  op->generation = self->generation;
  self->n_in_flight++;

  if (self->cache == NULL)
    {
      if (self->client == NULL)
        {
          op_done (op, GA_BATCH_STATUS_FAILED,
                   g_error_new_literal (GA_ERROR, GA_ERROR_INVALID_SETTINGS,
                                        _("Green Avatar is not set up: enter the instance’s "
                                          "details in Preferences.")));
          return;
        }
      fetch_info (op);
      return;
    }

  task = g_task_new (NULL, NULL, cache_check_cb, NULL);
  g_task_set_source_tag (task, start_item);
  g_task_set_name (task, "[green-avatar] batch cache check");
  /* No destroy notify: the callback always runs, and takes @op over. */
  g_task_set_task_data (task, op, NULL);
  g_task_run_in_thread (task, cache_check_thread);
}

static void
pump (GaBatch *self)
{
  while (self->state == GA_BATCH_STATE_RUNNING &&
         self->n_in_flight < self->max_parallel &&
         !g_queue_is_empty (&self->queue))
    {
      g_autoptr(GaBatchItem) item = g_queue_pop_head (&self->queue);

      if (item->status != GA_BATCH_STATUS_PENDING)
        continue;

      start_item (self, item);
    }

  if (self->state == GA_BATCH_STATE_RUNNING &&
      g_queue_is_empty (&self->queue) &&
      self->n_in_flight == 0 &&
      self->n_waiting == 0)
    set_state (self, GA_BATCH_STATE_FINISHED);
}

/* Thumbnails */

typedef struct
{
  GaCache *cache; /* (owned) */
  char    *key;   /* (owned) */
  guint    generation;
  guint    size;
} ThumbData;

static void
thumb_data_free (ThumbData *data)
{
  g_object_unref (data->cache);
  g_free (data->key);
  g_free (data);
}

static void
thumbnail_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ThumbData *data = task_data;
  g_autoptr(GBytes) bytes = ga_cache_read_bytes (data->cache, data->key);
  GError *error = NULL;
  GdkTexture *texture;

  if (bytes == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Not cached");
      return;
    }

  texture = ga_image_decode_thumbnail (bytes, data->size, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
thumbnail_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GaBatch *self = GA_BATCH (object);
  g_autoptr(GaBatchItem) item = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  item->thumbnail_loading = FALSE;
  self->n_decoding--;
  thumbnail_pump (self);
  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (((ThumbData *) g_task_get_task_data (G_TASK (result)))->generation != self->generation)
    return;
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail for a chat: %s", error->message);
      return;
    }

  if (item->thumbnail_link != NULL)
    g_queue_delete_link (&self->thumbnails, item->thumbnail_link);
  g_queue_push_tail (&self->thumbnails, item);
  item->thumbnail_link = self->thumbnails.tail;

  g_set_object (&item->thumbnail, texture);
  g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_THUMBNAIL]);

  /* Only the pictures seen last stay decoded; a card bound again asks again. */
  while (self->thumbnails.length > MAX_THUMBNAILS)
    {
      GaBatchItem *old = g_queue_pop_head (&self->thumbnails);

      old->thumbnail_link = NULL;
      g_clear_object (&old->thumbnail);
      g_object_notify_by_pspec (G_OBJECT (old), item_properties[ITEM_PROP_THUMBNAIL]);
    }
}

static void
thumbnail_start (GaBatch     *self,
                 GaBatchItem *item)
{
  g_autoptr(GTask) task = NULL;
  ThumbData *data;

  data = g_new0 (ThumbData, 1);
  data->cache = g_object_ref (self->cache);
  data->key = g_strdup (item->key);
  data->generation = self->generation;
  data->size = self->thumbnail_size;
  item->thumbnail_loading = TRUE;
  self->n_decoding++;

  task = g_task_new (self, NULL, thumbnail_cb, g_object_ref (item));
  g_task_set_source_tag (task, ga_batch_request_thumbnail);
  g_task_set_name (task, "[green-avatar] batch thumbnail");
  g_task_set_task_data (task, data, (GDestroyNotify) thumb_data_free);
  g_task_run_in_thread (task, thumbnail_thread);
}

/* The newest request first: the cards shown last are the ones a person looks at. */
static void
thumbnail_pump (GaBatch *self)
{
  while (self->n_decoding < MAX_THUMBNAIL_DECODES && !g_queue_is_empty (&self->thumbnail_queue))
    {
      g_autoptr(GaBatchItem) item = g_queue_pop_tail (&self->thumbnail_queue);

      item->thumbnail_wait = NULL;
      if (item->key != NULL && item->thumbnail == NULL && !item->thumbnail_loading)
        thumbnail_start (self, item);
    }
}

static void
thumbnail_queue_clear (GaBatch *self)
{
  for (GList *l = self->thumbnail_queue.head; l != NULL; l = l->next)
    ((GaBatchItem *) l->data)->thumbnail_wait = NULL;
  g_queue_clear_full (&self->thumbnail_queue, g_object_unref);
}

/**
 * ga_batch_set_thumbnail_size:
 * @size: the size the grid shows a picture at, in device pixels (its avatar size times the
 *   scale factor); at most %GA_BATCH_THUMBNAIL_SIZE
 *
 * Pictures are decoded at the size they are shown: a larger one would be scaled down again at
 * every frame. A change drops the thumbnails decoded at the old size and decodes them again.
 */
void
ga_batch_set_thumbnail_size (GaBatch *self,
                             guint    size)
{
  g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (GA_IS_BATCH (self));

  size = CLAMP (size, 16, GA_BATCH_THUMBNAIL_SIZE);
  if (size == self->thumbnail_size)
    return;
  self->thumbnail_size = size;

  while (!g_queue_is_empty (&self->thumbnails))
    {
      GaBatchItem *item = g_queue_pop_head (&self->thumbnails);

      item->thumbnail_link = NULL;
      g_clear_object (&item->thumbnail);
      g_ptr_array_add (dropped, g_object_ref (item));
    }

  /* Oldest first, so that the last seen are decoded first again. */
  for (guint i = 0; i < dropped->len; i++)
    {
      GaBatchItem *item = g_ptr_array_index (dropped, i);

      g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_THUMBNAIL]);
      ga_batch_request_thumbnail (self, item);
    }
}

guint
ga_batch_get_thumbnail_size (GaBatch *self)
{
  g_return_val_if_fail (GA_IS_BATCH (self), 0);

  return self->thumbnail_size;
}

/**
 * ga_batch_request_thumbnail:
 * @item: an item of this batch
 *
 * Decodes @item's picture at the thumbnail size (ga_batch_set_thumbnail_size()) in a worker
 * thread, if it has one and
 * it is not decoded yet; "thumbnail" notifies when it is there. Decodes run one at a time,
 * the latest request first; ga_batch_forget_thumbnail() takes back a request not started.
 */
void
ga_batch_request_thumbnail (GaBatch     *self,
                            GaBatchItem *item)
{
  g_return_if_fail (GA_IS_BATCH (self));
  g_return_if_fail (GA_IS_BATCH_ITEM (item));

  if (item->key == NULL || self->cache == NULL || item->thumbnail_loading)
    return;

  if (item->thumbnail != NULL)
    {
      /* Seen again: the last to be dropped. */
      g_queue_unlink (&self->thumbnails, item->thumbnail_link);
      g_queue_push_tail_link (&self->thumbnails, item->thumbnail_link);
      return;
    }

  if (item->thumbnail_wait != NULL)
    {
      /* Asked again: the next to be decoded. */
      g_queue_unlink (&self->thumbnail_queue, item->thumbnail_wait);
      g_queue_push_tail_link (&self->thumbnail_queue, item->thumbnail_wait);
    }
  else
    {
      g_queue_push_tail (&self->thumbnail_queue, g_object_ref (item));
      item->thumbnail_wait = self->thumbnail_queue.tail;
    }

  thumbnail_pump (self);
}

/**
 * ga_batch_forget_thumbnail:
 * @item: an item of this batch
 *
 * Takes back a request of ga_batch_request_thumbnail() that is still waiting: for a card
 * scrolled out of sight before its picture was decoded.
 */
void
ga_batch_forget_thumbnail (GaBatch     *self,
                           GaBatchItem *item)
{
  GList *link;

  g_return_if_fail (GA_IS_BATCH (self));
  g_return_if_fail (GA_IS_BATCH_ITEM (item));

  link = g_steal_pointer (&item->thumbnail_wait);
  if (link == NULL)
    return;

  g_queue_delete_link (&self->thumbnail_queue, link);
  g_object_unref (item);
}

/* Items and entries */

static void
reset (GaBatch *self)
{
  self->generation++;
  self->n_in_flight = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < self->retry_sources->len; i++)
    g_source_remove (g_array_index (self->retry_sources, guint, i));
  g_array_set_size (self->retry_sources, 0);
  self->n_waiting = 0;

  g_queue_clear_full (&self->queue, g_object_unref);
  for (GList *l = self->thumbnails.head; l != NULL; l = l->next)
    ((GaBatchItem *) l->data)->thumbnail_link = NULL;
  g_queue_clear (&self->thumbnails);
  thumbnail_queue_clear (self);
  g_array_set_size (self->entries, 0);
  g_list_store_remove_all (self->items);
  memset (self->counts, 0, sizeof self->counts);
  self->n_rejected = 0;
  self->names_fetched = FALSE;
  g_clear_pointer (&self->error, g_free);
}

static void
apply_name (GaBatch     *self,
            GaBatchItem *item)
{
  const char *name = NULL;

  if (self->names != NULL)
    name = g_hash_table_lookup (self->names, item->chat_id);
  if (name == NULL || *name == '\0')
    name = item->list_name;

  if (set_str (&item->name, name))
    g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_NAME]);
}

/* Puts @items into the model in one go (one items-changed), and the pending ones in the queue. */
static void
take_items (GaBatch   *self,
            GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      GaBatchItem *item = g_ptr_array_index (items, i);

      apply_name (self, item);
      self->counts[item->status]++;
      if (item->status == GA_BATCH_STATUS_PENDING)
        g_queue_push_tail (&self->queue, g_object_ref (item));
    }

  g_list_store_splice (self->items, 0, 0, items->pdata, items->len);
}

/**
 * ga_batch_set_list:
 * @list: (nullable): a parsed list, or %NULL for none
 *
 * Replaces the batch with one item per unique chat of @list, all pending, in the state
 * %GA_BATCH_STATE_READY.
 */
void
ga_batch_set_list (GaBatch *self,
                   GaList  *list)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_if_fail (GA_IS_BATCH (self));
  g_return_if_fail (list == NULL || GA_IS_LIST (list));

  reset (self);

  if (list == NULL)
    {
      set_state (self, GA_BATCH_STATE_EMPTY);
      emit_changed (self);
      return;
    }

  items = g_ptr_array_new_full (ga_list_get_n_chats (list), g_object_unref);
  for (guint i = 0; i < ga_list_get_n_chats (list); i++)
    {
      const GaListEntry *first = ga_list_get_entry (list, ga_list_get_chat_entry (list, i));

      g_ptr_array_add (items, item_new (ga_list_get_chat_id (list, i), first->text, first->line,
                                        ga_list_get_chat_name (list, i)));
    }

  g_array_set_size (self->entries, ga_list_get_n_entries (list));
  for (guint i = 0; i < ga_list_get_n_entries (list); i++)
    {
      const GaListEntry *entry = ga_list_get_entry (list, i);
      Entry *copy = &g_array_index (self->entries, Entry, i);

      copy->line = entry->line;
      copy->text = g_strdup (entry->text);
      copy->name = g_strdup (entry->name);
      copy->error = g_strdup (entry->error);
      copy->chat = entry->chat;
    }
  self->n_rejected = ga_list_get_n_rejected (list);

  take_items (self, items);
  self->state = GA_BATCH_STATE_EMPTY;
  set_state (self, items->len > 0 ? GA_BATCH_STATE_READY : GA_BATCH_STATE_FINISHED);
}

/* Names: one getContacts for the whole batch, never one getContactInfo per chat; with the
 * application's contact list (ga_batch_set_contact_list()) the one the whole app shares. */

static void
names_from_contacts (GaBatch       *self,
                     GaContactList *contacts)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GListModel *model = G_LIST_MODEL (self->items);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GaBatchItem) item = g_list_model_get_item (model, i);
      GaContact *contact = ga_contact_list_lookup (contacts, item->chat_id);
      const char *name = contact != NULL ? ga_contact_get_display_name (contact) : NULL;

      if (name != NULL && *name != '\0')
        g_hash_table_insert (names, g_strdup (item->chat_id), g_strdup (name));
    }

  ga_batch_set_names (self, names);
}

static void
contacts_updated_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GaBatch) self = user_data;
  GaContactList *contacts = GA_CONTACT_LIST (object);
  g_autoptr(GError) error = NULL;

  if (!ga_contact_list_update_finish (contacts, result, &error))
    {
      g_debug ("The contacts could not be read: %s", error->message);
    }
  else if (contacts != self->contacts)
    {
      /* A list of the batch's own: the shared one tells its change by "changed". */
      names_from_contacts (self, contacts);
    }

  if (contacts != self->contacts)
    g_object_unref (contacts);
}

static void
get_contacts_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GaBatch) self = user_data;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  GaContactList *contacts;

  answer = ga_client_get_contacts_finish (GA_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      /* Names are a nicety: the names from the list stay. */
      g_debug ("No contacts for the batch's names: %s", error->message);
      return;
    }

  /* Parsed and indexed in a worker thread: into the application's list (kept on disk, and
   * every other part of the app gets the names too), or else one kept in memory only. */
  contacts = self->contacts != NULL ? self->contacts : ga_contact_list_new (NULL, NULL);
  ga_contact_list_update_async (contacts, answer, self->cancellable, contacts_updated_cb,
                                g_object_ref (self));
}

static void
fetch_names (GaBatch *self)
{
  if (!self->fetch_names || self->names_fetched || self->client == NULL)
    return;

  self->names_fetched = TRUE;

  /* The app's list is fresh enough: no request at all. */
  if (self->contacts != NULL &&
      !ga_contact_list_should_fetch (self->contacts, g_get_real_time ()))
    {
      names_from_contacts (self, self->contacts);
      return;
    }

  ga_client_get_contacts_async (self->client, self->cancellable, get_contacts_cb,
                                g_object_ref (self));
}

static void
contacts_changed_cb (GaBatch *self)
{
  if (self->fetch_names)
    names_from_contacts (self, self->contacts);
}

/**
 * ga_batch_set_contact_list:
 * @contacts: (nullable): the application's contact list
 *
 * Takes the chats' names from @contacts, the list the whole application shares (one
 * getContacts, kept on disk), and asks getContacts into it only when it is not fresh. Without
 * one, a batch that fetches names asks getContacts once into a list of its own.
 */
void
ga_batch_set_contact_list (GaBatch       *self,
                           GaContactList *contacts)
{
  g_return_if_fail (GA_IS_BATCH (self));
  g_return_if_fail (contacts == NULL || GA_IS_CONTACT_LIST (contacts));

  if (self->contacts != NULL)
    g_signal_handlers_disconnect_by_data (self->contacts, self);
  g_set_object (&self->contacts, contacts);
  if (contacts != NULL)
    g_signal_connect_swapped (contacts, "changed", G_CALLBACK (contacts_changed_cb), self);
}

/**
 * ga_batch_start:
 *
 * Starts or resumes the lookups. While the network is away the batch waits in
 * %GA_BATCH_STATE_OFFLINE and starts when it is back.
 */
void
ga_batch_start (GaBatch *self)
{
  g_return_if_fail (GA_IS_BATCH (self));

  if (self->state == GA_BATCH_STATE_EMPTY || self->state == GA_BATCH_STATE_RUNNING)
    return;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  g_clear_pointer (&self->error, g_free);

  /* Failed chats get another chance when a finished batch is started again ("Retry Failed");
   * a stopped one goes on with the chats not looked up yet. */
  if (self->state == GA_BATCH_STATE_FINISHED)
    {
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
        {
          g_autoptr(GaBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

          if (item->status == GA_BATCH_STATUS_FAILED)
            {
              item->attempts = 0;
              set_item_result (self, item, GA_BATCH_STATUS_PENDING, NULL, NULL);
              g_queue_push_tail (&self->queue, g_object_ref (item));
            }
        }
    }

  set_state (self, self->network_available ? GA_BATCH_STATE_RUNNING : GA_BATCH_STATE_OFFLINE);
  fetch_names (self);
  pump (self);
}

/**
 * ga_batch_pause:
 *
 * Starts no new lookups; the running ones finish.
 */
void
ga_batch_pause (GaBatch *self)
{
  g_return_if_fail (GA_IS_BATCH (self));

  if (self->state == GA_BATCH_STATE_RUNNING || self->state == GA_BATCH_STATE_OFFLINE)
    set_state (self, GA_BATCH_STATE_PAUSED);
}

/**
 * ga_batch_stop:
 *
 * Cancels the running lookups; their chats stay pending and every result is kept.
 */
void
ga_batch_stop (GaBatch *self)
{
  g_return_if_fail (GA_IS_BATCH (self));

  if (self->state != GA_BATCH_STATE_RUNNING &&
      self->state != GA_BATCH_STATE_PAUSED &&
      self->state != GA_BATCH_STATE_OFFLINE)
    return;

  set_state (self, GA_BATCH_STATE_STOPPED);
  g_cancellable_cancel (self->cancellable);
}

/**
 * ga_batch_set_network_available:
 *
 * Fed from #GNetworkMonitor by the application: a running batch waits while the network is
 * away and goes on by itself when it comes back.
 */
void
ga_batch_set_network_available (GaBatch  *self,
                                gboolean  available)
{
  g_return_if_fail (GA_IS_BATCH (self));

  available = !!available;
  if (self->network_available == available)
    return;

  self->network_available = available;
  if (!available && self->state == GA_BATCH_STATE_RUNNING)
    set_state (self, GA_BATCH_STATE_OFFLINE);
  else if (available && self->state == GA_BATCH_STATE_OFFLINE)
    {
      set_state (self, GA_BATCH_STATE_RUNNING);
      pump (self);
    }
}

/**
 * ga_batch_set_names:
 * @names: (nullable): chat ID -> name, from the contacts list (one getContacts)
 *
 * Names from the contacts list win; a name from the input is shown when there is none.
 */
void
ga_batch_set_names (GaBatch    *self,
                    GHashTable *names)
{
  g_return_if_fail (GA_IS_BATCH (self));

  g_clear_pointer (&self->names, g_hash_table_unref);
  self->names = names != NULL ? g_hash_table_ref (names) : NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr(GaBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      apply_name (self, item);
    }
}

/* Persistence */

/* What is saved, copied on the main thread so that the JSON is built in a worker thread. */
typedef struct
{
  char          *chat_id;
  char          *input;
  char          *name;
  char          *key;
  char          *error;
  guint          line;
  GaBatchStatus  status;
} ChatSnapshot;

typedef struct
{
  GArray   *entries;  /* (owned) of Entry */
  GArray   *chats;    /* (owned) of ChatSnapshot */
  gboolean  stopped;
  GFile    *file;     /* (owned) (nullable) */
} Snapshot;

static void
chat_snapshot_clear (ChatSnapshot *chat)
{
  g_free (chat->chat_id);
  g_free (chat->input);
  g_free (chat->name);
  g_free (chat->key);
  g_free (chat->error);
}

static void
snapshot_free (Snapshot *snapshot)
{
  g_array_unref (snapshot->entries);
  g_array_unref (snapshot->chats);
  g_clear_object (&snapshot->file);
  g_free (snapshot);
}

static Snapshot *
snapshot_new (GaBatch *self)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  GListModel *model = G_LIST_MODEL (self->items);
  guint n = g_list_model_get_n_items (model);

  snapshot->stopped = self->state == GA_BATCH_STATE_STOPPED;
  snapshot->entries = g_array_sized_new (FALSE, TRUE, sizeof (Entry), self->entries->len);
  g_array_set_clear_func (snapshot->entries, (GDestroyNotify) entry_clear);
  g_array_set_size (snapshot->entries, self->entries->len);
  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *from = &g_array_index (self->entries, Entry, i);
      Entry *to = &g_array_index (snapshot->entries, Entry, i);

      to->line = from->line;
      to->text = g_strdup (from->text);
      to->name = g_strdup (from->name);
      to->error = g_strdup (from->error);
      to->chat = from->chat;
    }

  snapshot->chats = g_array_sized_new (FALSE, TRUE, sizeof (ChatSnapshot), n);
  g_array_set_clear_func (snapshot->chats, (GDestroyNotify) chat_snapshot_clear);
  g_array_set_size (snapshot->chats, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GaBatchItem) item = g_list_model_get_item (model, i);
      ChatSnapshot *chat = &g_array_index (snapshot->chats, ChatSnapshot, i);

      chat->chat_id = g_strdup (item->chat_id);
      chat->input = g_strdup (item->input);
      chat->name = g_strdup (item->list_name);
      chat->key = g_strdup (item->key);
      chat->error = g_strdup (item->error);
      chat->line = item->line;
      chat->status = item->status;
    }

  return snapshot;
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* Safe in any thread: it only reads @snapshot. */
static GBytes *
serialize (const Snapshot *snapshot)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, STATE_VERSION);
  json_builder_set_member_name (builder, "stopped");
  json_builder_add_boolean_value (builder, snapshot->stopped);

  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < snapshot->entries->len; i++)
    {
      const Entry *entry = &g_array_index (snapshot->entries, Entry, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, entry->line);
      add_string_member (builder, "text", entry->text);
      add_string_member (builder, "name", entry->name);
      add_string_member (builder, "error", entry->error);
      json_builder_set_member_name (builder, "chat");
      json_builder_add_int_value (builder,
                                  entry->chat == GA_LIST_NO_CHAT ? -1 : (gint64) entry->chat);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "chats");
  json_builder_begin_array (builder);
  for (guint i = 0; i < snapshot->chats->len; i++)
    {
      const ChatSnapshot *chat = &g_array_index (snapshot->chats, ChatSnapshot, i);

      json_builder_begin_object (builder);
      add_string_member (builder, "chat_id", chat->chat_id);
      add_string_member (builder, "input", chat->input);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, chat->line);
      add_string_member (builder, "name", chat->name);
      add_string_member (builder, "status", ga_batch_status_to_string (chat->status));
      add_string_member (builder, "key", chat->key);
      add_string_member (builder, "error", chat->error);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  return g_bytes_new_take (text, length);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GaBatch) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Not a bug of ours (a full disk, a cache directory removed meanwhile): said, not fatal. */
  if (!ga_batch_save_finish (self, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("The batch could not be kept for later: %s", error->message);

  if (self->save_again)
    {
      self->save_again = FALSE;
      schedule_save (self);
    }
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  GaBatch *self = user_data;

  self->save_id = 0;
  if (self->saving)
    {
      self->save_again = TRUE;
      return G_SOURCE_REMOVE;
    }

  ga_batch_save_async (self, NULL, save_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
schedule_save (GaBatch *self)
{
  if (self->state_file == NULL || self->save_id != 0)
    return;

  /* While running, a large batch is written less often: 3 s, or 1 s per 10,000 chats. */
  self->save_id = g_timeout_add (self->state == GA_BATCH_STATE_RUNNING
                                   ? MAX (SAVE_INTERVAL_MS, ga_batch_get_n_chats (self) / 10)
                                   : 100,
                                 save_timeout_cb, self);
  g_source_set_name_by_id (self->save_id, "[green-avatar] batch save");
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Snapshot *snapshot = task_data;
  g_autoptr(GBytes) bytes = serialize (snapshot);
  GError *error = NULL;

  if (ga_export_write_file (snapshot->file, bytes, TRUE, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_thread_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GaBatch *self = GA_BATCH (object);
  GError *error = NULL;

  self->saving = FALSE;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * ga_batch_save_async:
 *
 * Writes the list and its results (no token, no picture URL) to the state file, atomically;
 * the JSON is built and written in a worker thread. An empty batch removes the file.
 */
void
ga_batch_save_async (GaBatch             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  Snapshot *snapshot;

  g_return_if_fail (GA_IS_BATCH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_batch_save_async);

  if (self->state_file == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  file = g_file_new_for_path (self->state_file);
  if (self->state == GA_BATCH_STATE_EMPTY)
    {
      g_file_delete (file, NULL, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }

  dir = g_path_get_dirname (self->state_file);
  g_mkdir_with_parents (dir, 0700);

  snapshot = snapshot_new (self);
  snapshot->file = g_steal_pointer (&file);
  self->saving = TRUE;

  inner = g_task_new (self, cancellable, save_thread_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (inner, ga_batch_save_async);
  g_task_set_name (inner, "[green-avatar] batch save");
  g_task_set_task_data (inner, snapshot, (GDestroyNotify) snapshot_free);
  g_task_run_in_thread (inner, save_thread);
}

gboolean
ga_batch_save_finish (GaBatch       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ga_batch_save:
 *
 * Like ga_batch_save_async(), blocking: for quitting, when no main loop runs any more.
 */
gboolean
ga_batch_save (GaBatch  *self,
               GError  **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;
  Snapshot *snapshot;

  g_return_val_if_fail (GA_IS_BATCH (self), FALSE);

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->state_file == NULL)
    return TRUE;

  file = g_file_new_for_path (self->state_file);
  if (self->state == GA_BATCH_STATE_EMPTY)
    {
      g_file_delete (file, NULL, NULL);
      return TRUE;
    }

  dir = g_path_get_dirname (self->state_file);
  g_mkdir_with_parents (dir, 0700);
  snapshot = snapshot_new (self);
  bytes = serialize (snapshot);
  snapshot_free (snapshot);

  return ga_export_write_file (file, bytes, TRUE, NULL, error);
}

gboolean
ga_batch_state_file_exists (const char *state_file)
{
  return state_file != NULL && g_file_test (state_file, G_FILE_TEST_IS_REGULAR);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;

  return json_node_get_int (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

typedef struct
{
  GPtrArray *items;      /* (owned) of GaBatchItem */
  GArray    *entries;    /* (owned) of Entry */
  guint      n_rejected;
  gboolean   stopped;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->items, g_ptr_array_unref);
  g_clear_pointer (&loaded->entries, g_array_unref);
  g_free (loaded);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loaded, loaded_free)

/* Reads and checks a state file. Touches no GaBatch: runs in a worker thread. */
static Loaded *
read_state (const char  *path,
            GError     **error)
{
  g_autoptr(Loaded) loaded = g_new0 (Loaded, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *contents = NULL;
  JsonObject *root;
  JsonArray *chats;
  JsonArray *entries;
  gsize length = 0;
  gboolean stopped;

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No state file");
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  if (length > STATE_FILE_MAX || !json_parser_load_from_data (parser, contents, length, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Too large");
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      (root = json_node_get_object (json_parser_get_root (parser))) == NULL ||
      member_int (root, "version", 0) != STATE_VERSION ||
      (chats = member_array (root, "chats")) == NULL ||
      (entries = member_array (root, "entries")) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Not a saved batch");
      return NULL;
    }

  stopped = json_object_get_boolean_member_with_default (root, "stopped", FALSE);

  items = g_ptr_array_new_full (json_array_get_length (chats), g_object_unref);
  for (guint i = 0; i < json_array_get_length (chats); i++)
    {
      JsonNode *node = json_array_get_element (chats, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *chat_id = object != NULL ? member_string (object, "chat_id") : NULL;
      GaBatchItem *item;
      const char *key;

      if (chat_id == NULL)
        chat_id = "";

      item = item_new (chat_id, object != NULL ? member_string (object, "input") : NULL,
                       (guint) CLAMP (object != NULL ? member_int (object, "line", 0) : 0,
                                      0, G_MAXUINT),
                       object != NULL ? member_string (object, "name") : NULL);
      if (object != NULL)
        {
          item->status = status_from_string (member_string (object, "status"));
          key = member_string (object, "key");
          if (key != NULL && strlen (key) == 64)
            item->key = g_strdup (key);
          item->error = g_strdup (member_string (object, "error"));
          if (item->status == GA_BATCH_STATUS_PICTURE && item->key == NULL)
            item->status = GA_BATCH_STATUS_PENDING;
        }
      g_ptr_array_add (items, item);
    }

  loaded->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (loaded->entries, (GDestroyNotify) entry_clear);
  g_array_set_size (loaded->entries, json_array_get_length (entries));
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      Entry *entry = &g_array_index (loaded->entries, Entry, i);
      gint64 chat = object != NULL ? member_int (object, "chat", -1) : -1;
      const char *text = object != NULL ? member_string (object, "text") : NULL;

      entry->line = (guint) CLAMP (object != NULL ? member_int (object, "line", 0) : 0,
                                   0, G_MAXUINT);
      entry->text = g_strdup (text != NULL ? text : "");
      entry->name = object != NULL ? g_strdup (member_string (object, "name")) : NULL;
      entry->error = object != NULL ? g_strdup (member_string (object, "error")) : NULL;
      entry->chat = chat >= 0 && chat < items->len ? (guint) chat : GA_LIST_NO_CHAT;
      if (entry->chat == GA_LIST_NO_CHAT)
        loaded->n_rejected++;
    }

  loaded->items = g_steal_pointer (&items);
  loaded->stopped = stopped;

  return g_steal_pointer (&loaded);
}

static void
apply_loaded (GaBatch *self,
              Loaded  *loaded)
{
  reset (self);

  g_array_unref (self->entries);
  self->entries = g_steal_pointer (&loaded->entries);
  self->n_rejected = loaded->n_rejected;

  take_items (self, loaded->items);
  self->state = GA_BATCH_STATE_EMPTY;
  if (g_queue_is_empty (&self->queue))
    set_state (self, GA_BATCH_STATE_FINISHED);
  else
    set_state (self, loaded->stopped ? GA_BATCH_STATE_STOPPED : GA_BATCH_STATE_READY);
}

/**
 * ga_batch_load:
 *
 * Reads the batch kept in the state file (see ga_batch_save_async()). Everything in it is
 * checked as if it came from the network. The batch is then %GA_BATCH_STATE_READY (or
 * finished, or stopped as it was).
 *
 * Returns: %FALSE when there is no usable batch
 */
gboolean
ga_batch_load (GaBatch  *self,
               GError  **error)
{
  g_autoptr(Loaded) loaded = NULL;

  g_return_val_if_fail (GA_IS_BATCH (self), FALSE);

  loaded = read_state (self->state_file, error);
  if (loaded == NULL)
    return FALSE;

  apply_loaded (self, loaded);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  Loaded *loaded = read_state (task_data, &error);

  if (loaded == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

/**
 * ga_batch_load_async:
 *
 * ga_batch_load() with the reading and checking in a worker thread: a batch of 100,000 chats
 * is a large file. The batch is taken only if it is still empty when it is read (a list
 * opened in the meantime wins).
 */
void
ga_batch_load_async (GaBatch             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GA_IS_BATCH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_batch_load_async);
  g_task_set_task_data (task, g_strdup (self->state_file), g_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * ga_batch_load_finish:
 *
 * Returns: %TRUE when the saved batch is now the batch; %FALSE with %G_IO_ERROR_EXISTS when
 *   another list came first
 */
gboolean
ga_batch_load_finish (GaBatch       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_autoptr(Loaded) loaded = NULL;

  g_return_val_if_fail (GA_IS_BATCH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return FALSE;

  if (self->state != GA_BATCH_STATE_EMPTY)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "Another list came first");
      return FALSE;
    }

  apply_loaded (self, loaded);
  return TRUE;
}

/**
 * ga_batch_clear:
 *
 * Forgets the batch and removes its state file.
 */
void
ga_batch_clear (GaBatch *self)
{
  g_return_if_fail (GA_IS_BATCH (self));

  ga_batch_set_list (self, NULL);
  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->state_file != NULL)
    g_unlink (self->state_file);
}

/* Export */

typedef struct
{
  char          *input;
  guint          line;
  char          *chat_id;
  GaBatchStatus  status;
  char          *name;
  char          *key;
  char          *error;
} ExportRow;

typedef struct
{
  GaCache  *cache;     /* (owned) (nullable) */
  GFile    *folder;    /* (owned) */
  GArray   *rows;      /* (owned) of ExportRow */
  gboolean  overwrite;
} ExportData;

static void
export_row_clear (ExportRow *row)
{
  g_free (row->input);
  g_free (row->chat_id);
  g_free (row->name);
  g_free (row->key);
  g_free (row->error);
}

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->cache);
  g_object_unref (data->folder);
  g_array_unref (data->rows);
  g_free (data);
}

static const char *
extension_for (GBytes *bytes)
{
  GaImageFormat format = GA_IMAGE_FORMAT_UNKNOWN;
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  guint width, height;

  ga_image_probe (data, length, &format, &width, &height, NULL);
  switch (format)
    {
    case GA_IMAGE_FORMAT_PNG:
      return "png";
    case GA_IMAGE_FORMAT_WEBP:
      return "webp";
    case GA_IMAGE_FORMAT_GIF:
      return "gif";
    case GA_IMAGE_FORMAT_JPEG:
    case GA_IMAGE_FORMAT_UNKNOWN:
    default:
      return "jpg";
    }
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree GaExportRow *rows = g_new0 (GaExportRow, MAX (data->rows->len, 1));
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GFile) csv_file = NULL;
  GError *error = NULL;

  for (guint i = 0; i < data->rows->len; i++)
    {
      ExportRow *row = &g_array_index (data->rows, ExportRow, i);
      const char *file_name = NULL;
      const char *row_error = row->error;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }

      if (row->status == GA_BATCH_STATUS_PICTURE && row->chat_id != NULL)
        {
          file_name = g_hash_table_lookup (written, row->chat_id);
          if (file_name == NULL)
            {
              g_autoptr(GBytes) bytes = NULL;

              bytes = data->cache != NULL ? ga_cache_read_bytes (data->cache, row->key) : NULL;
              if (bytes == NULL)
                {
                  row_error = _("The picture is no longer in the cache; look the chat up again.");
                  g_ptr_array_add (errors, g_strdup (row_error));
                  row_error = g_ptr_array_index (errors, errors->len - 1);
                }
              else
                {
                  g_autofree char *name = ga_export_file_name_for_chat (row->chat_id,
                                                                        extension_for (bytes));
                  g_autoptr(GFile) file = g_file_get_child (data->folder, name);

                  /* The bytes as WhatsApp served them; a different file of that name is
                   * only replaced when the caller says so. */
                  if (!ga_export_write_file (file, bytes, data->overwrite, cancellable, &error))
                    {
                      g_task_return_error (task, error);
                      return;
                    }
                  g_hash_table_insert (written, g_strdup (row->chat_id), g_strdup (name));
                  file_name = g_hash_table_lookup (written, row->chat_id);
                }
            }
        }

      rows[i].input = row->input;
      rows[i].line = row->line;
      rows[i].chat_id = row->chat_id;
      rows[i].status = row->chat_id == NULL ? "invalid" : ga_batch_status_to_string (row->status);
      rows[i].name = row->name;
      rows[i].file = file_name;
      rows[i].error = row_error;
      (void) files;
    }

  csv = ga_export_csv (rows, data->rows->len, GA_EXPORT_CSV_NONE);
  csv_file = g_file_get_child (data->folder, "avatars.csv");
  if (!ga_export_write_file (csv_file, csv, data->overwrite, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * ga_batch_export_async:
 * @folder: where to write
 * @overwrite: replace existing files with other contents
 *
 * Writes every picture found (the bytes WhatsApp served, named after the chat) and
 * avatars.csv with one row per input entry, each file atomically, in a worker thread. Fails
 * with %G_IO_ERROR_EXISTS, before writing avatars.csv, when a file of the same name with
 * other contents is in the way and @overwrite is %FALSE.
 */
void
ga_batch_export_async (GaBatch             *self,
                       GFile               *folder,
                       gboolean             overwrite,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;
  GListModel *model = G_LIST_MODEL (self->items);

  g_return_if_fail (GA_IS_BATCH (self));
  g_return_if_fail (G_IS_FILE (folder));

  data = g_new0 (ExportData, 1);
  data->cache = self->cache != NULL ? g_object_ref (self->cache) : NULL;
  data->folder = g_object_ref (folder);
  data->overwrite = overwrite;
  data->rows = g_array_sized_new (FALSE, TRUE, sizeof (ExportRow), self->entries->len);
  g_array_set_clear_func (data->rows, (GDestroyNotify) export_row_clear);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);
      ExportRow row = { 0 };

      row.input = g_strdup (entry->text);
      row.line = entry->line;
      row.name = g_strdup (entry->name);
      row.error = g_strdup (entry->error);
      if (entry->chat != GA_LIST_NO_CHAT && entry->chat < g_list_model_get_n_items (model))
        {
          g_autoptr(GaBatchItem) item = g_list_model_get_item (model, entry->chat);

          row.chat_id = g_strdup (item->chat_id);
          row.status = item->status;
          row.key = g_strdup (item->key);
          if (item->name != NULL)
            set_str (&row.name, item->name);
          if (item->error != NULL)
            set_str (&row.error, item->error);
        }
      g_array_append_val (data->rows, row);
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_batch_export_async);
  g_task_set_name (task, "[green-avatar] batch export");
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
ga_batch_export_finish (GaBatch       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The object */

static void
ga_batch_dispose (GObject *object)
{
  GaBatch *self = GA_BATCH (object);

  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < self->retry_sources->len; i++)
    g_source_remove (g_array_index (self->retry_sources, guint, i));
  g_array_set_size (self->retry_sources, 0);
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_queue_clear_full (&self->queue, g_object_unref);
  g_queue_clear (&self->thumbnails);
  thumbnail_queue_clear (self);
  if (self->contacts != NULL)
    g_signal_handlers_disconnect_by_data (self->contacts, self);
  g_clear_object (&self->contacts);

  G_OBJECT_CLASS (ga_batch_parent_class)->dispose (object);
}

static void
ga_batch_finalize (GObject *object)
{
  GaBatch *self = GA_BATCH (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->cache);
  g_clear_object (&self->client);
  g_clear_object (&self->items);
  g_array_unref (self->entries);
  g_array_unref (self->retry_sources);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_free (self->state_file);
  g_free (self->error);

  G_OBJECT_CLASS (ga_batch_parent_class)->finalize (object);
}

static void
ga_batch_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  GaBatch *self = GA_BATCH (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_MAX_PARALLEL:
      g_value_set_uint (value, self->max_parallel);
      break;
    case PROP_RETRY_DELAY_MS:
      g_value_set_uint (value, self->retry_delay_ms);
      break;
    case PROP_FETCH_NAMES:
      g_value_set_boolean (value, self->fetch_names);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_batch_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  GaBatch *self = GA_BATCH (object);

  switch (prop_id)
    {
    case PROP_MAX_PARALLEL:
      self->max_parallel = g_value_get_uint (value);
      break;
    case PROP_RETRY_DELAY_MS:
      self->retry_delay_ms = g_value_get_uint (value);
      break;
    case PROP_FETCH_NAMES:
      self->fetch_names = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_batch_class_init (GaBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ga_batch_dispose;
  object_class->finalize = ga_batch_finalize;
  object_class->get_property = ga_batch_get_property;
  object_class->set_property = ga_batch_set_property;

  /**
   * GaBatch:state:
   * A #GaBatchState.
   */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, GA_BATCH_STATE_FINISHED, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GaBatch:max-parallel:
   * How many lookups (and so picture downloads) run at once. Pacing is the limiter's.
   */
  properties[PROP_MAX_PARALLEL] =
    g_param_spec_uint ("max-parallel", NULL, NULL, 1, 64, DEFAULT_PARALLEL,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * GaBatch:retry-delay-ms:
   * The first wait before a failed lookup is tried again; doubled each time.
   */
  properties[PROP_RETRY_DELAY_MS] =
    g_param_spec_uint ("retry-delay-ms", NULL, NULL, 0, 600000, DEFAULT_RETRY_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * GaBatch:fetch-names:
   * Whether the first start asks getContacts once for the chats' names.
   */
  properties[PROP_FETCH_NAMES] =
    g_param_spec_boolean ("fetch-names", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GaBatch::changed:
   * A count, the progress or the state changed.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ga_batch_init (GaBatch *self)
{
  self->items = g_list_store_new (GA_TYPE_BATCH_ITEM);
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, (GDestroyNotify) entry_clear);
  self->retry_sources = g_array_new (FALSE, FALSE, sizeof (guint));
  self->cancellable = g_cancellable_new ();
  self->network_available = TRUE;
  g_queue_init (&self->queue);
  g_queue_init (&self->thumbnails);
  g_queue_init (&self->thumbnail_queue);
  self->thumbnail_size = GA_BATCH_THUMBNAIL_SIZE;
}

/**
 * ga_batch_new:
 * @cache: (nullable): the picture cache; pictures are kept there and recent ones not asked again
 * @state_file: (nullable): where the batch is kept between runs
 *
 * Returns: (transfer full): an empty batch; give it a client with ga_batch_set_client()
 */
GaBatch *
ga_batch_new (GaCache    *cache,
              const char *state_file)
{
  GaBatch *self = g_object_new (GA_TYPE_BATCH, NULL);

  self->cache = cache != NULL ? g_object_ref (cache) : NULL;
  self->state_file = g_strdup (state_file);

  return self;
}

/**
 * ga_batch_set_client:
 * @client: (nullable): the client for getAvatar, made for background work (batch priority)
 */
void
ga_batch_set_client (GaBatch  *self,
                     GaClient *client)
{
  g_return_if_fail (GA_IS_BATCH (self));

  g_set_object (&self->client, client);
}

GaClient *
ga_batch_get_client (GaBatch *self)
{
  g_return_val_if_fail (GA_IS_BATCH (self), NULL);
  return self->client;
}

GListModel *
ga_batch_get_model (GaBatch *self)
{
  g_return_val_if_fail (GA_IS_BATCH (self), NULL);
  return G_LIST_MODEL (self->items);
}

GaBatchState
ga_batch_get_state (GaBatch *self)
{
  g_return_val_if_fail (GA_IS_BATCH (self), GA_BATCH_STATE_EMPTY);
  return self->state;
}

guint
ga_batch_get_n_chats (GaBatch *self)
{
  g_return_val_if_fail (GA_IS_BATCH (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

guint
ga_batch_get_n_done (GaBatch *self)
{
  g_return_val_if_fail (GA_IS_BATCH (self), 0);
  return ga_batch_get_n_chats (self) - self->counts[GA_BATCH_STATUS_PENDING];
}

guint
ga_batch_get_n_rejected (GaBatch *self)
{
  g_return_val_if_fail (GA_IS_BATCH (self), 0);
  return self->n_rejected;
}

void
ga_batch_rejected_free (GaBatchRejected *rejected)
{
  if (rejected == NULL)
    return;

  g_free (rejected->text);
  g_free (rejected->error);
  g_free (rejected);
}

/**
 * ga_batch_get_rejected:
 * @max: at most this many
 *
 * The entries of the list that are left out, in list order, with their line and why: what a
 * person needs to fix the list.
 *
 * Returns: (transfer container) (element-type GaBatchRejected): the first @max rejected entries
 */
GPtrArray *
ga_batch_get_rejected (GaBatch *self,
                       guint    max)
{
  GPtrArray *rejected = g_ptr_array_new_with_free_func ((GDestroyNotify) ga_batch_rejected_free);

  g_return_val_if_fail (GA_IS_BATCH (self), rejected);

  for (guint i = 0; i < self->entries->len && rejected->len < max; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);
      GaBatchRejected *copy;

      if (entry->error == NULL)
        continue;

      copy = g_new0 (GaBatchRejected, 1);
      copy->line = entry->line;
      copy->text = g_strdup (entry->text != NULL ? entry->text : "");
      copy->error = g_strdup (entry->error);
      g_ptr_array_add (rejected, copy);
    }

  return rejected;
}

guint
ga_batch_get_count (GaBatch       *self,
                    GaBatchStatus  status)
{
  g_return_val_if_fail (GA_IS_BATCH (self), 0);
  g_return_val_if_fail ((guint) status < GA_BATCH_N_STATUSES, 0);
  return self->counts[status];
}

/**
 * ga_batch_get_seconds_left:
 *
 * Returns: the time left at the pace of this run, or -1 when not known yet
 */
gint64
ga_batch_get_seconds_left (GaBatch *self)
{
  guint done;
  gint64 elapsed;

  g_return_val_if_fail (GA_IS_BATCH (self), -1);

  if (self->state != GA_BATCH_STATE_RUNNING || self->run_started == 0)
    return -1;

  done = ga_batch_get_n_done (self) - MIN (self->done_at_run_start, ga_batch_get_n_done (self));
  elapsed = g_get_monotonic_time () - self->run_started;
  if (done < 5 || elapsed <= 0)
    return -1;

  return (gint64) ((double) self->counts[GA_BATCH_STATUS_PENDING] * elapsed / done /
                   G_USEC_PER_SEC) + 1;
}

/**
 * ga_batch_get_error:
 *
 * Returns: (nullable): why the batch stopped by itself (the quota), for people
 */
const char *
ga_batch_get_error (GaBatch *self)
{
  g_return_val_if_fail (GA_IS_BATCH (self), NULL);
  return self->error;
}
