/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-compare.h"
#include "ga-contact-list.h"
#include "ga-credentials.h"
#include "ga-demo-server.h"
#include "ga-http.h"
#include "ga-instances.h"
#include "ga-secret.h"

#include "ga-test-server.h"

#include <glib/gstdio.h>
#include <string.h>

#define TOKEN_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define TOKEN_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define TOKEN_C "cccccccccccccccccccccccccccccccccccccccccccccccccc"
#define TIMEOUT_MS 20000

static char *home;

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
  g_settings_reset (settings, "instances");

  return settings;
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
store_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  Result *result = user_data;

  result->ok = ga_secret_store_finish (res, &result->error);
  result->done = TRUE;
}

static void
lookup_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  Result *result = user_data;

  result->token = ga_secret_lookup_finish (res, &result->error);
  result->ok = result->error == NULL;
  result->done = TRUE;
}

static void
remove_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  Result *result = user_data;

  result->ok = ga_instances_remove_finish (GA_INSTANCES (object), res, &result->error);
  result->done = TRUE;
}

static void
load_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  Result *result = user_data;

  result->ok = ga_credentials_load_finish (GA_CREDENTIALS (object), res, &result->error);
  result->done = TRUE;
}

static void
store_token (const char *id_instance,
             const char *token)
{
  Result result = { 0 };

  ga_secret_store_async (id_instance, token, NULL, store_cb, &result);
  ga_test_wait_for (&result.done, TIMEOUT_MS);
  g_assert_no_error (result.error);
  result_clear (&result);
}

static char *
stored_token (const char *id_instance)
{
  Result result = { 0 };
  char *token;

  ga_secret_lookup_async (id_instance, NULL, lookup_cb, &result);
  ga_test_wait_for (&result.done, TIMEOUT_MS);
  g_assert_no_error (result.error);
  token = g_steal_pointer (&result.token);
  result_clear (&result);

  return token;
}

/* How many items of the app's schema the keyring holds, whatever their attributes. */
static guint
count_items (void)
{
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  items = secret_password_search_sync (ga_secret_get_schema (), SECRET_SEARCH_ALL, NULL, &error,
                                       NULL);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

static void
clear_keyring (void)
{
  g_autoptr(GError) error = NULL;

  secret_password_clear_sync (ga_secret_get_schema (), NULL, &error, NULL);
  g_assert_no_error (error);
}

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

static void
touch (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, "x", -1, &error);
  g_assert_no_error (error);
}

static void
test_api_url_for_id (void)
{
  const struct { const char *id; const char *url; } cases[] = {
    { "7103123456", "https://7103.api.greenapi.com" },
    { "1101000001", "https://1101.api.greenapi.com" },
    { "7103", "https://7103.api.greenapi.com" },
    { "710", NULL },
    { "", NULL },
    { "71a3123456", NULL },
    { "7103 12", NULL },
    { "٧١٠٣١٢٣٤", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = ga_instances_api_url_for_id (cases[i].id);

      g_assert_cmpstr (url, ==, cases[i].url);
    }
  g_assert_null (ga_instances_api_url_for_id (NULL));
}

/* Today's single instance becomes the first entry; its keyring item is the entry's, one item,
 * and nothing of the token is anywhere in the settings. */
static void
test_migration (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaInstances) instances = NULL;
  g_autoptr(GaInstance) first = NULL;
  g_autoptr(GVariant) list = NULL;
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;

  clear_keyring ();
  g_settings_set_string (settings, "api-url", "https://7103.api.greenapi.com");
  g_settings_set_string (settings, "id-instance", "7103000001");
  store_token ("7103000001", TOKEN_A);
  g_assert_cmpuint (count_items (), ==, 1);

  instances = ga_instances_new (settings, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (instances)), ==, 1);
  first = g_list_model_get_item (G_LIST_MODEL (instances), 0);
  g_assert_cmpstr (ga_instance_get_id_instance (first), ==, "7103000001");
  g_assert_cmpstr (ga_instance_get_api_url (first), ==, "https://7103.api.greenapi.com");
  g_assert_cmpstr (ga_instance_get_label (first), ==, "7103000001");
  g_assert_true (ga_instances_get_current (instances) == first);

  /* Saved: a new start reads the list, not the old keys. */
  list = g_settings_get_value (settings, "instances");
  g_assert_cmpuint (g_variant_n_children (list), ==, 1);
  id = g_settings_get_string (settings, "id-instance");
  g_assert_cmpstr (id, ==, "7103000001");

  /* The token is where the entry looks for it, once, and not copied anywhere. */
  token = stored_token ("7103000001");
  assert_token (token, TOKEN_A);
  g_assert_cmpuint (count_items (), ==, 1);
  assert_token_not_in_settings (settings, TOKEN_A);

  /* A second start changes nothing. */
  {
    g_autoptr(GaInstances) again = ga_instances_new (settings, NULL);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  }

  clear_keyring ();
}

