/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-demo-server"

#include "config.h"

#include "ga-demo-server.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

/* The most a demo request body may be; real ones are a few dozen bytes. */
#define MAX_REQUEST_SIZE 4096

/* How long the slow sample chat makes the app wait. */
#define SLOW_DELAY_MS 2000

#define CHAT_PERSONAL     "15550100001@c.us"
#define CHAT_GROUP        "120363043968066561@g.us"
#define CHAT_PRIVATE      "15550100002@c.us"
#define CHAT_NOT_SET      "15550100003@c.us"
#define CHAT_INVALID      "15550100004@c.us"
#define CHAT_SLOW         "15550100005@c.us"
#define CHAT_RATE_LIMITED "15550100006@c.us"
#define CHAT_BUSINESS     "15550100007@c.us"
#define CHAT_NO_ACCOUNT   "15550100008@c.us"
/* The WhatsApp account the demo instance is linked to. */
#define DEMO_OWN_PHONE    "15550100000"
#define DEMO_OWN_CHAT     DEMO_OWN_PHONE "@c.us"

static const GaDemoChat demo_chats[] = {
  { CHAT_PERSONAL, N_("Personal chat with a picture") },
  { CHAT_GROUP, N_("Group with a picture") },
  { CHAT_PRIVATE, N_("Hidden from the first instance, shown to the second") },
  { CHAT_NOT_SET, N_("No picture set") },
  { CHAT_INVALID, N_("A chat ID the server rejects") },
  { CHAT_SLOW, N_("A slow answer (two seconds)") },
  { CHAT_RATE_LIMITED, N_("Rate limited once, then a picture") },
  { CHAT_BUSINESS, N_("A business account") },
  { CHAT_NO_ACCOUNT, N_("A number without WhatsApp") },
};

/* getContactInfo of the sample chats: names of every kind (an address-book name without a
 * profile name, right-to-left text with emoji, a name that looks like markup) and a
 * business account. Chats not listed answer empty names. */
static const struct
{
  const char *chat_id;
  const char *json;
} demo_cards[] = {
  { CHAT_PERSONAL,
    "{\"chatId\":\"" CHAT_PERSONAL "\",\"name\":\"Anna K.\","
    "\"contactName\":\"Anna Karenina\",\"isBusiness\":false,\"lastSeen\":\"1796395200\"}" },
  { CHAT_PRIVATE,
    "{\"chatId\":\"" CHAT_PRIVATE "\",\"name\":\"\",\"contactName\":\"Mum\","
    "\"isBusiness\":false}" },
  { CHAT_NOT_SET,
    "{\"chatId\":\"" CHAT_NOT_SET "\",\"name\":\"Oleg\",\"contactName\":\"\"}" },
  { CHAT_SLOW,
    "{\"chatId\":\"" CHAT_SLOW "\",\"name\":\"\\u0645\\u0631\\u064a\\u0645 "
    "\\u0627\\u0644\\u062d\\u0633\\u0646 \\ud83c\\udf3f\",\"contactName\":\"\"}" },
  { CHAT_RATE_LIMITED,
    "{\"chatId\":\"" CHAT_RATE_LIMITED "\",\"name\":\"<b>Bold</b> & Co\","
    "\"contactName\":\"\"}" },
  { CHAT_BUSINESS,
    "{\"chatId\":\"" CHAT_BUSINESS "\",\"name\":\"Green Leaf Bakery\","
    "\"contactName\":\"\",\"isBusiness\":true,\"category\":\"Bakery\","
    "\"description\":\"Sourdough, rye and honey cakes baked every morning. Orders for "
    "the next day until 6 pm.\",\"email\":\"hello@greenleaf.example\"}" },
  { CHAT_NO_ACCOUNT,
    "{\"chatId\":\"" CHAT_NO_ACCOUNT "\",\"name\":\"\",\"contactName\":\"\"}" },
};

