/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-response"

#include "config.h"

#include "ga-response.h"

#include "ga-error.h"
#include "ga-json.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

/*
 * How untrusted answers are read, and the choices made where green-api.md leaves room:
 *
 * - A body must be valid UTF-8 without NUL bytes, at most MAX_PARSE_SIZE bytes, nested at most
 *   32 deep (ga-json.c), and be one JSON object with nothing but whitespace after it (not `{}{}`);
 *   otherwise it is %GA_ERROR_MALFORMED_RESPONSE (%GA_ERROR_TOO_LARGE when over the size).
 * - Fields that decide the answer must have the right type: `available` a boolean (or null,
 *   read as missing), `urlAvatar` a string (or null). Any other type (`"available": "yes"`,
 *   a number or an array for `urlAvatar`) makes the answer malformed rather than guessed at.
 *   Fields that only inform (`existsWhatsapp`, `base64Avatar`) are ignored when mistyped.
 * - `urlAvatar` is only passed on when it is an absolute http(s) URL with a host, no user
 *   info, only printable ASCII and at most MAX_URL_LENGTH bytes. `""`, `"null"` and
 *   `"undefined"` are an empty URL. Any other string is not passed on: when no inline image
 *   stands in for it, the answer is malformed, because the server meant to give a picture
 *   and saying "not set" would be wrong.
 * - An object that carries none of the fields of getAvatar is malformed, not "not set".
 * - A `code` member that is an HTTP error status (a 200 answer carrying an error) is mapped
 *   like the status itself.
 * - An old-shape `reason` other than the two known ones, with no picture, is malformed and
 *   quotes the reason.
 */

#define MAX_PARSE_SIZE    (16 * 1024 * 1024)
#define MAX_URL_LENGTH    8192
#define MAX_INLINE_IMAGE  (10 * 1024 * 1024)
#define MAX_DETAIL_INPUT  4096
#define MAX_DETAIL_CHARS  200

/* Parses @data into a JSON object node, or fails with a #GA_ERROR (the checks before json-glib
 * sees the bytes are ga_json_parse_untrusted()'s). */
static JsonNode *
parse_object (const char  *data,
              gsize        length,
              GError     **error)
{
  return ga_json_parse_untrusted (data, length, JSON_NODE_OBJECT, MAX_PARSE_SIZE, error);
}

/* The member @name when it is a string, else NULL. */
static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL &&
      JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  return NULL;
}

static gboolean
member_is_null (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* The member @name as an integer status when it is a whole number in 100..599. */
static guint
get_status_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      gint64 value = json_node_get_int (node);

      if (value >= 100 && value <= 599)
        return (guint) value;
    }
  else if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      if (value >= 100 && value <= 599 && value == (double) (gint64) value)
        return (guint) value;
    }

  return 0;
}

static gboolean
is_url_word (const char *word)
{
  g_autofree char *lower = g_ascii_strdown (word, -1);

  return word[0] == '/' ||
         strstr (lower, "://") != NULL ||
         strstr (lower, "wainstance") != NULL;
}

/*
 * Turns server text into something safe to show: control and format characters (including
 * bidirectional overrides) and runs of white space become one space, words that look like a
 * URL or a request path (which would carry the token) are replaced, and the result is capped
 * at @max_chars characters. Returns NULL when nothing is left or the text is not valid UTF-8.
 */
static char *
sanitize_text (const char *text,
               gsize       length,
               guint       max_chars)
{
  g_autoptr(GString) spaced = NULL;
  g_autoptr(GString) result = NULL;
  g_auto(GStrv) words = NULL;
  guint chars = 0;
  gboolean truncated = FALSE;

  if (text == NULL || length == 0 || !g_utf8_validate_len (text, length, NULL))
    return NULL;

  spaced = g_string_sized_new (length);
  for (const char *p = text; p < text + length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) ||
          g_unichar_iscntrl (c) ||
          g_unichar_type (c) == G_UNICODE_FORMAT ||
          g_unichar_type (c) == G_UNICODE_LINE_SEPARATOR ||
          g_unichar_type (c) == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_string_append_c (spaced, ' ');
      else
        g_string_append_unichar (spaced, c);
    }

  words = g_strsplit (spaced->str, " ", -1);
  result = g_string_new (NULL);
  for (guint i = 0; words[i] != NULL && !truncated; i++)
    {
      const char *word = words[i];

      if (word[0] == '\0')
        continue;

      if (is_url_word (word))
        word = "[…]";

      if (result->len > 0)
        {
          if (chars + 1 > max_chars)
            {
              truncated = TRUE;
              break;
            }
          g_string_append_c (result, ' ');
          chars++;
        }

      for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
        {
          if (chars >= max_chars)
            {
              truncated = TRUE;
              break;
            }
          g_string_append_unichar (result, g_utf8_get_char (p));
          chars++;
        }
    }

  if (result->len == 0)
    return NULL;

  if (truncated)
    {
      /* Do not leave a dangling space before the ellipsis. */
      while (result->len > 0 && result->str[result->len - 1] == ' ')
        g_string_truncate (result, result->len - 1);
      g_string_append (result, "…");
    }

  return g_string_free (g_steal_pointer (&result), FALSE);
}

