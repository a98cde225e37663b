/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-credentials.h"

#include "ga-error.h"
#include "ga-secret.h"

#include "ga-test-server.h"

#include <glib/gstdio.h>
#include <string.h>

/*
 * GA_TEST_SECRET_BACKEND: unset or "file" (libsecret's file backend in a temporary directory,
 * set up here), "service" (the Secret Service of the environment: tests/run-with-keyring.sh)
 * or "none" (nothing reachable: the token must stay for the session, said so, no crash).
 */
static const char *backend;

#define OTHER_TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef01"
#define TIMEOUT_MS 20000

static gboolean
secret_available (void)
{
  return !g_str_equal (backend, "none");
}

/* Compares without printing: a failing g_assert_cmpstr() would show the token. */
#define assert_token(actual, expected) \
  G_STMT_START { \
    if (g_strcmp0 ((actual), (expected)) != 0) \
      { \
        g_test_message ("%s:%d: the token is not the expected one", __FILE__, __LINE__); \
        g_test_fail (); \
      } \
  } G_STMT_END

static GSettings *
new_settings (void)
{
  GSettings *settings = g_settings_new (BASE_ID);

  /* The memory backend is shared by the whole process: start every test from the defaults. */
  g_settings_reset (settings, "api-url");
  g_settings_reset (settings, "id-instance");

  return settings;
}

/* No key of the schema may ever hold the token. */
static void
assert_token_not_in_settings (GSettings  *settings,
                              const char *token)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      if (strstr (text, token) != NULL)
        {
          g_test_message ("The token is in the setting “%s”", keys[i]);
          g_test_fail ();
        }
    }
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  char     *token;
} Result;

static void
result_clear (Result *result)
{
  g_clear_error (&result->error);
  g_clear_pointer (&result->token, secret_password_free);
  result->done = FALSE;
  result->ok = FALSE;
}

static void
load_cb (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  Result *result = user_data;

  result->ok = ga_credentials_load_finish (GA_CREDENTIALS (object), res, &result->error);
  result->done = TRUE;
}

static void
save_cb (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  Result *result = user_data;

  result->ok = ga_credentials_save_finish (GA_CREDENTIALS (object), res, &result->error);
  result->done = TRUE;
}

static void
secret_lookup_cb (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  Result *result = user_data;

  result->token = ga_secret_lookup_finish (res, &result->error);
  result->ok = result->error == NULL;
  result->done = TRUE;
}

static void
secret_clear_cb (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Result *result = user_data;

  result->ok = ga_secret_clear_finish (res, &result->error);
  result->done = TRUE;
}

static void
load (GaCredentials *credentials,
      Result        *result)
{
  result_clear (result);
  ga_credentials_load_async (credentials, NULL, load_cb, result);
  ga_test_wait_for (&result->done, TIMEOUT_MS);
}

static void
save (GaCredentials *credentials,
      const char    *api_url,
      const char    *id_instance,
      const char    *token,
      Result        *result)
{
  result_clear (result);
  ga_credentials_save_async (credentials, api_url, id_instance, token, NULL, save_cb, result);
  ga_test_wait_for (&result->done, TIMEOUT_MS);
}

/* What the keyring holds for @id_instance, read directly. */
static char *
stored_token (const char *id_instance)
{
  Result result = { 0 };
  char *token;

  ga_secret_lookup_async (id_instance, NULL, secret_lookup_cb, &result);
  ga_test_wait_for (&result.done, TIMEOUT_MS);
  g_assert_no_error (result.error);
  token = g_steal_pointer (&result.token);
  result_clear (&result);

  return token;
}

static void
forget_token (const char *id_instance)
{
  Result result = { 0 };

  if (!secret_available ())
    return;

  ga_secret_clear_async (id_instance, NULL, secret_clear_cb, &result);
  ga_test_wait_for (&result.done, TIMEOUT_MS);
  g_assert_no_error (result.error);
  result_clear (&result);
}

static void
count_cb (gpointer  object,
          guint    *count)
{
  (*count)++;
}

static void
set_flag_cb (gboolean *flag)
{
  *flag = TRUE;
}

/* GSettings and the environment */

