/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-cache.h"
#include "ga-client.h"
#include "ga-credentials.h"
#include "ga-error.h"
#include "ga-http-log.h"
#include "ga-http.h"
#include "ga-lookup.h"
#include "ga-test-server.h"

#include <fcntl.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * The API token is part of every request URL. This test runs lookups (successes, API errors,
 * retries, an expired picture URL, a TLS failure) with every debug message enabled and the
 * app's HTTP logger at its most verbose (bodies included), against a server whose error
 * answers echo the request path and the token back. Then it searches everything the app
 * wrote — stdout, stderr, the cache directory, the settings — for the token.
 *
 * The scenario runs in a subprocess (g_test_trap_subprocess) with its stdout and stderr sent
 * to a file, which the subprocess searches itself at the end: a failing check must never
 * print what it found, since that would put the token into the test log.
 */

#define WAIT_MS 20000
#define TOKEN_PATH "/waInstance" GA_TEST_ID_INSTANCE "/getAvatar/" GA_TEST_TOKEN

/* ──────────────────────────── The redaction itself ──────────────────────────── */

static void
test_redact (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "POST /waInstance1101000001/getAvatar/" GA_TEST_TOKEN " HTTP/1.1",
      "POST /waInstance1101000001/getAvatar/<redacted> HTTP/1.1" },
    { "https://7105.api.greenapi.com/waInstance1101000001/GetAvatar/" GA_TEST_TOKEN,
      "https://7105.api.greenapi.com/waInstance1101000001/GetAvatar/<redacted>" },
    { "GET /v3/waInstance1/getStateInstance/abc?x=1", "GET /v3/waInstance1/getStateInstance/<redacted>?x=1" },
    { "{\"path\":\"\\/waInstance1101000001\\/getAvatar\\/" GA_TEST_TOKEN "\"}",
      "{\"path\":\"\\/waInstance1101000001\\/getAvatar\\/<redacted>\"}" },
    { "/WAINSTANCE1101000001%2FgetAvatar%2F" GA_TEST_TOKEN "/x",
      "/WAINSTANCE1101000001%2FgetAvatar%2F<redacted>/x" },
    { "a /waInstance1/getAvatar/t1 and /waInstance2/getSettings/t2.",
      "a /waInstance1/getAvatar/<redacted> and /waInstance2/getSettings/<redacted>" },
    { "Location: /waInstance1/getAvatar/", "Location: /waInstance1/getAvatar/" },
    { "waInstance", "waInstance" },
    { "waInstance12", "waInstance12" },
    { "waInstance12/", "waInstance12/" },
    { "waInstance12/getAvatar", "waInstance12/getAvatar" },
    { "no instance here", "no instance here" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = ga_http_log_redact (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_level_from_env (void)
{
  if (g_test_subprocess ())
    {
      g_unsetenv ("G_MESSAGES_DEBUG");
      g_unsetenv ("GREEN_AVATAR_HTTP_DEBUG");
      g_assert_cmpint (ga_http_log_level_from_env (), ==, SOUP_LOGGER_LOG_NONE);
      g_setenv ("G_MESSAGES_DEBUG", "ga-client ga-lookup", TRUE);
      g_assert_cmpint (ga_http_log_level_from_env (), ==, SOUP_LOGGER_LOG_NONE);
      g_setenv ("G_MESSAGES_DEBUG", "ga-lookup,green-avatar", TRUE);
      g_assert_cmpint (ga_http_log_level_from_env (), ==, SOUP_LOGGER_LOG_HEADERS);
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_assert_cmpint (ga_http_log_level_from_env (), ==, SOUP_LOGGER_LOG_HEADERS);
      g_unsetenv ("G_MESSAGES_DEBUG");
      g_setenv ("GREEN_AVATAR_HTTP_DEBUG", "1", TRUE);
      g_assert_cmpint (ga_http_log_level_from_env (), ==, SOUP_LOGGER_LOG_HEADERS);
      g_setenv ("GREEN_AVATAR_HTTP_DEBUG", "body", TRUE);
      g_assert_cmpint (ga_http_log_level_from_env (), ==, SOUP_LOGGER_LOG_BODY);
      g_setenv ("GREEN_AVATAR_HTTP_DEBUG", "0", TRUE);
      g_assert_cmpint (ga_http_log_level_from_env (), ==, SOUP_LOGGER_LOG_NONE);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* ─────────────────────────────── The scenario ─────────────────────────────── */

/* Like memmem(): binary data may hold NUL bytes before the token. Returns the offset of the
 * first occurrence, or -1. */
static gssize
find_token (const char *data,
            gsize       length)
{
  gsize token_length = strlen (GA_TEST_TOKEN);

  for (gsize i = 0; i + token_length <= length; i++)
    {
      if (data[i] == GA_TEST_TOKEN[0] && memcmp (data + i, GA_TEST_TOKEN, token_length) == 0)
        return (gssize) i;
    }

  return -1;
}

/* Says where the token was found, showing the text around it with the token itself (and any
 * other occurrence) replaced, so that the report is safe to print. */
static gboolean
bytes_contain_token (const char *data,
                     gsize       length)
{
  gssize offset = find_token (data, length);
  gsize start;
  gsize end;
  g_autoptr(GString) excerpt = NULL;

  if (offset < 0)
    return FALSE;

  start = offset > 300 ? (gsize) offset - 300 : 0;
  end = MIN (length, (gsize) offset + strlen (GA_TEST_TOKEN) + 60);
  excerpt = g_string_new (NULL);
  for (gsize i = start; i < end; i++)
    g_string_append_c (excerpt, g_ascii_isprint (data[i]) || data[i] == '\n' ? data[i] : '.');
  g_string_replace (excerpt, GA_TEST_TOKEN, "<THE-TOKEN>", 0);
  g_printerr ("Token found at offset %" G_GSSIZE_FORMAT ", after:\n%s\n", offset, excerpt->str);

  return TRUE;
}

typedef struct
{
  GaTestServer *server;   /* (owned) */
  SoupSession  *session;  /* (owned) */
  GaClient     *client;   /* (owned) */
  GaCache      *cache;    /* (owned) */
  GBytes       *png;      /* (owned) */
  guint         serial;
} Scenario;

typedef struct
{
  gboolean  done;
  GObject  *object;
  GError   *error;
  gboolean  ok;
  int       state;
} Wait;

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->object = G_OBJECT (ga_lookup_finish (GA_CLIENT (source), result, &wait->error));
  wait->done = TRUE;
}

static void
state_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *wait = user_data;
  GaInstanceState state = GA_INSTANCE_STATE_UNKNOWN;

  wait->ok = ga_client_get_state_finish (GA_CLIENT (source), result, &state, &wait->error);
  wait->state = state;
  wait->done = TRUE;
}

static void
cache_store_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = ga_cache_store_finish (GA_CACHE (source), result, &wait->error);
  wait->done = TRUE;
}

static void
credentials_save_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = ga_credentials_save_finish (GA_CREDENTIALS (source), result, &wait->error);
  wait->done = TRUE;
}