/* The human-readable message a JSON error body carries, sanitised but not yet capped. */
static char *
detail_from_json_object (JsonObject *object)
{
  static const char * const keys[] = { "message", "description", "error", "reason" };
  JsonNode *node;

  node = json_object_get_member (object, "invokeStatus");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      const char *description = get_string_member (json_node_get_object (node), "description");

      if (description != NULL)
        return sanitize_text (description, strlen (description), MAX_DETAIL_INPUT);
    }

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *value = get_string_member (object, keys[i]);

      if (value != NULL)
        {
          char *text = sanitize_text (value, strlen (value), MAX_DETAIL_INPUT);

          if (text != NULL)
            return text;
          continue;
        }

      /* Some frameworks answer {"message": ["chatId must be ..."]}. */
      node = json_object_get_member (object, keys[i]);
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          g_autoptr(GString) joined = g_string_new (NULL);
          guint n = MIN (json_array_get_length (array), 16);

          for (guint j = 0; j < n; j++)
            {
              JsonNode *element = json_array_get_element (array, j);

              if (!JSON_NODE_HOLDS_VALUE (element) ||
                  json_node_get_value_type (element) != G_TYPE_STRING)
                continue;
              if (joined->len > 0)
                g_string_append (joined, "; ");
              g_string_append (joined, json_node_get_string (element));
            }

          if (joined->len > 0)
            return sanitize_text (joined->str, joined->len, MAX_DETAIL_INPUT);
        }
    }

  return NULL;
}

static gboolean
content_type_contains (const char *content_type,
                       const char *needle)
{
  g_autofree char *lower = NULL;

  if (content_type == NULL)
    return FALSE;

  lower = g_ascii_strdown (content_type, -1);
  return strstr (lower, needle) != NULL;
}

/*
 * Finds the server's own words in an error body: a JSON message, or plain text that really
 * is text. HTML pages (proxies, load balancers) carry nothing a person needs, so they are
 * ignored, as is anything binary.
 */
static char *
detail_from_body (const char *content_type,
                  const char *data,
                  gsize       length)
{
  gsize start = 0;
  gsize n;

  if (data == NULL || length == 0)
    return NULL;

  while (start < length && g_ascii_isspace (data[start]))
    start++;
  if (start == length)
    return NULL;

  /* Servers mislabel bodies both ways, so the first character decides, not the type. */
  if (data[start] == '{' || data[start] == '[')
    {
      g_autoptr(JsonNode) root = parse_object (data, length, NULL);

      if (root == NULL)
        return NULL;

      return detail_from_json_object (json_node_get_object (root));
    }

  if (data[start] == '<' || content_type_contains (content_type, "html") ||
      content_type_contains (content_type, "xml"))
    return NULL;

  /* Plain text: look at a prefix, and only when it is valid UTF-8 without NULs. */
  n = MIN (length - start, MAX_DETAIL_INPUT);
  if (!g_utf8_validate_len (data + start, n, NULL))
    {
      const char *end = NULL;

      g_utf8_validate (data + start, n, &end);
      /* A prefix cut in the middle of a character is fine; anything else is not text. */
      if (n == length - start || (gsize) (data + start + n - end) >= 4 || *end == '\0')
        return NULL;
      n = end - (data + start);
    }

  for (gsize i = 0; i < n; i++)
    {
      guchar c = data[start + i];

      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        return NULL;
    }

  return sanitize_text (data + start, n, MAX_DETAIL_INPUT);
}

