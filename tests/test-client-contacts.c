/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-client.h"
#include "ga-error.h"
#include "ga-http.h"
#include "ga-test-server.h"

#include <string.h>

/* The methods beside getAvatar against the loopback server, and pacing as the server sees it. */

#define WAIT_MS 15000

typedef struct
{
  gboolean  done;
  gpointer  object;   /* (owned) (nullable): a GObject result */
  GBytes   *bytes;    /* (owned) (nullable) */
  gboolean  ok;
  gboolean  exists;
  GError   *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_object (&result->object);
  g_clear_pointer (&result->bytes, g_bytes_unref);
  g_clear_error (&result->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static gint64 fake_now;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

static GaClient *
make_client (GaTestServer *server,
             GaLimiter    *limiter)
{
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaLimiter) own = limiter == NULL ? ga_limiter_new () : NULL;

  return g_object_new (GA_TYPE_CLIENT,
                       "session", session,
                       "api-url", ga_test_server_get_url (server),
                       "id-instance", GA_TEST_ID_INSTANCE,
                       "token", GA_TEST_TOKEN,
                       "retry-delay-ms", 5,
                       "timeout-seconds", 10,
                       "limiter", limiter != NULL ? limiter : own,
                       NULL);
}

static void
assert_error_clean (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, GA_TEST_TOKEN));
  g_assert_null (strstr (error->message, "waInstance"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
done_cb (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  Result *result = user_data;
  GaClient *client = GA_CLIENT (object);
  gpointer tag = g_task_get_source_tag (G_TASK (res));

  if (tag == ga_client_get_contact_info_async)
    result->object = ga_client_get_contact_info_finish (client, res, &result->error);
  else if (tag == ga_client_get_group_data_async)
    result->object = ga_client_get_group_data_finish (client, res, &result->error);
  else if (tag == ga_client_get_wa_settings_async)
    result->object = ga_client_get_wa_settings_finish (client, res, &result->error);
  else if (tag == ga_client_get_settings_async)
    result->object = ga_client_get_settings_finish (client, res, &result->error);
  else if (tag == ga_client_get_avatar_async)
    result->object = ga_client_get_avatar_finish (client, res, &result->error);
  else if (tag == ga_client_get_contacts_async)
    result->bytes = ga_client_get_contacts_finish (client, res, &result->error);
  else if (tag == ga_client_check_whatsapp_async)
    result->ok = ga_client_check_whatsapp_finish (client, res, &result->exists, &result->error);
  else
    g_assert_not_reached ();

  if (result->error != NULL)
    assert_error_clean (result->error);
  result->done = TRUE;
}

static void
wait (Result *result)
{
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

static const char *
api_body (GaTestServer *server,
          const char   *method)
{
  g_autofree char *path = ga_test_server_api_path (method);

  return ga_test_server_get_last_body (server, path);
}

static void
test_contact_info (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };
  GaContactInfo *info;

  ga_test_server_expect_api (server, "getContactInfo", 200,
                             "{\"chatId\": \"79001234567@c.us\", \"name\": \"Anna\", "
                             "\"contactName\": \"Anna Karenina\", "
                             "\"avatar\": \"https://pps.x/1.jpg\", "
                             "\"isBusiness\": true, \"category\": \"Shop\", \"email\": \"a@b.c\", "
                             "\"products\": [{\"name\": \"Tea\"}, 5, {\"id\": 1}], "
                             "\"lastSeen\": 1700000000, \"isMute\": true, \"muteExpiration\": 42}");
  ga_client_get_contact_info_async (client, "79001234567@c.us", NULL, done_cb, &result);
  wait (&result);
  g_assert_no_error (result.error);
  info = result.object;
  g_assert_cmpstr (ga_contact_info_get_chat_id (info), ==, "79001234567@c.us");
  g_assert_cmpstr (ga_contact_info_get_display_name (info), ==, "Anna Karenina");
  g_assert_cmpstr (ga_contact_info_get_name (info), ==, "Anna");
  g_assert_cmpstr (ga_contact_info_get_avatar_url (info), ==, "https://pps.x/1.jpg");
  g_assert_true (ga_contact_info_get_is_business (info));
  g_assert_true (ga_contact_info_get_is_mute (info));
  g_assert_cmpint (ga_contact_info_get_mute_expiration (info), ==, 42);
  g_assert_cmpstr (ga_contact_info_get_last_seen (info), ==, "1700000000");
  g_assert_cmpuint (g_strv_length ((GStrv) ga_contact_info_get_product_names (info)), ==, 1);
  g_assert_cmpstr (api_body (server, "getContactInfo"), ==, "{\"chatId\":\"79001234567@c.us\"}");
  ga_test_server_assert_done (server);
}

static void
test_contact_info_error_in_200 (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };

  ga_test_server_expect_api (server, "getContactInfo", 200,
                             "{\"code\": 401, \"description\": \"Unauthorized\"}");
  ga_client_get_contact_info_async (client, "79001234567@c.us", NULL, done_cb, &result);
  wait (&result);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_WRONG_TOKEN);
  ga_test_server_assert_done (server);
}

