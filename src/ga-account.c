/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-account"

#include "config.h"

#include "ga-account.h"

#include "ga-json.h"
#include "ga-response.h"

#include <string.h>

#define MAX_PARSE_SIZE (1024 * 1024)

struct _GaAccount
{
  GObject          parent_instance;

  char            *chat_id;      /* (owned) (nullable) */
  char            *phone;        /* (owned) (nullable) */
  char            *avatar_url;   /* (owned) (nullable) */
  char            *device_id;    /* (owned) (nullable) */
  GaInstanceState  state;
};

G_DEFINE_FINAL_TYPE (GaAccount, ga_account, G_TYPE_OBJECT)

static void
ga_account_finalize (GObject *object)
{
  GaAccount *self = (GaAccount *)object;

  g_free (self->chat_id);
  g_free (self->phone);
  g_free (self->avatar_url);
  g_free (self->device_id);

  G_OBJECT_CLASS (ga_account_parent_class)->finalize (object);
}

static void
ga_account_class_init (GaAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ga_account_finalize;
}

static void
ga_account_init (GaAccount *self)
{
  self->state = GA_INSTANCE_STATE_UNKNOWN;
}

/* The phone number as digits, whether the answer gave a string or a number. */
static char *
dup_phone (JsonObject *object)
{
  char *phone = ga_json_dup_string (object, "phone");
  gint64 value;

  if (phone == NULL && ga_json_get_integer (object, "phone", &value) && value > 0)
    phone = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return phone;
}

/**
 * ga_account_parse_wa_settings:
 * @data: the body of an HTTP 200 answer to getWaSettings (not NUL-terminated)
 * @length: its length
 * @error: a #GA_ERROR
 *
 * Reads `avatar`, `phone`, `stateInstance`, `deviceId` and `chatId`, all optional; avatar,
 * phone and device ID are empty while the instance is not authorized. When `chatId` is
 * missing but `phone` is digits, the chat ID is made from the phone.
 *
 * Returns: (transfer full) (nullable): the account, or %NULL with @error set
 */
GaAccount *
ga_account_parse_wa_settings (const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  GaAccount *self;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = ga_response_parse_object (data, length, MAX_PARSE_SIZE, error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  self = g_object_new (GA_TYPE_ACCOUNT, NULL);
  self->avatar_url = ga_json_dup_string (object, "avatar");
  self->phone = dup_phone (object);
  self->device_id = ga_json_dup_string (object, "deviceId");
  self->chat_id = ga_json_dup_string (object, "chatId");
  if (self->chat_id == NULL && self->phone != NULL && strlen (self->phone) <= 20 &&
      strspn (self->phone, "0123456789") == strlen (self->phone))
    self->chat_id = g_strconcat (self->phone, "@c.us", NULL);

  /* The same rules as getStateInstance's answer; a missing or odd state stays UNKNOWN. */
  if (!ga_response_parse_state (data, length, &self->state, NULL))
    self->state = GA_INSTANCE_STATE_UNKNOWN;

  return self;
}

/**
 * ga_account_parse_settings:
 * @data: the body of an HTTP 200 answer to getSettings (not NUL-terminated)
 * @length: its length
 * @error: a #GA_ERROR
 *
 * Reads `wid`, the account's own chat ID, as the chat ID; the webhook settings are not kept.
 *
 * Returns: (transfer full) (nullable): the account, or %NULL with @error set
 */
GaAccount *
ga_account_parse_settings (const char  *data,
                           gsize        length,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  GaAccount *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = ga_response_parse_object (data, length, MAX_PARSE_SIZE, error);
  if (root == NULL)
    return NULL;

  self = g_object_new (GA_TYPE_ACCOUNT, NULL);
  self->chat_id = ga_json_dup_string (json_node_get_object (root), "wid");

  return self;
}

/* The account's own chat ID, e.g. `79001234567@c.us`: getAvatar of it is the own picture. */
const char *
ga_account_get_chat_id (GaAccount *self)
{
  g_return_val_if_fail (GA_IS_ACCOUNT (self), NULL);
  return self->chat_id;
}

const char *
ga_account_get_phone (GaAccount *self)
{
  g_return_val_if_fail (GA_IS_ACCOUNT (self), NULL);
  return self->phone;
}

/* The 96x96 thumbnail URL of the account's picture (getWaSettings only). */
const char *
ga_account_get_avatar_url (GaAccount *self)
{
  g_return_val_if_fail (GA_IS_ACCOUNT (self), NULL);
  return self->avatar_url;
}

const char *
ga_account_get_device_id (GaAccount *self)
{
  g_return_val_if_fail (GA_IS_ACCOUNT (self), NULL);
  return self->device_id;
}

GaInstanceState
ga_account_get_state (GaAccount *self)
{
  g_return_val_if_fail (GA_IS_ACCOUNT (self), GA_INSTANCE_STATE_UNKNOWN);
  return self->state;
}
