/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-credentials"

#include "config.h"

#include "ga-credentials.h"

#include "ga-error.h"
#include "ga-secret.h"
#include "ga-settings-check.h"

#include <glib/gi18n.h>
#include <string.h>

struct _GaCredentials
{
  GObject              parent_instance;

  GSettings           *settings;        /* (owned) (nullable): NULL for the demo */
  GCancellable        *cancellable;     /* (owned): reloads started by a settings change */

  char                *api_url;         /* (owned) (nullable) */
  char                *id_instance;     /* (owned) (nullable) */
  char                *token;           /* (owned) (nullable): a secret, never logged */
  char                *secret_problem;  /* (owned) (nullable) */

  GaCredentialsFields  overridden;
  guint                serial;          /* bumped by every load and save; stale answers lose */
  gboolean             token_remembered;
  gboolean             demo;
};

G_DEFINE_FINAL_TYPE (GaCredentials, ga_credentials, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_API_URL,
  PROP_ID_INSTANCE,
  PROP_TOKEN_REMEMBERED,
  PROP_SECRET_PROBLEM,
  PROP_DEMO,
  N_PROPS,
  /* Not a property: only set_string() uses it, to know the field needs no notify. */
  PROP_TOKEN = N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_reload (GaCredentials *self);

/* State changes */

static gboolean
set_string (GaCredentials *self,
            char         **field,
            const char    *value,
            int            prop)
{
  if (value != NULL && *value == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  if (field == &self->token)
    {
      /* Overwrite the old token before its memory goes back to the allocator. */
      if (self->token != NULL)
        memset (self->token, 0, strlen (self->token));
    }

  g_free (*field);
  *field = g_strdup (value);
  /* The token is no property (see ga_credentials_dup_token()); "changed" tells about it. */
  if (prop < N_PROPS)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);

  return TRUE;
}

static gboolean
set_secret_state (GaCredentials *self,
                  gboolean       remembered,
                  const char    *problem)
{
  gboolean changed = FALSE;

  if (self->token_remembered != remembered)
    {
      self->token_remembered = remembered;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_REMEMBERED]);
      changed = TRUE;
    }

  if (g_strcmp0 (self->secret_problem, problem) != 0)
    {
      g_free (self->secret_problem);
      self->secret_problem = g_strdup (problem);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRET_PROBLEM]);
      changed = TRUE;
    }

  return changed;
}

static void
emit_changed (GaCredentials *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static const char *
getenv_nonempty (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : NULL;
}

static void
settings_changed_cb (GaCredentials *self,
                     const char    *key,
                     GSettings     *settings)
{
  g_autofree char *value = NULL;
  gboolean changed = FALSE;

  /* Only the two string keys are ours; the others (window state, history) are of other
   * types and belong to other parts of the app. */
  if (!g_str_equal (key, "api-url") && !g_str_equal (key, "id-instance"))
    return;

  /* Another process (dconf-editor, a second instance) changed the settings. */
  value = g_settings_get_string (settings, key);

  g_object_freeze_notify (G_OBJECT (self));

  if (g_str_equal (key, "api-url") && !(self->overridden & GA_CREDENTIALS_FIELD_API_URL))
    {
      changed = set_string (self, &self->api_url, value, PROP_API_URL);
    }
  else if (g_str_equal (key, "id-instance") &&
           !(self->overridden & GA_CREDENTIALS_FIELD_ID_INSTANCE))
    {
      changed = set_string (self, &self->id_instance, value, PROP_ID_INSTANCE);

      /* The token belongs to the old instance: look up the one of the new instance. */
      if (changed && !(self->overridden & GA_CREDENTIALS_FIELD_TOKEN))
        {
          set_string (self, &self->token, NULL, PROP_TOKEN);
          set_secret_state (self, FALSE, self->secret_problem);
          start_reload (self);
        }
    }

  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    emit_changed (self);
}

/* Loading */

typedef struct
{
  char  *id_instance;
  guint  serial;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->id_instance);
  g_free (data);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GaCredentials *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  char *token;
  gboolean changed;

  token = ga_secret_lookup_finish (result, &error);

  if (error != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A newer load or save has already decided; this answer is stale. */
  if (data->serial != self->serial || g_strcmp0 (data->id_instance, self->id_instance) != 0)
    {
      g_clear_pointer (&token, secret_password_free);
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));

  if (error != NULL)
    {
      /* No Secret Service is not a failure: the app works, it just cannot remember. */
      g_debug ("Could not look up the token: %s", error->message);
      problem = ga_secret_describe_error (error);
      changed = set_secret_state (self, FALSE, problem);
    }
  else if (token != NULL)
    {
      changed = set_string (self, &self->token, token, PROP_TOKEN);
      changed |= set_secret_state (self, TRUE, NULL);
    }
  else
    {
      /* Nothing stored; a token typed in this session (if any) stays. */
      changed = set_secret_state (self, FALSE, NULL);
    }

  g_object_thaw_notify (G_OBJECT (self));

  g_clear_pointer (&token, secret_password_free);

  if (changed)
    emit_changed (self);

  g_task_return_boolean (task, TRUE);
}