/* getContacts: the names of the sample chats, as the linked phone knows them. */
static const char demo_contacts[] =
  "[{\"id\":\"" CHAT_PERSONAL "\",\"name\":\"Anna K.\",\"contactName\":\"Anna Karenina\","
  "\"type\":\"user\"},"
  "{\"id\":\"" CHAT_GROUP "\",\"name\":\"Book Club\",\"type\":\"group\"},"
  "{\"id\":\"" CHAT_PRIVATE "\",\"name\":\"\",\"contactName\":\"Mum\",\"type\":\"user\"},"
  "{\"id\":\"" CHAT_NOT_SET "\",\"name\":\"Oleg\",\"type\":\"user\"},"
  "{\"id\":\"" CHAT_BUSINESS "\",\"name\":\"Green Leaf Bakery\",\"type\":\"user\"},"
  "{\"id\":\"" CHAT_RATE_LIMITED "\",\"name\":\"<b>Bold</b> & Co\",\"type\":\"user\"}]";

struct _GaDemoServer
{
  GObject parent_instance;

  SoupServer *server;       /* (owned) */
  char *url;                /* (owned): "http://127.0.0.1:PORT" */
  char *id_instance;        /* (owned) */
  char *other_id_instance;  /* (owned): a second instance, whose account sees more */
  char *token;              /* (owned): random per run, never shown */
  GList *delayed;           /* (owned) (element-type Delayed): answers still waiting */
  guint rate_limit_count;   /* getAvatar requests for the rate-limited chat so far */
};

G_DEFINE_FINAL_TYPE (GaDemoServer, ga_demo_server, G_TYPE_OBJECT)

/* An answer held back to show the spinner; dropped when the client goes away first. */
typedef struct
{
  GaDemoServer *self;       /* (unowned): the server outlives its list */
  SoupServerMessage *msg;   /* (owned) */
  guint timeout_id;
  gulong finished_id;
} Delayed;

static void
delayed_free (Delayed *delayed)
{
  g_clear_handle_id (&delayed->timeout_id, g_source_remove);
  g_clear_signal_handler (&delayed->finished_id, delayed->msg);
  g_clear_object (&delayed->msg);
  g_free (delayed);
}

static void
delayed_remove (Delayed *delayed)
{
  GaDemoServer *self = delayed->self;

  self->delayed = g_list_remove (self->delayed, delayed);
  delayed_free (delayed);
}

static void
set_json (SoupServerMessage *msg,
          guint              status,
          const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg,
                                    "application/json",
                                    SOUP_MEMORY_COPY,
                                    json,
                                    strlen (json));
}

static void
set_avatar_url (GaDemoServer      *self,
                SoupServerMessage *msg,
                const char        *image)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;

  url = g_strdup_printf ("%s/demo/%s.jpg", self->url, image);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "urlAvatar");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "available");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  set_json (msg, SOUP_STATUS_OK, json);
}

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *delayed = user_data;
  g_autoptr(SoupServerMessage) msg = g_object_ref (delayed->msg);
  GaDemoServer *self = delayed->self;

  delayed->timeout_id = 0;
  delayed_remove (delayed);

  set_avatar_url (self, msg, "personal");
  soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

static void
delayed_finished_cb (SoupServerMessage *msg,
                     Delayed           *delayed)
{
  delayed_remove (delayed);
}

/* Reads @name (a string, or an integer given as one) out of a request body, or NULL when the
 * body is not what the API wants. */
static char *
read_member (SoupServerMessage *msg,
             const char        *name)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *member;

  bytes = soup_message_body_flatten (body);
  if (g_bytes_get_size (bytes) == 0 || g_bytes_get_size (bytes) > MAX_REQUEST_SIZE)
    return NULL;

  if (!json_parser_load_from_data (parser,
                                   g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes),
                                   NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  member = json_object_get_member (object, name);
  if (member != NULL && json_node_get_value_type (member) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (member));
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_node_get_string (member));
}

static char *
read_chat_id (SoupServerMessage *msg)
{
  return read_member (msg, "chatId");
}

