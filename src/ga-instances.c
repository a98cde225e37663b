/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-instances"

#include "config.h"

#include "ga-instances.h"

#include "ga-secret.h"
#include "ga-settings-check.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

/* More would be no list a person can read; a longer settings value is not ours. */
#define MAX_INSTANCES 100
#define MAX_LABEL_LENGTH 200

struct _GaInstances
{
  GObject     parent_instance;

  GSettings  *settings;     /* (owned) (nullable): NULL keeps the list in memory */
  char       *cache_dir;    /* (owned) (nullable): NULL removes no files */
  GPtrArray  *items;        /* (owned) (element-type GaInstance) */
  GaInstance *current;      /* (owned) (nullable) */
  gboolean    writing;      /* our own settings writes are not read back */
};

static void ga_instances_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GaInstances, ga_instances, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ga_instances_list_model_init))

enum {
  PROP_0,
  PROP_CURRENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GListModel */

static GType
ga_instances_get_item_type (GListModel *model)
{
  return GA_TYPE_INSTANCE;
}

static guint
ga_instances_get_n_items (GListModel *model)
{
  return GA_INSTANCES (model)->items->len;
}

static gpointer
ga_instances_get_item (GListModel *model,
                       guint       position)
{
  GaInstances *self = GA_INSTANCES (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
ga_instances_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ga_instances_get_item_type;
  iface->get_n_items = ga_instances_get_n_items;
  iface->get_item = ga_instances_get_item;
}

/* Settings */

static gboolean
find_index (GaInstances *self,
            const char  *id_instance,
            guint       *index)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      GaInstance *instance = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (ga_instance_get_id_instance (instance), id_instance) == 0)
        {
          if (index != NULL)
            *index = i;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
id_is_valid (const char *id_instance)
{
  return id_instance != NULL && *id_instance != '\0' &&
         ga_settings_check (NULL, id_instance, NULL, NULL);
}

static gboolean
api_url_is_valid (const char *api_url)
{
  return api_url != NULL && *api_url != '\0' && ga_settings_check (api_url, NULL, NULL, NULL);
}

static void
write_settings (GaInstances *self)
{
  GVariantBuilder builder;

  if (self->settings == NULL)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; i < self->items->len; i++)
    {
      GaInstance *instance = g_ptr_array_index (self->items, i);
      const char *label = ga_instance_get_label (instance);
      const char *id_instance = ga_instance_get_id_instance (instance);

      /* A label equal to the ID is no label of its own. */
      g_variant_builder_add (&builder, "(sss)",
                             id_instance,
                             g_str_equal (label, id_instance) ? "" : label,
                             ga_instance_get_api_url (instance));
    }

  self->writing = TRUE;
  g_settings_set_value (self->settings, "instances", g_variant_builder_end (&builder));
  self->writing = FALSE;
}

static void
write_current (GaInstances *self)
{
  if (self->settings == NULL)
    return;

  self->writing = TRUE;
  if (self->current != NULL)
    {
      /* The ID first, as GaCredentials writes them: another process's list takes a URL change
       * as its current instance's, which must by then be this one. */
      g_settings_set_string (self->settings, "id-instance",
                             ga_instance_get_id_instance (self->current));
      g_settings_set_string (self->settings, "api-url", ga_instance_get_api_url (self->current));
    }
  else
    {
      g_settings_reset (self->settings, "api-url");
      g_settings_reset (self->settings, "id-instance");
    }
  self->writing = FALSE;
}

static void
set_current (GaInstances *self,
             GaInstance  *instance)
{
  if (g_set_object (&self->current, instance))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

/* Reads "instances", then makes the current "id-instance" an entry if it is not one yet. */
static void
read_settings (GaInstances *self)
{
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *current_id = NULL;
  g_autofree char *current_url = NULL;
  GVariantIter iter;
  const char *id_instance;
  const char *label;
  const char *api_url;
  gboolean dirty = FALSE;
  guint old_len;
  guint index;

  value = g_settings_get_value (self->settings, "instances");
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &id_instance, &label, &api_url))
    {
      GaInstance *instance = NULL;
      gboolean seen = FALSE;

      /* Anyone may write the settings: an entry with a bad ID, a duplicate or one too many is
       * dropped, a bad URL or an overlong label is kept out. */
      if (!id_is_valid (id_instance) || items->len >= MAX_INSTANCES)
        continue;
      for (guint i = 0; i < items->len && !seen; i++)
        seen = g_str_equal (ga_instance_get_id_instance (g_ptr_array_index (items, i)),
                            id_instance);
      if (seen)
        continue;

      if (strlen (label) > MAX_LABEL_LENGTH || !g_utf8_validate (label, -1, NULL))
        label = NULL;
      if (!api_url_is_valid (api_url))
        api_url = NULL;

      /* Keep the objects a list row may be bound to. */
      if (find_index (self, id_instance, &index))
        {
          instance = g_object_ref (g_ptr_array_index (self->items, index));
          ga_instance_set_label (instance, label);
          ga_instance_set_api_url (instance, api_url);
        }
      else
        {
          instance = ga_instance_new (id_instance, label, api_url);
        }
      g_ptr_array_add (items, instance);
    }

