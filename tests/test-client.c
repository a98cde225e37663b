/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-client.h"
#include "ga-error.h"
#include "ga-http.h"
#include "ga-test-server.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define CHAT_ID "11001234567@c.us"
#define PICTURE "https://pps.whatsapp.net/v/t61.24694-24/123_n.jpg?ccb=11-4&oh=01_AV&oe=66041D5F"
#define WAIT_MS 10000

typedef struct
{
  gboolean         done;
  GaAvatarInfo    *info;
  GaInstanceState  state;
  gboolean         ok;
  GError          *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_object (&result->info);
  g_clear_error (&result->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static GaClient *
make_client (GaTestServer *server,
             const char   *api_url)
{
  g_autoptr(SoupSession) session = ga_http_session_new ();

  return g_object_new (GA_TYPE_CLIENT,
                       "session", session,
                       "api-url", api_url != NULL ? api_url : ga_test_server_get_url (server),
                       "id-instance", GA_TEST_ID_INSTANCE,
                       "token", GA_TEST_TOKEN,
                       "retry-delay-ms", 5,
                       "timeout-seconds", 10,
                       NULL);
}

/* Every error that leaves the client is for people and must never carry the token. */
static void
assert_error_clean (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, GA_TEST_TOKEN));
  g_assert_null (strstr (error->message, "waInstance"));
  g_assert_null (strstr (error->message, "127.0.0.1"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), >, 10);
}

static void
avatar_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *result = user_data;

  result->info = ga_client_get_avatar_finish (GA_CLIENT (object), res, &result->error);
  g_assert_true ((result->info == NULL) == (result->error != NULL));
  if (result->error != NULL)
    assert_error_clean (result->error);
  result->done = TRUE;
}

static void
state_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  Result *result = user_data;

  result->ok = ga_client_get_state_finish (GA_CLIENT (object), res, &result->state,
                                           &result->error);
  g_assert_true (result->ok == (result->error == NULL));
  if (result->error != NULL)
    assert_error_clean (result->error);
  result->done = TRUE;
}

static void
get_avatar (GaClient     *client,
            const char   *chat_id,
            GCancellable *cancellable,
            Result       *result)
{
  ga_client_get_avatar_async (client, chat_id, cancellable, avatar_cb, result);
  ga_test_wait_for (&result->done, WAIT_MS);
  g_assert_true (result->done);
}

static void
get_state (GaClient     *client,
           GCancellable *cancellable,
           Result       *result)
{
  ga_client_get_state_async (client, cancellable, state_cb, result);
  ga_test_wait_for (&result->done, WAIT_MS);
  g_assert_true (result->done);
}

static guint
api_count (GaTestServer *server,
           const char   *method)
{
  g_autofree char *path = ga_test_server_api_path (method);

  return ga_test_server_get_request_count (server, path);
}

/* The three rows of green-api.md's table, through real HTTP. */
static void
test_avatar_states (void)
{
  static const struct {
    const char    *json;
    GaAvatarState  state;
    const char    *url;
  } cases[] = {
    { "{\"urlAvatar\": \"" PICTURE "\", \"available\": true}", GA_AVATAR_STATE_HAS_AVATAR, PICTURE },
    { "{\"urlAvatar\": \"\", \"available\": false}", GA_AVATAR_STATE_PRIVATE, NULL },
    { "{\"urlAvatar\": \"\", \"available\": true}", GA_AVATAR_STATE_NOT_SET, NULL },
    { "{\"existsWhatsapp\": false, \"urlAvatar\": null}", GA_AVATAR_STATE_NOT_SET, NULL },
  };
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) result = { 0, };

      ga_test_server_expect_api (server, "getAvatar", 200, cases[i].json);
      get_avatar (client, CHAT_ID, NULL, &result);
      g_assert_no_error (result.error);
      g_assert_cmpint (ga_avatar_info_get_state (result.info), ==, cases[i].state);
      g_assert_cmpstr (ga_avatar_info_get_url (result.info), ==, cases[i].url);
      g_assert_cmpstr (ga_avatar_info_get_chat_id (result.info), ==, CHAT_ID);
    }

  g_assert_cmpuint (api_count (server, "getAvatar"), ==, G_N_ELEMENTS (cases));
  ga_test_server_assert_done (server);
}