static void
test_defaults (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaCredentials) credentials = ga_credentials_new (settings);

  g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==, "https://api.green-api.com");
  g_assert_null (ga_credentials_get_id_instance (credentials));
  g_assert_false (ga_credentials_get_demo (credentials));
  g_assert_false (ga_credentials_get_token_remembered (credentials));
  g_assert_null (ga_credentials_get_secret_problem (credentials));
  g_assert_false (ga_credentials_is_complete (credentials));
  g_assert_cmpint (ga_credentials_get_overridden (credentials), ==, GA_CREDENTIALS_FIELD_NONE);
}

/* The settings hold window state and history too: changing those keys (of other types) leaves
 * the credentials alone and asks nothing of them (G_DEBUG=fatal-warnings makes a critical
 * fatal here). */
static void
test_other_keys (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaCredentials) credentials = ga_credentials_new (settings);
  const char *recent[] = { "11001234567@c.us", NULL };
  guint changes = 0;

  g_signal_connect (credentials, "changed", G_CALLBACK (count_cb), &changes);

  g_settings_set_int (settings, "window-width", 777);
  g_settings_set_boolean (settings, "window-maximized", TRUE);
  g_settings_set_boolean (settings, "history-enabled", FALSE);
  g_settings_set_strv (settings, "recent-chats", recent);
  g_settings_set_string (settings, "last-image-host", "https://pps.whatsapp.net");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changes, ==, 0);

  /* Its own keys still count. */
  g_settings_set_string (settings, "api-url", "https://7103.api.greenapi.com");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changes, >=, 1);
  g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==, "https://7103.api.greenapi.com");

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-maximized");
  g_settings_reset (settings, "history-enabled");
  g_settings_reset (settings, "recent-chats");
  g_settings_reset (settings, "last-image-host");
  g_settings_reset (settings, "api-url");
}

static void
test_environment (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaCredentials) credentials = NULL;
  g_autofree char *token = NULL;
  g_autofree char *stored = NULL;
  Result result = { 0 };

  g_settings_set_string (settings, "api-url", "https://7105.api.greenapi.com");
  g_settings_set_string (settings, "id-instance", "1101000009");

  g_setenv ("GREEN_API_URL", "http://127.0.0.1:1", TRUE);
  g_setenv ("GREEN_API_ID_INSTANCE", GA_TEST_ID_INSTANCE, TRUE);
  g_setenv ("GREEN_API_TOKEN", GA_TEST_TOKEN, TRUE);
  credentials = ga_credentials_new (settings);
  g_unsetenv ("GREEN_API_URL");
  g_unsetenv ("GREEN_API_ID_INSTANCE");
  g_unsetenv ("GREEN_API_TOKEN");

  g_assert_cmpint (ga_credentials_get_overridden (credentials), ==,
                   GA_CREDENTIALS_FIELD_API_URL |
                   GA_CREDENTIALS_FIELD_ID_INSTANCE |
                   GA_CREDENTIALS_FIELD_TOKEN);
  g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==, "http://127.0.0.1:1");
  g_assert_cmpstr (ga_credentials_get_id_instance (credentials), ==, GA_TEST_ID_INSTANCE);
  token = ga_credentials_dup_token (credentials);
  assert_token (token, GA_TEST_TOKEN);
  g_assert_true (ga_credentials_is_complete (credentials));

  /* Loading does not look anything up: the environment wins. */
  load (credentials, &result);
  g_assert_no_error (result.error);
  g_assert_false (ga_credentials_get_token_remembered (credentials));

  /* Saving ignores overridden values and never writes them anywhere. */
  save (credentials, "https://api.green-api.com", "1101000002", OTHER_TOKEN, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==, "http://127.0.0.1:1");
  g_assert_cmpstr (ga_credentials_get_id_instance (credentials), ==, GA_TEST_ID_INSTANCE);
  g_clear_pointer (&token, g_free);
  token = ga_credentials_dup_token (credentials);
  assert_token (token, GA_TEST_TOKEN);

  {
    g_autofree char *api_url = g_settings_get_string (settings, "api-url");
    g_autofree char *id_instance = g_settings_get_string (settings, "id-instance");

    g_assert_cmpstr (api_url, ==, "https://7105.api.greenapi.com");
    g_assert_cmpstr (id_instance, ==, "1101000009");
  }
  assert_token_not_in_settings (settings, GA_TEST_TOKEN);

  if (secret_available ())
    {
      stored = stored_token (GA_TEST_ID_INSTANCE);
      g_assert_null (stored);
    }

  result_clear (&result);
}

