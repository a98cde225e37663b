/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-contact-info"

#include "config.h"

#include "ga-contact-info.h"

#include "ga-json.h"
#include "ga-response.h"

#include <string.h>

/* An answer is at most the client's cap; the parser refuses anything larger on its own. */
#define MAX_PARSE_SIZE    (1024 * 1024)
/* A business catalogue can be long; the card shows a few. */
#define MAX_PRODUCTS      100

struct _GaContactInfo
{
  GObject   parent_instance;

  char     *chat_id;         /* (owned) (nullable) */
  char     *name;            /* (owned) (nullable) */
  char     *contact_name;    /* (owned) (nullable) */
  char     *avatar_url;      /* (owned) (nullable) */
  char     *category;        /* (owned) (nullable) */
  char     *description;     /* (owned) (nullable) */
  char     *email;           /* (owned) (nullable) */
  char     *last_seen;       /* (owned) (nullable) */
  GStrv     product_names;   /* (owned) */
  gint64    message_expiration;
  gint64    mute_expiration;
  gboolean  is_business;
  gboolean  is_archive;
  gboolean  is_disappearing;
  gboolean  is_mute;
};

G_DEFINE_FINAL_TYPE (GaContactInfo, ga_contact_info, G_TYPE_OBJECT)

static void
ga_contact_info_finalize (GObject *object)
{
  GaContactInfo *self = (GaContactInfo *)object;

  g_free (self->chat_id);
  g_free (self->name);
  g_free (self->contact_name);
  g_free (self->avatar_url);
  g_free (self->category);
  g_free (self->description);
  g_free (self->email);
  g_free (self->last_seen);
  g_strfreev (self->product_names);

  G_OBJECT_CLASS (ga_contact_info_parent_class)->finalize (object);
}

static void
ga_contact_info_class_init (GaContactInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ga_contact_info_finalize;
}

static void
ga_contact_info_init (GaContactInfo *self)
{
}

/* A string member, or (for `lastSeen`, which revisions give as a number) a whole number. */
static char *
dup_string_or_number (JsonObject *object,
                      const char *name)
{
  char *text = ga_json_dup_string (object, name);
  gint64 value;

  if (text == NULL && ga_json_get_integer (object, name, &value))
    text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return text;
}

/**
 * ga_contact_info_parse:
 * @data: the body of an HTTP 200 answer to getContactInfo (not NUL-terminated)
 * @length: its length
 * @chat_id: (nullable): the chat ID asked for; used when the answer lacks `chatId`
 * @error: a #GA_ERROR: not one JSON object, too large, or an error carried in a 200 body
 *
 * Every field is optional: missing, null or mistyped fields read as absent (booleans as
 * %FALSE, times as 0). Strings are kept as given, cut at 64 KiB.
 *
 * Returns: (transfer full) (nullable): the contact info, or %NULL with @error set
 */
GaContactInfo *
ga_contact_info_parse (const char  *data,
                       gsize        length,
                       const char  *chat_id,
                       GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GaContactInfo) self = NULL;
  g_autoptr(GStrvBuilder) products = g_strv_builder_new ();
  JsonObject *object;
  JsonArray *array;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = ga_response_parse_object (data, length, MAX_PARSE_SIZE, error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  self = g_object_new (GA_TYPE_CONTACT_INFO, NULL);
  self->chat_id = ga_json_dup_string (object, "chatId");
  if (self->chat_id == NULL && chat_id != NULL && chat_id[0] != '\0')
    self->chat_id = g_strdup (chat_id);
  self->name = ga_json_dup_string (object, "name");
  self->contact_name = ga_json_dup_string (object, "contactName");
  self->avatar_url = ga_json_dup_string (object, "avatar");
  self->category = ga_json_dup_string (object, "category");
  self->description = ga_json_dup_string (object, "description");
  self->email = ga_json_dup_string (object, "email");
  self->last_seen = dup_string_or_number (object, "lastSeen");
  ga_json_get_boolean (object, "isBusiness", &self->is_business);
  ga_json_get_boolean (object, "isArchive", &self->is_archive);
  ga_json_get_boolean (object, "isDisappearing", &self->is_disappearing);
  ga_json_get_boolean (object, "isMute", &self->is_mute);
  ga_json_get_integer (object, "messageExpiration", &self->message_expiration);
  ga_json_get_integer (object, "muteExpiration", &self->mute_expiration);

  array = ga_json_get_array (object, "products");
  if (array != NULL)
    {
      guint n = json_array_get_length (array);
      guint kept = 0;

      for (guint i = 0; i < n && kept < MAX_PRODUCTS; i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          char *product_name;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          product_name = ga_json_dup_string (json_node_get_object (node), "name");
          if (product_name == NULL)
            continue;
          g_strv_builder_add (products, product_name);
          g_free (product_name);
          kept++;
        }
    }
  self->product_names = g_strv_builder_end (products);

  return g_steal_pointer (&self);
}

const char *
ga_contact_info_get_chat_id (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), NULL);
  return self->chat_id;
}

/* The WhatsApp profile name: empty unless the contact wrote to this instance. */
const char *
ga_contact_info_get_name (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), NULL);
  return self->name;
}

/* The name in the linked phone's address book. */
const char *
ga_contact_info_get_contact_name (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), NULL);
  return self->contact_name;
}

/**
 * ga_contact_info_get_display_name:
 * @self: a #GaContactInfo
 *
 * Returns: (nullable): the address-book name when there is one, else the profile name
 */
const char *
ga_contact_info_get_display_name (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), NULL);
  return self->contact_name != NULL ? self->contact_name : self->name;
}

const char *
ga_contact_info_get_avatar_url (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), NULL);
  return self->avatar_url;
}

gboolean
ga_contact_info_get_is_business (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), FALSE);
  return self->is_business;
}

const char *
ga_contact_info_get_category (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), NULL);
  return self->category;
}

const char *
ga_contact_info_get_description (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), NULL);
  return self->description;
}

const char *
ga_contact_info_get_email (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), NULL);
  return self->email;
}

const char *
ga_contact_info_get_last_seen (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), NULL);
  return self->last_seen;
}

/**
 * ga_contact_info_get_product_names:
 * @self: a #GaContactInfo
 *
 * Returns: (transfer none): the names of the first 100 catalogue products, maybe empty
 */
const char * const *
ga_contact_info_get_product_names (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), NULL);
  return (const char * const *) self->product_names;
}

gboolean
ga_contact_info_get_is_archive (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), FALSE);
  return self->is_archive;
}

gboolean
ga_contact_info_get_is_disappearing (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), FALSE);
  return self->is_disappearing;
}

gboolean
ga_contact_info_get_is_mute (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), FALSE);
  return self->is_mute;
}

gint64
ga_contact_info_get_message_expiration (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), 0);
  return self->message_expiration;
}

gint64
ga_contact_info_get_mute_expiration (GaContactInfo *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_INFO (self), 0);
  return self->mute_expiration;
}