static void
handle_get_contact_info (SoupServerMessage *msg)
{
  g_autofree char *chat_id = read_member (msg, "chatId");

  if (chat_id == NULL)
    {
      set_json (msg, SOUP_STATUS_BAD_REQUEST,
                "{\"statusCode\":400,\"message\":\"Validation failed\"}");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_cards); i++)
    if (g_str_equal (chat_id, demo_cards[i].chat_id))
      {
        set_json (msg, SOUP_STATUS_OK, demo_cards[i].json);
        return;
      }

  set_json (msg, SOUP_STATUS_OK, "{\"name\":\"\",\"contactName\":\"\"}");
}

/* A group of a dozen in which the linked account is an admin. */
static void
handle_get_group_data (SoupServerMessage *msg)
{
  g_autofree char *group_id = read_member (msg, "groupId");
  g_autoptr(GString) json = NULL;

  if (group_id == NULL || !g_str_equal (group_id, CHAT_GROUP))
    {
      set_json (msg, SOUP_STATUS_BAD_REQUEST,
                "{\"statusCode\":400,\"message\":\"Validation failed\"}");
      return;
    }

  json = g_string_new ("{\"groupId\":\"" CHAT_GROUP "\",\"owner\":\"" CHAT_PERSONAL "\","
                       "\"subject\":\"Book Club\",\"creation\":1700000000,"
                       "\"participants\":[");
  g_string_append (json, "{\"id\":\"" CHAT_PERSONAL "\",\"isAdmin\":true,"
                         "\"isSuperAdmin\":true},");
  g_string_append (json, "{\"id\":\"" DEMO_OWN_CHAT "\",\"isAdmin\":true,"
                         "\"isSuperAdmin\":false}");
  for (guint i = 0; i < 10; i++)
    g_string_append_printf (json, ",{\"id\":\"155501002%02u@c.us\",\"isAdmin\":false,"
                                  "\"isSuperAdmin\":false}", i);
  g_string_append (json, "]}");

  set_json (msg, SOUP_STATUS_OK, json->str);
}

static void
handle_check_whatsapp (SoupServerMessage *msg)
{
  g_autofree char *number = read_member (msg, "phoneNumber");

  if (number == NULL)
    set_json (msg, SOUP_STATUS_BAD_REQUEST,
              "{\"statusCode\":400,\"message\":\"bad phone number, valid 11 or 12 digits\"}");
  else if (g_str_has_prefix (CHAT_NO_ACCOUNT, number) &&
           strlen (number) == strlen (CHAT_NO_ACCOUNT) - strlen ("@c.us"))
    set_json (msg, SOUP_STATUS_OK, "{\"existsWhatsapp\":false}");
  else
    set_json (msg, SOUP_STATUS_OK, "{\"existsWhatsapp\":true}");
}

static void
handle_get_wa_settings (GaDemoServer      *self,
                        SoupServerMessage *msg)
{
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"avatar\":\"%s/demo/group.jpg\",\"phone\":\"" DEMO_OWN_PHONE "\","
                          "\"stateInstance\":\"authorized\",\"deviceId\":\"demo\"}",
                          self->url);
  set_json (msg, SOUP_STATUS_OK, json);
}

