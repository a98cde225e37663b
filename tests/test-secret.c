/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-secret.h"

#include "ga-test-server.h"

#include <glib/gstdio.h>
#include <string.h>

/*
 * GA_TEST_SECRET_BACKEND picks what the program talks to:
 * - unset or "file": libsecret's file backend in a temporary directory (set up here);
 * - "service": whatever Secret Service the environment has (tests/run-with-keyring.sh starts a
 *   fresh gnome-keyring-daemon);
 * - "none": nothing is reachable (DBUS_SESSION_BUS_ADDRESS points at nothing); every call must
 *   fail cleanly.
 */
static const char *backend;

#define OTHER_TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef01"
#define TIMEOUT_MS 20000

typedef struct
{
  gboolean  done;
  gboolean  ok;
  char     *token;
  GError   *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->token, secret_password_free);
  g_clear_error (&result->error);
  result->done = FALSE;
  result->ok = FALSE;
}

static void
store_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  Result *result = user_data;

  result->ok = ga_secret_store_finish (res, &result->error);
  result->done = TRUE;
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *result = user_data;

  result->token = ga_secret_lookup_finish (res, &result->error);
  result->ok = result->error == NULL;
  result->done = TRUE;
}

static void
clear_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  Result *result = user_data;

  result->ok = ga_secret_clear_finish (res, &result->error);
  result->done = TRUE;
}

static void
store (const char *id_instance,
       const char *token,
       Result     *result)
{
  result_clear (result);
  ga_secret_store_async (id_instance, token, NULL, store_cb, result);
  ga_test_wait_for (&result->done, TIMEOUT_MS);
}

static void
lookup (const char *id_instance,
        Result     *result)
{
  result_clear (result);
  ga_secret_lookup_async (id_instance, NULL, lookup_cb, result);
  ga_test_wait_for (&result->done, TIMEOUT_MS);
}

static void
clear (const char *id_instance,
       Result     *result)
{
  result_clear (result);
  ga_secret_clear_async (id_instance, NULL, clear_cb, result);
  ga_test_wait_for (&result->done, TIMEOUT_MS);
}

/* Compares without printing: a failing g_assert_cmpstr() would show the token. */
static void
assert_token (const char *token,
              const char *expected)
{
  if (g_strcmp0 (token, expected) != 0)
    {
      g_test_message ("The looked-up token differs from the stored one (%s)",
                      token == NULL ? "none found" : "another value");
      g_test_fail ();
    }
}

static void
assert_no_error (Result *result)
{
  g_assert_no_error (result->error);
  g_assert_true (result->ok);
}

static void
test_schema (void)
{
  const SecretSchema *schema = ga_secret_get_schema ();

  g_assert_cmpstr (schema->name, ==, BASE_ID);
  g_assert_cmpstr (schema->attributes[0].name, ==, "id-instance");
  g_assert_cmpint (schema->attributes[0].type, ==, SECRET_SCHEMA_ATTRIBUTE_STRING);
  g_assert_null (schema->attributes[1].name);
}

static void
test_round_trip (void)
{
  Result result = { 0 };

  store (GA_TEST_ID_INSTANCE, GA_TEST_TOKEN, &result);
  assert_no_error (&result);

  lookup (GA_TEST_ID_INSTANCE, &result);
  assert_no_error (&result);
  assert_token (result.token, GA_TEST_TOKEN);

  /* Storing again replaces the item rather than adding a second one. */
  store (GA_TEST_ID_INSTANCE, OTHER_TOKEN, &result);
  assert_no_error (&result);
  lookup (GA_TEST_ID_INSTANCE, &result);
  assert_no_error (&result);
  assert_token (result.token, OTHER_TOKEN);

  clear (GA_TEST_ID_INSTANCE, &result);
  assert_no_error (&result);
  lookup (GA_TEST_ID_INSTANCE, &result);
  assert_no_error (&result);
  g_assert_null (result.token);

  /* Clearing what is not there is not an error. */
  clear (GA_TEST_ID_INSTANCE, &result);
  assert_no_error (&result);

  result_clear (&result);
}

