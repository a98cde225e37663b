/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-instance"

#include "config.h"

#include "ga-instance.h"

struct _GaInstance
{
  GObject  parent_instance;

  char    *id_instance;  /* (owned) */
  char    *label;        /* (owned) */
  char    *api_url;      /* (owned) */
};

G_DEFINE_FINAL_TYPE (GaInstance, ga_instance, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID_INSTANCE,
  PROP_LABEL,
  PROP_API_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ga_instance_finalize (GObject *object)
{
  GaInstance *self = GA_INSTANCE (object);

  g_free (self->id_instance);
  g_free (self->label);
  g_free (self->api_url);

  G_OBJECT_CLASS (ga_instance_parent_class)->finalize (object);
}

static void
ga_instance_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GaInstance *self = GA_INSTANCE (object);

  switch (prop_id)
    {
    case PROP_ID_INSTANCE:
      g_value_set_string (value, self->id_instance);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_instance_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GaInstance *self = GA_INSTANCE (object);

  switch (prop_id)
    {
    case PROP_ID_INSTANCE:
      self->id_instance = g_value_dup_string (value);
      break;

    case PROP_LABEL:
      ga_instance_set_label (self, g_value_get_string (value));
      break;

    case PROP_API_URL:
      ga_instance_set_api_url (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_instance_class_init (GaInstanceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ga_instance_finalize;
  object_class->get_property = ga_instance_get_property;
  object_class->set_property = ga_instance_set_property;

  properties[PROP_ID_INSTANCE] =
    g_param_spec_string ("id-instance", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_API_URL] =
    g_param_spec_string ("api-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ga_instance_init (GaInstance *self)
{
}

/**
 * ga_instance_new:
 * @id_instance: the instance ID (digits; checked by the caller)
 * @label: (nullable): the label a person chose; %NULL or empty shows the ID
 * @api_url: the API URL
 *
 * Returns: (transfer full): a new instance entry
 */
GaInstance *
ga_instance_new (const char *id_instance,
                 const char *label,
                 const char *api_url)
{
  g_return_val_if_fail (id_instance != NULL && *id_instance != '\0', NULL);

  return g_object_new (GA_TYPE_INSTANCE,
                       "id-instance", id_instance,
                       "label", label,
                       "api-url", api_url,
                       NULL);
}

const char *
ga_instance_get_id_instance (GaInstance *self)
{
  g_return_val_if_fail (GA_IS_INSTANCE (self), NULL);

  return self->id_instance;
}

/* Never NULL: an entry without a label of its own is shown by its ID. */
const char *
ga_instance_get_label (GaInstance *self)
{
  g_return_val_if_fail (GA_IS_INSTANCE (self), NULL);

  return self->label != NULL ? self->label : self->id_instance;
}

const char *
ga_instance_get_api_url (GaInstance *self)
{
  g_return_val_if_fail (GA_IS_INSTANCE (self), NULL);

  return self->api_url != NULL ? self->api_url : "";
}

void
ga_instance_set_label (GaInstance *self,
                       const char *label)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (GA_IS_INSTANCE (self));

  stripped = label != NULL ? g_strstrip (g_strdup (label)) : NULL;
  if (stripped != NULL && *stripped == '\0')
    g_clear_pointer (&stripped, g_free);

  if (g_strcmp0 (self->label, stripped) == 0)
    return;

  g_free (self->label);
  self->label = g_steal_pointer (&stripped);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

void
ga_instance_set_api_url (GaInstance *self,
                         const char *api_url)
{
  g_return_if_fail (GA_IS_INSTANCE (self));

  if (api_url != NULL && *api_url == '\0')
    api_url = NULL;

  if (g_strcmp0 (self->api_url, api_url) == 0)
    return;

  g_free (self->api_url);
  self->api_url = g_strdup (api_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_URL]);
}