void
ga_credentials_load_async (GaCredentials       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (GA_IS_CREDENTIALS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_credentials_load_async);

  if (self->demo ||
      (self->overridden & GA_CREDENTIALS_FIELD_TOKEN) ||
      self->id_instance == NULL ||
      !ga_settings_check (NULL, self->id_instance, NULL, NULL))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data = g_new0 (LoadData, 1);
  data->id_instance = g_strdup (self->id_instance);
  data->serial = ++self->serial;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  ga_secret_lookup_async (self->id_instance,
                          cancellable,
                          lookup_cb,
                          g_steal_pointer (&task));
}

gboolean
ga_credentials_load_finish (GaCredentials  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_credentials_load_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Problems end up in "secret-problem"; only cancellation fails, quietly. */
  ga_credentials_load_finish (GA_CREDENTIALS (object), result, &error);
}

static void
start_reload (GaCredentials *self)
{
  ga_credentials_load_async (self, self->cancellable, reload_cb, NULL);
}

/* Saving */

typedef struct
{
  char     *id_instance;
  guint     serial;
  gboolean  clearing;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->id_instance);
  g_free (data);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GaCredentials *self = g_task_get_source_object (task);
  SaveData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  gboolean ok;

  if (data->clearing)
    ok = ga_secret_clear_finish (result, &error);
  else
    ok = ga_secret_store_finish (result, &error);

  if (!ok && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->serial == self->serial)
    {
      if (!ok)
        {
          g_debug ("Could not %s the token: %s",
                   data->clearing ? "clear" : "store", error->message);
          problem = ga_secret_describe_error (error);
        }

      if (set_secret_state (self, ok && !data->clearing, problem))
        emit_changed (self);
    }

  g_task_return_boolean (task, TRUE);
}

void
ga_credentials_save_async (GaCredentials       *self,
                           const char          *api_url,
                           const char          *id_instance,
                           const char          *token,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;
  gboolean id_changed = FALSE;
  gboolean token_changed = FALSE;
  SaveData *data;

  g_return_if_fail (GA_IS_CREDENTIALS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_credentials_save_async);

  /* Values from the environment win and are never saved, so the given ones are ignored. */
  if (self->overridden & GA_CREDENTIALS_FIELD_API_URL)
    api_url = NULL;
  if (self->overridden & GA_CREDENTIALS_FIELD_ID_INSTANCE)
    id_instance = NULL;
  if (self->overridden & GA_CREDENTIALS_FIELD_TOKEN)
    token = NULL;

  /* Invalid values are never applied nor saved. An empty token means "forget it". */
  if (!ga_settings_check (api_url,
                          id_instance,
                          token != NULL && *token != '\0' ? token : NULL,
                          &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));

  if (api_url != NULL)
    changed |= set_string (self, &self->api_url, api_url, PROP_API_URL);

  if (id_instance != NULL)
    {
      id_changed = set_string (self, &self->id_instance, id_instance, PROP_ID_INSTANCE);
      changed |= id_changed;
    }

  if (token != NULL)
    {
      token_changed = set_string (self, &self->token, token, PROP_TOKEN);
      changed |= token_changed;
    }

  if ((id_changed || token_changed) && !self->demo &&
      !(self->overridden & GA_CREDENTIALS_FIELD_TOKEN))
    changed |= set_secret_state (self, FALSE, self->secret_problem);

  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    emit_changed (self);

  /* The demo's values are for this session only. */
  if (self->demo)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->settings != NULL)
    {
      /* The ID first: the list of instances (ga-instances.h) takes a URL change as the
       * current instance's, which must by then be the new one. */
      if (id_instance != NULL)
        g_settings_set_string (self->settings, "id-instance", self->id_instance);
      if (api_url != NULL)
        g_settings_set_string (self->settings, "api-url", self->api_url);
    }

  if ((self->overridden & GA_CREDENTIALS_FIELD_TOKEN) || self->id_instance == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data = g_new0 (SaveData, 1);
  data->id_instance = g_strdup (self->id_instance);
  data->serial = ++self->serial;
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);

  if (token != NULL && *token == '\0')
    {
      data->clearing = TRUE;
      ga_secret_clear_async (self->id_instance, cancellable, store_cb, g_steal_pointer (&task));
    }
  else if (self->token != NULL && (token_changed || id_changed || !self->token_remembered))
    {
      ga_secret_store_async (self->id_instance,
                             self->token,
                             cancellable,
                             store_cb,
                             g_steal_pointer (&task));
    }
  else
    {
      g_task_return_boolean (task, TRUE);
    }
}