static void
test_avatar_request_body (void)
{
  /* Not a real chat ID: shows that user text cannot break out of the JSON string. */
  const char *tricky = "1\"}, {\"x\": \"\\\u00e9";
  const char *chat_ids[] = { CHAT_ID, tricky };
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_autofree char *path = ga_test_server_api_path ("getAvatar");

  for (guint i = 0; i < G_N_ELEMENTS (chat_ids); i++)
    {
      g_auto(Result) result = { 0, };
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      const char *body;
      JsonObject *object;

      ga_test_server_expect_api (server, "getAvatar", 200, "{\"urlAvatar\": \"\"}");
      get_avatar (client, chat_ids[i], NULL, &result);
      g_assert_no_error (result.error);

      body = ga_test_server_get_last_body (server, path);
      g_assert_nonnull (body);
      json_parser_load_from_data (parser, body, -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpuint (json_object_get_size (object), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (object, "chatId"), ==, chat_ids[i]);
    }

  ga_test_server_assert_done (server);
}

static void
test_url_building (void)
{
  static const struct {
    const char *suffix;  /* appended to the server's URL */
    const char *prefix;  /* the path the server must see before /waInstance */
  } cases[] = {
    { "", "" },
    { "/", "" },
    { "/v3", "/v3" },
    { "/v3/", "/v3" },
    { "/a/b", "/a/b" },
  };
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autofree char *api_path = ga_test_server_api_path ("getAvatar");
  g_autofree char *state_path = ga_test_server_api_path ("getStateInstance");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *api_url = g_strconcat (ga_test_server_get_url (server), cases[i].suffix,
                                              NULL);
      g_autofree char *path = g_strconcat (cases[i].prefix, api_path, NULL);
      g_autofree char *path2 = g_strconcat (cases[i].prefix, state_path, NULL);
      g_autoptr(GaClient) client = make_client (server, api_url);
      g_auto(Result) result = { 0, };
      g_auto(Result) result2 = { 0, };
      guint before = ga_test_server_get_request_count (server, path);
      guint before2 = ga_test_server_get_request_count (server, path2);
      GaTestReply *reply;

      g_assert_true (ga_client_check_settings (client, NULL));
      g_assert_cmpstr (ga_client_get_api_url (client), ==, api_url);

      reply = ga_test_server_expect (server, path);
      ga_test_reply_set_body (reply, "application/json", "{\"available\": false}", -1);
      get_avatar (client, CHAT_ID, NULL, &result);
      g_assert_no_error (result.error);
      g_assert_cmpuint (ga_test_server_get_request_count (server, path), ==, before + 1);

      reply = ga_test_server_expect (server, path2);
      ga_test_reply_set_body (reply, "application/json", "{\"stateInstance\": \"authorized\"}",
                              -1);
      get_state (client, NULL, &result2);
      g_assert_no_error (result2.error);
      g_assert_cmpint (result2.state, ==, GA_INSTANCE_STATE_AUTHORIZED);
      g_assert_cmpuint (ga_test_server_get_request_count (server, path2), ==, before2 + 1);
    }

  g_assert_cmpuint (ga_test_server_get_request_count (server, NULL), ==, 2 * G_N_ELEMENTS (cases));
  ga_test_server_assert_done (server);
}