static void
test_group_data_slow (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };
  GaTestReply *reply;
  gboolean admin = FALSE;
  gboolean super = FALSE;

  /* A slow answer that comes within the deadline is an answer. */
  reply = ga_test_server_expect_api (server, "getGroupData", 200,
                                     "{\"groupId\": \"120363043968066561@g.us\", "
                                     "\"subject\": \"Family\", \"creation\": 1581234048, "
                                     "\"participants\": [{\"id\": \"79001234567@c.us\", "
                                     "\"isAdmin\": true, \"isSuperAdmin\": \"yes\"}, null, "
                                     "{\"isAdmin\": true}]}");
  ga_test_reply_set_delay (reply, 700);
  ga_client_get_group_data_async (client, "120363043968066561@g.us", NULL, done_cb, &result);
  wait (&result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (ga_group_data_get_subject (result.object), ==, "Family");
  g_assert_cmpint (ga_group_data_get_creation (result.object), ==, 1581234048);
  g_assert_cmpuint (ga_group_data_get_n_participants (result.object), ==, 1);
  g_assert_cmpstr (ga_group_data_get_participant (result.object, 0, &admin, &super), ==,
                   "79001234567@c.us");
  g_assert_true (admin);
  g_assert_false (super);
  g_assert_cmpstr (api_body (server, "getGroupData"), ==,
                   "{\"groupId\":\"120363043968066561@g.us\"}");
  ga_test_server_assert_done (server);
}

static void
test_contacts_large (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GPtrArray) contacts = NULL;
  GaTestReply *reply;

  /* 10,000 contacts are about 1 MB: more than the cap of the other answers. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (json, "%s{\"id\": \"7900%07u@c.us\", \"name\": \"Person %u\", "
                            "\"contactName\": \"Contact number %u of the phone book\", "
                            "\"type\": \"user\"}",
                            i > 0 ? "," : "", i, i, i);
  g_string_append (json, "]");
  g_assert_cmpuint (json->len, >, GA_CLIENT_MAX_RESPONSE_SIZE);

  reply = ga_test_server_expect_api (server, "getContacts", 200, NULL);
  ga_test_reply_set_body (reply, "application/json", json->str, json->len);
  ga_client_get_contacts_async (client, NULL, done_cb, &result);
  wait (&result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (g_bytes_get_size (result.bytes), ==, json->len);
  g_assert_cmpstr (api_body (server, "getContacts"), ==, "");

  contacts = ga_contact_parse_list (g_bytes_get_data (result.bytes, NULL),
                                    g_bytes_get_size (result.bytes), NULL);
  g_assert_cmpuint (contacts->len, ==, 10000);
  ga_test_server_assert_done (server);
}

static void
test_check_whatsapp (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  const char *bad[] = { "+7 900 123", "7900x", "", "12345678901234567", "7900@g.us" };

  for (guint i = 0; i < 2; i++)
    {
      g_auto(Result) result = { 0, };

      ga_test_server_expect_api (server, "checkWhatsapp", 200, i == 0 ?
                                 "{\"existsWhatsapp\": true}" : "{\"existsWhatsapp\": false}");
      ga_client_check_whatsapp_async (client, i == 0 ? "79001234567" : "79001234567@c.us",
                                      NULL, done_cb, &result);
      wait (&result);
      g_assert_no_error (result.error);
      g_assert_true (result.ok);
      g_assert_true (result.exists == (i == 0));
      /* A JSON integer, not a string. */
      g_assert_cmpstr (api_body (server, "checkWhatsapp"), ==, "{\"phoneNumber\":79001234567}");
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(Result) result = { 0, };

      ga_client_check_whatsapp_async (client, bad[i], NULL, done_cb, &result);
      wait (&result);
      g_assert_error (result.error, GA_ERROR, GA_ERROR_INVALID_CHAT_ID);
    }

  /* A mistyped answer does not settle "no account". */
  {
    g_auto(Result) result = { 0, };

    ga_test_server_expect_api (server, "checkWhatsapp", 200, "{\"existsWhatsapp\": \"no\"}");
    ga_client_check_whatsapp_async (client, "79001234567", NULL, done_cb, &result);
    wait (&result);
    g_assert_error (result.error, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
  }

  g_assert_cmpuint (api_count (server, "checkWhatsapp"), ==, 3);
  ga_test_server_assert_done (server);
}