  /* The current instance, and the upgrade from the one-instance settings. */
  current_id = g_settings_get_string (self->settings, "id-instance");
  current_url = g_settings_get_string (self->settings, "api-url");
  if (id_is_valid (current_id))
    {
      GaInstance *found = NULL;

      for (guint i = 0; i < items->len && found == NULL; i++)
        if (g_str_equal (ga_instance_get_id_instance (g_ptr_array_index (items, i)), current_id))
          found = g_ptr_array_index (items, i);

      if (found == NULL && items->len < MAX_INSTANCES)
        {
          found = ga_instance_new (current_id, NULL,
                                   api_url_is_valid (current_url) ? current_url : NULL);
          g_ptr_array_add (items, found);
          dirty = TRUE;
        }
      else if (found != NULL && api_url_is_valid (current_url) &&
               g_strcmp0 (ga_instance_get_api_url (found), current_url) != 0)
        {
          /* The one-instance form (or another process) changed the current URL. */
          ga_instance_set_api_url (found, current_url);
          dirty = TRUE;
        }

      set_current (self, found);
    }
  else
    {
      set_current (self, NULL);
    }

  old_len = self->items->len;
  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&items);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->items->len);

  if (dirty)
    write_settings (self);
}

static void
settings_changed_cb (GaInstances *self,
                     const char  *key,
                     GSettings   *settings)
{
  if (self->writing)
    return;

  if (g_str_equal (key, "instances") || g_str_equal (key, "id-instance") ||
      g_str_equal (key, "api-url"))
    read_settings (self);
}

/* GObject */

static void
ga_instances_dispose (GObject *object)
{
  GaInstances *self = GA_INSTANCES (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->current);

  G_OBJECT_CLASS (ga_instances_parent_class)->dispose (object);
}

static void
ga_instances_finalize (GObject *object)
{
  GaInstances *self = GA_INSTANCES (object);

  g_ptr_array_unref (self->items);
  g_free (self->cache_dir);

  G_OBJECT_CLASS (ga_instances_parent_class)->finalize (object);
}

static void
ga_instances_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GaInstances *self = GA_INSTANCES (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      g_value_set_object (value, self->current);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_instances_class_init (GaInstancesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ga_instances_dispose;
  object_class->finalize = ga_instances_finalize;
  object_class->get_property = ga_instances_get_property;

  properties[PROP_CURRENT] =
    g_param_spec_object ("current", NULL, NULL,
                         GA_TYPE_INSTANCE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ga_instances_init (GaInstances *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * ga_instances_new:
 * @settings: (nullable): the application's #GSettings, or %NULL for a list in memory only
 * @cache_dir: (nullable): the app's cache directory (per-instance files are removed with
 *   their instance), or %NULL to remove none
 *
 * Reads the list; the first time a version with instances runs, today's single instance
 * becomes its first entry (see the header).
 *
 * Returns: (transfer full): the instances
 */
GaInstances *
ga_instances_new (GSettings  *settings,
                  const char *cache_dir)
{
  GaInstances *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GA_TYPE_INSTANCES, NULL);
  self->cache_dir = g_strdup (cache_dir);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      read_settings (self);
      g_signal_connect_object (settings, "changed",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
    }

  return self;
}

/**
 * ga_instances_lookup:
 *
 * Returns: (transfer none) (nullable): the entry of @id_instance
 */
GaInstance *
ga_instances_lookup (GaInstances *self,
                     const char  *id_instance)
{
  guint index;

  g_return_val_if_fail (GA_IS_INSTANCES (self), NULL);

  if (id_instance == NULL || !find_index (self, id_instance, &index))
    return NULL;

  return g_ptr_array_index (self->items, index);
}

/**
 * ga_instances_find:
 * @id_or_label: what a person typed (`--instance`): an instance ID, or a label
 *
 * An exact instance ID wins; otherwise the one entry whose label matches, ignoring case and
 * surrounding spaces. Two entries with that label are an error, not a guess.
 *
 * Returns: (transfer none) (nullable): the entry, or %NULL with @error set
 *   (%G_IO_ERROR_NOT_FOUND, %G_IO_ERROR_INVALID_ARGUMENT when ambiguous)
 */
GaInstance *
ga_instances_find (GaInstances  *self,
                   const char   *id_or_label,
                   GError      **error)
{
  g_autofree char *wanted = NULL;
  g_autofree char *stripped = NULL;
  GaInstance *found = NULL;
  guint matches = 0;

  g_return_val_if_fail (GA_IS_INSTANCES (self), NULL);
  g_return_val_if_fail (id_or_label != NULL, NULL);

  stripped = g_strstrip (g_strdup (id_or_label));

  if ((found = ga_instances_lookup (self, stripped)) != NULL)
    return found;

  if (*stripped != '\0' && g_utf8_validate (stripped, -1, NULL))
    {
      wanted = g_utf8_casefold (stripped, -1);
      for (guint i = 0; i < self->items->len; i++)
        {
          GaInstance *instance = g_ptr_array_index (self->items, i);
          g_autofree char *label = g_utf8_casefold (ga_instance_get_label (instance), -1);

          if (g_str_equal (label, wanted))
            {
              found = instance;
              matches++;
            }
        }
    }

  if (matches == 1)
    return found;

  if (matches > 1)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 /* TRANSLATORS: %s is what was typed after --instance. */
                 _("Several instances are labelled “%s”: give the instance ID instead"),
                 stripped);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 /* TRANSLATORS: %s is what was typed after --instance. */
                 _("No instance has the ID or label “%s”"),
                 stripped);

  return NULL;
}