static void
assert_no_token (const char *text)
{
  /* No g_assert_cmpstr: on failure it would print the text. */
  if (text != NULL && strstr (text, GA_TEST_TOKEN) != NULL)
    {
      g_printerr ("The token appeared in an error message\n");
      g_assert_not_reached ();
    }
}

/* Logs the error the way an app would when debugging is on, and checks it is clean. */
static void
check_error (const GError *error)
{
  g_assert_nonnull (error);
  assert_no_token (error->message);
  g_debug ("Lookup failed: %s (%s %d)", error->message,
           g_quark_to_string (error->domain), error->code);
}

static GaLookupResult *
lookup (Scenario  *s,
        GError   **error)
{
  g_autofree char *chat_id = g_strdup_printf ("1100123%04u@c.us", ++s->serial);
  Wait wait = { 0, };

  ga_lookup_async (s->client, chat_id, NULL, lookup_cb, &wait);
  ga_test_wait_for (&wait.done, WAIT_MS);
  g_assert_true (wait.done);

  if (wait.error != NULL)
    {
      check_error (wait.error);
      g_propagate_error (error, wait.error);
    }

  return GA_LOOKUP_RESULT (wait.object);
}

static char *
queue_image (Scenario *s,
             guint     status)
{
  g_autofree char *path = g_strdup_printf ("/img/v/t61.24694-24/%u_n.png", ++s->serial);
  GaTestReply *reply = ga_test_server_expect (s->server, path);

  ga_test_reply_set_status (reply, status);
  if (status == 200)
    ga_test_reply_set_body_bytes (reply, "image/png", s->png);
  else
    ga_test_reply_set_body (reply, "text/plain", "URL signature expired", -1);

  return g_strdup_printf ("{\"urlAvatar\": \"%s%s?oe=7FFFFFFF\", \"available\": true}",
                          ga_test_server_get_url (s->server), path);
}