static void
test_check_whatsapp_quota (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };

  ga_test_server_expect_api (server, "checkWhatsapp", 466,
                             "{\"invokeStatus\": {\"method\": \"checkwhatsapp\", \"used\": 100, "
                             "\"total\": 100, \"status\": \"QUOTE_EXCEEDED\", \"description\": "
                             "\"Monthly quota of checkWhatsapp is over\\u0007.\"}}");
  ga_client_check_whatsapp_async (client, "79001234567", NULL, done_cb, &result);
  wait (&result);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_QUOTA_EXCEEDED);
  g_assert_cmpstr (result.error->message, ==, "Monthly quota of checkWhatsapp is over .");
  /* Never retried: each call costs quota. */
  g_assert_cmpuint (api_count (server, "checkWhatsapp"), ==, 1);
  ga_test_server_assert_done (server);
}

static void
test_account (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) wa = { 0, };
  g_auto(Result) settings = { 0, };

  ga_test_server_expect_api (server, "getWaSettings", 200,
                             "{\"avatar\": \"https://pps.x/me.jpg\", \"phone\": \"79001234567\", "
                             "\"stateInstance\": \"authorized\", \"deviceId\": null}");
  ga_test_server_expect_api (server, "getSettings", 200,
                             "{\"wid\": \"79001234567@c.us\", \"webhookUrl\": \"\"}");
  ga_client_get_wa_settings_async (client, NULL, done_cb, &wa);
  ga_client_get_settings_async (client, NULL, done_cb, &settings);
  wait (&wa);
  wait (&settings);
  g_assert_no_error (wa.error);
  g_assert_no_error (settings.error);
  g_assert_cmpstr (ga_account_get_chat_id (wa.object), ==, "79001234567@c.us");
  g_assert_cmpstr (ga_account_get_avatar_url (wa.object), ==, "https://pps.x/me.jpg");
  g_assert_null (ga_account_get_device_id (wa.object));
  g_assert_cmpint (ga_account_get_state (wa.object), ==, GA_INSTANCE_STATE_AUTHORIZED);
  g_assert_cmpstr (ga_account_get_chat_id (settings.object), ==, "79001234567@c.us");
  g_assert_cmpstr (api_body (server, "getWaSettings"), ==, "");
  ga_test_server_assert_done (server);
}

static void
test_429_then_ok (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaClient) client = make_client (server, NULL);
  g_auto(Result) result = { 0, };

  ga_test_server_expect_api (server, "getContactInfo", 429, "{\"message\": \"Too many\"}");
  ga_test_server_expect_api (server, "getContactInfo", 200, "{\"name\": \"Anna\"}");
  ga_client_get_contact_info_async (client, "79001234567@c.us", NULL, done_cb, &result);
  wait (&result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (ga_contact_info_get_name (result.object), ==, "Anna");
  /* Missing chatId: the one asked for. */
  g_assert_cmpstr (ga_contact_info_get_chat_id (result.object), ==, "79001234567@c.us");
  g_assert_cmpuint (api_count (server, "getContactInfo"), ==, 2);
  ga_test_server_assert_done (server);
}

/* 30 getAvatar at once from one client, and 2 × 12 from two clients of one instance: the
 * server never sees more than 10 in any one second. */
static void
test_burst_as_server_sees_it (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaLimiter) limiter = ga_limiter_new ();
  g_autoptr(GaClient) one = make_client (server, limiter);
  g_autoptr(GaClient) two = make_client (server, limiter);
  g_autofree char *path = ga_test_server_api_path ("getAvatar");
  g_autoptr(GArray) times = NULL;
  Result results[30] = { { 0, }, };

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      ga_test_server_expect_api (server, "getAvatar", 200,
                                 "{\"urlAvatar\": \"\", \"available\": true}");
      ga_client_get_avatar_async (i % 3 == 0 ? two : one, "79001234567@c.us", NULL, done_cb,
                                  &results[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      wait (&results[i]);
      g_assert_no_error (results[i].error);
      result_clear (&results[i]);
    }

  times = ga_test_server_get_arrival_times (server, path);
  g_assert_cmpuint (times->len, ==, 30);
  g_assert_cmpuint (ga_test_max_in_window (times, G_TIME_SPAN_SECOND), <=, 10);
  ga_test_server_assert_done (server);
}

