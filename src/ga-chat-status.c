/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-chat-status"

#include "config.h"

#include "ga-chat-status.h"

#include "ga-chat-id.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

/* Two thousand lines of about 40 bytes; anything much bigger is not ours. */
#define FILE_MAX_BYTES (256 * 1024)

/* Changes are written this long after the last one, so a burst of lookups writes once. */
#define SAVE_DELAY_SECONDS 2

typedef struct
{
  GaAvatarState state;
  gint64        time;
} Entry;

struct _GaChatStatus
{
  GObject parent_instance;

  char *path;              /* (owned) (nullable): NULL keeps nothing on disk */
  GHashTable *entries;     /* (owned): chat ID → Entry */
  guint save_id;           /* pending write */
  gboolean cleared;        /* cleared while the file loaded: drop what it held */
};

G_DEFINE_FINAL_TYPE (GaChatStatus, ga_chat_status, G_TYPE_OBJECT)

static char *
serialize (GaChatStatus *self)
{
  GString *out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *entry = value;

      g_string_append_printf (out, "%s\t%d\t%" G_GINT64_FORMAT "\n",
                              (const char *) key, (int) entry->state, entry->time);
    }

  return g_string_free (out, FALSE);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GaChatStatus *self = source_object;
  const char *contents = task_data;
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (self->path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not write the chat status file: %s",
             error != NULL ? error->message : g_strerror (errno));

  g_task_return_boolean (task, TRUE);
}

static gboolean
save_cb (gpointer user_data)
{
  GaChatStatus *self = user_data;
  g_autoptr(GTask) task = NULL;

  self->save_id = 0;
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_source_tag (task, save_cb);
  g_task_set_task_data (task, serialize (self), g_free);
  g_task_run_in_thread (task, write_thread);

  return G_SOURCE_REMOVE;
}

static void
schedule_save (GaChatStatus *self)
{
  if (self->path == NULL || self->save_id != 0)
    return;

  self->save_id = g_timeout_add_seconds (SAVE_DELAY_SECONDS, save_cb, self);
}

void
ga_chat_status_flush (GaChatStatus *self)
{
  g_autofree char *contents = NULL;
  g_autofree char *dir = NULL;

  g_return_if_fail (GA_IS_CHAT_STATUS (self));

  if (self->save_id == 0)
    return;

  g_clear_handle_id (&self->save_id, g_source_remove);
  contents = serialize (self);
  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) == 0)
    g_file_set_contents_full (self->path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                              0600, NULL);
}

static void
ga_chat_status_dispose (GObject *object)
{
  GaChatStatus *self = GA_CHAT_STATUS (object);

  ga_chat_status_flush (self);

  G_OBJECT_CLASS (ga_chat_status_parent_class)->dispose (object);
}

static void
ga_chat_status_finalize (GObject *object)
{
  GaChatStatus *self = GA_CHAT_STATUS (object);

  g_free (self->path);
  g_hash_table_unref (self->entries);

  G_OBJECT_CLASS (ga_chat_status_parent_class)->finalize (object);
}

static void
ga_chat_status_class_init (GaChatStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ga_chat_status_dispose;
  object_class->finalize = ga_chat_status_finalize;
}

static void
ga_chat_status_init (GaChatStatus *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

GaChatStatus *
ga_chat_status_new (const char *path)
{
  GaChatStatus *self = g_object_new (GA_TYPE_CHAT_STATUS, NULL);

  self->path = g_strdup (path);

  return self;
}

/* $XDG_CACHE_HOME/green-avatar/chat-status, beside the picture cache. */
GaChatStatus *
ga_chat_status_new_default (void)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "green-avatar",
                                            "chat-status", NULL);

  return ga_chat_status_new (path);
}

static gboolean
state_is_valid (gint64 state)
{
  return state == GA_AVATAR_STATE_HAS_AVATAR ||
         state == GA_AVATAR_STATE_PRIVATE ||
         state == GA_AVATAR_STATE_NOT_SET;
}

/* Only canonical chat IDs: what the parser gives back unchanged. */
static gboolean
chat_id_is_canonical (const char *chat_id)
{
  g_autofree char *parsed = NULL;

  if (strchr (chat_id, '@') == NULL)
    return FALSE;

  parsed = ga_chat_id_parse (chat_id, NULL, NULL);
  return g_strcmp0 (parsed, chat_id) == 0;
}

