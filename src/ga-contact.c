/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-contact"

#include "config.h"

#include "ga-contact.h"

#include "ga-error.h"
#include "ga-json.h"
#include "ga-response.h"

#include <string.h>

/* 100,000 entries of about 100 bytes, with room to spare. */
#define MAX_LIST_PARSE_SIZE   (32 * 1024 * 1024)
#define MAX_CHECK_PARSE_SIZE  (64 * 1024)
#define MAX_CHAT_ID_LENGTH    512

struct _GaContact
{
  char          *chat_id;       /* (owned) */
  char          *name;          /* (owned) (nullable) */
  char          *contact_name;  /* (owned) (nullable) */
  GaContactType  type;
};

G_DEFINE_BOXED_TYPE (GaContact, ga_contact, ga_contact_ref, ga_contact_unref)

static void
contact_clear (GaContact *self)
{
  g_free (self->chat_id);
  g_free (self->name);
  g_free (self->contact_name);
}

/**
 * ga_contact_new:
 * @chat_id: the chat ID
 * @name: (nullable): the WhatsApp profile name; empty is stored as %NULL
 * @contact_name: (nullable): the address-book name; empty is stored as %NULL
 * @type: user or group
 *
 * Returns: (transfer full): a new #GaContact
 */
GaContact *
ga_contact_new (const char    *chat_id,
                const char    *name,
                const char    *contact_name,
                GaContactType  type)
{
  GaContact *self;

  g_return_val_if_fail (chat_id != NULL, NULL);

  self = g_atomic_rc_box_new0 (GaContact);
  self->chat_id = g_strdup (chat_id);
  self->name = name != NULL && name[0] != '\0' ? g_strdup (name) : NULL;
  self->contact_name = contact_name != NULL && contact_name[0] != '\0' ?
                       g_strdup (contact_name) : NULL;
  self->type = type;

  return self;
}

GaContact *
ga_contact_ref (GaContact *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
ga_contact_unref (GaContact *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) contact_clear);
}

const char *
ga_contact_get_chat_id (const GaContact *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->chat_id;
}

const char *
ga_contact_get_name (const GaContact *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

const char *
ga_contact_get_contact_name (const GaContact *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->contact_name;
}

/**
 * ga_contact_get_display_name:
 * @self: a #GaContact
 *
 * Returns: (nullable): the address-book name when there is one, else the profile name
 */
const char *
ga_contact_get_display_name (const GaContact *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->contact_name != NULL ? self->contact_name : self->name;
}

GaContactType
ga_contact_get_contact_type (const GaContact *self)
{
  g_return_val_if_fail (self != NULL, GA_CONTACT_TYPE_UNKNOWN);
  return self->type;
}

static GaContactType
type_from_json (JsonObject *object,
                const char *chat_id)
{
  JsonNode *node = json_object_get_member (object, "type");

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *type = json_node_get_string (node);

      if (g_ascii_strcasecmp (type, "user") == 0)
        return GA_CONTACT_TYPE_USER;
      if (g_ascii_strcasecmp (type, "group") == 0)
        return GA_CONTACT_TYPE_GROUP;
    }

  if (g_str_has_suffix (chat_id, "@g.us"))
    return GA_CONTACT_TYPE_GROUP;
  if (g_str_has_suffix (chat_id, "@c.us") || g_str_has_suffix (chat_id, "@lid"))
    return GA_CONTACT_TYPE_USER;

  return GA_CONTACT_TYPE_UNKNOWN;
}

/**
 * ga_contact_list_from_json:
 * @array: the entries, as in a getContacts answer
 *
 * Keeps the entries that are objects with a string `id` of 1 to 512 bytes without white
 * space or control characters, at most %GA_CONTACT_MAX_ENTRIES of them, in order.
 *
 * Returns: (transfer container) (element-type GaContact): the contacts
 */
GPtrArray *
ga_contact_list_from_json (JsonArray *array)
{
  guint n = json_array_get_length (array);
  GPtrArray *contacts = g_ptr_array_new_full (MIN (n, GA_CONTACT_MAX_ENTRIES),
                                              (GDestroyNotify) ga_contact_unref);

  for (guint i = 0; i < n && contacts->len < GA_CONTACT_MAX_ENTRIES; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *id = NULL;
      g_autofree char *name = NULL;
      g_autofree char *contact_name = NULL;
      JsonObject *object;
      gboolean valid = TRUE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);

      id = ga_json_dup_string (object, "id");
      if (id == NULL || strlen (id) > MAX_CHAT_ID_LENGTH)
        continue;
      for (const char *p = id; *p != '\0'; p++)
        {
          if ((guchar) *p <= 0x20 || *p == 0x7f)
            {
              valid = FALSE;
              break;
            }
        }
      if (!valid)
        continue;

      name = ga_json_dup_string (object, "name");
      contact_name = ga_json_dup_string (object, "contactName");
      g_ptr_array_add (contacts, ga_contact_new (id, name, contact_name,
                                                 type_from_json (object, id)));
    }

  return contacts;
}

/**
 * ga_contact_parse_list:
 * @data: the body of an HTTP 200 answer to getContacts (not NUL-terminated)
 * @length: its length
 * @error: a #GA_ERROR: not a JSON array, too large, or an error carried in a 200 body
 *
 * Heavy for a large list (a 10,000-entry answer is about 1 MB): call it off the main thread
 * (ga_contact_list_update_async() does).
 *
 * Returns: (transfer container) (element-type GaContact) (nullable): the contacts, or %NULL
 *   with @error set
 */
GPtrArray *
ga_contact_parse_list (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = ga_json_parse_untrusted (data, length, JSON_NODE_ARRAY, MAX_LIST_PARSE_SIZE,
                                  &local_error);
  if (root == NULL)
    {
      /* An object instead of the list may be an error carried in a 200 answer. */
      if (g_error_matches (local_error, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE))
        {
          g_autoptr(JsonNode) object = ga_json_parse_untrusted (data, length, JSON_NODE_OBJECT,
                                                                MAX_CHECK_PARSE_SIZE, NULL);
          guint code = 0;

          if (object != NULL)
            code = ga_json_get_status (json_node_get_object (object), "code");
          if (code != 0)
            {
              g_propagate_error (error, ga_response_error_from_status (code, "application/json",
                                                                      data, length));
              return NULL;
            }
        }

      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return ga_contact_list_from_json (json_node_get_array (root));
}

/**
 * ga_contact_parse_check_whatsapp:
 * @data: the body of an HTTP 200 answer to checkWhatsapp (not NUL-terminated)
 * @length: its length
 * @exists: (out): whether the number has a WhatsApp account
 * @error: a #GA_ERROR; %GA_ERROR_MALFORMED_RESPONSE when `existsWhatsapp` is not a boolean,
 *   since guessing here would settle "no account" wrongly
 *
 * Returns: %TRUE with @exists set, or %FALSE with @error set
 */
gboolean
ga_contact_parse_check_whatsapp (const char  *data,
                                 gsize        length,
                                 gboolean    *exists,
                                 GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_return_val_if_fail (exists != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *exists = FALSE;

  root = ga_response_parse_object (data, length, MAX_CHECK_PARSE_SIZE, error);
  if (root == NULL)
    return FALSE;
  object = json_node_get_object (root);

  if (!ga_json_get_boolean (object, "existsWhatsapp", exists))
    {
      ga_json_set_malformed (error);
      return FALSE;
    }

  return TRUE;
}