static char *
cap_detail (const char *detail)
{
  if (detail == NULL)
    return NULL;

  return sanitize_text (detail, strlen (detail), MAX_DETAIL_CHARS);
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *lower = NULL;

  if (haystack == NULL)
    return FALSE;

  lower = g_utf8_strdown (haystack, -1);
  return strstr (lower, needle) != NULL;
}

static GError *
error_with_detail (GaError     code,
                   const char *message,
                   const char *detail)
{
  g_autofree char *capped = cap_detail (detail);

  if (capped == NULL)
    return g_error_new_literal (GA_ERROR, code, message);

  /* TRANSLATORS: The first %s is a full sentence that explains an error; the second is the
   * server's own explanation, which is usually in English. */
  return g_error_new (GA_ERROR, code, _("%s (server said: “%s”)"), message, capped);
}

/* Classifies a 400 answer by the server's words. */
static GError *
error_from_bad_request (const char *detail)
{
  gboolean starting = contains_ci (detail, "starting");
  gboolean not_authorized = contains_ci (detail, "not authorized") ||
                            contains_ci (detail, "notauthorized");

  /* "instance is starting or not authorized": the server cannot tell which (green-api.md),
   * so the message names both ways out. NOT_AUTHORIZED, because its page links to the
   * console, where the QR code is; waiting is what its Try Again is for. */
  if (starting && not_authorized)
    return error_with_detail (GA_ERROR_NOT_AUTHORIZED,
                              _("The GREEN-API instance is not ready: it is still starting, or "
                                "no phone is linked to it. If you have just started it, wait a "
                                "minute and try again; otherwise link a phone by scanning the "
                                "QR code in the GREEN-API console with WhatsApp on your "
                                "phone."),
                              detail);

  if (starting)
    return error_with_detail (GA_ERROR_STARTING,
                              _("The GREEN-API instance is still starting. Try again in a few "
                                "minutes."),
                              detail);

  if (not_authorized)
    return error_with_detail (GA_ERROR_NOT_AUTHORIZED,
                              _("The GREEN-API instance is not linked to a phone. Link it by "
                                "scanning the QR code in the GREEN-API console with WhatsApp "
                                "on your phone."),
                              detail);

  if (contains_ci (detail, "expired") || contains_ci (detail, "deleted"))
    return error_with_detail (GA_ERROR_EXPIRED,
                              _("The GREEN-API instance has expired or was deleted. Check the "
                                "instance in the GREEN-API console."),
                              detail);

  /* "Validation failed", and a bare 400: the documented 400s about the instance always come
   * with their text, so an answer without any is the invalid request body (the chat ID). */
  if (detail == NULL || contains_ci (detail, "validation") || contains_ci (detail, "chatid") ||
      contains_ci (detail, "bad request data"))
    return error_with_detail (GA_ERROR_INVALID_CHAT_ID,
                              _("GREEN-API rejected the chat ID. Check the phone number or "
                                "chat ID and try again."),
                              detail);

  return error_with_detail (GA_ERROR_HTTP,
                            _("GREEN-API rejected the request (HTTP 400). Check the settings "
                              "in Preferences and try again."),
                            detail);
}

/**
 * ga_response_parse_object:
 * @data: the body of an answer of HTTP 200
 * @length: its length
 * @max_size: the most a body may hold to be parsed
 * @error: return location for a #GError
 *
 * The body of an answer that must be a JSON object, parsed as untrusted
 * (ga_json_parse_untrusted()). The API answers some errors with HTTP 200 and the status in a
 * `code` member: such an answer becomes that status's error (ga_response_error_from_status()).
 *
 * Returns: (transfer full) (nullable): the root, which holds an object; %NULL with @error set
 */
JsonNode *
ga_response_parse_object (const char  *data,
                          gsize        length,
                          gsize        max_size,
                          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  guint code;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = ga_json_parse_untrusted (data, length, JSON_NODE_OBJECT, max_size, error);
  if (root == NULL)
    return NULL;

  code = ga_json_get_status (json_node_get_object (root), "code");
  if (code != 0)
    {
      g_propagate_error (error, ga_response_error_from_status (code, "application/json",
                                                              data, length));
      return NULL;
    }

  return g_steal_pointer (&root);
}