static void
handle_get_avatar (GaDemoServer      *self,
                   SoupServerMessage *msg,
                   gboolean           other)
{
  g_autofree char *chat_id = NULL;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      set_json (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "{\"message\":\"Method Not Allowed\"}");
      return;
    }

  chat_id = read_chat_id (msg);
  if (chat_id == NULL)
    {
      set_json (msg,
                SOUP_STATUS_BAD_REQUEST,
                "{\"statusCode\":400,\"message\":\"Validation failed. Details: "
                "\\\"chatId\\\" is required\"}");
      return;
    }

  if (g_str_equal (chat_id, CHAT_PERSONAL))
    {
      set_avatar_url (self, msg, "personal");
    }
  else if (g_str_equal (chat_id, CHAT_GROUP))
    {
      set_avatar_url (self, msg, "group");
    }
  else if (g_str_equal (chat_id, CHAT_PRIVATE))
    {
      /* A contact's privacy settings can hide the picture from one account and show it to
       * another: the second instance's account is one the contact shares it with. */
      if (other)
        set_avatar_url (self, msg, "personal");
      else
        set_json (msg, SOUP_STATUS_OK, "{\"urlAvatar\":\"\",\"available\":false}");
    }
  else if (g_str_equal (chat_id, CHAT_INVALID))
    {
      set_json (msg,
                SOUP_STATUS_BAD_REQUEST,
                "{\"statusCode\":400,\"message\":\"Validation failed. Details: "
                "\\\"chatId\\\" is not a known WhatsApp chat\"}");
    }
  else if (g_str_equal (chat_id, CHAT_SLOW))
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->self = self;
      delayed->msg = g_object_ref (msg);
      delayed->finished_id = g_signal_connect (msg,
                                               "finished",
                                               G_CALLBACK (delayed_finished_cb),
                                               delayed);
      delayed->timeout_id = g_timeout_add (SLOW_DELAY_MS, delayed_cb, delayed);
      self->delayed = g_list_prepend (self->delayed, delayed);
      soup_server_message_pause (msg);
    }
  else if (g_str_equal (chat_id, CHAT_BUSINESS))
    {
      set_avatar_url (self, msg, "personal");
    }
  else if (g_str_equal (chat_id, CHAT_RATE_LIMITED))
    {
      /* Every other request is refused, so each lookup of this chat meets one 429 and the
       * client's automatic retry gets the picture. */
      if (self->rate_limit_count++ % 2 == 0)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After",
                                        "1");
          set_json (msg, 429, "{\"message\":\"Too Many Requests\"}");
        }
      else
        {
          set_avatar_url (self, msg, "personal");
        }
    }
  else
    {
      /* Any other well-formed chat: nothing set, as for a number without an account. */
      set_json (msg, SOUP_STATUS_OK, "{\"urlAvatar\":\"\",\"available\":true}");
    }
}

static void
handle_image (SoupServerMessage *msg,
              const char        *name)
{
  g_autofree char *resource = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (!g_str_equal (name, "personal.jpg") && !g_str_equal (name, "group.jpg"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  resource = g_strconcat (RESOURCE_PREFIX "/demo/", name, NULL);
  bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg,
                                    "image/jpeg",
                                    SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL),
                                    g_bytes_get_size (bytes));
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  GaDemoServer *self = user_data;
  g_auto(GStrv) parts = NULL;
  gboolean other;

  if (g_str_has_prefix (path, "/demo/"))
    {
      handle_image (msg, path + strlen ("/demo/"));
      return;
    }

  /* "/waInstance{id}/{method}/{token}" */
  parts = g_strsplit (path, "/", -1);
  if (g_strv_length (parts) != 4 || !g_str_has_prefix (parts[1], "waInstance"))
    {
      set_json (msg, SOUP_STATUS_NOT_FOUND, "{\"message\":\"Not Found\"}");
      return;
    }

  other = g_str_equal (parts[1] + strlen ("waInstance"), self->other_id_instance);
  if (!other && !g_str_equal (parts[1] + strlen ("waInstance"), self->id_instance))
    {
      set_json (msg, SOUP_STATUS_FORBIDDEN, "{\"message\":\"Forbidden\"}");
      return;
    }

  if (!g_str_equal (parts[3], self->token))
    {
      set_json (msg, SOUP_STATUS_UNAUTHORIZED, "{\"message\":\"Unauthorized\"}");
      return;
    }

  if (g_ascii_strcasecmp (parts[2], "getAvatar") == 0)
    handle_get_avatar (self, msg, other);
  else if (g_ascii_strcasecmp (parts[2], "getStateInstance") == 0)
    set_json (msg, SOUP_STATUS_OK, "{\"stateInstance\":\"authorized\"}");
  else if (g_ascii_strcasecmp (parts[2], "getContactInfo") == 0)
    handle_get_contact_info (msg);
  else if (g_ascii_strcasecmp (parts[2], "getGroupData") == 0)
    handle_get_group_data (msg);
  else if (g_ascii_strcasecmp (parts[2], "checkWhatsapp") == 0)
    handle_check_whatsapp (msg);
  else if (g_ascii_strcasecmp (parts[2], "getWaSettings") == 0)
    handle_get_wa_settings (self, msg);
  else if (g_ascii_strcasecmp (parts[2], "getSettings") == 0)
    set_json (msg, SOUP_STATUS_OK, "{\"wid\":\"" DEMO_OWN_CHAT "\"}");
  else if (g_ascii_strcasecmp (parts[2], "getContacts") == 0)
    set_json (msg, SOUP_STATUS_OK, demo_contacts);
  else
    set_json (msg, SOUP_STATUS_NOT_FOUND, "{\"message\":\"Not Found\"}");
}