typedef struct
{
  guint       status;
  const char *content_type;
  const char *body;
  GaError     error;
  guint       requests;    /* how many the client must send */
  const char *contains;    /* in the message, or NULL */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { 400, "application/json", "{\"statusCode\": 400, \"message\": \"Validation failed. Details: chatId\"}",
    GA_ERROR_INVALID_CHAT_ID, 1, "Validation failed" },
  { 400, "text/plain", "instance in starting process try later", GA_ERROR_STARTING, 1, NULL },
  { 400, "text/plain", "instance is starting or not authorized", GA_ERROR_NOT_AUTHORIZED, 1,
    "wait a minute and try again; otherwise link a phone by scanning the QR code" },
  { 400, "text/plain", "instance account not authorized", GA_ERROR_NOT_AUTHORIZED, 1, "QR code" },
  { 400, "text/plain", "Instance account is expired", GA_ERROR_EXPIRED, 1, NULL },
  { 400, "text/plain", "Instance is deleted", GA_ERROR_EXPIRED, 1, NULL },
  { 401, "text/plain", "Unauthorized", GA_ERROR_WRONG_TOKEN, 1, "API token" },
  { 401, NULL, NULL, GA_ERROR_WRONG_TOKEN, 1, "API token" },
  { 403, "text/html", "<html><body><h1>403</h1></body></html>", GA_ERROR_WRONG_INSTANCE, 1,
    "instance ID" },
  { 404, "text/plain", "Not Found", GA_ERROR_WRONG_METHOD, 1, NULL },
  { 405, NULL, NULL, GA_ERROR_WRONG_METHOD, 1, NULL },
  { 466, "application/json", "{\"invokeStatus\": {\"method\": \"getAvatar\", \"used\": 5, "
    "\"total\": 5, \"status\": \"QUOTE_EXCEEDED\", \"description\": \"Monthly quota exceeded\"}}",
    GA_ERROR_QUOTA_EXCEEDED, 1, "Monthly quota exceeded" },
  { 499, NULL, NULL, GA_ERROR_HTTP, 1, NULL },
  { 503, "text/plain", "Service Unavailable", GA_ERROR_SERVER, 1, NULL },
  { 504, NULL, NULL, GA_ERROR_SERVER, 1, NULL },
  { 418, "text/plain", "teapot", GA_ERROR_HTTP, 1, "teapot" },
  /* Redirects are not followed (the token is in the path). */
  { 301, "text/plain", "Moved", GA_ERROR_HTTP, 1, "API URL" },
  { 307, "text/plain", "Moved", GA_ERROR_HTTP, 1, "API URL" },
  /* Retried: 500 once, 429 and 502 up to max-retries (3) times. */
  { 500, "text/plain", "Internal Server Error", GA_ERROR_SERVER, 2, NULL },
  { 429, "text/plain", "Too Many Requests", GA_ERROR_RATE_LIMITED, 4, NULL },
  { 502, "text/html", "<html>Bad Gateway</html>", GA_ERROR_UPSTREAM_UNAVAILABLE, 4, NULL },
  /* Errors in a 200 answer. */
  { 200, "application/json", "{\"code\": 401, \"description\": \"Unauthorized\"}",
    GA_ERROR_WRONG_TOKEN, 1, "Unauthorized" },
  { 200, "application/json", "{\"reason\": \"bad request data\"}", GA_ERROR_INVALID_CHAT_ID, 1,
    NULL },
  { 200, "application/json", "{\"reason\": \"get avatar timeout limit exceeded\"}",
    GA_ERROR_UPSTREAM_UNAVAILABLE, 4, NULL },
  { 200, "application/json", "{\"urlAvatar\": 5}", GA_ERROR_MALFORMED_RESPONSE, 1, NULL },
  { 200, "text/html", "<html>captive portal</html>", GA_ERROR_MALFORMED_RESPONSE, 1, NULL },
  { 200, "application/json", "", GA_ERROR_MALFORMED_RESPONSE, 1, NULL },
};

static void
test_avatar_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GaTestServer) server = ga_test_server_new ();
      g_autoptr(GaClient) client = make_client (server, NULL);
      g_auto(Result) result = { 0, };

      g_test_message ("case %u: HTTP %u", i, c->status);

      for (guint j = 0; j < c->requests; j++)
        {
          g_autofree char *path = ga_test_server_api_path ("getAvatar");
          GaTestReply *reply = ga_test_server_expect (server, path);

          ga_test_reply_set_status (reply, c->status);
          if (c->status >= 300 && c->status <= 399)
            ga_test_reply_set_header (reply, "Location", "http://127.0.0.1:1/elsewhere");
          if (c->body != NULL)
            ga_test_reply_set_body (reply, c->content_type, c->body, -1);
        }

      get_avatar (client, CHAT_ID, NULL, &result);
      g_assert_error (result.error, GA_ERROR, (int) c->error);
      if (c->contains != NULL)
        g_assert_nonnull (strstr (result.error->message, c->contains));
      g_assert_cmpuint (api_count (server, "getAvatar"), ==, c->requests);
      ga_test_server_assert_done (server);
    }
}

static void
test_retry_then_success (void)
{
  static const struct {
    guint       status;
    const char *body;
    guint       failures;
  } cases[] = {
    { 429, "Too Many Requests", 2 },
    { 429, "Too Many Requests", 3 },
    { 502, "Bad Gateway", 2 },
    { 500, "Internal Server Error", 1 },
    { 200, "{\"reason\": \"get avatar timeout limit exceeded\"}", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GaTestServer) server = ga_test_server_new ();
      g_autoptr(GaClient) client = make_client (server, NULL);
      g_auto(Result) result = { 0, };

      g_test_message ("case %u", i);
      for (guint j = 0; j < cases[i].failures; j++)
        ga_test_server_expect_api (server, "getAvatar", cases[i].status, cases[i].body);
      ga_test_server_expect_api (server, "getAvatar", 200,
                                 "{\"urlAvatar\": \"" PICTURE "\", \"available\": true}");

      get_avatar (client, CHAT_ID, NULL, &result);
      g_assert_no_error (result.error);
      g_assert_cmpint (ga_avatar_info_get_state (result.info), ==, GA_AVATAR_STATE_HAS_AVATAR);
      g_assert_cmpuint (api_count (server, "getAvatar"), ==, cases[i].failures + 1);
      ga_test_server_assert_done (server);
    }
}