/**
 * ga_response_error_from_status:
 * @status: an HTTP status that is not 2xx
 * @content_type: (nullable): the Content-Type of the body
 * @data: (nullable): the body, which may be JSON, text, HTML or empty
 * @length: its length
 *
 * Maps an HTTP error answer of the API to a #GA_ERROR whose message says what to do and
 * quotes the server's own (sanitised, length-capped) detail when it gave one.
 *
 * Returns: (transfer full): the error
 */
GError *
ga_response_error_from_status (guint        status,
                               const char  *content_type,
                               const char  *data,
                               gsize        length)
{
  g_autofree char *detail = detail_from_body (content_type, data, length);
  g_autofree char *message = NULL;

  switch (status)
    {
    case 400:
      return error_from_bad_request (detail);

    case 401:
      return error_with_detail (GA_ERROR_WRONG_TOKEN,
                                _("GREEN-API did not accept the API token. Check the API token "
                                  "in Preferences."),
                                detail);

    case 403:
      return error_with_detail (GA_ERROR_WRONG_INSTANCE,
                                _("GREEN-API refused access to the instance. Check the "
                                  "instance ID and the API URL in Preferences."),
                                detail);

    case 404:
    case 405:
      message = g_strdup_printf (_("GREEN-API does not know this request (HTTP %u). Check the "
                                   "API URL in Preferences; if it is right, please report a "
                                   "bug in Green Avatar."),
                                 status);
      return error_with_detail (GA_ERROR_WRONG_METHOD, message, detail);

    case 429:
      return error_with_detail (GA_ERROR_RATE_LIMITED,
                                _("GREEN-API received too many requests from this instance. "
                                  "Wait a moment and try again."),
                                detail);

    case 466:
      return error_with_detail (GA_ERROR_QUOTA_EXCEEDED,
                                _("The monthly quota of this GREEN-API instance is used up. It "
                                  "renews on the first day of the month, or upgrade the plan "
                                  "in the GREEN-API console."),
                                detail);

    case 502:
      return error_with_detail (GA_ERROR_UPSTREAM_UNAVAILABLE,
                                _("GREEN-API could not reach WhatsApp. Try again in a few "
                                  "minutes."),
                                detail);

    default:
      break;
    }

  if (status >= 500 && status <= 599)
    {
      message = g_strdup_printf (_("GREEN-API had a problem answering (HTTP %u). Try again "
                                   "later."),
                                 status);
      return error_with_detail (GA_ERROR_SERVER, message, detail);
    }

  if (status >= 300 && status <= 399)
    {
      message = g_strdup_printf (_("GREEN-API sent the request elsewhere (HTTP %u), which Green "
                                   "Avatar does not follow. Check the API URL in Preferences."),
                                 status);
      return error_with_detail (GA_ERROR_HTTP, message, detail);
    }

  message = g_strdup_printf (_("GREEN-API answered with an unexpected error (HTTP %u). Try "
                               "again later."),
                             status);
  return error_with_detail (GA_ERROR_HTTP, message, detail);
}

/* Trims and checks a urlAvatar value; NULL when it is empty or one of the "no URL" words. */
static char *
normalize_url (const char *value,
               gboolean   *invalid)
{
  g_autofree char *url = g_strstrip (g_strdup (value));
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  *invalid = FALSE;

  if (url[0] == '\0' ||
      g_ascii_strcasecmp (url, "null") == 0 ||
      g_ascii_strcasecmp (url, "undefined") == 0)
    return NULL;

  *invalid = TRUE;

  if (strlen (url) > MAX_URL_LENGTH)
    return NULL;

  for (const char *p = url; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
        return NULL;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      host == NULL || host[0] == '\0' ||
      g_uri_get_userinfo (uri) != NULL)
    return NULL;

  *invalid = FALSE;
  return g_steal_pointer (&url);
}

static gboolean
is_base64_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/' || c == '-' || c == '_';
}