/* An error answer that echoes the request, as many servers do. */
static void
queue_echoing_error (Scenario *s,
                     guint     status)
{
  ga_test_server_expect_api (s->server, "getAvatar", status,
                             "{\"statusCode\": 0, \"message\": \"Cannot handle " TOKEN_PATH
                             " with token " GA_TEST_TOKEN "\", \"path\": \"" TOKEN_PATH "\"}");
}

static void
store_in_cache (Scenario       *s,
                GaLookupResult *result)
{
  GaAvatarInfo *info = ga_lookup_result_get_info (result);
  g_autofree char *key = ga_cache_key_for_url (ga_avatar_info_get_url (info));
  Wait wait = { 0, };

  g_assert_nonnull (key);
  ga_cache_store_async (s->cache,
                        ga_avatar_info_get_chat_id (info),
                        key,
                        ga_cache_expiry_for_url (ga_avatar_info_get_url (info)),
                        ga_lookup_result_get_bytes (result),
                        ga_lookup_result_get_texture (result),
                        NULL, cache_store_cb, &wait);
  ga_test_wait_for (&wait.done, WAIT_MS);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
}

static void
run_lookups (Scenario *s)
{
  g_autofree char *json = NULL;
  g_autoptr(GaLookupResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GaTestReply *reply;

  /* A success, cached the way the window caches it. */
  json = queue_image (s, 200);
  ga_test_server_expect_api (s->server, "getAvatar", 200, json);
  result = lookup (s, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ga_lookup_result_get_texture (result));
  store_in_cache (s, result);
  g_clear_object (&result);
  g_clear_pointer (&json, g_free);

  /* Retries: 429 twice (one with Retry-After), then a 502, then success. */
  queue_echoing_error (s, 429);
  reply = ga_test_server_expect_api (s->server, "getAvatar", 429, NULL);
  ga_test_reply_set_header (reply, "Retry-After", "0");
  queue_echoing_error (s, 502);
  json = queue_image (s, 200);
  ga_test_server_expect_api (s->server, "getAvatar", 200, json);
  result = lookup (s, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_clear_pointer (&json, g_free);

  /* Errors whose bodies quote the token. */
  for (guint i = 0; i < 6; i++)
    {
      static const guint statuses[] = { 400, 401, 403, 404, 466, 499 };

      queue_echoing_error (s, statuses[i]);
      result = lookup (s, &error);
      g_assert_null (result);
      g_assert_true (error->domain == GA_ERROR);
      g_clear_error (&error);
    }

  /* The same as text and HTML, and as an error in a 200 answer. */
  reply = ga_test_server_expect (s->server, TOKEN_PATH);
  ga_test_reply_set_status (reply, 404);
  ga_test_reply_set_body (reply, "text/plain", "Cannot POST " TOKEN_PATH, -1);
  result = lookup (s, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_WRONG_METHOD);
  g_clear_error (&error);

  reply = ga_test_server_expect (s->server, TOKEN_PATH);
  ga_test_reply_set_status (reply, 200);
  ga_test_reply_set_body (reply, "text/html",
                          "<html><body><pre>Cannot POST " TOKEN_PATH "</pre></body></html>", -1);
  result = lookup (s, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);

  ga_test_server_expect_api (s->server, "getAvatar", 200,
                             "{\"code\": 401, \"description\": \"Unauthorized " GA_TEST_TOKEN "\"}");
  result = lookup (s, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_WRONG_TOKEN);
  g_clear_error (&error);

  /* 500 twice: retried once, then an error. */
  queue_echoing_error (s, 500);
  queue_echoing_error (s, 500);
  result = lookup (s, &error);
  g_assert_error (error, GA_ERROR, GA_ERROR_SERVER);
  g_clear_error (&error);

  /* An expired picture URL: getAvatar again, then the new picture. */
  json = queue_image (s, 403);
  ga_test_server_expect_api (s->server, "getAvatar", 200, json);
  g_clear_pointer (&json, g_free);
  json = queue_image (s, 200);
  ga_test_server_expect_api (s->server, "getAvatar", 200, json);
  result = lookup (s, &error);
  g_assert_no_error (error);
  store_in_cache (s, result);
  g_clear_object (&result);
  g_clear_pointer (&json, g_free);

  ga_test_server_assert_done (s->server);
}

static void
run_state_checks (Scenario *s)
{
  Wait wait = { 0, };

  ga_test_server_expect_api (s->server, "getStateInstance", 200,
                             "{\"stateInstance\": \"authorized\"}");
  ga_client_get_state_async (s->client, NULL, state_cb, &wait);
  ga_test_wait_for (&wait.done, WAIT_MS);
  g_assert_no_error (wait.error);
  g_assert_cmpint (wait.state, ==, GA_INSTANCE_STATE_AUTHORIZED);

  memset (&wait, 0, sizeof wait);
  ga_test_server_expect_api (s->server, "getStateInstance", 401,
                             "{\"message\": \"bad token " GA_TEST_TOKEN "\"}");
  ga_client_get_state_async (s->client, NULL, state_cb, &wait);
  ga_test_wait_for (&wait.done, WAIT_MS);
  check_error (wait.error);
  g_clear_error (&wait.error);

  ga_test_server_assert_done (s->server);
}

/* A client for an untrusted HTTPS server and for nonsense settings: errors stay clean. */
static void
run_failing_clients (Scenario *s)
{
  g_autoptr(GaTestServer) tls = ga_test_server_new_tls ();
  g_autoptr(GaClient) tls_client = NULL;
  g_autoptr(GaClient) bad_client = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0, };

  tls_client = ga_client_new (s->session, ga_test_server_get_url (tls), GA_TEST_ID_INSTANCE,
                              GA_TEST_TOKEN);
  ga_lookup_async (tls_client, "11001234567@c.us", NULL, lookup_cb, &wait);
  ga_test_wait_for (&wait.done, WAIT_MS);
  g_assert_error (wait.error, GA_ERROR, GA_ERROR_TLS);
  check_error (wait.error);
  g_clear_error (&wait.error);

  /* Plain HTTP to a remote host and a malformed instance ID: refused before any request. */
  bad_client = ga_client_new (s->session, "http://api.green-api.com/", "12ab", GA_TEST_TOKEN);
  g_assert_false (ga_client_check_settings (bad_client, &error));
  check_error (error);
  g_clear_error (&error);

  memset (&wait, 0, sizeof wait);
  ga_lookup_async (bad_client, "11001234567@c.us", NULL, lookup_cb, &wait);
  ga_test_wait_for (&wait.done, WAIT_MS);
  check_error (wait.error);
  g_clear_error (&wait.error);
}

static void
run_credentials (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GaCredentials) credentials = ga_credentials_new (settings);
  Wait wait = { 0, };

  ga_credentials_save_async (credentials,
                             "https://7105.api.greenapi.com",
                             GA_TEST_ID_INSTANCE,
                             GA_TEST_TOKEN,
                             NULL, credentials_save_cb, &wait);
  ga_test_wait_for (&wait.done, WAIT_MS);
  /* Whether or not a secret store took the token, GSettings must not have it. */
  if (wait.error != NULL)
    check_error (wait.error);
  g_clear_error (&wait.error);
}