static void
test_retry_limits (void)
{
  /* max-retries bounds every kind of retry; 0 turns retrying off. */
  for (guint max = 0; max <= 2; max++)
    {
      g_autoptr(GaTestServer) server = ga_test_server_new ();
      g_autoptr(GaClient) client = make_client (server, NULL);
      g_auto(Result) result = { 0, };
      g_auto(Result) result2 = { 0, };

      g_object_set (client, "max-retries", max, NULL);

      for (guint j = 0; j < max + 1; j++)
        ga_test_server_expect_api (server, "getAvatar", 429, NULL);
      get_avatar (client, CHAT_ID, NULL, &result);
      g_assert_error (result.error, GA_ERROR, GA_ERROR_RATE_LIMITED);
      g_assert_cmpuint (api_count (server, "getAvatar"), ==, max + 1);

      for (guint j = 0; j < max + 1; j++)
        ga_test_server_expect_api (server, "getStateInstance", 502, NULL);
      get_state (client, NULL, &result2);
      g_assert_error (result2.error, GA_ERROR, GA_ERROR_UPSTREAM_UNAVAILABLE);
      g_assert_cmpuint (api_count (server, "getStateInstance"), ==, max + 1);

      ga_test_server_assert_done (server);
    }
}

/* A 500 and then a 502: the one 500 retry and the 502 retries share max-retries. */
static void
test_retry_mixed (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };

  ga_test_server_expect_api (server, "getAvatar", 500, NULL);
  ga_test_server_expect_api (server, "getAvatar", 502, NULL);
  ga_test_server_expect_api (server, "getAvatar", 500, NULL);

  get_avatar (client, CHAT_ID, NULL, &result);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_SERVER);
  g_assert_cmpuint (api_count (server, "getAvatar"), ==, 3);
  ga_test_server_assert_done (server);
}

static gint64
timed_avatar_with_retry_after (const char *retry_after,
                               guint       retry_delay_ms,
                               GError    **error)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };
  GaTestReply *reply;
  gint64 start;

  g_object_set (client, "retry-delay-ms", retry_delay_ms, NULL);

  reply = ga_test_server_expect_api (server, "getAvatar", 429, NULL);
  ga_test_reply_set_header (reply, "Retry-After", retry_after);
  ga_test_server_expect_api (server, "getAvatar", 200, "{\"available\": false}");

  start = g_get_monotonic_time ();
  get_avatar (client, CHAT_ID, NULL, &result);
  if (result.error != NULL)
    g_propagate_error (error, g_steal_pointer (&result.error));
  g_assert_cmpuint (api_count (server, "getAvatar"), ==, 2);
  ga_test_server_assert_done (server);

  return (g_get_monotonic_time () - start) / G_TIME_SPAN_MILLISECOND;
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(GDateTime) past = g_date_time_add_seconds (now, -3600);
  g_autofree char *later_text = NULL;
  g_autofree char *past_text = soup_date_time_to_string (past, SOUP_DATE_HTTP);
  const char *ignored[] = { "garbage", "-5", "1.5", "", past_text };
  GError *error = NULL;
  gint64 elapsed;

  /* Seconds: the retry waits for them, not for the 5 ms backoff. */
  elapsed = timed_avatar_with_retry_after ("1", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (elapsed, >=, 950);

  /* An HTTP date about 3 s ahead (whole seconds, so at least 2 s of it are left). */
  g_clear_pointer (&now, g_date_time_unref);
  now = g_date_time_new_now_utc ();
  later = g_date_time_add_seconds (now, 3);
  later_text = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  elapsed = timed_avatar_with_retry_after (later_text, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (elapsed, >=, 1500);

  /* Unusable values fall back to the backoff, here a long one, which shows it was used. */
  for (guint i = 0; i < G_N_ELEMENTS (ignored); i++)
    {
      elapsed = timed_avatar_with_retry_after (ignored[i], 700, &error);
      g_assert_no_error (error);
      g_assert_cmpint (elapsed, >=, 650);
    }
}

/* A Retry-After longer than the call may still take: give up at once instead of waiting
 * into the total timeout. */
static void
test_retry_after_too_long (void)
{
  const char *values[] = { "20", "99999999999999999999999" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GaTestServer) server = ga_test_server_new ();
      g_autoptr(GaClient) client = make_client (server, NULL);
      g_auto(Result) result = { 0, };
      GaTestReply *reply;

      g_object_set (client, "timeout-seconds", 5, NULL);
      reply = ga_test_server_expect_api (server, "getAvatar", 429, NULL);
      ga_test_reply_set_header (reply, "Retry-After", values[i]);

      get_avatar (client, CHAT_ID, NULL, &result);
      /* Waiting into the total timeout would have ended in GA_ERROR_TIMEOUT: the error itself
       * says it gave up at once, without a wall-clock bound that load could break. */
      g_assert_error (result.error, GA_ERROR, GA_ERROR_RATE_LIMITED);
      g_assert_cmpuint (api_count (server, "getAvatar"), ==, 1);
      ga_test_server_assert_done (server);
    }
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_cancel_during_request (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Result) result = { 0, };
  GaTestReply *reply;

  reply = ga_test_server_expect_api (server, "getAvatar", 200, "{\"available\": false}");
  ga_test_reply_set_hang (reply);
  g_timeout_add (300, cancel_cb, cancellable);

  get_avatar (client, CHAT_ID, cancellable, &result);
  /* The cancel ended it, not the 10 s total timeout (which would be GA_ERROR_TIMEOUT). */
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (api_count (server, "getAvatar"), ==, 1);
  ga_test_server_assert_done (server);
}