gboolean
ga_credentials_save_finish (GaCredentials  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_credentials_save_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject */

static void
ga_credentials_constructed (GObject *object)
{
  GaCredentials *self = GA_CREDENTIALS (object);
  const char *value;

  G_OBJECT_CLASS (ga_credentials_parent_class)->constructed (object);

  if (self->demo)
    return;

  if ((value = getenv_nonempty ("GREEN_API_URL")) != NULL)
    {
      self->overridden |= GA_CREDENTIALS_FIELD_API_URL;
      set_string (self, &self->api_url, value, PROP_API_URL);
    }

  if ((value = getenv_nonempty ("GREEN_API_ID_INSTANCE")) != NULL)
    {
      self->overridden |= GA_CREDENTIALS_FIELD_ID_INSTANCE;
      set_string (self, &self->id_instance, value, PROP_ID_INSTANCE);
    }

  if ((value = getenv_nonempty ("GREEN_API_TOKEN")) != NULL)
    {
      self->overridden |= GA_CREDENTIALS_FIELD_TOKEN;
      set_string (self, &self->token, value, PROP_TOKEN);
    }

  if (self->settings != NULL)
    {
      if (!(self->overridden & GA_CREDENTIALS_FIELD_API_URL))
        {
          g_autofree char *api_url = g_settings_get_string (self->settings, "api-url");

          set_string (self, &self->api_url, api_url, PROP_API_URL);
        }

      if (!(self->overridden & GA_CREDENTIALS_FIELD_ID_INSTANCE))
        {
          g_autofree char *id_instance = g_settings_get_string (self->settings, "id-instance");

          set_string (self, &self->id_instance, id_instance, PROP_ID_INSTANCE);
        }

      g_signal_connect_object (self->settings,
                               "changed",
                               G_CALLBACK (settings_changed_cb),
                               self,
                               G_CONNECT_SWAPPED);
    }
}

static void
ga_credentials_dispose (GObject *object)
{
  GaCredentials *self = GA_CREDENTIALS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ga_credentials_parent_class)->dispose (object);
}

static void
ga_credentials_finalize (GObject *object)
{
  GaCredentials *self = GA_CREDENTIALS (object);

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->api_url, g_free);
  g_clear_pointer (&self->id_instance, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->secret_problem, g_free);

  G_OBJECT_CLASS (ga_credentials_parent_class)->finalize (object);
}