/**
 * ga_instances_get_current:
 *
 * Returns: (transfer none) (nullable): the instance the app works with
 */
GaInstance *
ga_instances_get_current (GaInstances *self)
{
  g_return_val_if_fail (GA_IS_INSTANCES (self), NULL);

  return self->current;
}

/**
 * ga_instances_set_current:
 *
 * Makes @id_instance the current instance and remembers the choice (GaCredentials follows
 * it and reads that instance's token).
 *
 * Returns: %FALSE when there is no such entry
 */
gboolean
ga_instances_set_current (GaInstances *self,
                          const char  *id_instance)
{
  GaInstance *instance;

  g_return_val_if_fail (GA_IS_INSTANCES (self), FALSE);

  if ((instance = ga_instances_lookup (self, id_instance)) == NULL)
    return FALSE;

  set_current (self, instance);
  write_current (self);

  return TRUE;
}

/**
 * ga_instances_add:
 * @label: (nullable): the label; %NULL or empty shows the ID
 * @api_url: (nullable): the API URL; %NULL offers the one derived from the ID
 *
 * Appends an entry, checked with ga_settings_check(). The first entry becomes the current
 * one. The token is saved separately (GaCredentials, or ga_secret_store_async()).
 *
 * Returns: (transfer none) (nullable): the new entry, or %NULL with @error set (also when an
 *   entry has this ID already: %G_IO_ERROR_EXISTS)
 */
GaInstance *
ga_instances_add (GaInstances  *self,
                  const char   *label,
                  const char   *api_url,
                  const char   *id_instance,
                  GError      **error)
{
  g_autofree char *derived = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  GaInstance *instance;

  g_return_val_if_fail (GA_IS_INSTANCES (self), NULL);

  id = g_strstrip (g_strdup (id_instance != NULL ? id_instance : ""));
  url = g_strstrip (g_strdup (api_url != NULL ? api_url : ""));
  if (*url == '\0' && (derived = ga_instances_api_url_for_id (id)) != NULL)
    {
      g_free (url);
      url = g_steal_pointer (&derived);
    }

  if (!ga_settings_check (url, id, NULL, error))
    return NULL;

  if (find_index (self, id, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   /* TRANSLATORS: %s is an instance ID. */
                   _("Instance %s is in the list already"), id);
      return NULL;
    }

  if (self->items->len >= MAX_INSTANCES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("The list of instances is full: remove one first"));
      return NULL;
    }

  if (label != NULL && (strlen (label) > MAX_LABEL_LENGTH || !g_utf8_validate (label, -1, NULL)))
    label = NULL;

  instance = ga_instance_new (id, label, url);
  g_ptr_array_add (self->items, instance);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  write_settings (self);

  if (self->current == NULL)
    {
      set_current (self, instance);
      write_current (self);
    }

  return instance;
}

/**
 * ga_instances_rename:
 * @label: (nullable): the new label; %NULL or empty shows the ID
 *
 * Returns: %FALSE when there is no such entry
 */
gboolean
ga_instances_rename (GaInstances *self,
                     const char  *id_instance,
                     const char  *label)
{
  GaInstance *instance;

  g_return_val_if_fail (GA_IS_INSTANCES (self), FALSE);

  if ((instance = ga_instances_lookup (self, id_instance)) == NULL)
    return FALSE;

  if (label != NULL && (strlen (label) > MAX_LABEL_LENGTH || !g_utf8_validate (label, -1, NULL)))
    return FALSE;

  ga_instance_set_label (instance, label);
  write_settings (self);

  return TRUE;
}

