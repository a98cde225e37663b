/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-secret"

#include "config.h"

#include "ga-secret.h"

#include "ga-settings-check.h"

#include <glib/gi18n.h>
#include <string.h>

const SecretSchema *
ga_secret_get_schema (void)
{
  static const SecretSchema schema = {
    BASE_ID, SECRET_SCHEMA_NONE,
    {
      { "id-instance", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
ga_secret_store_async (const char          *id_instance,
                       const char          *token,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (id_instance != NULL && *id_instance != '\0');
  g_return_if_fail (token != NULL && *token != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_secret_store_async);

  /* TRANSLATORS: The name of the keyring item, shown in Passwords and Keys (Seahorse). */
  label = g_strdup_printf (_("GREEN-API token for instance %s"), id_instance);
  secret_password_store (ga_secret_get_schema (),
                         SECRET_COLLECTION_DEFAULT,
                         label,
                         token,
                         cancellable,
                         store_cb,
                         g_steal_pointer (&task),
                         "id-instance", id_instance,
                         NULL);
}

gboolean
ga_secret_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_secret_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *token;

  token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* What is stored is not trusted to be a sane token either: one that would fail the settings
   * check is not handed back. */
  if (token != NULL && (*token == '\0' || !ga_settings_check (NULL, NULL, token, NULL)))
    g_clear_pointer (&token, secret_password_free);

  g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

void
ga_secret_lookup_async (const char          *id_instance,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (id_instance != NULL && *id_instance != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_secret_lookup_async);

  secret_password_lookup (ga_secret_get_schema (),
                          cancellable,
                          lookup_cb,
                          g_steal_pointer (&task),
                          "id-instance", id_instance,
                          NULL);
}

char *
ga_secret_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_secret_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error means there was nothing to remove, which is fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
ga_secret_clear_async (const char          *id_instance,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (id_instance != NULL && *id_instance != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_secret_clear_async);

  secret_password_clear (ga_secret_get_schema (),
                         cancellable,
                         clear_cb,
                         g_steal_pointer (&task),
                         "id-instance", id_instance,
                         NULL);
}

gboolean
ga_secret_clear_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_secret_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ga_secret_describe_error:
 * @error: an error from one of the functions above (not %G_IO_ERROR_CANCELLED)
 *
 * Returns: (transfer full): a translated sentence for the settings screen that says why the
 *   token could not be remembered and that it is kept until the app quits
 */
char *
ga_secret_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  /* A locked collection, or an unlock prompt that was dismissed. */
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup (_("Could not be remembered: the keyring is locked. "
                       "The token is kept until you quit."));

  /* No session bus, or nobody on it provides org.freedesktop.secrets. */
  if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR)
    return g_strdup (_("Could not be remembered: no keyring is available. "
                       "The token is kept until you quit."));

  /* TRANSLATORS: %s is the keyring's own error message. */
  return g_strdup_printf (_("Could not be remembered: the keyring failed (%s). "
                            "The token is kept until you quit."),
                          error->message);
}