static void
test_cancel_during_backoff (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Result) result = { 0, };

  g_object_set (client, "retry-delay-ms", 8000, NULL);
  ga_test_server_expect_api (server, "getAvatar", 502, NULL);
  g_timeout_add (300, cancel_cb, cancellable);

  get_avatar (client, CHAT_ID, cancellable, &result);
  /* The cancel ended the 8 s backoff: no retry was sent. */
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (api_count (server, "getAvatar"), ==, 1);
  ga_test_server_assert_done (server);
}

static void
test_cancel_before_start (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Result) result = { 0, };
  g_auto(Result) result2 = { 0, };

  g_cancellable_cancel (cancellable);
  get_avatar (client, CHAT_ID, cancellable, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  get_state (client, cancellable, &result2);
  g_assert_error (result2.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (ga_test_server_get_request_count (server, NULL), ==, 0);
}

static gboolean
dispose_cb (gpointer user_data)
{
  g_object_run_dispose (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_dispose_cancels (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };
  GaTestReply *reply;

  reply = ga_test_server_expect_api (server, "getAvatar", 200, "{\"available\": false}");
  ga_test_reply_set_hang (reply);
  g_timeout_add (300, dispose_cb, client);

  get_avatar (client, CHAT_ID, NULL, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_hang_times_out (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };
  g_auto(Result) result2 = { 0, };
  GaTestReply *reply;
  gint64 start;

  g_object_set (client, "timeout-seconds", 1, NULL);
  reply = ga_test_server_expect_api (server, "getAvatar", 200, "{\"available\": false}");
  ga_test_reply_set_hang (reply);

  start = g_get_monotonic_time ();
  get_avatar (client, CHAT_ID, NULL, &result);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_TIMEOUT);
  /* The total timeout's own words: it, not the session's 30 s I/O timeout, ended the call. */
  g_assert_nonnull (strstr (result.error->message, "1 second"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * G_TIME_SPAN_MILLISECOND);

  /* A body that trickles in slower than the timeout ends the same way. */
  reply = ga_test_server_expect_api (server, "getStateInstance", 200,
                                     "{\"stateInstance\": \"authorized\"}");
  ga_test_reply_set_drip (reply, 4, 400);
  get_state (client, NULL, &result2);
  g_assert_error (result2.error, GA_ERROR, GA_ERROR_TIMEOUT);

  ga_test_server_assert_done (server);
}

/* The total timeout covers the backoff waits too. */
static void
test_timeout_covers_retries (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };
  GaTestReply *reply;

  g_object_set (client, "timeout-seconds", 2, "retry-delay-ms", 100, NULL);
  ga_test_server_expect_api (server, "getAvatar", 502, NULL);
  reply = ga_test_server_expect_api (server, "getAvatar", 200, "{\"available\": false}");
  ga_test_reply_set_hang (reply);

  get_avatar (client, CHAT_ID, NULL, &result);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_TIMEOUT);
  g_assert_cmpuint (api_count (server, "getAvatar"), ==, 2);
  ga_test_server_assert_done (server);
}

static void
test_slow_but_in_time (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };
  GaTestReply *reply;

  reply = ga_test_server_expect_api (server, "getAvatar", 200,
                                     "{\"urlAvatar\": \"\", \"available\": false}");
  ga_test_reply_set_delay (reply, 100);
  ga_test_reply_set_drip (reply, 5, 10);

  get_avatar (client, CHAT_ID, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpint (ga_avatar_info_get_state (result.info), ==, GA_AVATAR_STATE_PRIVATE);
  ga_test_server_assert_done (server);
}

static void
test_dropped_connection (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };
  GaTestReply *reply;

  reply = ga_test_server_expect_api (server, "getAvatar", 200, NULL);
  ga_test_reply_set_drop (reply);

  get_avatar (client, CHAT_ID, NULL, &result);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_NETWORK);
  ga_test_server_assert_done (server);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = NULL;
  g_autofree char *url = NULL;
  g_auto(Result) result = { 0, };

  /* A port that was free a moment ago and has nothing listening on it. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  client = g_object_new (GA_TYPE_CLIENT,
                         "session", session,
                         "api-url", url,
                         "id-instance", GA_TEST_ID_INSTANCE,
                         "token", GA_TEST_TOKEN,
                         "retry-delay-ms", 5,
                         NULL);
  get_avatar (client, CHAT_ID, NULL, &result);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_NETWORK);
}

static void
test_tls_self_signed (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new_tls ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };
  g_auto(Result) result2 = { 0, };

  g_assert_true (g_str_has_prefix (ga_test_server_get_url (server), "https://"));
  get_avatar (client, CHAT_ID, NULL, &result);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_TLS);
  get_state (client, NULL, &result2);
  g_assert_error (result2.error, GA_ERROR, GA_ERROR_TLS);
  /* The handshake fails before any request reaches the handler. */
  g_assert_cmpuint (ga_test_server_get_request_count (server, NULL), ==, 0);
}