static void
ga_demo_server_dispose (GObject *object)
{
  GaDemoServer *self = (GaDemoServer *) object;

  g_list_free_full (g_steal_pointer (&self->delayed), (GDestroyNotify) delayed_free);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (ga_demo_server_parent_class)->dispose (object);
}

static void
ga_demo_server_finalize (GObject *object)
{
  GaDemoServer *self = (GaDemoServer *) object;

  g_free (self->url);
  g_free (self->id_instance);
  g_free (self->other_id_instance);
  g_free (self->token);

  G_OBJECT_CLASS (ga_demo_server_parent_class)->finalize (object);
}

static void
ga_demo_server_class_init (GaDemoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ga_demo_server_dispose;
  object_class->finalize = ga_demo_server_finalize;
}

static void
ga_demo_server_init (GaDemoServer *self)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(GString) token = g_string_new (uuid);

  /* Looks like a real token (hex, no dashes); a new one each run, so nothing can rely on it. */
  g_string_replace (token, "-", "", 0);
  self->token = g_string_free (g_steal_pointer (&token), FALSE);
  self->id_instance = g_strdup ("1101000001");
  self->other_id_instance = g_strdup ("1101000002");
}

/**
 * ga_demo_server_new:
 * @error: a #GIOError when no loopback port could be opened
 *
 * Starts the demo API on 127.0.0.1 with a free port, answering in the thread-default main
 * context.
 *
 * Returns: (transfer full) (nullable): the server, or %NULL with @error set
 */
GaDemoServer *
ga_demo_server_new (GError **error)
{
  g_autoptr(GaDemoServer) self = g_object_new (GA_TYPE_DEMO_SERVER, NULL);
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;
  GUri *uri;

  self->server = soup_server_new ("server-header", PACKAGE_NAME " demo", NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (!soup_server_listen (self->server, address, 0, error))
    return NULL;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  uri = uris->data;
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&self);
}

/* "http://127.0.0.1:PORT", no trailing slash. */
const char *
ga_demo_server_get_url (GaDemoServer *self)
{
  g_return_val_if_fail (GA_IS_DEMO_SERVER (self), NULL);

  return self->url;
}

const char *
ga_demo_server_get_id_instance (GaDemoServer *self)
{
  g_return_val_if_fail (GA_IS_DEMO_SERVER (self), NULL);

  return self->id_instance;
}

/* A second instance of the demo (same token), whose account is shown the picture that the
 * first instance's is told is private. */
const char *
ga_demo_server_get_other_id_instance (GaDemoServer *self)
{
  g_return_val_if_fail (GA_IS_DEMO_SERVER (self), NULL);

  return self->other_id_instance;
}

/* The token of this run: hand it to the credentials, never show or log it. */
const char *
ga_demo_server_get_token (GaDemoServer *self)
{
  g_return_val_if_fail (GA_IS_DEMO_SERVER (self), NULL);

  return self->token;
}

/**
 * ga_demo_server_get_chats:
 * @n_chats: (out): the number of sample chats
 *
 * Returns: (array length=n_chats): the sample chats, one for each state the app can show;
 *   the titles are untranslated (use gettext() on them)
 */
const GaDemoChat *
ga_demo_server_get_chats (guint *n_chats)
{
  g_return_val_if_fail (n_chats != NULL, NULL);

  *n_chats = G_N_ELEMENTS (demo_chats);

  return demo_chats;
}