static void
test_environment_partial (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaCredentials) credentials = NULL;
  Result result = { 0 };

  /* Only the URL comes from the environment; the rest is saved as usual. */
  g_setenv ("GREEN_API_URL", "https://1103.api.green-api.com", TRUE);
  g_setenv ("GREEN_API_TOKEN", "", TRUE);
  credentials = ga_credentials_new (settings);
  g_unsetenv ("GREEN_API_URL");
  g_unsetenv ("GREEN_API_TOKEN");

  g_assert_cmpint (ga_credentials_get_overridden (credentials), ==, GA_CREDENTIALS_FIELD_API_URL);

  save (credentials, "https://api.green-api.com", GA_TEST_ID_INSTANCE, GA_TEST_TOKEN, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==, "https://1103.api.green-api.com");

  {
    g_autofree char *api_url = g_settings_get_string (settings, "api-url");
    g_autofree char *id_instance = g_settings_get_string (settings, "id-instance");

    g_assert_cmpstr (api_url, ==, "https://api.green-api.com");
    g_assert_cmpstr (id_instance, ==, GA_TEST_ID_INSTANCE);
  }

  forget_token (GA_TEST_ID_INSTANCE);
  result_clear (&result);
}

/* Saving and loading */

static void
test_round_trip (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaCredentials) credentials = ga_credentials_new (settings);
  g_autoptr(GaCredentials) later = NULL;
  g_autofree char *token = NULL;
  g_autofree char *stored = NULL;
  Result result = { 0 };
  guint changed = 0;

  g_signal_connect (credentials, "changed", G_CALLBACK (count_cb), &changed);

  save (credentials, "https://7105.api.greenapi.com", GA_TEST_ID_INSTANCE, GA_TEST_TOKEN,
        &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpuint (changed, >=, 1);

  /* Applied for the session at once. */
  g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==, "https://7105.api.greenapi.com");
  g_assert_cmpstr (ga_credentials_get_id_instance (credentials), ==, GA_TEST_ID_INSTANCE);
  token = ga_credentials_dup_token (credentials);
  assert_token (token, GA_TEST_TOKEN);
  g_assert_true (ga_credentials_is_complete (credentials));

  /* Saved: URL and ID in GSettings, the token only in the keyring. */
  {
    g_autofree char *api_url = g_settings_get_string (settings, "api-url");
    g_autofree char *id_instance = g_settings_get_string (settings, "id-instance");

    g_assert_cmpstr (api_url, ==, "https://7105.api.greenapi.com");
    g_assert_cmpstr (id_instance, ==, GA_TEST_ID_INSTANCE);
  }
  assert_token_not_in_settings (settings, GA_TEST_TOKEN);

  if (!secret_available ())
    {
      /* Kept for the session, and the reason it is not remembered is there to show. */
      g_assert_false (ga_credentials_get_token_remembered (credentials));
      g_assert_nonnull (ga_credentials_get_secret_problem (credentials));
      g_assert_nonnull (strstr (ga_credentials_get_secret_problem (credentials),
                                "no keyring is available"));
      g_assert_null (strstr (ga_credentials_get_secret_problem (credentials), GA_TEST_TOKEN));

      /* A second start cannot find it, and says why, without failing. */
      later = ga_credentials_new (settings);
      load (later, &result);
      g_assert_no_error (result.error);
      g_assert_true (result.ok);
      g_assert_false (ga_credentials_is_complete (later));
      g_assert_nonnull (ga_credentials_get_secret_problem (later));

      result_clear (&result);
      return;
    }

  g_assert_true (ga_credentials_get_token_remembered (credentials));
  g_assert_null (ga_credentials_get_secret_problem (credentials));
  stored = stored_token (GA_TEST_ID_INSTANCE);
  assert_token (stored, GA_TEST_TOKEN);

  /* The next start finds everything again. */
  later = ga_credentials_new (settings);
  g_assert_false (ga_credentials_is_complete (later));
  load (later, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_true (ga_credentials_is_complete (later));
  g_assert_true (ga_credentials_get_token_remembered (later));
  g_clear_pointer (&token, g_free);
  token = ga_credentials_dup_token (later);
  assert_token (token, GA_TEST_TOKEN);

  /* An empty token forgets it, in the session and in the keyring. */
  save (later, "https://7105.api.greenapi.com", GA_TEST_ID_INSTANCE, "", &result);
  g_assert_no_error (result.error);
  g_assert_false (ga_credentials_is_complete (later));
  g_assert_false (ga_credentials_get_token_remembered (later));
  g_clear_pointer (&stored, secret_password_free);
  stored = stored_token (GA_TEST_ID_INSTANCE);
  g_assert_null (stored);

  result_clear (&result);
}

