/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-compare"

#include "config.h"

#include "ga-compare.h"

#include <glib/gi18n.h>

typedef struct
{
  char         *label;    /* (owned) */
  GaClient     *client;   /* (owned) (nullable) */
  GaAvatarInfo *info;     /* (owned) (nullable) */
  GError       *error;    /* (owned) (nullable) */
  gboolean      done;
} Entry;

struct _GaCompare
{
  GObject  parent_instance;

  char    *chat_id;       /* (owned) */
  GArray  *entries;       /* (owned) (element-type Entry) */
  guint    pending;
  GTask   *task;          /* (owned) (nullable): the run in progress */
};

G_DEFINE_FINAL_TYPE (GaCompare, ga_compare, G_TYPE_OBJECT)

enum {
  SIGNAL_ANSWERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_clear (Entry *entry)
{
  g_clear_pointer (&entry->label, g_free);
  g_clear_object (&entry->client);
  g_clear_object (&entry->info);
  g_clear_error (&entry->error);
}

static void
ga_compare_finalize (GObject *object)
{
  GaCompare *self = GA_COMPARE (object);

  g_array_unref (self->entries);
  g_free (self->chat_id);
  g_clear_object (&self->task);

  G_OBJECT_CLASS (ga_compare_parent_class)->finalize (object);
}

static void
ga_compare_class_init (GaCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ga_compare_finalize;

  signals[SIGNAL_ANSWERED] =
    g_signal_new ("answered",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
ga_compare_init (GaCompare *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, (GDestroyNotify) entry_clear);
}

/**
 * ga_compare_new:
 * @chat_id: a canonical chat ID
 *
 * Returns: (transfer full): a comparison with no instance yet
 */
GaCompare *
ga_compare_new (const char *chat_id)
{
  GaCompare *self;

  g_return_val_if_fail (chat_id != NULL, NULL);

  self = g_object_new (GA_TYPE_COMPARE, NULL);
  self->chat_id = g_strdup (chat_id);

  return self;
}

guint
ga_compare_add (GaCompare  *self,
                const char *label,
                GaClient   *client,
                const char *reason)
{
  Entry entry = { 0, };

  g_return_val_if_fail (GA_IS_COMPARE (self), 0);
  g_return_val_if_fail (label != NULL, 0);
  g_return_val_if_fail (client == NULL || GA_IS_CLIENT (client), 0);
  g_return_val_if_fail (self->task == NULL, 0);

  entry.label = g_strdup (label);
  entry.client = client != NULL ? g_object_ref (client) : NULL;
  if (client == NULL)
    {
      entry.error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                                         reason != NULL ? reason
                                                        : _("This instance cannot be asked"));
      entry.done = TRUE;
    }
  g_array_append_val (self->entries, entry);

  return self->entries->len - 1;
}

typedef struct
{
  GaCompare *self;    /* (owned) */
  guint      index;
} Ask;

static void
finish_one (GaCompare *self)
{
  g_autoptr(GTask) task = NULL;

  if (--self->pending > 0)
    return;

  task = g_steal_pointer (&self->task);
  g_task_return_boolean (task, TRUE);
}

static void
get_avatar_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Ask *ask = user_data;
  g_autoptr(GaCompare) self = ask->self;
  Entry *entry = &g_array_index (self->entries, Entry, ask->index);
  g_autoptr(GError) error = NULL;
  GaAvatarInfo *info;
  guint index = ask->index;

  g_free (ask);

  info = ga_client_get_avatar_finish (GA_CLIENT (object), result, &error);
  entry->info = info;
  entry->error = g_steal_pointer (&error);
  entry->done = TRUE;

  if (!g_error_matches (entry->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[SIGNAL_ANSWERED], 0, index);

  finish_one (self);
}

void
ga_compare_run_async (GaCompare           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GA_IS_COMPARE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_compare_run_async);
  self->task = g_object_ref (task);

  /* One more than there are questions, so that no answer can finish the run while they are
   * still being asked. */
  self->pending = 1;
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);
      Ask *ask;

      if (entry->client == NULL)
        {
          g_signal_emit (self, signals[SIGNAL_ANSWERED], 0, i);
          continue;
        }

      ask = g_new0 (Ask, 1);
      ask->self = g_object_ref (self);
      ask->index = i;
      self->pending++;
      ga_client_get_avatar_async (entry->client, self->chat_id, cancellable, get_avatar_cb, ask);
    }

  finish_one (self);
}

gboolean
ga_compare_run_finish (GaCompare     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (GA_IS_COMPARE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
ga_compare_get_chat_id (GaCompare *self)
{
  g_return_val_if_fail (GA_IS_COMPARE (self), NULL);

  return self->chat_id;
}

guint
ga_compare_get_n_items (GaCompare *self)
{
  g_return_val_if_fail (GA_IS_COMPARE (self), 0);

  return self->entries->len;
}

const char *
ga_compare_get_label (GaCompare *self,
                      guint      index)
{
  g_return_val_if_fail (GA_IS_COMPARE (self), NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return g_array_index (self->entries, Entry, index).label;
}

GaAvatarInfo *
ga_compare_get_info (GaCompare *self,
                     guint      index)
{
  g_return_val_if_fail (GA_IS_COMPARE (self), NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return g_array_index (self->entries, Entry, index).info;
}

const GError *
ga_compare_get_error (GaCompare *self,
                      guint      index)
{
  g_return_val_if_fail (GA_IS_COMPARE (self), NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return g_array_index (self->entries, Entry, index).error;
}

gboolean
ga_compare_is_done (GaCompare *self,
                    guint      index)
{
  g_return_val_if_fail (GA_IS_COMPARE (self), FALSE);
  g_return_val_if_fail (index < self->entries->len, FALSE);

  return g_array_index (self->entries, Entry, index).done;
}