/* Decodes a base64Avatar value (raw base64 or a base64 data: URI); NULL when invalid. */
static GBytes *
decode_inline_image (const char *value)
{
  g_autoptr(GString) clean = NULL;
  const char *payload = value;
  guchar *decoded;
  gsize decoded_len = 0;
  guint padding = 0;

  if (g_ascii_strncasecmp (payload, "data:", 5) == 0)
    {
      const char *comma = strchr (payload, ',');
      g_autofree char *header = NULL;

      if (comma == NULL)
        return NULL;

      header = g_ascii_strdown (payload + 5, comma - (payload + 5));
      if (!g_str_has_suffix (header, ";base64"))
        return NULL;

      payload = comma + 1;
    }

  clean = g_string_new (NULL);
  for (const char *p = payload; *p != '\0'; p++)
    {
      char c = *p;

      if (g_ascii_isspace (c))
        continue;

      if (c == '=')
        {
          padding++;
          continue;
        }

      /* Nothing but padding may follow padding. */
      if (padding > 0 || !is_base64_char (c))
        return NULL;

      /* Accept the URL-safe alphabet too. */
      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';

      g_string_append_c (clean, c);

      if (clean->len > (MAX_INLINE_IMAGE / 3 + 1) * 4)
        return NULL;
    }

  if (padding > 2 || clean->len % 4 == 1 || clean->len == 0)
    return NULL;

  while (clean->len % 4 != 0)
    g_string_append_c (clean, '=');

  decoded = (guchar *) g_base64_decode_inplace (clean->str, &decoded_len);
  if (decoded_len == 0 || decoded_len > MAX_INLINE_IMAGE)
    return NULL;

  return g_bytes_new (decoded, decoded_len);
}

/**
 * ga_response_parse_avatar:
 * @data: the body of an HTTP 200 answer to getAvatar (not NUL-terminated)
 * @length: its length
 * @chat_id: the canonical chat ID that was asked for
 * @action: (out) (optional): %GA_RESPONSE_RETRY when the server asks to try again
 * @error: a #GA_ERROR: malformed response, or an error carried in a 200 body
 *   (`{"code": 401}`, `reason: "bad request data"`)
 *
 * Accepts every shape and quirk listed in green-api.md.
 *
 * Returns: (transfer full) (nullable): the avatar info, or %NULL with @error set, or %NULL
 *   without @error when @action is %GA_RESPONSE_RETRY
 */
GaAvatarInfo *
ga_response_parse_avatar (const char        *data,
                          gsize              length,
                          const char        *chat_id,
                          GaResponseAction  *action,
                          GError           **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) inline_image = NULL;
  g_autofree char *url = NULL;
  g_autofree char *reason_text = NULL;
  JsonObject *object;
  JsonNode *node;
  const char *reason;
  const char *base64;
  gboolean available = TRUE;
  gboolean bad_url = FALSE;
  GaAvatarState state;
  guint code;

  g_return_val_if_fail (chat_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (action != NULL)
    *action = GA_RESPONSE_OK;

  root = parse_object (data, length, error);
  if (root == NULL)
    return NULL;

  object = json_node_get_object (root);

  /* An error dressed as a 200 answer: {"code": 401, "description": "Unauthorized"}. */
  code = get_status_member (object, "code");
  if (code >= 300)
    {
      g_propagate_error (error, ga_response_error_from_status (code, "application/json",
                                                              data, length));
      return NULL;
    }

  if (!json_object_has_member (object, "urlAvatar") &&
      !json_object_has_member (object, "available") &&
      !json_object_has_member (object, "existsWhatsapp") &&
      !json_object_has_member (object, "base64Avatar") &&
      !json_object_has_member (object, "reason"))
    {
      ga_json_set_malformed (error);
      return NULL;
    }

  reason = get_string_member (object, "reason");
  if (reason != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (reason));

      if (contains_ci (trimmed, "timeout limit exceeded"))
        {
          if (action != NULL)
            *action = GA_RESPONSE_RETRY;
          else
            g_propagate_error (error,
                               error_with_detail (GA_ERROR_UPSTREAM_UNAVAILABLE,
                                                  _("GREEN-API took too long to find the "
                                                    "picture. Try again in a moment."),
                                                  trimmed));
          return NULL;
        }

      if (contains_ci (trimmed, "bad request data"))
        {
          g_propagate_error (error,
                             error_with_detail (GA_ERROR_INVALID_CHAT_ID,
                                                _("GREEN-API rejected the chat ID. Check the "
                                                  "phone number or chat ID and try again."),
                                                trimmed));
          return NULL;
        }
    }

  node = json_object_get_member (object, "available");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          ga_json_set_malformed (error);
          return NULL;
        }
      available = json_node_get_boolean (node);
    }

  if (!member_is_null (object, "urlAvatar"))
    {
      const char *value = get_string_member (object, "urlAvatar");

      if (value == NULL)
        {
          ga_json_set_malformed (error);
          return NULL;
        }
      url = normalize_url (value, &bad_url);
    }

  base64 = get_string_member (object, "base64Avatar");
  if (base64 != NULL)
    inline_image = decode_inline_image (base64);

  if (url != NULL || inline_image != NULL)
    {
      state = GA_AVATAR_STATE_HAS_AVATAR;
    }
  else if (bad_url)
    {
      ga_json_set_malformed (error);
      return NULL;
    }
  else if ((reason_text = reason != NULL ? sanitize_text (reason, strlen (reason), 1) : NULL))
    {
      /* An old-shape answer whose reason this version does not know. */
      g_propagate_error (error,
                         error_with_detail (GA_ERROR_MALFORMED_RESPONSE,
                                            _("GREEN-API could not look up the picture. Try "
                                              "again later."),
                                            reason));
      return NULL;
    }
  else if (!available)
    {
      state = GA_AVATAR_STATE_PRIVATE;
    }
  else
    {
      /* Also for {"existsWhatsapp": false}: that has been sent for real accounts without a
       * picture, so it cannot tell "no account" from "no picture". */
      state = GA_AVATAR_STATE_NOT_SET;
    }

  return ga_avatar_info_new (chat_id, state, url, available, inline_image);
}