static void
test_fresh_start (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaInstances) instances = ga_instances_new (settings, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (instances)), ==, 0);
  g_assert_null (ga_instances_get_current (instances));
}

/* Anyone may write the settings: bad, duplicate and overlong entries are not taken. */
static void
test_untrusted_settings (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaInstances) instances = NULL;
  g_autofree char *long_label = g_strnfill (500, 'x');
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  g_variant_builder_add (&builder, "(sss)", "1101000001", "Sales", "https://1101.api.greenapi.com");
  g_variant_builder_add (&builder, "(sss)", "1101000001", "Twice", "https://1101.api.greenapi.com");
  g_variant_builder_add (&builder, "(sss)", "not digits", "Bad", "https://api.green-api.com");
  g_variant_builder_add (&builder, "(sss)", "", "Empty", "https://api.green-api.com");
  g_variant_builder_add (&builder, "(sss)", "1101000002", long_label, "http://plain.example");
  g_settings_set_value (settings, "instances", g_variant_builder_end (&builder));

  instances = ga_instances_new (settings, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (instances)), ==, 2);
  g_assert_cmpstr (ga_instance_get_label (ga_instances_lookup (instances, "1101000001")), ==,
                   "Sales");
  g_assert_cmpstr (ga_instance_get_label (ga_instances_lookup (instances, "1101000002")), ==,
                   "1101000002");
  g_assert_cmpstr (ga_instance_get_api_url (ga_instances_lookup (instances, "1101000002")), ==,
                   "");
  /* No current one was chosen. */
  g_assert_null (ga_instances_get_current (instances));
}