static void
ga_credentials_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GaCredentials *self = GA_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;

    case PROP_ID_INSTANCE:
      g_value_set_string (value, self->id_instance);
      break;

    case PROP_TOKEN_REMEMBERED:
      g_value_set_boolean (value, self->token_remembered);
      break;

    case PROP_SECRET_PROBLEM:
      g_value_set_string (value, self->secret_problem);
      break;

    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_credentials_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GaCredentials *self = GA_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_credentials_class_init (GaCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ga_credentials_constructed;
  object_class->dispose = ga_credentials_dispose;
  object_class->finalize = ga_credentials_finalize;
  object_class->get_property = ga_credentials_get_property;
  object_class->set_property = ga_credentials_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_API_URL] =
    g_param_spec_string ("api-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ID_INSTANCE] =
    g_param_spec_string ("id-instance", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The token is deliberately no property: a readable one would show it to anything that
   * lists properties (GtkInspector) and leave copies in unwiped GValues. */

  properties[PROP_TOKEN_REMEMBERED] =
    g_param_spec_boolean ("token-remembered", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SECRET_PROBLEM] =
    g_param_spec_string ("secret-problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
ga_credentials_init (GaCredentials *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * ga_credentials_new:
 * @settings: the application's #GSettings (schema io.github.greenavatar.GreenAvatar)
 *
 * Reads api-url and id-instance from @settings, with GREEN_API_URL, GREEN_API_ID_INSTANCE and
 * GREEN_API_TOKEN winning over them. Call ga_credentials_load_async() to fetch the token.
 *
 * Returns: (transfer full): new credentials
 */
GaCredentials *
ga_credentials_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (GA_TYPE_CREDENTIALS,
                       "settings", settings,
                       NULL);
}

/**
 * ga_credentials_new_for_instance:
 * @id_instance: the instance's ID
 * @api_url: the instance's API URL
 *
 * Credentials for one given instance (the command line's `--instance`, with
 * ga_instances_find()), whatever the current one is: they do not follow the settings and
 * never write them, so choosing an instance here does not switch the app's. The token is that
 * instance's keyring item (ga_credentials_load_async()); GREEN_API_* variables still win.
 *
 * Returns: (transfer full): new credentials
 */
GaCredentials *
ga_credentials_new_for_instance (const char *id_instance,
                                 const char *api_url)
{
  GaCredentials *self;

  g_return_val_if_fail (id_instance != NULL, NULL);

  self = g_object_new (GA_TYPE_CREDENTIALS, NULL);
  if (!(self->overridden & GA_CREDENTIALS_FIELD_API_URL))
    set_string (self, &self->api_url, api_url, PROP_API_URL);
  if (!(self->overridden & GA_CREDENTIALS_FIELD_ID_INSTANCE))
    set_string (self, &self->id_instance, id_instance, PROP_ID_INSTANCE);

  return self;
}

/**
 * ga_credentials_new_for_demo:
 *
 * Credentials for `--demo`: the given values only, no environment, nothing ever read from or
 * written to GSettings or the Secret Service.
 *
 * Returns: (transfer full): new demo credentials
 */
GaCredentials *
ga_credentials_new_for_demo (const char *api_url,
                             const char *id_instance,
                             const char *token)
{
  GaCredentials *self;

  self = g_object_new (GA_TYPE_CREDENTIALS,
                       "demo", TRUE,
                       NULL);
  set_string (self, &self->api_url, api_url, PROP_API_URL);
  set_string (self, &self->id_instance, id_instance, PROP_ID_INSTANCE);
  set_string (self, &self->token, token, PROP_TOKEN);

  return self;
}

const char *
ga_credentials_get_api_url (GaCredentials *self)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (self), NULL);

  return self->api_url;
}

const char *
ga_credentials_get_id_instance (GaCredentials *self)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (self), NULL);

  return self->id_instance;
}

gboolean
ga_credentials_get_demo (GaCredentials *self)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (self), FALSE);

  return self->demo;
}

/**
 * ga_credentials_dup_token:
 *
 * Returns: (transfer full) (nullable): a copy of the token; wipe it (memset) before freeing
 */
char *
ga_credentials_dup_token (GaCredentials *self)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (self), NULL);

  return g_strdup (self->token);
}

gboolean
ga_credentials_get_token_remembered (GaCredentials *self)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (self), FALSE);

  return self->token_remembered;
}

const char *
ga_credentials_get_secret_problem (GaCredentials *self)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (self), NULL);

  return self->secret_problem;
}

GaCredentialsFields
ga_credentials_get_overridden (GaCredentials *self)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (self), GA_CREDENTIALS_FIELD_NONE);

  return self->overridden;
}

gboolean
ga_credentials_is_complete (GaCredentials *self)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (self), FALSE);

  return self->api_url != NULL && self->id_instance != NULL && self->token != NULL;
}

GaClient *
ga_credentials_create_client (GaCredentials *self,
                              SoupSession   *session)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (self), NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  if (!ga_credentials_is_complete (self))
    return NULL;

  return ga_client_new (session, self->api_url, self->id_instance, self->token);
}