static void
test_too_large (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_autofree char *big = g_strnfill (GA_CLIENT_MAX_RESPONSE_SIZE + 1, ' ');
  g_autofree char *fits = NULL;
  g_auto(Result) result = { 0, };
  g_auto(Result) result2 = { 0, };
  g_auto(Result) result3 = { 0, };
  GaTestReply *reply;

  /* A 200 body one byte over the cap. */
  reply = ga_test_server_expect_api (server, "getAvatar", 200, NULL);
  ga_test_reply_set_body (reply, "application/json", big, -1);
  get_avatar (client, CHAT_ID, NULL, &result);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_TOO_LARGE);

  /* An error answer too large to read still says what its status means. */
  reply = ga_test_server_expect_api (server, "getAvatar", 401, NULL);
  ga_test_reply_set_body (reply, "text/plain", big, -1);
  get_avatar (client, CHAT_ID, NULL, &result2);
  g_assert_error (result2.error, GA_ERROR, GA_ERROR_WRONG_TOKEN);

  /* Exactly at the cap is fine. */
  fits = g_strnfill (GA_CLIENT_MAX_RESPONSE_SIZE, ' ');
  memcpy (fits, "{\"available\": false}", strlen ("{\"available\": false}"));
  reply = ga_test_server_expect_api (server, "getAvatar", 200, NULL);
  ga_test_reply_set_body (reply, "application/json", fits, -1);
  get_avatar (client, CHAT_ID, NULL, &result3);
  g_assert_no_error (result3.error);
  g_assert_cmpint (ga_avatar_info_get_state (result3.info), ==, GA_AVATAR_STATE_PRIVATE);

  ga_test_server_assert_done (server);
}

static void
test_state (void)
{
  static const struct {
    const char      *json;
    GaInstanceState  state;
  } cases[] = {
    { "{\"stateInstance\": \"authorized\"}", GA_INSTANCE_STATE_AUTHORIZED },
    { "{\"stateInstance\": \"notAuthorized\"}", GA_INSTANCE_STATE_NOT_AUTHORIZED },
    { "{\"stateInstance\": \"blocked\"}", GA_INSTANCE_STATE_BLOCKED },
    { "{\"stateInstance\": \"sleepMode\"}", GA_INSTANCE_STATE_SLEEP_MODE },
    { "{\"stateInstance\": \"starting\"}", GA_INSTANCE_STATE_STARTING },
    { "{\"stateInstance\": \"yellowCard\"}", GA_INSTANCE_STATE_YELLOW_CARD },
    { "{\"stateInstance\": null}", GA_INSTANCE_STATE_UNKNOWN },
  };
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) result = { 0, };

      ga_test_server_expect_api (server, "getStateInstance", 200, cases[i].json);
      get_state (client, NULL, &result);
      g_assert_no_error (result.error);
      g_assert_true (result.ok);
      g_assert_cmpint (result.state, ==, cases[i].state);
    }

  ga_test_server_assert_done (server);
}