static void
test_instances_apart (void)
{
  Result result = { 0 };

  store ("1101000002", GA_TEST_TOKEN, &result);
  assert_no_error (&result);
  store ("1101000003", OTHER_TOKEN, &result);
  assert_no_error (&result);

  lookup ("1101000002", &result);
  assert_no_error (&result);
  assert_token (result.token, GA_TEST_TOKEN);
  lookup ("1101000003", &result);
  assert_no_error (&result);
  assert_token (result.token, OTHER_TOKEN);

  clear ("1101000002", &result);
  assert_no_error (&result);
  lookup ("1101000003", &result);
  assert_no_error (&result);
  assert_token (result.token, OTHER_TOKEN);
  clear ("1101000003", &result);
  assert_no_error (&result);

  result_clear (&result);
}

static void
test_lookup_missing (void)
{
  Result result = { 0 };

  lookup ("1101999999", &result);
  assert_no_error (&result);
  g_assert_null (result.token);

  result_clear (&result);
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result result = { 0 };

  g_cancellable_cancel (cancellable);
  ga_secret_lookup_async (GA_TEST_ID_INSTANCE, cancellable, lookup_cb, &result);
  ga_test_wait_for (&result.done, TIMEOUT_MS);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result.token);

  result_clear (&result);
}

static void
test_unavailable (void)
{
  Result result = { 0 };
  g_autofree char *message = NULL;

  store (GA_TEST_ID_INSTANCE, GA_TEST_TOKEN, &result);
  g_assert_false (result.ok);
  g_assert_nonnull (result.error);
  g_assert_null (strstr (result.error->message, GA_TEST_TOKEN));

  message = ga_secret_describe_error (result.error);
  g_assert_nonnull (strstr (message, "no keyring is available"));
  g_assert_null (strstr (message, GA_TEST_TOKEN));

  lookup (GA_TEST_ID_INSTANCE, &result);
  g_assert_false (result.ok);
  g_assert_nonnull (result.error);
  g_assert_null (result.token);

  clear (GA_TEST_ID_INSTANCE, &result);
  g_assert_false (result.ok);
  g_assert_nonnull (result.error);

  result_clear (&result);
}

static void
test_describe_error (void)
{
  g_autoptr(GError) no_service = NULL;
  g_autoptr(GError) locked = NULL;
  g_autoptr(GError) other = NULL;
  g_autofree char *message = NULL;

  no_service = g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN,
                                    "The name org.freedesktop.secrets was not provided");
  message = ga_secret_describe_error (no_service);
  g_assert_cmpstr (message, ==,
                   "Could not be remembered: no keyring is available. "
                   "The token is kept until you quit.");
  g_clear_pointer (&message, g_free);

  locked = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "Locked");
  message = ga_secret_describe_error (locked);
  g_assert_nonnull (strstr (message, "the keyring is locked"));
  g_clear_pointer (&message, g_free);

  other = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_PROTOCOL, "Bad reply");
  message = ga_secret_describe_error (other);
  g_assert_nonnull (strstr (message, "Bad reply"));
  g_assert_nonnull (strstr (message, "kept until you quit"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  backend = ga_test_secret_setup ("secret", &keyring_dir);

  g_test_add_func ("/green-avatar/secret/schema", test_schema);
  g_test_add_func ("/green-avatar/secret/describe-error", test_describe_error);

  if (g_str_equal (backend, "none"))
    {
      g_test_add_func ("/green-avatar/secret/unavailable", test_unavailable);
    }
  else
    {
      g_test_add_func ("/green-avatar/secret/round-trip", test_round_trip);
      g_test_add_func ("/green-avatar/secret/instances-apart", test_instances_apart);
      g_test_add_func ("/green-avatar/secret/lookup-missing", test_lookup_missing);
      g_test_add_func ("/green-avatar/secret/cancelled", test_cancelled);
    }

  status = g_test_run ();

  if (keyring_dir != NULL)
    ga_test_remove_tree (keyring_dir);

  return status;
}