/* Every key of the app's schema, printed, must be free of the token. */
static void
assert_settings_clean (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  guint n_checked = 0;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      if (strstr (printed, GA_TEST_TOKEN) != NULL)
        {
          g_printerr ("GSettings key %s holds the token\n", keys[i]);
          g_assert_not_reached ();
        }
      n_checked++;
    }

  /* The save did reach GSettings: the test would be void otherwise. */
  {
    g_autofree char *id = g_settings_get_string (settings, "id-instance");

    g_assert_cmpstr (id, ==, GA_TEST_ID_INSTANCE);
  }
  g_assert_cmpuint (n_checked, >, 0);
}

/* Searches every file under @dir, names and contents. Returns how many files it read. */
static guint
assert_tree_clean (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_files = 0;

  if (handle == NULL)
    return 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (strstr (name, GA_TEST_TOKEN) != NULL)
        {
          g_printerr ("A file name under %s holds the token\n", dir);
          g_assert_not_reached ();
        }

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          n_files += assert_tree_clean (path);
        }
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
          if (bytes_contain_token (contents, length))
            {
              g_printerr ("The file %s holds the token\n", path);
              g_assert_not_reached ();
            }
          n_files++;
        }
    }

  return n_files;
}

static GBytes *
make_png (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 8, 8);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