/* Each case: @answers times the answer, then (when @error is -1) a good one. */
static void
test_state_errors (void)
{
  static const struct {
    guint       status;
    const char *body;
    guint       answers;
    int         error;      /* -1: the last try gets "starting" and succeeds */
  } cases[] = {
    { 401, NULL, 1, GA_ERROR_WRONG_TOKEN },
    { 200, "{\"code\": 401, \"description\": \"Unauthorized\"}", 1, GA_ERROR_WRONG_TOKEN },
    /* getStateInstance is not retried on 500. */
    { 500, NULL, 1, GA_ERROR_SERVER },
    /* 429 is: twice, then an answer. */
    { 429, NULL, 2, -1 },
    { 200, "{\"stateInstance\": 7}", 1, GA_ERROR_MALFORMED_RESPONSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GaTestServer) server = ga_test_server_new ();
      g_autoptr(GaClient) client = make_client (server, NULL);
      g_auto(Result) result = { 0, };

      g_test_message ("case %u: HTTP %u", i, cases[i].status);
      for (guint j = 0; j < cases[i].answers; j++)
        ga_test_server_expect_api (server, "getStateInstance", cases[i].status, cases[i].body);
      if (cases[i].error < 0)
        ga_test_server_expect_api (server, "getStateInstance", 200,
                                   "{\"stateInstance\": \"starting\"}");

      get_state (client, NULL, &result);
      if (cases[i].error < 0)
        {
          g_assert_no_error (result.error);
          g_assert_cmpint (result.state, ==, GA_INSTANCE_STATE_STARTING);
        }
      else
        {
          g_assert_error (result.error, GA_ERROR, cases[i].error);
        }
      g_assert_cmpuint (api_count (server, "getStateInstance"), ==,
                        cases[i].answers + (cases[i].error < 0 ? 1 : 0));
      ga_test_server_assert_done (server);
    }
}

#define TOKEN GA_TEST_TOKEN
#define URL "https://7105.api.greenapi.com"

/* ga_settings_check() has its own test; here only that the client applies it, a missing value
 * included. */
static void
test_check_settings (void)
{
  g_autoptr(SoupSession) session = ga_http_session_new ();
  const char *values[][3] = {
    { URL, "1101000001", TOKEN },
    { NULL, "1101000001", TOKEN },
    { URL, NULL, TOKEN },
    { URL, "1101000001", NULL },
    { URL, "12345678901", TOKEN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GaClient) client = ga_client_new (session, values[i][0], values[i][1],
                                                  values[i][2]);
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      g_assert_cmpint (ga_client_check_settings (client, &error), ==, i == 0);
      if (i > 0)
        {
          g_assert_error (error, GA_ERROR, GA_ERROR_INVALID_SETTINGS);
          assert_error_clean (error);
        }
    }
}

/* Calls with bad settings fail without any request; the getters return what was given. */
static void
test_invalid_settings_no_request (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = NULL;
  g_autoptr(GaClient) client2 = NULL;
  g_auto(Result) result = { 0, };
  g_auto(Result) result2 = { 0, };
  g_auto(Result) result3 = { 0, };

  client = ga_client_new (session, ga_test_server_get_url (server), GA_TEST_ID_INSTANCE,
                          GA_TEST_TOKEN " with spaces");
  g_assert_true (ga_client_get_session (client) == session);
  g_assert_cmpstr (ga_client_get_id_instance (client), ==, GA_TEST_ID_INSTANCE);

  get_avatar (client, CHAT_ID, NULL, &result);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_INVALID_SETTINGS);
  get_state (client, NULL, &result2);
  g_assert_error (result2.error, GA_ERROR, GA_ERROR_INVALID_SETTINGS);

  client2 = make_client (server, NULL);
  get_avatar (client2, "", NULL, &result3);
  g_assert_error (result3.error, GA_ERROR, GA_ERROR_INVALID_CHAT_ID);

  g_assert_cmpuint (ga_test_server_get_request_count (server, NULL), ==, 0);
}