static void
test_add_rename_find (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaInstances) instances = ga_instances_new (settings, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  GaInstance *sales;
  GaInstance *support;

  sales = ga_instances_add (instances, "Sales", NULL, "7103000001", &error);
  g_assert_no_error (error);
  /* The URL is offered from the ID when none is given. */
  g_assert_cmpstr (ga_instance_get_api_url (sales), ==, "https://7103.api.greenapi.com");
  /* The first entry becomes the current one, and the one-instance keys follow. */
  g_assert_true (ga_instances_get_current (instances) == sales);
  id = g_settings_get_string (settings, "id-instance");
  g_assert_cmpstr (id, ==, "7103000001");

  support = ga_instances_add (instances, " Support ", "https://api.green-api.com", "1101000002",
                              &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ga_instance_get_label (support), ==, "Support");
  g_assert_true (ga_instances_get_current (instances) == sales);

  g_assert_null (ga_instances_add (instances, "Again", NULL, "7103000001", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (ga_instances_add (instances, "Bad", "http://api.green-api.com", "1101000003",
                                   &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (ga_instances_add (instances, "Bad", NULL, "12a", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (instances)), ==, 2);

  /* --instance: by ID, by label whatever its case, never a guess. */
  g_assert_true (ga_instances_find (instances, "1101000002", &error) == support);
  g_assert_true (ga_instances_find (instances, " sUPPORT ", &error) == support);
  g_assert_no_error (error);
  g_assert_null (ga_instances_find (instances, "Marketing", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (ga_instances_rename (instances, "7103000001", "support"));
  g_assert_null (ga_instances_find (instances, "Support", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (ga_instances_rename (instances, "7103000001", "Продажи"));
  g_assert_true (ga_instances_find (instances, "ПРОДАЖИ", &error) == sales);
  g_assert_false (ga_instances_rename (instances, "9999999999", "Nobody"));

  /* Switching writes the one-instance keys that GaCredentials reads. */
  g_assert_true (ga_instances_set_current (instances, "1101000002"));
  g_clear_pointer (&id, g_free);
  id = g_settings_get_string (settings, "id-instance");
  url = g_settings_get_string (settings, "api-url");
  g_assert_cmpstr (id, ==, "1101000002");
  g_assert_cmpstr (url, ==, "https://api.green-api.com");
  g_assert_false (ga_instances_set_current (instances, "9999999999"));

  /* Another process sees the same list. */
  {
    g_autoptr(GaInstances) other = ga_instances_new (settings, NULL);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 2);
    g_assert_cmpstr (ga_instance_get_label (ga_instances_lookup (other, "7103000001")), ==,
                     "Продажи");
    g_assert_cmpstr (ga_instance_get_id_instance (ga_instances_get_current (other)), ==,
                     "1101000002");
  }

  /* The URL stays editable, and is checked. */
  g_assert_true (ga_instances_set_api_url (instances, "1101000002",
                                           "https://1101.api.greenapi.com", &error));
  g_assert_no_error (error);
  g_clear_pointer (&url, g_free);
  url = g_settings_get_string (settings, "api-url");
  g_assert_cmpstr (url, ==, "https://1101.api.greenapi.com");
  g_assert_false (ga_instances_set_api_url (instances, "1101000002", "ftp://x", &error));
  g_assert_nonnull (error);
}

/* Each token is its own item: removing one instance removes its token, its contacts and its
 * cached chats, and leaves the others' alone. */
static void
test_remove (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autofree char *cache_dir = g_build_filename (home, "remove-cache", NULL);
  g_autoptr(GaInstances) instances = ga_instances_new (settings, cache_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *contacts_a = ga_instances_contacts_path (cache_dir, "1101000001");
  g_autofree char *contacts_b = ga_instances_contacts_path (cache_dir, "1101000002");
  g_autofree char *chats_a = ga_instances_chats_dir (cache_dir, "1101000001");
  g_autofree char *chats_b = ga_instances_chats_dir (cache_dir, "1101000002");
  g_autofree char *record_a = g_build_filename (chats_a, "chats", "abc", NULL);
  g_autofree char *record_b = g_build_filename (chats_b, "chats", "abc", NULL);
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;
  Result result = { 0 };

  clear_keyring ();
  ga_instances_add (instances, "A", NULL, "1101000001", &error);
  ga_instances_add (instances, "B", NULL, "1101000002", &error);
  ga_instances_add (instances, "C", NULL, "1101000003", &error);
  g_assert_no_error (error);
  store_token ("1101000001", TOKEN_A);
  store_token ("1101000002", TOKEN_B);
  store_token ("1101000003", TOKEN_C);
  touch (contacts_a);
  touch (contacts_b);
  touch (record_a);
  touch (record_b);

  ga_instances_remove_async (instances, "1101000001", NULL, remove_cb, &result);
  /* The entry goes at once; the current one moves to the first that is left. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (instances)), ==, 2);
  g_assert_null (ga_instances_lookup (instances, "1101000001"));
  g_assert_cmpstr (ga_instance_get_id_instance (ga_instances_get_current (instances)), ==,
                   "1101000002");
  id = g_settings_get_string (settings, "id-instance");
  g_assert_cmpstr (id, ==, "1101000002");
  ga_test_wait_for (&result.done, TIMEOUT_MS);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  result_clear (&result);

  token = stored_token ("1101000001");
  g_assert_null (token);
  token = stored_token ("1101000002");
  assert_token (token, TOKEN_B);
  g_clear_pointer (&token, secret_password_free);
  token = stored_token ("1101000003");
  assert_token (token, TOKEN_C);
  g_assert_cmpuint (count_items (), ==, 2);

  g_assert_false (g_file_test (contacts_a, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (chats_a, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (contacts_b, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (record_b, G_FILE_TEST_EXISTS));

  /* Removing what is not there is no error. */
  ga_instances_remove_async (instances, "1101000001", NULL, remove_cb, &result);
  ga_test_wait_for (&result.done, TIMEOUT_MS);
  g_assert_no_error (result.error);
  result_clear (&result);

  clear_keyring ();
}

static void
save_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  Result *result = user_data;

  result->ok = ga_credentials_save_finish (GA_CREDENTIALS (object), res, &result->error);
  result->done = TRUE;
}

/* The one-instance form (GaCredentials) changing ID and URL at once makes a new entry and
 * leaves the old one's URL alone. */
static void
test_credentials_save (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaInstances) instances = ga_instances_new (settings, NULL);
  g_autoptr(GaCredentials) credentials = ga_credentials_new (settings);
  g_autoptr(GError) error = NULL;
  Result result = { 0 };

  clear_keyring ();
  ga_instances_add (instances, "Sales", NULL, "7103000001", &error);
  g_assert_no_error (error);

  ga_credentials_save_async (credentials, "https://api.green-api.com", "1101000002", NULL, NULL,
                             save_cb, &result);
  ga_test_wait_for (&result.done, TIMEOUT_MS);
  g_assert_no_error (result.error);
  result_clear (&result);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (instances)), ==, 2);
  g_assert_cmpstr (ga_instance_get_api_url (ga_instances_lookup (instances, "7103000001")), ==,
                   "https://7103.api.greenapi.com");
  g_assert_cmpstr (ga_instance_get_api_url (ga_instances_lookup (instances, "1101000002")), ==,
                   "https://api.green-api.com");
  g_assert_cmpstr (ga_instance_get_id_instance (ga_instances_get_current (instances)), ==,
                   "1101000002");
  clear_keyring ();
}

/* The command line's --instance: find by ID or label, then credentials for that instance with
 * its own token, leaving the app's current instance alone. */
static void
test_credentials_for_instance (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaInstances) instances = ga_instances_new (settings, NULL);
  g_autoptr(GaCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;
  GaInstance *support;
  Result result = { 0 };

  clear_keyring ();
  ga_instances_add (instances, "Sales", NULL, "7103000001", &error);
  ga_instances_add (instances, "Support", NULL, "7105000002", &error);
  g_assert_no_error (error);
  store_token ("7103000001", TOKEN_A);
  store_token ("7105000002", TOKEN_B);

  support = ga_instances_find (instances, "support", &error);
  g_assert_no_error (error);
  credentials = ga_credentials_new_for_instance (ga_instance_get_id_instance (support),
                                                 ga_instance_get_api_url (support));
  ga_credentials_load_async (credentials, NULL, load_cb, &result);
  ga_test_wait_for (&result.done, TIMEOUT_MS);
  g_assert_no_error (result.error);
  result_clear (&result);

  g_assert_cmpstr (ga_credentials_get_id_instance (credentials), ==, "7105000002");
  g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==, "https://7105.api.greenapi.com");
  token = ga_credentials_dup_token (credentials);
  assert_token (token, TOKEN_B);
  g_assert_true (ga_credentials_is_complete (credentials));

  /* The app's current instance is still the first. */
  id = g_settings_get_string (settings, "id-instance");
  g_assert_cmpstr (id, ==, "7103000001");
  g_assert_cmpstr (ga_instance_get_id_instance (ga_instances_get_current (instances)), ==,
                   "7103000001");

  /* GREEN_API_* still define a temporary instance that wins. */
  g_setenv ("GREEN_API_ID_INSTANCE", "1101000009", TRUE);
  {
    g_autoptr(GaCredentials) temporary = ga_credentials_new_for_instance ("7105000002",
                                                                          "https://x.example");

    g_assert_cmpstr (ga_credentials_get_id_instance (temporary), ==, "1101000009");
    g_assert_cmpint (ga_credentials_get_overridden (temporary), ==,
                     GA_CREDENTIALS_FIELD_ID_INSTANCE);
  }
  g_unsetenv ("GREEN_API_ID_INSTANCE");

  clear_keyring ();
}

/* Each instance has its own contacts file, where removing the instance looks for it. */
static void
test_contacts_per_instance (void)
{
  g_autofree char *cache_dir = g_build_filename (home, "contacts-cache", NULL);
  g_autoptr(GaContactList) sales = ga_contact_list_new (cache_dir, "1101000001");
  g_autoptr(GaContactList) support = ga_contact_list_new (cache_dir, "1101000002");
  g_autofree char *sales_path = ga_contact_list_get_path (sales);
  g_autofree char *support_path = ga_contact_list_get_path (support);
  g_autofree char *expected = ga_instances_contacts_path (cache_dir, "1101000001");

  g_assert_cmpstr (sales_path, !=, support_path);
  g_assert_cmpstr (sales_path, ==, expected);
}

static void
compare_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  Result *result = user_data;

  result->ok = ga_compare_run_finish (GA_COMPARE (object), res, &result->error);
  result->done = TRUE;
}

static void
count_answer_cb (GaCompare *compare,
                 guint      index,
                 guint     *answered)
{
  answered[index]++;
}

/* The same chat through every instance: the demo's two instances disagree about the private
 * chat, a wrong token fails on its own, and an instance without a token says why. */
static void
test_compare (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaDemoServer) server = ga_demo_server_new (&error);
  g_autoptr(SoupSession) session = ga_http_session_new ();
  g_autoptr(GaCompare) compare = ga_compare_new ("15550100002@c.us");
  g_autoptr(GaClient) sales = NULL;
  g_autoptr(GaClient) support = NULL;
  g_autoptr(GaClient) wrong = NULL;
  guint answered[4] = { 0, };
  Result result = { 0 };

  g_assert_no_error (error);
  sales = ga_client_new (session, ga_demo_server_get_url (server),
                         ga_demo_server_get_id_instance (server),
                         ga_demo_server_get_token (server));
  support = ga_client_new (session, ga_demo_server_get_url (server),
                           ga_demo_server_get_other_id_instance (server),
                           ga_demo_server_get_token (server));
  wrong = ga_client_new (session, ga_demo_server_get_url (server),
                         ga_demo_server_get_other_id_instance (server), TOKEN_C);

  g_assert_cmpuint (ga_compare_add (compare, "Sales", sales, NULL), ==, 0);
  g_assert_cmpuint (ga_compare_add (compare, "Support", support, NULL), ==, 1);
  g_assert_cmpuint (ga_compare_add (compare, "Wrong token", wrong, NULL), ==, 2);
  g_assert_cmpuint (ga_compare_add (compare, "Test", NULL, "No token is stored"), ==, 3);
  g_signal_connect (compare, "answered", G_CALLBACK (count_answer_cb), answered);

  ga_compare_run_async (compare, NULL, compare_cb, &result);
  ga_test_wait_for (&result.done, TIMEOUT_MS);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);

  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpuint (answered[i], ==, 1);
      g_assert_true (ga_compare_is_done (compare, i));
    }

  g_assert_nonnull (ga_compare_get_info (compare, 0));
  g_assert_cmpint (ga_avatar_info_get_state (ga_compare_get_info (compare, 0)), ==,
                   GA_AVATAR_STATE_PRIVATE);
  g_assert_nonnull (ga_compare_get_info (compare, 1));
  g_assert_cmpint (ga_avatar_info_get_state (ga_compare_get_info (compare, 1)), ==,
                   GA_AVATAR_STATE_HAS_AVATAR);
  g_assert_null (ga_compare_get_info (compare, 2));
  g_assert_nonnull (ga_compare_get_error (compare, 2));
  g_assert_null (strstr (ga_compare_get_error (compare, 2)->message, TOKEN_C));
  g_assert_null (ga_compare_get_info (compare, 3));
  g_assert_cmpstr (ga_compare_get_error (compare, 3)->message, ==, "No token is stored");
  g_assert_cmpstr (ga_compare_get_label (compare, 1), ==, "Support");
  g_assert_cmpstr (ga_compare_get_chat_id (compare), ==, "15550100002@c.us");

  result_clear (&result);
}