static void
run_scenario (void)
{
  Scenario s = { 0, };

  s.server = ga_test_server_new ();
  s.session = ga_http_session_new ();
  s.png = make_png ();
  s.cache = ga_cache_new_default ();

  /* The app's own switch, at its most verbose. */
  g_assert_cmpint (ga_http_log_level_from_env (), ==, SOUP_LOGGER_LOG_BODY);
  ga_http_session_enable_logging (s.session, ga_http_log_level_from_env ());

  s.client = g_object_new (GA_TYPE_CLIENT,
                           "session", s.session,
                           "api-url", ga_test_server_get_url (s.server),
                           "id-instance", GA_TEST_ID_INSTANCE,
                           "token", GA_TEST_TOKEN,
                           "max-retries", 3,
                           "retry-delay-ms", 10,
                           "timeout-seconds", 10,
                           NULL);

  run_lookups (&s);
  run_state_checks (&s);
  run_failing_clients (&s);
  run_credentials ();

  g_clear_object (&s.client);
  g_clear_object (&s.cache);
  g_clear_object (&s.session);
  g_clear_pointer (&s.server, ga_test_server_free);
  g_clear_pointer (&s.png, g_bytes_unref);
}

static void
test_token_nowhere (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *capture_path = NULL;
      g_autofree char *output = NULL;
      g_autofree char *secret_dir = NULL;
      gsize length = 0;
      int capture_fd;
      int saved_stdout;
      int saved_stderr;
      guint n_files;

      /* GLib 2.80 and later read G_MESSAGES_DEBUG once, at the first message of the process
       * (GLib logs some before this), so setting it here is not enough there: the public
       * switch turns debug output on in every GLib. */
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_log_set_debug_enabled (TRUE);
      g_setenv ("GREEN_AVATAR_HTTP_DEBUG", "body", TRUE);

      /* libsecret's file backend, outside the directories searched below. */
      secret_dir = ga_test_secret_use_file ("no-leak-secret");

      /* Everything written to stdout and stderr from here on goes to a file. */
      capture_path = g_build_filename (secret_dir, "output", NULL);
      capture_fd = g_open (capture_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      g_assert_cmpint (capture_fd, >=, 0);
      fflush (stdout);
      fflush (stderr);
      saved_stdout = dup (STDOUT_FILENO);
      saved_stderr = dup (STDERR_FILENO);
      g_assert_cmpint (dup2 (capture_fd, STDOUT_FILENO), >=, 0);
      g_assert_cmpint (dup2 (capture_fd, STDERR_FILENO), >=, 0);
      close (capture_fd);

      run_scenario ();

      fflush (stdout);
      fflush (stderr);
      dup2 (saved_stdout, STDOUT_FILENO);
      dup2 (saved_stderr, STDERR_FILENO);
      close (saved_stdout);
      close (saved_stderr);

      g_assert_true (g_file_get_contents (capture_path, &output, &length, NULL));
      g_test_message ("Searched %" G_GSIZE_FORMAT " bytes of debug output", length);
      if (bytes_contain_token (output, length))
        {
          g_printerr ("The token appeared in the debug output\n");
          g_assert_not_reached ();
        }
      /* The logging really was on: request lines and bodies, with the token replaced. */
      g_assert_nonnull (g_strstr_len (output, length, "/getAvatar/<redacted>"));
      g_assert_nonnull (g_strstr_len (output, length, "chatId"));
      g_assert_nonnull (g_strstr_len (output, length, "-DEBUG: "));

      n_files = assert_tree_clean (g_get_user_cache_dir ());
      g_assert_cmpuint (n_files, >, 0);
      assert_tree_clean (g_get_user_config_dir ());
      assert_tree_clean (g_get_user_data_dir ());
      assert_tree_clean (g_get_user_state_dir ());
      assert_settings_clean ();

      ga_test_remove_tree (secret_dir);
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/green-avatar/no-leak-token/redact", test_redact);
  g_test_add_func ("/green-avatar/no-leak-token/level-from-env", test_level_from_env);
  g_test_add_func ("/green-avatar/no-leak-token/token-nowhere", test_token_nowhere);

  return g_test_run ();
}