static void
test_save_invalid (void)
{
  static const struct {
    const char *api_url;
    const char *id_instance;
    const char *token;
    int         code;
  } cases[] = {
    { "api.green-api.com", GA_TEST_ID_INSTANCE, GA_TEST_TOKEN, GA_ERROR_INVALID_SETTINGS },
    { "http://api.green-api.com", GA_TEST_ID_INSTANCE, GA_TEST_TOKEN, GA_ERROR_INSECURE_URL },
    { "https://api.green-api.com", "11010000x1", GA_TEST_TOKEN, GA_ERROR_INVALID_SETTINGS },
    { "https://api.green-api.com", GA_TEST_ID_INSTANCE, "a b", GA_ERROR_INVALID_SETTINGS },
  };
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaCredentials) credentials = ga_credentials_new (settings);
  Result result = { 0 };
  guint changed = 0;

  g_signal_connect (credentials, "changed", G_CALLBACK (count_cb), &changed);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *api_url = NULL;
      g_autofree char *id_instance = NULL;
      g_autofree char *stored = NULL;

      save (credentials, cases[i].api_url, cases[i].id_instance, cases[i].token, &result);
      g_assert_false (result.ok);
      g_assert_error (result.error, GA_ERROR, cases[i].code);

      /* Nothing applied, nothing saved. */
      g_assert_cmpuint (changed, ==, 0);
      g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==, "https://api.green-api.com");
      g_assert_null (ga_credentials_get_id_instance (credentials));
      api_url = g_settings_get_string (settings, "api-url");
      id_instance = g_settings_get_string (settings, "id-instance");
      g_assert_cmpstr (api_url, ==, "https://api.green-api.com");
      g_assert_cmpstr (id_instance, ==, "");

      if (secret_available ())
        {
          stored = stored_token (GA_TEST_ID_INSTANCE);
          g_assert_null (stored);
        }
    }

  result_clear (&result);
}

static void
test_instances (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaCredentials) credentials = ga_credentials_new (settings);
  g_autofree char *token = NULL;
  Result result = { 0 };
  gboolean remembered = FALSE;

  save (credentials, "https://api.green-api.com", "1101000002", GA_TEST_TOKEN, &result);
  g_assert_no_error (result.error);
  save (credentials, "https://api.green-api.com", "1101000003", OTHER_TOKEN, &result);
  g_assert_no_error (result.error);
  g_assert_true (ga_credentials_get_token_remembered (credentials));

  /* Switching instances elsewhere (another window, dconf) brings that instance's token. */
  g_settings_set_string (settings, "id-instance", "1101000002");
  g_assert_cmpstr (ga_credentials_get_id_instance (credentials), ==, "1101000002");
  g_assert_false (ga_credentials_get_token_remembered (credentials));
  g_signal_connect_swapped (credentials, "notify::token-remembered",
                            G_CALLBACK (set_flag_cb), &remembered);
  ga_test_wait_for (&remembered, TIMEOUT_MS);
  g_assert_true (ga_credentials_get_token_remembered (credentials));
  token = ga_credentials_dup_token (credentials);
  assert_token (token, GA_TEST_TOKEN);

  /* Saving the same instance with no new token keeps the remembered one. */
  save (credentials, "https://7105.api.greenapi.com", "1101000002", NULL, &result);
  g_assert_no_error (result.error);
  g_assert_true (ga_credentials_get_token_remembered (credentials));
  g_assert_true (ga_credentials_is_complete (credentials));

  forget_token ("1101000002");
  forget_token ("1101000003");
  result_clear (&result);
}

