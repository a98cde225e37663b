/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-json"

#include "config.h"

#include "ga-json.h"

#include "ga-error.h"

#include <glib/gi18n.h>
#include <string.h>

/*
 * The answers beside getAvatar are read with the same rules as ga-response.c: valid UTF-8
 * without NUL bytes, capped in size, nested at most MAX_DEPTH deep (checked before json-glib's
 * recursive parser sees it), and one JSON value with nothing but whitespace after it. Unlike
 * getAvatar, every field only informs: a missing, null or mistyped field is simply absent.
 */

#define MAX_DEPTH 32

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* TRUE when @data is one object or array (by @open) nested at most MAX_DEPTH deep, with
 * only whitespace after it. json-glib 1.6 accepts a second value after the first. */
static gboolean
is_one_shallow_value (const char *data,
                      gsize       length,
                      char        open)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;
  gsize i = 0;

  while (i < length && is_json_space (data[i]))
    i++;

  if (i == length || data[i] != open)
    return FALSE;

  for (; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        {
          in_string = TRUE;
        }
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_DEPTH)
            return FALSE;
        }
      else if (c == '}' || c == ']')
        {
          if (--depth == 0)
            break;
        }
    }

  for (i++; i < length; i++)
    {
      if (!is_json_space (data[i]))
        return FALSE;
    }

  return TRUE;
}

void
ga_json_set_malformed (GError **error)
{
  g_set_error_literal (error, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE,
                       _("The server’s answer could not be understood. Check the API URL in "
                         "Preferences, or try again later."));
}

/**
 * ga_json_parse_untrusted:
 * @data: (nullable): the bytes, not NUL-terminated
 * @length: their length
 * @root_type: %JSON_NODE_OBJECT or %JSON_NODE_ARRAY
 * @max_size: the most bytes accepted
 * @error: %GA_ERROR_TOO_LARGE or %GA_ERROR_MALFORMED_RESPONSE
 *
 * Returns: (transfer full) (nullable): the root node, of @root_type
 */
JsonNode *
ga_json_parse_untrusted (const char    *data,
                         gsize          length,
                         JsonNodeType   root_type,
                         gsize          max_size,
                         GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *copy = NULL;

  g_return_val_if_fail (root_type == JSON_NODE_OBJECT || root_type == JSON_NODE_ARRAY, NULL);

  if (data == NULL)
    length = 0;

  if (length > max_size)
    {
      g_set_error_literal (error, GA_ERROR, GA_ERROR_TOO_LARGE,
                           _("The server’s answer was too large. Try again later."));
      return NULL;
    }

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (length == 0 ||
      !g_utf8_validate_len (data, length, NULL) ||
      !is_one_shallow_value (data, length, root_type == JSON_NODE_OBJECT ? '{' : '['))
    {
      ga_json_set_malformed (error);
      return NULL;
    }

  copy = g_strndup (data, length);
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, copy, length, NULL))
    {
      ga_json_set_malformed (error);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL || JSON_NODE_TYPE (root) != root_type)
    {
      ga_json_set_malformed (error);
      return NULL;
    }

  return g_steal_pointer (&root);
}

/**
 * ga_json_dup_node_string:
 * @node: (nullable): a node
 *
 * Returns: (transfer full) (nullable): a copy of @node's string, cut at its first NUL (an
 *   escaped `\u0000`) and at %GA_JSON_MAX_STRING bytes on a character boundary, made valid
 *   UTF-8; %NULL when @node is not a string or the string is empty
 */
char *
ga_json_dup_node_string (JsonNode *node)
{
  const char *value;
  gsize length;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  value = json_node_get_string (node);
  if (value == NULL || value[0] == '\0')
    return NULL;

  length = strnlen (value, GA_JSON_MAX_STRING + 1);
  if (length > GA_JSON_MAX_STRING)
    {
      length = GA_JSON_MAX_STRING;
      while (length > 0 && ((guchar) value[length] & 0xc0) == 0x80)
        length--;
    }

  /* json-glib turns a lone escaped surrogate into bytes that are not UTF-8. */
  if (!g_utf8_validate_len (value, length, NULL))
    return g_utf8_make_valid (value, length);

  return g_strndup (value, length);
}

char *
ga_json_dup_string (JsonObject *object,
                    const char *name)
{
  return ga_json_dup_node_string (json_object_get_member (object, name));
}

/* Only a JSON boolean counts; anything else leaves @value alone and returns FALSE. */
gboolean
ga_json_get_boolean (JsonObject *object,
                     const char *name,
                     gboolean   *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  *value = json_node_get_boolean (node);
  return TRUE;
}

/* A whole number, given as a JSON integer, a whole double in range, or a string of up to 18
 * digits (some answers quote their times). */
gboolean
ga_json_get_integer (JsonObject *object,
                     const char *name,
                     gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d >= -9.0e15 && d <= 9.0e15 && d == (double) (gint64) d)
        {
          *value = (gint64) d;
          return TRUE;
        }
      return FALSE;
    }

  if (type == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      gsize n = strlen (s);
      gint64 v = 0;

      if (n == 0 || n > 18)
        return FALSE;
      for (gsize i = 0; i < n; i++)
        {
          if (!g_ascii_isdigit (s[i]))
            return FALSE;
          v = v * 10 + (s[i] - '0');
        }
      *value = v;
      return TRUE;
    }

  return FALSE;
}

/* The member as an HTTP error status (300..599), else 0: a 200 answer that carries an error. */
guint
ga_json_get_status (JsonObject *object,
                    const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) == G_TYPE_STRING ||
      !ga_json_get_integer (object, name, &value))
    return 0;

  return value >= 300 && value <= 599 ? (guint) value : 0;
}

JsonObject *
ga_json_get_object (JsonObject *object,
                    const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
ga_json_get_array (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/**
 * ga_json_dup_quota_description:
 * @data: (nullable): the body of a 466 answer
 * @length: its length
 *
 * Returns: (transfer full) (nullable): `invokeStatus.description` (or a top-level
 *   `description`) with control characters turned into spaces, cut at 300 characters
 */
char *
ga_json_dup_quota_description (const char *data,
                               gsize       length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) clean = NULL;
  JsonObject *object;
  JsonObject *status;
  guint chars = 0;

  root = ga_json_parse_untrusted (data, length, JSON_NODE_OBJECT, 64 * 1024, NULL);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  status = ga_json_get_object (object, "invokeStatus");
  if (status != NULL)
    text = ga_json_dup_string (status, "description");
  if (text == NULL)
    text = ga_json_dup_string (object, "description");
  if (text == NULL)
    return NULL;

  clean = g_string_new (NULL);
  for (const char *p = text; *p != '\0' && chars < 300; p = g_utf8_next_char (p), chars++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        c = ' ';
      g_string_append_unichar (clean, c);
    }
  g_strstrip (clean->str);
  if (clean->str[0] == '\0')
    return NULL;

  return g_strdup (clean->str);
}