/* The token can be handed in, never read back. */
static void
test_token_not_readable (void)
{
  GParamSpec *pspec = g_object_class_find_property (g_type_class_peek (GA_TYPE_CLIENT), "token");

  g_assert_nonnull (pspec);
  g_assert_false (pspec->flags & G_PARAM_READABLE);
}

static void
test_defaults (void)
{
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaClient) client = ga_client_new (session, URL, "1", "t");
  guint max_retries, delay, timeout;

  g_object_get (client,
                "max-retries", &max_retries,
                "retry-delay-ms", &delay,
                "timeout-seconds", &timeout,
                NULL);
  g_assert_cmpuint (max_retries, ==, 3);
  g_assert_cmpuint (delay, ==, 500);
  g_assert_cmpuint (timeout, ==, 45);
}

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *message,
                   GPtrArray   *messages)
{
  g_ptr_array_add (messages, g_object_ref (message));
}

/* getAvatar is a POST: without the idempotent flag libsoup would open a new connection (TCP
 * and TLS handshakes) for every call, wasting what keep-alive and preconnecting saved. */
static void
test_avatar_reuses_connection (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(Result) first = { 0 };
  g_auto(Result) second = { 0 };
  guint64 first_connection;

  g_signal_connect (ga_client_get_session (client), "request-queued",
                    G_CALLBACK (request_queued_cb), messages);

  ga_test_server_expect_api (server, "getAvatar", 200, "{\"urlAvatar\": \"\", \"available\": true}");
  ga_test_server_expect_api (server, "getAvatar", 200, "{\"urlAvatar\": \"\", \"available\": false}");

  get_avatar (client, "11001234567@c.us", NULL, &first);
  g_assert_no_error (first.error);
  get_avatar (client, "11001234568@c.us", NULL, &second);
  g_assert_no_error (second.error);

  g_assert_cmpuint (messages->len, ==, 2);
  first_connection = soup_message_get_connection_id (g_ptr_array_index (messages, 0));
  g_assert_cmpuint (first_connection, !=, 0);
  g_assert_cmpuint (soup_message_get_connection_id (g_ptr_array_index (messages, 1)), ==,
                    first_connection);
  ga_test_server_assert_done (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/client/avatar/states", test_avatar_states);
  g_test_add_func ("/green-avatar/client/avatar/request-body", test_avatar_request_body);
  g_test_add_func ("/green-avatar/client/avatar/reuses-connection", test_avatar_reuses_connection);
  g_test_add_func ("/green-avatar/client/avatar/errors", test_avatar_errors);
  g_test_add_func ("/green-avatar/client/url-building", test_url_building);
  g_test_add_func ("/green-avatar/client/retry/then-success", test_retry_then_success);
  g_test_add_func ("/green-avatar/client/retry/limits", test_retry_limits);
  g_test_add_func ("/green-avatar/client/retry/mixed", test_retry_mixed);
  g_test_add_func ("/green-avatar/client/retry/retry-after", test_retry_after);
  g_test_add_func ("/green-avatar/client/retry/retry-after-too-long", test_retry_after_too_long);
  g_test_add_func ("/green-avatar/client/cancel/during-request", test_cancel_during_request);
  g_test_add_func ("/green-avatar/client/cancel/during-backoff", test_cancel_during_backoff);
  g_test_add_func ("/green-avatar/client/cancel/before-start", test_cancel_before_start);
  g_test_add_func ("/green-avatar/client/cancel/dispose", test_dispose_cancels);
  g_test_add_func ("/green-avatar/client/timeout/hang", test_hang_times_out);
  g_test_add_func ("/green-avatar/client/timeout/covers-retries", test_timeout_covers_retries);
  g_test_add_func ("/green-avatar/client/timeout/slow-but-in-time", test_slow_but_in_time);
  g_test_add_func ("/green-avatar/client/network/dropped", test_dropped_connection);
  g_test_add_func ("/green-avatar/client/network/refused", test_connection_refused);
  g_test_add_func ("/green-avatar/client/network/tls-self-signed", test_tls_self_signed);
  g_test_add_func ("/green-avatar/client/network/too-large", test_too_large);
  g_test_add_func ("/green-avatar/client/state/values", test_state);
  g_test_add_func ("/green-avatar/client/state/errors", test_state_errors);
  g_test_add_func ("/green-avatar/client/settings/check", test_check_settings);
  g_test_add_func ("/green-avatar/client/settings/no-request", test_invalid_settings_no_request);
  g_test_add_func ("/green-avatar/client/settings/token-not-readable", test_token_not_readable);
  g_test_add_func ("/green-avatar/client/settings/defaults", test_defaults);

  return g_test_run ();
}