/* Parsed in the worker: a hash table of valid lines only. */
static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GHashTable) entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;
  GStatBuf buf;

  if (g_stat (path, &buf) != 0 || buf.st_size > FILE_MAX_BYTES ||
      !g_file_get_contents (path, &contents, &length, NULL) || length > FILE_MAX_BYTES)
    {
      g_task_return_pointer (task, g_steal_pointer (&entries),
                             (GDestroyNotify) g_hash_table_unref);
      return;
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && g_hash_table_size (entries) < GA_CHAT_STATUS_MAX; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 4);
      gint64 state, time;
      Entry *entry;

      if (g_strv_length (fields) != 3 ||
          !g_utf8_validate (fields[0], -1, NULL) ||
          !chat_id_is_canonical (fields[0]) ||
          !g_ascii_string_to_signed (fields[1], 10, 0, 2, &state, NULL) ||
          !state_is_valid (state) ||
          !g_ascii_string_to_signed (fields[2], 10, 0, G_MAXINT64, &time, NULL))
        continue;

      entry = g_new (Entry, 1);
      entry->state = state;
      entry->time = time;
      g_hash_table_replace (entries, g_strdup (fields[0]), entry);
    }

  g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify) g_hash_table_unref);
}

/**
 * ga_chat_status_load_async:
 * @self: a #GaChatStatus
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file has been read
 * @user_data: data for @callback
 *
 * Reads what earlier runs recorded. A missing or damaged file is no error: its valid lines
 * count, the rest is ignored.
 */
void
ga_chat_status_load_async (GaChatStatus        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GA_IS_CHAT_STATUS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_chat_status_load_async);

  if (self->path == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->cleared = FALSE;
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
ga_chat_status_load_finish (GaChatStatus  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(GHashTable) entries = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (self->path == NULL)
    return g_task_propagate_boolean (G_TASK (result), error);

  entries = g_task_propagate_pointer (G_TASK (result), error);
  if (entries == NULL)
    return FALSE;

  if (self->cleared)
    return TRUE;

  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *entry = value;
      Entry *known = g_hash_table_lookup (self->entries, key);

      if (known != NULL && known->time >= entry->time)
        continue;
      if (known == NULL && g_hash_table_size (self->entries) >= GA_CHAT_STATUS_MAX)
        break;

      g_hash_table_iter_steal (&iter);
      g_hash_table_replace (self->entries, key, value);
    }

  return TRUE;
}

static void
forget_oldest (GaChatStatus *self)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *oldest = NULL;
  gint64 oldest_time = G_MAXINT64;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *entry = value;

      if (entry->time < oldest_time)
        {
          oldest = key;
          oldest_time = entry->time;
        }
    }

  if (oldest != NULL)
    g_hash_table_remove (self->entries, oldest);
}

/**
 * ga_chat_status_record:
 * @self: a #GaChatStatus
 * @chat_id: a canonical chat ID
 * @state: what GREEN-API answered
 * @time: when, as Unix time (g_get_real_time() / G_USEC_PER_SEC)
 *
 * Remembers the answer for @chat_id and writes it to disk a little later.
 */
void
ga_chat_status_record (GaChatStatus  *self,
                       const char    *chat_id,
                       GaAvatarState  state,
                       gint64         time)
{
  Entry *entry;

  g_return_if_fail (GA_IS_CHAT_STATUS (self));
  g_return_if_fail (chat_id != NULL);
  g_return_if_fail (state_is_valid (state));

  entry = g_hash_table_lookup (self->entries, chat_id);
  if (entry == NULL)
    {
      if (g_hash_table_size (self->entries) >= GA_CHAT_STATUS_MAX)
        forget_oldest (self);

      entry = g_new (Entry, 1);
      g_hash_table_replace (self->entries, g_strdup (chat_id), entry);
    }

  entry->state = state;
  entry->time = time;
  schedule_save (self);
}

/**
 * ga_chat_status_lookup:
 * @self: a #GaChatStatus
 * @chat_id: a canonical chat ID
 * @state: (out) (optional): the last answer
 * @time: (out) (optional): when it came
 *
 * Returns: whether an answer for @chat_id is known
 */
gboolean
ga_chat_status_lookup (GaChatStatus  *self,
                       const char    *chat_id,
                       GaAvatarState *state,
                       gint64        *time)
{
  Entry *entry;

  g_return_val_if_fail (GA_IS_CHAT_STATUS (self), FALSE);
  g_return_val_if_fail (chat_id != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, chat_id);
  if (entry == NULL)
    return FALSE;

  if (state != NULL)
    *state = entry->state;
  if (time != NULL)
    *time = entry->time;

  return TRUE;
}

guint
ga_chat_status_get_n_chats (GaChatStatus *self)
{
  g_return_val_if_fail (GA_IS_CHAT_STATUS (self), 0);

  return g_hash_table_size (self->entries);
}

/* Forgets every chat, on disk too (with the picture cache, when a person clears it). */
void
ga_chat_status_clear (GaChatStatus *self)
{
  g_return_if_fail (GA_IS_CHAT_STATUS (self));

  g_hash_table_remove_all (self->entries);
  self->cleared = TRUE;
  schedule_save (self);
}