static void
test_demo (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaCredentials) credentials = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *api_url = NULL;
  Result result = { 0 };

  /* The environment does not apply to the demo. */
  g_setenv ("GREEN_API_URL", "https://api.green-api.com", TRUE);
  credentials = ga_credentials_new_for_demo ("http://127.0.0.1:1", "1101000004", GA_TEST_TOKEN);
  g_unsetenv ("GREEN_API_URL");

  g_assert_true (ga_credentials_get_demo (credentials));
  g_assert_cmpint (ga_credentials_get_overridden (credentials), ==, GA_CREDENTIALS_FIELD_NONE);
  g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==, "http://127.0.0.1:1");
  g_assert_true (ga_credentials_is_complete (credentials));

  load (credentials, &result);
  g_assert_no_error (result.error);
  g_assert_true (ga_credentials_is_complete (credentials));
  g_assert_null (ga_credentials_get_secret_problem (credentials));

  save (credentials, "http://127.0.0.1:2", "1101000004", OTHER_TOKEN, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==, "http://127.0.0.1:2");
  g_assert_false (ga_credentials_get_token_remembered (credentials));

  /* Neither GSettings nor the keyring saw anything. */
  api_url = g_settings_get_string (settings, "api-url");
  g_assert_cmpstr (api_url, ==, "https://api.green-api.com");
  assert_token_not_in_settings (settings, OTHER_TOKEN);
  if (secret_available ())
    {
      stored = stored_token ("1101000004");
      g_assert_null (stored);
    }

  result_clear (&result);
}

static void
test_create_client (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaCredentials) credentials = ga_credentials_new (settings);
  g_autoptr(GaCredentials) demo = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GaClient) client = NULL;

  g_assert_null (ga_credentials_create_client (credentials, session));

  demo = ga_credentials_new_for_demo ("http://127.0.0.1:1", GA_TEST_ID_INSTANCE, GA_TEST_TOKEN);
  client = ga_credentials_create_client (demo, session);
  g_assert_nonnull (client);
  g_assert_true (ga_client_get_session (client) == session);
  g_assert_cmpstr (ga_client_get_id_instance (client), ==, GA_TEST_ID_INSTANCE);
}

static void
test_keeps_token_when_store_fails (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaCredentials) credentials = ga_credentials_new (settings);
  g_autofree char *token = NULL;
  Result result = { 0 };

  /* Load first: with no Secret Service, that already says the token cannot be remembered. */
  load (credentials, &result);
  g_assert_no_error (result.error);

  save (credentials, "https://api.green-api.com", GA_TEST_ID_INSTANCE, GA_TEST_TOKEN, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);

  token = ga_credentials_dup_token (credentials);
  assert_token (token, GA_TEST_TOKEN);
  g_assert_true (ga_credentials_is_complete (credentials));
  g_assert_false (ga_credentials_get_token_remembered (credentials));
  g_assert_cmpstr (ga_credentials_get_secret_problem (credentials), ==,
                   "Could not be remembered: no keyring is available. "
                   "The token is kept until you quit.");
  assert_token_not_in_settings (settings, GA_TEST_TOKEN);

  /* A load for the same instance does not throw away the session's token. */
  load (credentials, &result);
  g_assert_no_error (result.error);
  g_assert_true (ga_credentials_is_complete (credentials));

  result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  g_unsetenv ("GREEN_API_URL");
  g_unsetenv ("GREEN_API_ID_INSTANCE");
  g_unsetenv ("GREEN_API_TOKEN");

  backend = ga_test_secret_setup ("credentials", &keyring_dir);

  g_test_add_func ("/green-avatar/credentials/defaults", test_defaults);
  g_test_add_func ("/green-avatar/credentials/other-keys", test_other_keys);
  g_test_add_func ("/green-avatar/credentials/environment", test_environment);
  g_test_add_func ("/green-avatar/credentials/environment-partial", test_environment_partial);
  g_test_add_func ("/green-avatar/credentials/round-trip", test_round_trip);
  g_test_add_func ("/green-avatar/credentials/save-invalid", test_save_invalid);
  g_test_add_func ("/green-avatar/credentials/demo", test_demo);
  g_test_add_func ("/green-avatar/credentials/create-client", test_create_client);
  if (secret_available ())
    g_test_add_func ("/green-avatar/credentials/instances", test_instances);
  else
    g_test_add_func ("/green-avatar/credentials/keeps-token", test_keeps_token_when_store_fails);

  status = g_test_run ();

  if (keyring_dir != NULL)
    ga_test_remove_tree (keyring_dir);

  return status;
}