/**
 * ga_instances_set_api_url:
 *
 * Returns: %FALSE with @error set when there is no such entry or the URL fails
 *   ga_settings_check()
 */
gboolean
ga_instances_set_api_url (GaInstances  *self,
                          const char   *id_instance,
                          const char   *api_url,
                          GError      **error)
{
  GaInstance *instance;

  g_return_val_if_fail (GA_IS_INSTANCES (self), FALSE);

  if ((instance = ga_instances_lookup (self, id_instance)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No instance has the ID or label “%s”"), id_instance);
      return FALSE;
    }

  if (!ga_settings_check (api_url != NULL ? api_url : "", NULL, NULL, error))
    return FALSE;

  ga_instance_set_api_url (instance, api_url);
  write_settings (self);
  if (instance == self->current)
    write_current (self);

  return TRUE;
}

/* Removing */

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        {
          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            remove_tree (child);
          else
            g_file_delete (child, NULL, NULL);
        }
    }

  g_file_delete (file, NULL, NULL);
}

typedef struct
{
  char   **paths;         /* (owned) (nullable): files and folders of the instance */
  GError  *secret_error;  /* (owned) (nullable): why the keyring kept the token */
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_strfreev (data->paths);
  g_clear_error (&data->secret_error);
  g_free (data);
}

static void
remove_files_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  RemoveData *data = task_data;

  /* Missing files are fine: the instance may never have looked anything up. */
  for (guint i = 0; data->paths != NULL && data->paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (data->paths[i]);

      remove_tree (file);
    }

  if (data->secret_error != NULL)
    g_task_return_error (task, g_error_copy (data->secret_error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
remove_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RemoveData *data = g_task_get_task_data (task);

  /* The files go even when the keyring failed (no Secret Service): the error says so. */
  ga_secret_clear_finish (result, &data->secret_error);
  g_task_run_in_thread (task, remove_files_thread);
}

void
ga_instances_remove_async (GaInstances         *self,
                           const char          *id_instance,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *id = NULL;
  guint index;

  g_return_if_fail (GA_IS_INSTANCES (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_instances_remove_async);

  /* The caller's string may belong to the entry (or a row showing it) that goes now. */
  id = g_strdup (id_instance);
  id_instance = id;

  if (id_instance == NULL || !find_index (self, id_instance, &index))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  {
    g_autoptr(GaInstance) instance = g_object_ref (g_ptr_array_index (self->items, index));

    g_ptr_array_remove_index (self->items, index);
    g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
    write_settings (self);

    if (instance == self->current)
      {
        set_current (self, self->items->len > 0 ? g_ptr_array_index (self->items, 0) : NULL);
        write_current (self);
      }
  }

  /* An in-memory list (demo) keeps nothing anywhere. */
  if (self->settings == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  {
    RemoveData *data = g_new0 (RemoveData, 1);

    if (self->cache_dir != NULL && id_is_valid (id_instance))
      {
        data->paths = g_new0 (char *, 3);
        data->paths[0] = ga_instances_contacts_path (self->cache_dir, id_instance);
        data->paths[1] = ga_instances_chats_dir (self->cache_dir, id_instance);
      }
    g_task_set_task_data (task, data, (GDestroyNotify) remove_data_free);
  }

  ga_secret_clear_async (id_instance, cancellable, remove_secret_cb, g_steal_pointer (&task));
}

gboolean
ga_instances_remove_finish (GaInstances   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (GA_IS_INSTANCES (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Helpers */

char *
ga_instances_api_url_for_id (const char *id_instance)
{
  if (id_instance == NULL)
    return NULL;

  for (guint i = 0; i < 4; i++)
    if (!g_ascii_isdigit (id_instance[i]))
      return NULL;

  for (const char *p = id_instance; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return NULL;

  return g_strdup_printf ("https://%.4s.api.greenapi.com", id_instance);
}

char *
ga_instances_contacts_path (const char *cache_dir,
                            const char *id_instance)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (cache_dir != NULL, NULL);
  g_return_val_if_fail (id_is_valid (id_instance), NULL);

  /* The name GaContactList gives it (ga_contact_list_get_path()). */
  name = g_strconcat ("contacts-", id_instance, ".json", NULL);
  return g_build_filename (cache_dir, name, NULL);
}

char *
ga_instances_chats_dir (const char *cache_dir,
                        const char *id_instance)
{
  g_return_val_if_fail (cache_dir != NULL, NULL);
  g_return_val_if_fail (id_is_valid (id_instance), NULL);

  /* GaCache's directory is <cache_dir>/avatars; ga_cache_set_instance() keeps the chats of
   * each instance under instances/<id>. */
  return g_build_filename (cache_dir, "avatars", "instances", id_instance, NULL);
}
