/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-error.h"
#include "ga-response.h"
#include "ga-test-server.h"

#include <string.h>

#define CHAT_ID "11001234567@c.us"
#define PICTURE "https://pps.whatsapp.net/v/t61.24694-24/123_n.jpg?ccb=11-4&oh=01_AV&oe=66041D5F"
#define NO_ERROR -1
#define NO_STATE -1

typedef struct
{
  const char *name;
  const char *body;
  int         error;     /* a GaError, or NO_ERROR */
  int         state;     /* a GaAvatarState, or NO_STATE */
  const char *url;       /* expected URL, or NULL */
  gboolean    available;
  gboolean    retry;
  gsize       inline_len;
} AvatarCase;

static const AvatarCase avatar_cases[] = {
  /* The table of green-api.md. */
  { "picture", "{\"urlAvatar\": \"" PICTURE "\", \"available\": true}",
    NO_ERROR, GA_AVATAR_STATE_HAS_AVATAR, PICTURE, TRUE },
  { "private", "{\"urlAvatar\": \"\", \"available\": false}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },
  { "not-set", "{\"urlAvatar\": \"\", \"available\": true}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },

  /* Empty URLs in all their spellings. */
  { "url-null", "{\"urlAvatar\": null, \"available\": false}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },
  { "url-missing", "{\"available\": false}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },
  { "url-string-null", "{\"urlAvatar\": \"null\", \"available\": true}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },
  { "url-string-undefined", "{\"urlAvatar\": \"undefined\", \"available\": false}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },
  { "url-blank", "{\"urlAvatar\": \"   \", \"available\": true}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },
  { "url-padded", "{\"urlAvatar\": \"  " PICTURE "\\n\", \"available\": true}",
    NO_ERROR, GA_AVATAR_STATE_HAS_AVATAR, PICTURE, TRUE },
  { "url-http", "{\"urlAvatar\": \"http://example.com/a.jpg\"}",
    NO_ERROR, GA_AVATAR_STATE_HAS_AVATAR, "http://example.com/a.jpg", TRUE },
  { "url-picture-but-unavailable", "{\"urlAvatar\": \"" PICTURE "\", \"available\": false}",
    NO_ERROR, GA_AVATAR_STATE_HAS_AVATAR, PICTURE, FALSE },

  /* available missing or null. */
  { "available-missing-empty", "{\"urlAvatar\": \"\"}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },
  { "available-missing-picture", "{\"urlAvatar\": \"" PICTURE "\"}",
    NO_ERROR, GA_AVATAR_STATE_HAS_AVATAR, PICTURE, TRUE },
  { "available-null", "{\"urlAvatar\": \"\", \"available\": null}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },

  /* The older shape. */
  { "old-picture", "{\"existsWhatsapp\": true, \"urlAvatar\": \"" PICTURE "\", \"reason\": \"\"}",
    NO_ERROR, GA_AVATAR_STATE_HAS_AVATAR, PICTURE, TRUE },
  { "old-no-account", "{\"existsWhatsapp\": false, \"urlAvatar\": \"\"}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },
  { "old-exists-false-alone", "{\"existsWhatsapp\": false}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },
  { "old-exists-true-alone", "{\"existsWhatsapp\": true}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },
  { "old-bad-request", "{\"existsWhatsapp\": false, \"urlAvatar\": \"\", \"reason\": \"bad request data\"}",
    GA_ERROR_INVALID_CHAT_ID },
  { "old-bad-request-case", "{\"reason\": \" Bad Request Data \"}",
    GA_ERROR_INVALID_CHAT_ID },
  { "old-timeout", "{\"existsWhatsapp\": true, \"urlAvatar\": \"\", \"reason\": \"get avatar timeout limit exceeded\"}",
    NO_ERROR, NO_STATE, NULL, FALSE, TRUE },
  { "old-unknown-reason", "{\"urlAvatar\": \"\", \"reason\": \"something new\"}",
    GA_ERROR_MALFORMED_RESPONSE },
  { "old-exists-wrong-type", "{\"existsWhatsapp\": \"no\", \"urlAvatar\": \"\"}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },

  /* Errors in a 200 body. */
  { "code-401", "{\"code\": 401, \"description\": \"Unauthorized\"}", GA_ERROR_WRONG_TOKEN },
  { "code-403", "{\"code\": 403, \"description\": \"Forbidden\"}", GA_ERROR_WRONG_INSTANCE },
  { "code-429", "{\"code\": 429}", GA_ERROR_RATE_LIMITED },
  { "code-466", "{\"code\": 466, \"invokeStatus\": {\"description\": \"Quota\"}}",
    GA_ERROR_QUOTA_EXCEEDED },
  { "code-500", "{\"code\": 500.0}", GA_ERROR_SERVER },
  { "code-200", "{\"code\": 200, \"urlAvatar\": \"\", \"available\": false}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },
  { "code-string", "{\"code\": \"401\", \"urlAvatar\": \"\", \"available\": false}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },
  { "code-absurd", "{\"code\": 99999, \"urlAvatar\": \"\"}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },

  /* Inline pictures: "\x89PNG\r\n\x1a\n" is 8 bytes. */
  { "base64-raw", "{\"urlAvatar\": \"\", \"available\": true, \"base64Avatar\": \"iVBORw0KGgo=\"}",
    NO_ERROR, GA_AVATAR_STATE_HAS_AVATAR, NULL, TRUE, FALSE, 8 },
  { "base64-unpadded", "{\"base64Avatar\": \"iVBORw0KGgo\"}",
    NO_ERROR, GA_AVATAR_STATE_HAS_AVATAR, NULL, TRUE, FALSE, 8 },
  { "base64-wrapped", "{\"base64Avatar\": \"iVBO\\nRw0K\\r\\nGgo=\"}",
    NO_ERROR, GA_AVATAR_STATE_HAS_AVATAR, NULL, TRUE, FALSE, 8 },
  { "base64-data-uri", "{\"urlAvatar\": \"" PICTURE "\", \"base64Avatar\": \"data:image/png;base64,iVBORw0KGgo=\"}",
    NO_ERROR, GA_AVATAR_STATE_HAS_AVATAR, PICTURE, TRUE, FALSE, 8 },
  { "base64-data-uri-not-base64", "{\"available\": false, \"base64Avatar\": \"data:image/png,abc\"}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },
  { "base64-invalid", "{\"available\": false, \"base64Avatar\": \"!!not base64!!\"}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },
  { "base64-data-after-padding", "{\"available\": true, \"base64Avatar\": \"iVBO=Rw0K\"}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },
  { "base64-one-char", "{\"available\": true, \"base64Avatar\": \"i\"}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },
  { "base64-empty", "{\"available\": true, \"base64Avatar\": \"\"}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },
  { "base64-wrong-type", "{\"available\": true, \"base64Avatar\": [1, 2]}",
    NO_ERROR, GA_AVATAR_STATE_NOT_SET, NULL, TRUE },
  { "base64-with-bad-url", "{\"urlAvatar\": \"not a url\", \"base64Avatar\": \"iVBORw0KGgo=\"}",
    NO_ERROR, GA_AVATAR_STATE_HAS_AVATAR, NULL, TRUE, FALSE, 8 },

  /* URLs that must not be passed on. */
  { "url-relative", "{\"urlAvatar\": \"/v/t61/123_n.jpg\", \"available\": true}",
    GA_ERROR_MALFORMED_RESPONSE },
  { "url-file", "{\"urlAvatar\": \"file:///etc/passwd\", \"available\": true}",
    GA_ERROR_MALFORMED_RESPONSE },
  { "url-javascript", "{\"urlAvatar\": \"javascript:alert(1)\"}", GA_ERROR_MALFORMED_RESPONSE },
  { "url-no-host", "{\"urlAvatar\": \"https:///a.jpg\"}", GA_ERROR_MALFORMED_RESPONSE },
  { "url-userinfo", "{\"urlAvatar\": \"https://user:pw@example.com/a.jpg\"}",
    GA_ERROR_MALFORMED_RESPONSE },
  { "url-space", "{\"urlAvatar\": \"https://example.com/a b.jpg\"}", GA_ERROR_MALFORMED_RESPONSE },
  { "url-control", "{\"urlAvatar\": \"https://example.com/\\u0001.jpg\"}",
    GA_ERROR_MALFORMED_RESPONSE },
  { "url-non-ascii", "{\"urlAvatar\": \"https://пример.рф/a.jpg\"}", GA_ERROR_MALFORMED_RESPONSE },
  { "url-word", "{\"urlAvatar\": \"none\", \"available\": true}", GA_ERROR_MALFORMED_RESPONSE },

  /* Wrong types where they decide the answer. */
  { "available-string", "{\"urlAvatar\": \"\", \"available\": \"yes\"}",
    GA_ERROR_MALFORMED_RESPONSE },
  { "available-number", "{\"urlAvatar\": \"\", \"available\": 1}", GA_ERROR_MALFORMED_RESPONSE },
  { "available-array", "{\"urlAvatar\": \"\", \"available\": [true]}",
    GA_ERROR_MALFORMED_RESPONSE },
  { "url-number", "{\"urlAvatar\": 42, \"available\": true}", GA_ERROR_MALFORMED_RESPONSE },
  { "url-array", "{\"urlAvatar\": [\"" PICTURE "\"]}", GA_ERROR_MALFORMED_RESPONSE },
  { "url-object", "{\"urlAvatar\": {\"href\": \"" PICTURE "\"}}", GA_ERROR_MALFORMED_RESPONSE },
  { "url-bool", "{\"urlAvatar\": true}", GA_ERROR_MALFORMED_RESPONSE },
  { "reason-number", "{\"urlAvatar\": \"\", \"available\": false, \"reason\": 5}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },

  /* Not an answer at all. */
  { "empty-object", "{}", GA_ERROR_MALFORMED_RESPONSE },
  { "unrelated-object", "{\"message\": \"hello\"}", GA_ERROR_MALFORMED_RESPONSE },
  { "array-root", "[{\"urlAvatar\": \"\", \"available\": true}]", GA_ERROR_MALFORMED_RESPONSE },
  { "string-root", "\"urlAvatar\"", GA_ERROR_MALFORMED_RESPONSE },
  { "number-root", "42", GA_ERROR_MALFORMED_RESPONSE },
  { "null-root", "null", GA_ERROR_MALFORMED_RESPONSE },
  { "empty", "", GA_ERROR_MALFORMED_RESPONSE },
  { "whitespace", "  \n ", GA_ERROR_MALFORMED_RESPONSE },
  { "truncated", "{\"urlAvatar\": \"https://pps.whatsapp.net/v/t61", GA_ERROR_MALFORMED_RESPONSE },
  { "truncated-2", "{\"urlAvatar\": \"\", \"available\": tr", GA_ERROR_MALFORMED_RESPONSE },
  { "trailing-garbage", "{\"urlAvatar\": \"\", \"available\": true} x", GA_ERROR_MALFORMED_RESPONSE },
  { "plain-text", "OK", GA_ERROR_MALFORMED_RESPONSE },
  { "html", "<html><body>Bad gateway</body></html>", GA_ERROR_MALFORMED_RESPONSE },
  { "bom", "\xef\xbb\xbf{\"urlAvatar\": \"\", \"available\": false}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },
  { "invalid-utf8", "{\"urlAvatar\": \"\xff\xfe\", \"available\": true}",
    GA_ERROR_MALFORMED_RESPONSE },
  { "overlong-utf8", "{\"urlAvatar\": \"\xc0\xaf\", \"available\": true}",
    GA_ERROR_MALFORMED_RESPONSE },
  { "nested-fine", "{\"urlAvatar\": \"\", \"available\": false, \"x\": [[[{\"a\": [1]}]]]}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },
  { "brackets-in-strings", "{\"urlAvatar\": \"\", \"available\": false, \"x\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\"}",
    NO_ERROR, GA_AVATAR_STATE_PRIVATE, NULL, FALSE },
};

static void
test_avatar_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (avatar_cases); i++)
    {
      const AvatarCase *c = &avatar_cases[i];
      g_autoptr(GaAvatarInfo) info = NULL;
      g_autoptr(GError) error = NULL;
      GaResponseAction action = GA_RESPONSE_OK;

      g_test_message ("case %s", c->name);

      info = ga_response_parse_avatar (c->body, strlen (c->body), CHAT_ID, &action, &error);

      if (c->retry)
        {
          g_assert_null (info);
          g_assert_no_error (error);
          g_assert_cmpint (action, ==, GA_RESPONSE_RETRY);
          continue;
        }

      g_assert_cmpint (action, ==, GA_RESPONSE_OK);

      if (c->error != NO_ERROR)
        {
          g_assert_error (error, GA_ERROR, c->error);
          g_assert_null (info);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          continue;
        }

      g_assert_no_error (error);
      g_assert_nonnull (info);
      g_assert_cmpstr (ga_avatar_info_get_chat_id (info), ==, CHAT_ID);
      g_assert_cmpint (ga_avatar_info_get_state (info), ==, c->state);
      g_assert_cmpstr (ga_avatar_info_get_url (info), ==, c->url);
      g_assert_cmpint (ga_avatar_info_get_available (info), ==, c->available);
      if (c->inline_len > 0)
        {
          GBytes *bytes = ga_avatar_info_get_inline_image (info);
          gsize len;
          const guchar *data;

          g_assert_nonnull (bytes);
          data = g_bytes_get_data (bytes, &len);
          g_assert_cmpuint (len, ==, c->inline_len);
          g_assert_cmpmem (data, 4, "\x89PNG", 4);
        }
      else
        {
          g_assert_null (ga_avatar_info_get_inline_image (info));
        }
    }
}

/* Without an action to report, the transient timeout becomes an error instead. */
static void
test_avatar_retry_without_action (void)
{
  const char *body = "{\"reason\": \"get avatar timeout limit exceeded\"}";
  g_autoptr(GaAvatarInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = ga_response_parse_avatar (body, strlen (body), CHAT_ID, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, GA_ERROR, GA_ERROR_UPSTREAM_UNAVAILABLE);
}

static void
test_avatar_code_401_message (void)
{
  const char *body = "{\"code\": 401, \"description\": \"Unauthorized\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GaAvatarInfo) info = NULL;

  info = ga_response_parse_avatar (body, strlen (body), CHAT_ID, NULL, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_WRONG_TOKEN);
  g_assert_nonnull (strstr (error->message, "API token"));
  g_assert_nonnull (strstr (error->message, "Unauthorized"));
}

static void
test_avatar_not_nul_terminated (void)
{
  const char *body = "{\"urlAvatar\": \"\", \"available\": false}GARBAGE";
  g_autoptr(GaAvatarInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  /* Only the given length counts. */
  info = ga_response_parse_avatar (body, strlen (body) - strlen ("GARBAGE"), CHAT_ID, NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpint (ga_avatar_info_get_state (info), ==, GA_AVATAR_STATE_PRIVATE);
}

static void
test_avatar_embedded_nul (void)
{
  static const char body[] = "{\"urlAvatar\": \"https://a.example/\0x\", \"available\": true}";
  static const char body2[] = "{\"urlAvatar\": \"\", \"available\": false}\0";
  g_autoptr(GaAvatarInfo) info = NULL;
  g_autoptr(GaAvatarInfo) info2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  info = ga_response_parse_avatar (body, sizeof body - 1, CHAT_ID, NULL, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
  g_assert_null (info);

  info2 = ga_response_parse_avatar (body2, sizeof body2 - 1, CHAT_ID, NULL, &error2);
  g_assert_error (error2, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
  g_assert_null (info2);
}

/* json-glib 1.6 takes `{}{}` and `0{}` for their first value and leaks the second: a body is
 * one object, with whitespace around it and nothing else. */
static void
test_avatar_trailing_value (void)
{
  static const char * const bodies[] = {
    "{\"urlAvatar\": \"\", \"available\": false}{\"urlAvatar\": \"https://a.example/x.jpg\"}",
    "{\"urlAvatar\": \"\", \"available\": false} {}",
    "{\"urlAvatar\": \"\", \"available\": false} 0",
    "{\"urlAvatar\": \"\", \"available\": false}}",
    "0{\"urlAvatar\": \"\", \"available\": false}",
    "[]{\"urlAvatar\": \"\", \"available\": false}",
    "\"x\"{\"urlAvatar\": \"\", \"available\": false}",
  };
  const char *spaced = " \r\n{\"urlAvatar\": \"\", \"available\": false}\r\n\t ";
  const char *states = "{\"stateInstance\": \"authorized\"}{\"stateInstance\": \"blocked\"}";
  const char *details = "{\"description\": \"first\"}{\"description\": \"second\"}";
  g_autoptr(GaAvatarInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) state_error = NULL;
  g_autoptr(GError) status_error = NULL;
  GaInstanceState state;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GaAvatarInfo) refused = NULL;
      g_autoptr(GError) refused_error = NULL;

      g_test_message ("body %u", i);
      refused = ga_response_parse_avatar (bodies[i], strlen (bodies[i]), CHAT_ID, NULL,
                                          &refused_error);
      g_assert_error (refused_error, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
      g_assert_null (refused);
    }

  info = ga_response_parse_avatar (spaced, strlen (spaced), CHAT_ID, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ga_avatar_info_get_state (info), ==, GA_AVATAR_STATE_PRIVATE);

  g_assert_false (ga_response_parse_state (states, strlen (states), &state, &state_error));
  g_assert_error (state_error, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);

  /* The error mapper sees the same bodies and just finds no detail in them. */
  status_error = ga_response_error_from_status (401, "application/json",
                                                details, strlen (details));
  g_assert_error (status_error, GA_ERROR, GA_ERROR_WRONG_TOKEN);
  g_assert_null (strstr (status_error->message, "first"));
  g_assert_null (strstr (status_error->message, "second"));
}

static void
test_avatar_null_data (void)
{
  g_autoptr(GaAvatarInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = ga_response_parse_avatar (NULL, 0, CHAT_ID, NULL, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
  g_assert_null (info);
}

static char *
make_nested (guint       depth,
             const char *open,
             const char *close)
{
  GString *s = g_string_new ("{\"urlAvatar\": \"\", \"available\": false, \"x\": ");

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append (s, close);
  g_string_append (s, "}");

  return g_string_free (s, FALSE);
}

static void
test_avatar_deep_nesting (void)
{
  const guint depths[] = { 100, 10000, 1000000 };

  for (guint i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      g_autofree char *arrays = make_nested (depths[i], "[", "]");
      g_autofree char *objects = make_nested (depths[i], "{\"a\":", "}");
      g_autofree char *unclosed = g_strnfill (depths[i], '[');
      g_autoptr(GError) e1 = NULL;
      g_autoptr(GError) e2 = NULL;
      g_autoptr(GError) e3 = NULL;
      GaInstanceState state;

      g_assert_null (ga_response_parse_avatar (arrays, strlen (arrays), CHAT_ID, NULL, &e1));
      g_assert_error (e1, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
      g_assert_null (ga_response_parse_avatar (objects, strlen (objects), CHAT_ID, NULL, &e2));
      g_assert_error (e2, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
      g_assert_false (ga_response_parse_state (unclosed, strlen (unclosed), &state, &e3));
      g_assert_error (e3, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);

      /* The error mapper sees the same bodies and just finds no detail in them. */
      {
        g_autoptr(GError) e4 = ga_response_error_from_status (401, "application/json",
                                                              objects, strlen (objects));
        g_assert_error (e4, GA_ERROR, GA_ERROR_WRONG_TOKEN);
        g_assert_null (strstr (e4->message, "server said"));
      }
    }
}

static void
test_avatar_large (void)
{
  g_autoptr(GString) body = NULL;
  g_autoptr(GaAvatarInfo) info = NULL;
  g_autoptr(GaAvatarInfo) big_info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) too_large = NULL;
  g_autofree char *encoded = NULL;
  g_autofree guchar *raw = NULL;
  gsize raw_len = 11 * 1024 * 1024;

  /* A valid answer padded with a large unrelated member is still read. */
  body = g_string_new ("{\"urlAvatar\": \"\", \"available\": false, \"pad\": \"");
  for (guint i = 0; i < 1024 * 1024; i++)
    g_string_append_c (body, 'a' + i % 26);
  g_string_append (body, "\"}");
  info = ga_response_parse_avatar (body->str, body->len, CHAT_ID, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ga_avatar_info_get_state (info), ==, GA_AVATAR_STATE_PRIVATE);

  /* An inline picture over the cap is ignored, not fatal. */
  raw = g_malloc0 (raw_len);
  encoded = g_base64_encode (raw, raw_len);
  g_string_printf (body, "{\"urlAvatar\": \"\", \"available\": true, \"base64Avatar\": \"%s\"}",
                   encoded);
  g_clear_object (&info);
  info = ga_response_parse_avatar (body->str, body->len, CHAT_ID, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ga_avatar_info_get_state (info), ==, GA_AVATAR_STATE_NOT_SET);
  g_assert_null (ga_avatar_info_get_inline_image (info));

  /* A body over the parser's own cap is refused before parsing. */
  while (body->len <= 17 * 1024 * 1024)
    g_string_append (body, "                                ");
  big_info = ga_response_parse_avatar (body->str, body->len, CHAT_ID, NULL, &too_large);
  g_assert_null (big_info);
  g_assert_error (too_large, GA_ERROR, GA_ERROR_TOO_LARGE);
}

typedef struct
{
  const char *body;
  int         error;
  int         state;
} StateCase;

static const StateCase state_cases[] = {
  { "{\"stateInstance\": \"authorized\"}", NO_ERROR, GA_INSTANCE_STATE_AUTHORIZED },
  { "{\"stateInstance\": \"notAuthorized\"}", NO_ERROR, GA_INSTANCE_STATE_NOT_AUTHORIZED },
  { "{\"stateInstance\": \"blocked\"}", NO_ERROR, GA_INSTANCE_STATE_BLOCKED },
  { "{\"stateInstance\": \"sleepMode\"}", NO_ERROR, GA_INSTANCE_STATE_SLEEP_MODE },
  { "{\"stateInstance\": \"starting\"}", NO_ERROR, GA_INSTANCE_STATE_STARTING },
  { "{\"stateInstance\": \"yellowCard\"}", NO_ERROR, GA_INSTANCE_STATE_YELLOW_CARD },
  { "{\"stateInstance\": \"AUTHORIZED\"}", NO_ERROR, GA_INSTANCE_STATE_AUTHORIZED },
  { "{\"stateInstance\": null}", NO_ERROR, GA_INSTANCE_STATE_UNKNOWN },
  { "{\"stateInstance\": \"somethingNew\"}", NO_ERROR, GA_INSTANCE_STATE_UNKNOWN },
  { "{\"stateInstance\": \"\"}", NO_ERROR, GA_INSTANCE_STATE_UNKNOWN },
  { "{\"stateInstance\": 3}", GA_ERROR_MALFORMED_RESPONSE },
  { "{\"stateInstance\": [\"authorized\"]}", GA_ERROR_MALFORMED_RESPONSE },
  { "{\"stateInstance\": true}", GA_ERROR_MALFORMED_RESPONSE },
  { "{}", GA_ERROR_MALFORMED_RESPONSE },
  { "[]", GA_ERROR_MALFORMED_RESPONSE },
  { "null", GA_ERROR_MALFORMED_RESPONSE },
  { "", GA_ERROR_MALFORMED_RESPONSE },
  { "authorized", GA_ERROR_MALFORMED_RESPONSE },
  { "{\"stateInstance\": \"authori", GA_ERROR_MALFORMED_RESPONSE },
  { "{\"stateInstance\": \"\xff\"}", GA_ERROR_MALFORMED_RESPONSE },
  { "{\"code\": 401, \"description\": \"Unauthorized\"}", GA_ERROR_WRONG_TOKEN },
  { "{\"code\": 466, \"invokeStatus\": {\"description\": \"Quota\"}}", GA_ERROR_QUOTA_EXCEEDED },
};

static void
test_state_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_cases); i++)
    {
      const StateCase *c = &state_cases[i];
      g_autoptr(GError) error = NULL;
      GaInstanceState state = GA_INSTANCE_STATE_YELLOW_CARD;
      gboolean ok;

      g_autofree char *escaped = g_strescape (c->body, NULL);

      g_test_message ("case %u: %s", i, escaped);
      ok = ga_response_parse_state (c->body, strlen (c->body), &state, &error);
      if (c->error != NO_ERROR)
        {
          g_assert_false (ok);
          g_assert_error (error, GA_ERROR, c->error);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (state, ==, c->state);
        }
    }
}

static void
test_describe_state (void)
{
  const char *seen[GA_INSTANCE_STATE_YELLOW_CARD + 1] = { NULL, };

  for (guint i = 0; i <= GA_INSTANCE_STATE_YELLOW_CARD; i++)
    {
      const char *text = ga_response_describe_state (i);

      g_assert_nonnull (text);
      g_assert_cmpuint (strlen (text), >, 10);
      g_assert_true (g_str_has_suffix (text, "."));
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (seen[j], !=, text);
      seen[i] = text;
    }

  g_assert_nonnull (strstr (ga_response_describe_state (GA_INSTANCE_STATE_NOT_AUTHORIZED),
                            "QR code"));
  /* Values from a newer version fall back to the unknown text. */
  g_assert_cmpstr (ga_response_describe_state ((GaInstanceState) 99), ==,
                   ga_response_describe_state (GA_INSTANCE_STATE_UNKNOWN));
}

typedef struct
{
  guint       status;
  const char *content_type;
  const char *body;
  int         error;
  const char *contains;     /* in the message, or NULL */
  const char *not_contains; /* never in the message, or NULL */
} StatusCase;

#define JSON "application/json"
#define TEXT "text/plain"
#define HTML "text/html"

static const StatusCase status_cases[] = {
  /* 400 by what the server said. */
  { 400, JSON, "{\"statusCode\": 400, \"message\": \"Validation failed. Details: chatId is invalid\"}",
    GA_ERROR_INVALID_CHAT_ID, "server said: “Validation failed. Details: chatId is invalid”" },
  { 400, TEXT, "Bad Request Validation failed", GA_ERROR_INVALID_CHAT_ID, "chat ID" },
  { 400, JSON, "{\"message\": [\"chatId must be a string\", \"other\"]}",
    GA_ERROR_INVALID_CHAT_ID, "chatId must be a string; other" },
  { 400, TEXT, "instance in starting process try later", GA_ERROR_STARTING, "starting" },
  { 400, JSON, "{\"message\": \"instance is starting or not authorized\"}",
    GA_ERROR_NOT_AUTHORIZED, "QR code" },
  { 400, TEXT, "instance account not authorized", GA_ERROR_NOT_AUTHORIZED, "QR code" },
  { 400, JSON, "{\"description\": \"Instance account is expired. Pay the plan\"}",
    GA_ERROR_EXPIRED, "expired" },
  { 400, TEXT, "Instance is deleted", GA_ERROR_EXPIRED, "Instance is deleted" },
  { 400, NULL, "", GA_ERROR_INVALID_CHAT_ID, NULL, "server said" },
  { 400, HTML, "<html><title>400 Bad Request</title></html>", GA_ERROR_INVALID_CHAT_ID, NULL,
    "<" },
  { 400, TEXT, "Something else entirely", GA_ERROR_HTTP, "Something else entirely" },

  { 401, NULL, "", GA_ERROR_WRONG_TOKEN, "Check the API token in Preferences", "server said" },
  { 401, JSON, "{\"description\": \"Unauthorized\"}", GA_ERROR_WRONG_TOKEN, "Unauthorized" },
  { 403, TEXT, "Forbidden", GA_ERROR_WRONG_INSTANCE, "instance ID" },
  { 404, HTML, "<!DOCTYPE html><html><body><pre>Cannot POST /x</pre></body></html>",
    GA_ERROR_WRONG_METHOD, "HTTP 404", "Cannot" },
  { 405, NULL, NULL, GA_ERROR_WRONG_METHOD, "HTTP 405" },
  { 429, TEXT, "Too Many Requests", GA_ERROR_RATE_LIMITED, "Too Many Requests" },
  { 466, JSON, "{\"correspondentsStatus\": {}, \"invokeStatus\": {\"method\": \"getAvatar\", "
               "\"used\": 100, \"total\": 100, \"status\": \"QUOTE_EXCEEDED\", "
               "\"description\": \"Monthly quota has been exceeded. Upgrade the plan.\"}}",
    GA_ERROR_QUOTA_EXCEEDED, "Monthly quota has been exceeded. Upgrade the plan." },
  { 466, JSON, "{\"invokeStatus\": 5}", GA_ERROR_QUOTA_EXCEEDED, NULL, "server said" },
  { 499, NULL, "", GA_ERROR_HTTP, "HTTP 499" },
  { 500, TEXT, "Internal Server Error", GA_ERROR_SERVER, "HTTP 500" },
  { 501, NULL, "", GA_ERROR_SERVER, "HTTP 501" },
  { 502, HTML, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    GA_ERROR_UPSTREAM_UNAVAILABLE, NULL, "nginx" },
  { 503, TEXT, "Service Unavailable", GA_ERROR_SERVER, "Service Unavailable" },
  { 504, NULL, "", GA_ERROR_SERVER, "HTTP 504" },
  { 418, TEXT, "I'm a teapot", GA_ERROR_HTTP, "HTTP 418" },
  { 302, NULL, "", GA_ERROR_HTTP, "HTTP 302" },
  { 301, TEXT, "Moved", GA_ERROR_HTTP, "API URL" },
  { 600, NULL, "", GA_ERROR_HTTP, "HTTP 600" },

  /* Detail extraction: sniffing, types, sanitising. */
  { 401, TEXT, "{\"message\": \"json without the content type\"}", GA_ERROR_WRONG_TOKEN,
    "server said: “json without the content type”" },
  { 401, JSON, "{\"message\": 42, \"description\": \"second choice\"}", GA_ERROR_WRONG_TOKEN,
    "second choice" },
  { 401, JSON, "{\"message\": \"truncated", GA_ERROR_WRONG_TOKEN, NULL, "server said" },
  { 401, JSON, "not json after all", GA_ERROR_WRONG_TOKEN, "not json after all" },
  { 401, JSON, "[\"array\"]", GA_ERROR_WRONG_TOKEN, NULL, "server said" },
  { 401, TEXT, "line one\nline\ttwo\r\n", GA_ERROR_WRONG_TOKEN, "“line one line two”" },
  { 401, JSON, "{\"message\": \"evil\\u0007\\u001b[31mred\\u202eesrever\"}",
    GA_ERROR_WRONG_TOKEN, "evil [31mred esrever", "\033" },
  { 401, TEXT, "bell\a inside", GA_ERROR_WRONG_TOKEN, NULL, "server said" },
  { 401, TEXT, "bad \xff utf-8", GA_ERROR_WRONG_TOKEN, NULL, "server said" },
  { 401, JSON, "{\"message\": \"   \"}", GA_ERROR_WRONG_TOKEN, NULL, "server said" },
  { 401, TEXT, "<?xml version=\"1.0\"?><error/>", GA_ERROR_WRONG_TOKEN, NULL, "xml" },
  { 401, "application/xml", "error", GA_ERROR_WRONG_TOKEN, NULL, "server said" },
  { 404, TEXT, "Cannot POST /waInstance" GA_TEST_ID_INSTANCE "/getAvatar/" GA_TEST_TOKEN,
    GA_ERROR_WRONG_METHOD, "Cannot POST […]", GA_TEST_TOKEN },
  { 404, TEXT, "see https://green-api.com/x?token=abc for help", GA_ERROR_WRONG_METHOD,
    "see […] for help", "green-api.com" },
  { 401, JSON, "{\"message\": \"url waInstance1/getAvatar/" GA_TEST_TOKEN "\"}",
    GA_ERROR_WRONG_TOKEN, NULL, GA_TEST_TOKEN },
};

static void
test_status_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_cases); i++)
    {
      const StatusCase *c = &status_cases[i];
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: HTTP %u", i, c->status);
      error = ga_response_error_from_status (c->status, c->content_type, c->body,
                                             c->body != NULL ? strlen (c->body) : 0);
      g_assert_error (error, GA_ERROR, c->error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_true (g_str_has_suffix (error->message, ".") ||
                     g_str_has_suffix (error->message, ")"));
      g_test_message ("message: %s", error->message);
      if (c->contains != NULL)
        g_assert_nonnull (strstr (error->message, c->contains));
      if (c->not_contains != NULL)
        g_assert_null (strstr (error->message, c->not_contains));
      g_assert_null (strstr (error->message, GA_TEST_TOKEN));
      g_assert_null (strstr (error->message, "http://"));
      g_assert_null (strstr (error->message, "https://"));
      for (const char *p = error->message; *p != '\0'; p++)
        g_assert_cmpint ((guchar) *p, >=, 0x20);
    }
}

/* The server cannot tell a starting instance from one without a phone: the message says what
 * to do in either case, and the code is the one whose page links to the console. */
static void
test_status_starting_or_not_authorized (void)
{
  static const struct {
    const char *content_type;
    const char *body;
  } bodies[] = {
    { TEXT, "instance is starting or not authorized" },
    { JSON, "{\"message\": \"instance is starting or not authorized\"}" },
    { JSON, "{\"statusCode\": 400, \"message\": \"Instance is starting or NOT AUTHORIZED\"}" },
    { TEXT, "instance is starting or notAuthorized" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;

      error = ga_response_error_from_status (400, bodies[i].content_type, bodies[i].body,
                                             strlen (bodies[i].body));
      g_test_message ("message: %s", error->message);
      g_assert_error (error, GA_ERROR, GA_ERROR_NOT_AUTHORIZED);
      /* Both possibilities, and what to do about each. */
      g_assert_nonnull (strstr (error->message, "still starting"));
      g_assert_nonnull (strstr (error->message, "no phone is linked"));
      g_assert_nonnull (strstr (error->message, "wait a minute and try again"));
      g_assert_nonnull (strstr (error->message, "scanning the QR code in the GREEN-API console"));
      g_assert_nonnull (strstr (error->message, "server said"));
    }

  /* The plain answers keep their own codes and messages. */
  {
    g_autoptr(GError) starting = NULL;
    g_autoptr(GError) not_authorized = NULL;

    starting = ga_response_error_from_status (400, TEXT, "instance in starting process try later",
                                              strlen ("instance in starting process try later"));
    g_assert_error (starting, GA_ERROR, GA_ERROR_STARTING);
    g_assert_null (strstr (starting->message, "QR code"));

    not_authorized = ga_response_error_from_status (400, TEXT, "instance account not authorized",
                                                    strlen ("instance account not authorized"));
    g_assert_error (not_authorized, GA_ERROR, GA_ERROR_NOT_AUTHORIZED);
    g_assert_nonnull (strstr (not_authorized->message, "QR code"));
    g_assert_null (strstr (not_authorized->message, "starting"));
  }
}

static void
test_status_detail_capped (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) long_word = NULL;
  g_autofree char *word = g_strnfill (5000, 'x');
  const char *quote;
  glong chars;

  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "word ");

  error = ga_response_error_from_status (429, "text/plain", text->str, text->len);
  g_assert_error (error, GA_ERROR, GA_ERROR_RATE_LIMITED);
  quote = strstr (error->message, "“");
  g_assert_nonnull (quote);
  chars = g_utf8_strlen (quote, -1);
  /* The quote marks, the closing parenthesis and the ellipsis come on top of 200 chars. */
  g_assert_cmpint (chars, <=, 200 + 4);
  g_assert_cmpint (chars, >=, 190);
  g_assert_nonnull (strstr (error->message, "word…”"));

  long_word = ga_response_error_from_status (500, NULL, word, strlen (word));
  g_assert_error (long_word, GA_ERROR, GA_ERROR_SERVER);
  g_assert_cmpint (g_utf8_strlen (long_word->message, -1), <, 400);
}

/* Cut in the middle of a multi-byte character at the plain-text prefix limit. */
static void
test_status_detail_utf8_prefix (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_string_append_c (text, 'a');
  while (text->len < 10000)
    g_string_append (text, "ж");

  error = ga_response_error_from_status (503, "text/plain", text->str, text->len);
  g_assert_error (error, GA_ERROR, GA_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "server said: “aжж"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_status_binary (void)
{
  static const char binary[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  g_autoptr(GError) error = NULL;

  error = ga_response_error_from_status (502, "image/png", binary, sizeof binary - 1);
  g_assert_error (error, GA_ERROR, GA_ERROR_UPSTREAM_UNAVAILABLE);
  g_assert_null (strstr (error->message, "server said"));
}

/* Random and mutated bodies: nothing may crash or warn, and every failure is a GA_ERROR. */
static void
test_random_bodies (void)
{
  static const char * const seeds[] = {
    "{\"urlAvatar\": \"" PICTURE "\", \"available\": true, \"base64Avatar\": \"iVBORw0KGgo=\"}",
    "{\"existsWhatsapp\": false, \"urlAvatar\": \"\", \"reason\": \"bad request data\"}",
    "{\"code\": 401, \"description\": \"Unauthorized\"}",
    "{\"stateInstance\": \"authorized\"}",
    "{\"invokeStatus\": {\"description\": \"x\"}, \"message\": [\"a\", 1, null]}",
  };
  const char alphabet[] = "{}[]\":,\\ aeu0189-+.eEtrufnl\xff\xc3\x00/";

  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *body = NULL;
      gsize len;
      g_autoptr(GaAvatarInfo) info = NULL;
      g_autoptr(GError) e1 = NULL;
      g_autoptr(GError) e2 = NULL;
      g_autoptr(GError) e3 = NULL;
      GaInstanceState state;

      if (i % 2 == 0)
        {
          const char *seed = seeds[g_test_rand_int_range (0, G_N_ELEMENTS (seeds))];
          guint flips = g_test_rand_int_range (1, 6);

          len = strlen (seed);
          body = g_memdup2 (seed, len);
          for (guint f = 0; f < flips && len > 0; f++)
            {
              gsize at = g_test_rand_int_range (0, len);

              if (g_test_rand_bit ())
                body[at] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
              else
                len = at;
            }
        }
      else
        {
          len = g_test_rand_int_range (0, 64);
          body = g_malloc (len + 1);
          for (gsize j = 0; j < len; j++)
            body[j] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
        }

      info = ga_response_parse_avatar (body, len, CHAT_ID, NULL, &e1);
      g_assert_true ((info == NULL) == (e1 != NULL));
      if (e1 != NULL)
        g_assert_true (e1->domain == GA_ERROR);

      if (!ga_response_parse_state (body, len, &state, &e2))
        g_assert_true (e2 != NULL && e2->domain == GA_ERROR);

      e3 = ga_response_error_from_status (400 + g_test_rand_int_range (0, 200), NULL, body, len);
      g_assert_true (e3 != NULL && e3->domain == GA_ERROR);
      g_assert_true (g_utf8_validate (e3->message, -1, NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/response/avatar/cases", test_avatar_cases);
  g_test_add_func ("/green-avatar/response/avatar/retry-without-action",
                   test_avatar_retry_without_action);
  g_test_add_func ("/green-avatar/response/avatar/code-401-message", test_avatar_code_401_message);
  g_test_add_func ("/green-avatar/response/avatar/not-nul-terminated",
                   test_avatar_not_nul_terminated);
  g_test_add_func ("/green-avatar/response/avatar/embedded-nul", test_avatar_embedded_nul);
  g_test_add_func ("/green-avatar/response/avatar/trailing-value", test_avatar_trailing_value);
  g_test_add_func ("/green-avatar/response/avatar/null-data", test_avatar_null_data);
  g_test_add_func ("/green-avatar/response/avatar/deep-nesting", test_avatar_deep_nesting);
  g_test_add_func ("/green-avatar/response/avatar/large", test_avatar_large);
  g_test_add_func ("/green-avatar/response/state/cases", test_state_cases);
  g_test_add_func ("/green-avatar/response/state/describe", test_describe_state);
  g_test_add_func ("/green-avatar/response/status/cases", test_status_cases);
  g_test_add_func ("/green-avatar/response/status/starting-or-not-authorized",
                   test_status_starting_or_not_authorized);
  g_test_add_func ("/green-avatar/response/status/detail-capped", test_status_detail_capped);
  g_test_add_func ("/green-avatar/response/status/detail-utf8-prefix",
                   test_status_detail_utf8_prefix);
  g_test_add_func ("/green-avatar/response/status/binary", test_status_binary);
  g_test_add_func ("/green-avatar/response/random-bodies", test_random_bodies);

  return g_test_run ();
}