/* GaCredentials is the current instance: switching reads the other instance's own token. */
static void
test_credentials_follow (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaInstances) instances = ga_instances_new (settings, NULL);
  g_autoptr(GaCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  Result result = { 0 };

  clear_keyring ();
  ga_instances_add (instances, "A", NULL, "1101000001", &error);
  ga_instances_add (instances, "B", "https://api.green-api.com", "1101000002", &error);
  g_assert_no_error (error);
  store_token ("1101000001", TOKEN_A);
  store_token ("1101000002", TOKEN_B);

  credentials = ga_credentials_new (settings);
  ga_credentials_load_async (credentials, NULL, load_cb, &result);
  ga_test_wait_for (&result.done, TIMEOUT_MS);
  g_assert_no_error (result.error);
  result_clear (&result);
  token = ga_credentials_dup_token (credentials);
  assert_token (token, TOKEN_A);
  g_clear_pointer (&token, g_free);

  g_assert_true (ga_instances_set_current (instances, "1101000002"));
  g_assert_cmpstr (ga_credentials_get_id_instance (credentials), ==, "1101000002");
  g_assert_cmpstr (ga_credentials_get_api_url (credentials), ==, "https://api.green-api.com");
  /* The reload runs in the background; wait for the other token. */
  while (!ga_credentials_get_token_remembered (credentials))
    g_main_context_iteration (NULL, TRUE);
  token = ga_credentials_dup_token (credentials);
  assert_token (token, TOKEN_B);

  clear_keyring ();
}