static void
retry_after_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  done_cb (object, res, user_data);
}

/* A 429 with Retry-After, given to one client, holds back another of the same instance for
 * that long (on a fake clock). */
static void
test_retry_after_shared (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaLimiter) limiter = ga_limiter_new ();
  g_autoptr(GaClient) first = NULL;
  g_autoptr(GaClient) second = NULL;
  g_autofree char *key = g_strconcat (GA_TEST_ID_INSTANCE, " ", ga_test_server_get_url (server),
                                      NULL);
  g_auto(Result) a = { 0, };
  g_auto(Result) b = { 0, };
  GaTestReply *reply;

  fake_now = 5000 * G_TIME_SPAN_SECOND;
  ga_limiter_set_clock (limiter, fake_clock, NULL);
  first = make_client (server, limiter);
  second = make_client (server, limiter);
  /* Longer than the call may take: the first client gives up at once. */
  g_object_set (first, "timeout-seconds", 5, NULL);

  reply = ga_test_server_expect_api (server, "getAvatar", 429, NULL);
  ga_test_reply_set_header (reply, "Retry-After", "7");
  ga_client_get_avatar_async (first, "79001234567@c.us", NULL, retry_after_cb, &a);
  wait (&a);
  g_assert_error (a.error, GA_ERROR, GA_ERROR_RATE_LIMITED);

  ga_test_server_expect_api (server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": true}");
  ga_client_get_avatar_async (second, "79001234567@c.us", NULL, done_cb, &b);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (ga_limiter_get_n_queued (limiter, key, GA_API_METHOD_GET_AVATAR), ==, 1);

  fake_now += 6900 * G_TIME_SPAN_MILLISECOND;
  ga_limiter_clock_changed (limiter);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (b.done);
  g_assert_cmpuint (api_count (server, "getAvatar"), ==, 1);

  fake_now += 100 * G_TIME_SPAN_MILLISECOND;
  ga_limiter_clock_changed (limiter);
  wait (&b);
  g_assert_no_error (b.error);
  g_assert_cmpuint (api_count (server, "getAvatar"), ==, 2);
  ga_test_server_assert_done (server);
}

/* A call cancelled while it waits for its turn ends at once and never reaches the server. */
static void
test_cancel_queued (void)
{
  g_autoptr(GaTestServer) server = ga_test_server_new ();
  g_autoptr(GaLimiter) limiter = ga_limiter_new ();
  g_autoptr(GaClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Result) a = { 0, };
  g_auto(Result) b = { 0, };

  fake_now = 9000 * G_TIME_SPAN_SECOND;
  ga_limiter_set_clock (limiter, fake_clock, NULL);
  client = make_client (server, limiter);

  ga_test_server_expect_api (server, "getContacts", 200, "[]");
  ga_client_get_contacts_async (client, NULL, done_cb, &a);
  ga_client_get_contacts_async (client, cancellable, done_cb, &b);
  wait (&a);
  g_assert_no_error (a.error);
  g_assert_false (b.done);

  g_cancellable_cancel (cancellable);
  wait (&b);
  g_assert_error (b.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (api_count (server, "getContacts"), ==, 1);
  ga_test_server_assert_done (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/client-contacts/contact-info", test_contact_info);
  g_test_add_func ("/green-avatar/client-contacts/contact-info-error-in-200",
                   test_contact_info_error_in_200);
  g_test_add_func ("/green-avatar/client-contacts/group-data-slow", test_group_data_slow);
  g_test_add_func ("/green-avatar/client-contacts/contacts-large", test_contacts_large);
  g_test_add_func ("/green-avatar/client-contacts/check-whatsapp", test_check_whatsapp);
  g_test_add_func ("/green-avatar/client-contacts/check-whatsapp-quota", test_check_whatsapp_quota);
  g_test_add_func ("/green-avatar/client-contacts/account", test_account);
  g_test_add_func ("/green-avatar/client-contacts/429-then-ok", test_429_then_ok);
  g_test_add_func ("/green-avatar/client-contacts/pacing/burst", test_burst_as_server_sees_it);
  g_test_add_func ("/green-avatar/client-contacts/pacing/retry-after-shared",
                   test_retry_after_shared);
  g_test_add_func ("/green-avatar/client-contacts/pacing/cancel-queued", test_cancel_queued);

  return g_test_run ();
}