gboolean
ga_response_parse_state (const char       *data,
                         gsize             length,
                         GaInstanceState  *state,
                         GError          **error)
{
  static const struct {
    const char      *name;
    GaInstanceState  state;
  } states[] = {
    { "notAuthorized", GA_INSTANCE_STATE_NOT_AUTHORIZED },
    { "authorized", GA_INSTANCE_STATE_AUTHORIZED },
    { "blocked", GA_INSTANCE_STATE_BLOCKED },
    { "sleepMode", GA_INSTANCE_STATE_SLEEP_MODE },
    { "starting", GA_INSTANCE_STATE_STARTING },
    { "yellowCard", GA_INSTANCE_STATE_YELLOW_CARD },
  };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node;
  const char *value;
  guint code;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (state != NULL)
    *state = GA_INSTANCE_STATE_UNKNOWN;

  root = parse_object (data, length, error);
  if (root == NULL)
    return FALSE;

  object = json_node_get_object (root);

  code = get_status_member (object, "code");
  if (code >= 300)
    {
      g_propagate_error (error, ga_response_error_from_status (code, "application/json",
                                                              data, length));
      return FALSE;
    }

  node = json_object_get_member (object, "stateInstance");
  if (node == NULL)
    {
      ga_json_set_malformed (error);
      return FALSE;
    }

  /* A fresh instance answers null for a few minutes. */
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  value = get_string_member (object, "stateInstance");
  if (value == NULL)
    {
      ga_json_set_malformed (error);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      if (g_ascii_strcasecmp (value, states[i].name) == 0)
        {
          if (state != NULL)
            *state = states[i].state;
          break;
        }
    }

  /* Unknown names stay UNKNOWN: a newer server state is not an error. */
  return TRUE;
}

/**
 * ga_response_describe_state:
 * Returns: a translated sentence that says what @state means, for the settings screen.
 */
const char *
ga_response_describe_state (GaInstanceState state)
{
  switch (state)
    {
    case GA_INSTANCE_STATE_NOT_AUTHORIZED:
      return _("The instance is not linked to a phone. Scan the QR code in the GREEN-API "
               "console with WhatsApp on your phone.");

    case GA_INSTANCE_STATE_AUTHORIZED:
      return _("The instance is linked to a phone and ready.");

    case GA_INSTANCE_STATE_BLOCKED:
      return _("The WhatsApp account of the instance is banned. Contact WhatsApp support or "
               "link another number.");

    case GA_INSTANCE_STATE_SLEEP_MODE:
      return _("The phone linked to the instance is switched off or offline. Turn it on; the "
               "instance can take up to five minutes to become ready.");

    case GA_INSTANCE_STATE_STARTING:
      return _("The instance is starting. Check again in a few minutes.");

    case GA_INSTANCE_STATE_YELLOW_CARD:
      return _("WhatsApp has limited the account of the instance for suspected spam. Looking "
               "up pictures may still work.");

    case GA_INSTANCE_STATE_UNKNOWN:
    default:
      return _("The instance has not reported a known state yet. A new instance needs a few "
               "minutes; check again shortly.");
    }
}