/* GREEN_API_* name a temporary instance: the credentials use it, and neither the list nor the
 * settings ever gain it, also when the list follows the settings afterwards. */
static void
test_environment_not_saved (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GaInstances) instances = ga_instances_new (settings, NULL);
  g_autoptr(GaCredentials) credentials = NULL;
  g_autoptr(GaInstances) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  ga_instances_add (instances, "A", NULL, "1101000001", &error);
  g_assert_no_error (error);

  g_setenv ("GREEN_API_URL", "https://7105.api.greenapi.com", TRUE);
  g_setenv ("GREEN_API_ID_INSTANCE", "7105000009", TRUE);
  g_setenv ("GREEN_API_TOKEN", TOKEN_B, TRUE);
  credentials = ga_credentials_new (settings);
  g_unsetenv ("GREEN_API_URL");
  g_unsetenv ("GREEN_API_ID_INSTANCE");
  g_unsetenv ("GREEN_API_TOKEN");

  g_assert_cmpstr (ga_credentials_get_id_instance (credentials), ==, "7105000009");
  g_assert_true (ga_credentials_is_complete (credentials));
  /* Choosing an entry leaves the environment's instance in use, and saves nothing of it. */
  g_assert_true (ga_instances_set_current (instances, "1101000001"));
  g_assert_cmpstr (ga_credentials_get_id_instance (credentials), ==, "7105000009");

  id = g_settings_get_string (settings, "id-instance");
  g_assert_cmpstr (id, ==, "1101000001");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (instances)), ==, 1);
  g_assert_null (ga_instances_lookup (instances, "7105000009"));
  again = ga_instances_new (settings, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  g_assert_null (ga_instances_lookup (again, "7105000009"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = NULL;
  int status;

  home = ga_test_make_home ("instances");
  g_test_init (&argc, &argv, NULL);

  g_unsetenv ("GREEN_API_URL");
  g_unsetenv ("GREEN_API_ID_INSTANCE");
  g_unsetenv ("GREEN_API_TOKEN");

  /* Always the file backend: these tests need a keyring that works. */
  keyring_dir = ga_test_secret_use_file ("instances");

  g_test_add_func ("/green-avatar/instances/api-url-for-id", test_api_url_for_id);
  g_test_add_func ("/green-avatar/instances/fresh-start", test_fresh_start);
  g_test_add_func ("/green-avatar/instances/migration", test_migration);
  g_test_add_func ("/green-avatar/instances/untrusted-settings", test_untrusted_settings);
  g_test_add_func ("/green-avatar/instances/add-rename-find", test_add_rename_find);
  g_test_add_func ("/green-avatar/instances/remove", test_remove);
  g_test_add_func ("/green-avatar/instances/contacts-per-instance", test_contacts_per_instance);
  g_test_add_func ("/green-avatar/instances/credentials-follow", test_credentials_follow);
  g_test_add_func ("/green-avatar/instances/credentials-save", test_credentials_save);
  g_test_add_func ("/green-avatar/instances/credentials-for-instance",
                   test_credentials_for_instance);
  g_test_add_func ("/green-avatar/instances/compare", test_compare);
  g_test_add_func ("/green-avatar/instances/environment-not-saved", test_environment_not_saved);

  status = g_test_run ();

  ga_test_remove_tree (keyring_dir);
  ga_test_remove_tree (home);

  return status;
}
