/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include "ga-cli.h"
#include "ga-enums.h"
#include "ga-error.h"
#include "ga-test-server.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

/*
 * The command line as a program: the real green-avatar binary (GA_TEST_GREEN_AVATAR) run in
 * a subprocess with no display, the credentials in GREEN_API_* variables, an isolated XDG
 * home, and a loopback GREEN-API.
 *
 * The lookups of one run go out concurrently, so the API stand-in here answers by the chatId
 * in the request body rather than in queue order (as tests/ga-test-server.c does): a table of
 * chats, each with its answer, an optional delay and a request count. It is a real SoupServer
 * on 127.0.0.1, like the shared fixture, and serves the pictures too.
 */

#define WAIT_MS 30000
#define TOKEN "d75b3a66374942c5b3c019c698abc2067e151558acbd412345"
#define ID_INSTANCE "1101000001"
#define API_PATH "/waInstance" ID_INSTANCE "/getAvatar/" TOKEN
#define CONTACTS_PATH "/waInstance" ID_INSTANCE "/getContacts/" TOKEN
#define CHECK_PATH "/waInstance" ID_INSTANCE "/checkWhatsapp/" TOKEN
/* A second instance (same token, for the test), whose account sees CHAT_PRIVATE's picture. */
#define ID_INSTANCE2 "1101000002"
#define API_PATH2 "/waInstance" ID_INSTANCE2 "/getAvatar/" TOKEN

#define CHAT_PICTURE "79001230001"
#define CHAT_PRIVATE "79001230002"
#define CHAT_NOT_SET "79001230003"
#define CHAT_REJECTED "79001230004"
#define CHAT_BROKEN "79001230005"
#define CHAT_SLOW "79001230006"
#define CHAT_UNAUTHORIZED "79001230007"
#define CHAT_HELD "79001230010"
#define CHAT_NO_ACCOUNT "79001230008"
#define CHAT_QUOTA "79001230009"
#define GROUP_PICTURE "120363043968066561@g.us"

/* An answer with this delay waits until the test releases it. */
#define HOLD G_MAXUINT

/* What getContacts answers: names for two of the chats. */
#define CONTACTS_JSON \
  "[{\"id\": \"" CHAT_PRIVATE "@c.us\", \"name\": \"Pavel\", \"type\": \"user\"}," \
  " {\"id\": \"" GROUP_PICTURE "\", \"name\": \"Book club\", \"type\": \"group\"}]"

typedef struct
{
  const char *chat;           /* the chatId the request names */
  guint       status;
  const char *json;           /* "%s" is replaced by the server's URL */
  guint       delay_ms;
} Answer;

static const Answer answers[] = {
  { CHAT_PICTURE "@c.us", 200, "{\"urlAvatar\": \"%s/img/v/t61/1_n.jpg?oe=66041D5F\", "
                               "\"available\": true}", 0 },
  { CHAT_SLOW "@c.us", 200, "{\"urlAvatar\": \"%s/img/v/t61/1_n.jpg?oe=66041D5F\", "
                            "\"available\": true}", 600 },
  { GROUP_PICTURE, 200, "{\"urlAvatar\": \"%s/img/v/t61/2_n.jpg?oe=66041D5F\", "
                        "\"available\": true}", 0 },
  { CHAT_PRIVATE "@c.us", 200, "{\"urlAvatar\": \"\", \"available\": false}", 0 },
  { CHAT_NOT_SET "@c.us", 200, "{\"urlAvatar\": \"\", \"available\": true}", 0 },
  { CHAT_HELD "@c.us", 200, "{\"urlAvatar\": \"\", \"available\": false}", HOLD },
  { CHAT_NO_ACCOUNT "@c.us", 200, "{\"urlAvatar\": \"\", \"available\": true}", 0 },
  { CHAT_QUOTA "@c.us", 200, "{\"urlAvatar\": \"\", \"available\": true}", 0 },
  { CHAT_REJECTED "@c.us", 400, "{\"statusCode\": 400, \"message\": \"Validation failed. "
                                "Details: chatId is not valid\"}", 0 },
  { CHAT_BROKEN "@c.us", 200, "{\"urlAvatar\": \"%s/img/v/t61/broken_n.jpg?oe=66041D5F\", "
                              "\"available\": true}", 0 },
  /* An error answer that echoes the request path, token and all. */
  { CHAT_UNAUTHORIZED "@c.us", 401, "{\"message\": \"Unauthorized: " API_PATH "\"}", 0 },
};

typedef struct
{
  SoupServer  *server;
  char        *url;
  char        *home;
  GHashTable  *counts;        /* chatId → number of getAvatar requests */
  GPtrArray   *held;          /* (element-type SoupServerMessage): answers not sent yet */
  GBytes      *picture1;
  GBytes      *picture2;
} Fixture;

typedef struct
{
  char    *out;
  char    *err;
  int      status;
  gboolean done;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->out, g_free);
  g_clear_pointer (&outcome->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static GBytes *
make_image (guint32 color)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 32, 32);
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, color);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

static gboolean
unpause_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_server_message_unpause (msg);
  g_object_unref (msg);

  return G_SOURCE_REMOVE;
}

static void
count (Fixture    *fixture,
       const char *key)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (fixture->counts, key));

  g_hash_table_insert (fixture->counts, g_strdup (key), GUINT_TO_POINTER (n + 1));
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *chat = NULL;
  JsonNode *root;

  if (g_str_has_prefix (path, "/img/"))
    {
      GBytes *picture = NULL;

      if (g_str_has_suffix (path, "/1_n.jpg"))
        picture = fixture->picture1;
      else if (g_str_has_suffix (path, "/2_n.jpg"))
        picture = fixture->picture2;

      soup_server_message_set_status (msg, 200, NULL);
      if (picture != NULL)
        soup_server_message_set_response (msg, "image/jpeg", SOUP_MEMORY_COPY,
                                          g_bytes_get_data (picture, NULL),
                                          g_bytes_get_size (picture));
      else
        soup_server_message_set_response (msg, "image/jpeg", SOUP_MEMORY_STATIC,
                                          "not a picture", 13);
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  if (g_str_equal (path, CONTACTS_PATH))
    {
      count (fixture, "getContacts");
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        CONTACTS_JSON, strlen (CONTACTS_JSON));
      return;
    }

  if (g_str_equal (path, CHECK_PATH) &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                  g_bytes_get_size (body), NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *number = NULL;
      const char *json;

      number = g_strdup_printf ("%" G_GINT64_FORMAT,
                                json_object_get_int_member_with_default (json_node_get_object (root),
                                                                         "phoneNumber", 0));
      count (fixture, number);
      soup_server_message_set_status (msg, 200, NULL);
      if (g_str_equal (number, CHAT_QUOTA))
        {
          json = "{\"invokeStatus\": {\"method\": \"checkwhatsapp\", \"used\": 100, "
                 "\"total\": 100, \"status\": \"QUOTE_EXCEEDED\", "
                 "\"description\": \"Monthly quota has been exceeded\"}}";
          soup_server_message_set_status (msg, 466, NULL);
        }
      else if (g_str_equal (number, CHAT_NO_ACCOUNT))
        json = "{\"existsWhatsapp\": false}";
      else
        json = "{\"existsWhatsapp\": true}";
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        json, strlen (json));
      return;
    }

  if ((g_str_equal (path, API_PATH) || g_str_equal (path, API_PATH2)) &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                  g_bytes_get_size (body), NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    chat = json_object_get_string_member_with_default (json_node_get_object (root),
                                                       "chatId", NULL);

  if (chat != NULL && g_str_equal (path, API_PATH2) &&
      g_str_equal (chat, CHAT_PRIVATE "@c.us"))
    {
      g_autofree char *json = g_strdup_printf ("{\"urlAvatar\": \"%s/img/v/t61/2_n.jpg\", "
                                               "\"available\": true}", fixture->url);

      count (fixture, ID_INSTANCE2);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        json, strlen (json));
      return;
    }

  for (guint i = 0; chat != NULL && i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GString) json = NULL;

      if (!g_str_equal (chat, answers[i].chat))
        continue;

      count (fixture, chat);
      json = g_string_new (answers[i].json);
      g_string_replace (json, "%s", fixture->url, 0);
      soup_server_message_set_status (msg, answers[i].status, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        json->str, json->len);
      if (answers[i].delay_ms == HOLD)
        {
          soup_server_message_pause (msg);
          g_ptr_array_add (fixture->held, g_object_ref (msg));
        }
      else if (answers[i].delay_ms > 0)
        {
          soup_server_message_pause (msg);
          g_timeout_add (answers[i].delay_ms, unpause_cb, g_object_ref (msg));
        }
      return;
    }

  soup_server_message_set_status (msg, 599, NULL);
}

static guint
n_requests (Fixture    *fixture,
            const char *chat_id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->counts, chat_id));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  fixture->home = g_dir_make_tmp ("green-avatar-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->held = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->picture1 = make_image (0x25d366ff);
  fixture->picture2 = make_image (0x3366ccff);

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, handler_cb, fixture, NULL);
  /* As ga-test-server listens: libsoup 3.2's soup_server_listen_local() leaks the local address
   * it looks up, which valgrind reports. */
  {
    g_autoptr(GInetAddress) address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, 0);

    soup_server_listen (fixture->server, socket_address, 0, &error);
    g_assert_no_error (error);
  }
  uris = soup_server_get_uris (fixture->server);
  fixture->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->held, g_ptr_array_unref);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  ga_test_remove_tree (fixture->home);
  g_clear_pointer (&fixture->home, g_free);
  g_clear_pointer (&fixture->url, g_free);
  g_clear_pointer (&fixture->counts, g_hash_table_unref);
  g_clear_pointer (&fixture->picture1, g_bytes_unref);
  g_clear_pointer (&fixture->picture2, g_bytes_unref);
}

static gboolean
holds_token (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize n = strlen (TOKEN);

  for (gsize i = 0; i + n <= size; i++)
    if (memcmp (data + i, TOKEN, n) == 0)
      return TRUE;

  return FALSE;
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Outcome *outcome = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result, &out, &err, &error);
  g_assert_no_error (error);

  /* Never print what was found: that would put the token into the test log. The HTTP log
   * at its most verbose holds picture bytes, so this looks at bytes, not strings. */
  g_assert_false (holds_token (out));
  g_assert_false (holds_token (err));

  outcome->out = g_strndup (g_bytes_get_size (out) > 0 ? g_bytes_get_data (out, NULL) : "",
                            g_bytes_get_size (out));
  outcome->err = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "",
                            g_bytes_get_size (err));
  outcome->done = TRUE;
}

/* A launcher for green-avatar: no display, no session bus, the fixture's home, and
 * credentials for the fixture unless @no_credentials; @extra_env holds "NAME=value" pairs. */
static GSubprocessLauncher *
make_launcher (Fixture            *fixture,
               GSubprocessFlags    flags,
               gboolean            no_credentials,
               const char * const *extra_env)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autofree char *cache = g_build_filename (fixture->home, "cache", NULL);
  g_autofree char *config = g_build_filename (fixture->home, "config", NULL);
  g_autofree char *data = g_build_filename (fixture->home, "data", NULL);

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "GREEN_API_URL");
  g_subprocess_launcher_unsetenv (launcher, "GREEN_API_ID_INSTANCE");
  g_subprocess_launcher_unsetenv (launcher, "GREEN_API_TOKEN");
  /* No session bus: the token must not be looked for in anyone's keyring. */
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/nonexistent/green-avatar-no-bus", TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", fixture->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  if (!no_credentials)
    {
      g_subprocess_launcher_setenv (launcher, "GREEN_API_URL", fixture->url, TRUE);
      g_subprocess_launcher_setenv (launcher, "GREEN_API_ID_INSTANCE", ID_INSTANCE, TRUE);
      g_subprocess_launcher_setenv (launcher, "GREEN_API_TOKEN", TOKEN, TRUE);
    }
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra_env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  return launcher;
}

static GPtrArray *
make_argv (const char * const *argv)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  const char *binary = g_getenv ("GA_TEST_GREEN_AVATAR");

  g_assert_nonnull (binary);
  g_ptr_array_add (args, g_strdup (binary));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, g_strdup (argv[i]));
  g_ptr_array_add (args, NULL);

  return args;
}

/* Runs green-avatar with @argv (NULL-terminated, without the program) and @input on its
 * standard input (see make_launcher()). */
static void
run_full (Fixture            *fixture,
          const char * const *argv,
          const char         *input,
          gboolean            no_credentials,
          const char * const *extra_env,
          Outcome            *outcome)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) stdin_bytes = g_bytes_new (input, input != NULL ? strlen (input) : 0);
  g_autoptr(GPtrArray) args = make_argv (argv);
  g_autoptr(GError) error = NULL;

  launcher = make_launcher (fixture,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE |
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            no_credentials, extra_env);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_async (process, stdin_bytes, NULL, communicate_cb, outcome);
  ga_test_wait_for (&outcome->done, WAIT_MS);

  g_assert_true (g_subprocess_get_if_exited (process));
  outcome->status = g_subprocess_get_exit_status (process);
}

static void
run (Fixture            *fixture,
     const char * const *argv,
     Outcome            *outcome)
{
  run_full (fixture, argv, NULL, FALSE, NULL, outcome);
}

/* The lines of @text, which must end in a line break. */
static GStrv
split_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_clear_pointer (&lines[n - 1], g_free);

  return g_steal_pointer (&lines);
}

static void
assert_fields (const char *line,
               const char *input,
               const char *chat_id,
               const char *status,
               const char *name,
               const char *file,
               gboolean    has_error)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", -1);

  g_assert_cmpuint (g_strv_length (fields), ==, 6);
  g_assert_cmpstr (fields[0], ==, input);
  g_assert_cmpstr (fields[1], ==, chat_id);
  g_assert_cmpstr (fields[2], ==, status);
  g_assert_cmpstr (fields[3], ==, name);
  if (file != NULL)
    g_assert_cmpstr (fields[4], ==, file);
  g_assert_cmpint (fields[5][0] != '\0', ==, has_error);
}

/* ──────────────────────────── The cases ──────────────────────────── */

/* Every status, in input order even though the first answer comes last; a chat given twice
 * is looked up once. */
static void
test_statuses (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };
  g_auto(GStrv) lines = NULL;
  const char *argv[] = {
    "--print", CHAT_SLOW, "+7 900 123-00-01", CHAT_PRIVATE, CHAT_NOT_SET, CHAT_REJECTED,
    "12", GROUP_PICTURE, "wa.me/" CHAT_PICTURE, NULL
  };

  run (fixture, argv, &outcome);

  lines = split_lines (outcome.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 8);
  assert_fields (lines[0], CHAT_SLOW, CHAT_SLOW "@c.us", "picture", "", "", FALSE);
  assert_fields (lines[1], "+7 900 123-00-01", CHAT_PICTURE "@c.us", "picture", "", "", FALSE);
  assert_fields (lines[2], CHAT_PRIVATE, CHAT_PRIVATE "@c.us", "private", "Pavel", "", FALSE);
  assert_fields (lines[3], CHAT_NOT_SET, CHAT_NOT_SET "@c.us", "not-set", "", "", FALSE);
  assert_fields (lines[4], CHAT_REJECTED, CHAT_REJECTED "@c.us", "error", "", "", TRUE);
  g_assert_nonnull (strstr (lines[4], "chatId is not valid"));
  assert_fields (lines[5], "12", "", "error", "", "", TRUE);
  assert_fields (lines[6], GROUP_PICTURE, GROUP_PICTURE, "picture", "Book club", "", FALSE);
  assert_fields (lines[7], "wa.me/" CHAT_PICTURE, CHAT_PICTURE "@c.us", "picture", "", "",
                 FALSE);

  g_assert_cmpuint (n_requests (fixture, CHAT_PICTURE "@c.us"), ==, 1);
  g_assert_cmpuint (n_requests (fixture, CHAT_SLOW "@c.us"), ==, 1);
  /* Not one getContactInfo a chat: one getContacts, and checks only when asked for. */
  g_assert_cmpuint (n_requests (fixture, "getContacts"), ==, 1);
  g_assert_cmpuint (n_requests (fixture, CHAT_NOT_SET), ==, 0);
  g_assert_cmpint (outcome.status, ==, 1);
  g_assert_cmpstr (outcome.err, ==, "");
}

typedef struct
{
  char     *line;
  gboolean  done;
} LineRead;

static void
line_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LineRead *read = user_data;
  g_autoptr(GError) error = NULL;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                          NULL, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static char *
read_line (GDataInputStream *stream)
{
  LineRead read = { 0 };

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, NULL, line_cb, &read);
  ga_test_wait_for (&read.done, WAIT_MS);

  return read.line;
}

/* A line is on stdout as soon as it and the lines before it are known, while later lookups
 * still wait for their answer (here, until the test lets it go). */
static void
test_streams (Fixture       *fixture,
              gconstpointer  data)
{
  const char *argv[] = { "--print", CHAT_PRIVATE, CHAT_HELD, NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) stdout_lines = NULL;
  g_autoptr(GPtrArray) args = make_argv (argv);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *end = NULL;

  launcher = make_launcher (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE, FALSE, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  first = read_line (stdout_lines);
  g_assert_nonnull (first);
  g_assert_true (g_str_has_prefix (first, CHAT_PRIVATE "\t"));
  /* The other chat's answer has not been sent (its request may still be on its way). */
  while (fixture->held->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (fixture->held->len, ==, 1);

  for (guint i = 0; i < fixture->held->len; i++)
    soup_server_message_unpause (g_ptr_array_index (fixture->held, i));

  second = read_line (stdout_lines);
  g_assert_nonnull (second);
  g_assert_true (g_str_has_prefix (second, CHAT_HELD "\t"));
  end = read_line (stdout_lines);
  g_assert_null (end);

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_all_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };
  const char *argv[] = { "--print", CHAT_PICTURE, CHAT_PRIVATE, CHAT_NOT_SET, NULL };

  run (fixture, argv, &outcome);

  g_assert_cmpint (outcome.status, ==, 0);
  g_assert_cmpstr (outcome.err, ==, "");
}

static JsonObject *
parse_object (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };
  g_auto(GStrv) lines = NULL;
  const char *argv[] = { "--json", CHAT_PICTURE, CHAT_NOT_SET, CHAT_UNAUTHORIZED, "x", NULL };
  g_autoptr(JsonObject) picture = NULL;
  g_autoptr(JsonObject) not_set = NULL;
  g_autoptr(JsonObject) unauthorized = NULL;
  g_autoptr(JsonObject) invalid = NULL;
  JsonObject *error;

  run (fixture, argv, &outcome);
  g_assert_cmpint (outcome.status, ==, 1);

  lines = split_lines (outcome.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  picture = parse_object (lines[0]);
  not_set = parse_object (lines[1]);
  unauthorized = parse_object (lines[2]);
  invalid = parse_object (lines[3]);

  g_assert_cmpstr (json_object_get_string_member (picture, "input"), ==, CHAT_PICTURE);
  g_assert_cmpstr (json_object_get_string_member (picture, "chatId"), ==, CHAT_PICTURE "@c.us");
  g_assert_cmpstr (json_object_get_string_member (picture, "status"), ==, "picture");
  g_assert_true (json_object_get_null_member (picture, "name"));
  g_assert_true (json_object_get_null_member (picture, "file"));
  g_assert_true (json_object_get_null_member (picture, "error"));
  g_assert_false (json_object_has_member (picture, "line"));

  g_assert_cmpstr (json_object_get_string_member (not_set, "status"), ==, "not-set");

  g_assert_cmpstr (json_object_get_string_member (unauthorized, "status"), ==, "error");
  error = json_object_get_object_member (unauthorized, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "unauthorized");
  g_assert_cmpstr (json_object_get_string_member (error, "message"), !=, "");

  g_assert_true (json_object_get_null_member (invalid, "chatId"));
  error = json_object_get_object_member (invalid, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "invalid-chat-id");
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
test_save (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (fixture->home, "out", "pictures", NULL);
  g_autofree char *file = g_build_filename (dir, CHAT_PICTURE ".jpg", NULL);
  g_autofree char *group_file = g_build_filename (dir, "120363043968066561.jpg", NULL);
  g_autofree char *broken_file = g_build_filename (dir, CHAT_BROKEN ".jpg", NULL);
  const char *argv[] = { "--save", dir, CHAT_PICTURE, CHAT_BROKEN, CHAT_PRIVATE, NULL };
  const char *force_argv[] = { "--save", dir, "--force", GROUP_PICTURE, NULL };

  {
    g_auto(Outcome) outcome = { 0 };
    g_auto(GStrv) lines = NULL;
    g_autoptr(GBytes) saved = NULL;

    run (fixture, argv, &outcome);
    lines = split_lines (outcome.out);
    g_assert_cmpuint (g_strv_length (lines), ==, 3);
    assert_fields (lines[0], CHAT_PICTURE, CHAT_PICTURE "@c.us", "picture", "", file, FALSE);
    /* A picture the decoder refused is never saved. */
    assert_fields (lines[1], CHAT_BROKEN, CHAT_BROKEN "@c.us", "error", "", "", TRUE);
    assert_fields (lines[2], CHAT_PRIVATE, CHAT_PRIVATE "@c.us", "private", "Pavel", "", FALSE);
    g_assert_cmpint (outcome.status, ==, 1);

    saved = read_bytes (file);
    g_assert_true (g_bytes_equal (saved, fixture->picture1));
    g_assert_false (g_file_test (broken_file, G_FILE_TEST_EXISTS));
  }

  /* The same picture again: the file is already right. */
  {
    g_auto(Outcome) outcome = { 0 };
    const char *again[] = { "--save", dir, CHAT_PICTURE, NULL };

    run (fixture, again, &outcome);
    g_assert_cmpint (outcome.status, ==, 0);
  }

  /* Another picture where one is saved: refused unless --force. */
  {
    g_auto(Outcome) outcome = { 0 };
    g_auto(GStrv) lines = NULL;
    g_autoptr(GBytes) saved = NULL;
    const char *refused[] = { "--json", "--save", dir, GROUP_PICTURE, NULL };
    g_autoptr(JsonObject) object = NULL;

    g_assert_true (g_file_set_contents (group_file, "old picture", -1, NULL));
    run (fixture, refused, &outcome);
    g_assert_cmpint (outcome.status, ==, 1);
    lines = split_lines (outcome.out);
    object = parse_object (lines[0]);
    g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "error");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "error"),
                                                    "code"), ==, "file-exists");
    g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                                            "error"),
                                                             "message"), "--force"));
    saved = read_bytes (group_file);
    g_assert_cmpmem (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved), "old picture", 11);
  }

  {
    g_auto(Outcome) outcome = { 0 };
    g_autoptr(GBytes) saved = NULL;

    run (fixture, force_argv, &outcome);
    g_assert_cmpint (outcome.status, ==, 0);
    saved = read_bytes (group_file);
    g_assert_true (g_bytes_equal (saved, fixture->picture2));
  }
}

#define LIST_CSV \
  "Name;Phone\r\n" \
  "Anna;+7 900 123-00-01\r\n" \
  "Boris;not a number\r\n" \
  "Vera;" CHAT_NOT_SET "\r\n"

static void
check_list_output (const char *out)
{
  g_auto(GStrv) lines = split_lines (out);

  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  assert_fields (lines[0], "+7 900 123-00-01", CHAT_PICTURE "@c.us", "picture", "Anna", "",
                 FALSE);
  assert_fields (lines[1], "not a number", "", "error", "Boris", "", TRUE);
  g_assert_nonnull (strstr (lines[1], "\tLine 3: "));
  assert_fields (lines[2], CHAT_NOT_SET, CHAT_NOT_SET "@c.us", "not-set", "Vera", "", FALSE);
}

static void
test_from_file (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };
  g_autofree char *path = g_build_filename (fixture->home, "list.csv", NULL);
  const char *argv[] = { "--from", path, NULL };

  g_assert_true (g_file_set_contents (path, LIST_CSV, -1, NULL));
  run (fixture, argv, &outcome);
  check_list_output (outcome.out);
  g_assert_cmpint (outcome.status, ==, 1);
}

static void
test_from_stdin (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *argv[] = { "--json", "--from", "-", NULL };

  run_full (fixture, argv, CHAT_PRIVATE "\n\nhello\n", FALSE, NULL, &outcome);
  g_assert_cmpint (outcome.status, ==, 1);
  lines = split_lines (outcome.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  object = parse_object (lines[1]);
  g_assert_cmpint (json_object_get_int_member (object, "line"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "error");
}

static void
test_from_stdin_csv (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };
  const char *argv[] = { "--print", "--from", "-", NULL };

  run_full (fixture, argv, LIST_CSV, FALSE, NULL, &outcome);
  check_list_output (outcome.out);
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->home, "no-such-list.txt", NULL);
  const struct
  {
    const char *argv[4];
    const char *says;
  } cases[] = {
    { { "--print", NULL }, "--from" },
    { { "--json", "--force", CHAT_PICTURE, NULL }, "--save" },
    { { "--from", missing, NULL }, "no-such-list.txt" },
    /* GLib reports an option it does not know; the status is still a usage error's. */
    { { "--print", "--no-such-option", CHAT_PICTURE, NULL }, "--no-such-option" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) outcome = { 0 };

      run (fixture, cases[i].argv, &outcome);
      g_assert_cmpint (outcome.status, ==, 2);
      g_assert_cmpstr (outcome.out, ==, "");
      g_assert_nonnull (strstr (outcome.err, cases[i].says));
    }

  /* No credentials anywhere. */
  {
    g_auto(Outcome) outcome = { 0 };
    const char *argv[] = { "--print", CHAT_PICTURE, NULL };

    run_full (fixture, argv, NULL, TRUE, NULL, &outcome);
    g_assert_cmpint (outcome.status, ==, 2);
    g_assert_cmpstr (outcome.out, ==, "");
    g_assert_nonnull (strstr (outcome.err, "GREEN_API_TOKEN"));
    g_assert_nonnull (strstr (outcome.err, "Preferences"));
  }

  /* A token that is no token. */
  {
    g_auto(Outcome) outcome = { 0 };
    const char *argv[] = { "--print", CHAT_PICTURE, NULL };
    const char *env[] = { "GREEN_API_ID_INSTANCE=not-digits", NULL };

    run_full (fixture, argv, NULL, FALSE, env, &outcome);
    g_assert_cmpint (outcome.status, ==, 2);
    g_assert_cmpstr (outcome.out, ==, "");
    g_assert_cmpstr (outcome.err, !=, "");
  }
}

/* checkWhatsapp settles not-set; the contacts list fetched by the first run is read from
 * disk by the second; a 466 stops the checks, says so, and fails nothing. */
static void
test_check_accounts (Fixture       *fixture,
                     gconstpointer  data)
{
  {
    g_auto(Outcome) outcome = { 0 };
    g_auto(GStrv) lines = NULL;
    const char *argv[] = {
      "--check-accounts", CHAT_NOT_SET, CHAT_NO_ACCOUNT, CHAT_PRIVATE, GROUP_PICTURE, NULL
    };

    run (fixture, argv, &outcome);
    g_assert_cmpint (outcome.status, ==, 0);
    lines = split_lines (outcome.out);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    assert_fields (lines[0], CHAT_NOT_SET, CHAT_NOT_SET "@c.us", "no-picture", "", "", FALSE);
    assert_fields (lines[1], CHAT_NO_ACCOUNT, CHAT_NO_ACCOUNT "@c.us", "no-account", "", "",
                   FALSE);
    assert_fields (lines[2], CHAT_PRIVATE, CHAT_PRIVATE "@c.us", "private", "Pavel", "", FALSE);
    g_assert_cmpuint (n_requests (fixture, CHAT_NOT_SET), ==, 1);
    g_assert_cmpuint (n_requests (fixture, CHAT_NO_ACCOUNT), ==, 1);
    /* Only not-set chats are checked. */
    g_assert_cmpuint (n_requests (fixture, CHAT_PRIVATE), ==, 0);
  }

  {
    g_auto(Outcome) outcome = { 0 };
    g_auto(GStrv) lines = NULL;
    const char *argv[] = { "--print", "--check-accounts", CHAT_QUOTA, GROUP_PICTURE, NULL };

    run (fixture, argv, &outcome);
    g_assert_cmpint (outcome.status, ==, 0);
    lines = split_lines (outcome.out);
    assert_fields (lines[0], CHAT_QUOTA, CHAT_QUOTA "@c.us", "not-set", "", "", FALSE);
    assert_fields (lines[1], GROUP_PICTURE, GROUP_PICTURE, "picture", "Book club", "", FALSE);
    g_assert_nonnull (strstr (outcome.err, "Monthly quota has been exceeded"));
    g_assert_nonnull (strstr (outcome.err, "not-set"));
  }

  g_assert_cmpuint (n_requests (fixture, "getContacts"), ==, 1);
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };
  const char *argv[] = { "--help", NULL };
  const char *options[] = {
    "--print", "--json", "--save=DIR", "--from=FILE", "--check-accounts", "--force",
    "GREEN_API_TOKEN",
  };

  run (fixture, argv, &outcome);
  g_assert_cmpint (outcome.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    g_assert_nonnull (strstr (outcome.out, options[i]));
}

/* Every debug message and the HTTP log at its most verbose, an error answer that echoes the
 * token: run_full() asserts that the token is in neither stdout nor stderr. */
static void
test_no_token (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };
  g_autofree char *dir = g_build_filename (fixture->home, "saved", NULL);
  const char *argv[] = {
    "--json", "--save", dir, CHAT_PICTURE, CHAT_UNAUTHORIZED, CHAT_REJECTED, NULL
  };
  const char *env[] = { "G_MESSAGES_DEBUG=all", "GREEN_AVATAR_HTTP_DEBUG=body", NULL };

  run_full (fixture, argv, NULL, FALSE, env, &outcome);
  g_assert_cmpint (outcome.status, ==, 1);
  /* The debug output did happen, so the check above looked at something. */
  g_assert_nonnull (strstr (outcome.err, "getAvatar"));
}

/* --instance: two instances in the settings (a key file, as a person's settings would be),
 * answering differently about one chat; the current one without the option; an unknown one is
 * a usage error. The GREEN_API_* instance of another run is never written into the settings. */
static void
test_instance (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (fixture->home, "config", "glib-2.0", "settings",
                                           NULL);
  g_autofree char *path = g_build_filename (dir, "keyfile", NULL);
  g_autofree char *keyfile = NULL;
  g_autoptr(GError) error = NULL;
  const char *env[] = { "GSETTINGS_BACKEND=keyfile", "GREEN_API_TOKEN=" TOKEN, NULL };
  const struct
  {
    const char *instance;
    const char *status;
    const char *name;         /* each instance has contacts of its own */
  } cases[] = {
    { NULL, "private", "Pavel" },
    { "Sales", "private", "Pavel" },
    { ID_INSTANCE, "private", "Pavel" },
    { "Support", "picture", "" },
    { ID_INSTANCE2, "picture", "" },
  };

  keyfile = g_strdup_printf ("[io/github/greenavatar/GreenAvatar]\n"
                             "instances=[('%s', 'Sales', '%s'), ('%s', 'Support', '%s')]\n"
                             "id-instance='%s'\n"
                             "api-url='%s'\n",
                             ID_INSTANCE, fixture->url, ID_INSTANCE2, fixture->url,
                             ID_INSTANCE, fixture->url);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, keyfile, -1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) outcome = { 0 };
      g_auto(GStrv) lines = NULL;
      const char *with[] = { "--print", "--instance", cases[i].instance, CHAT_PRIVATE, NULL };
      const char *without[] = { "--print", CHAT_PRIVATE, NULL };

      run_full (fixture, cases[i].instance != NULL ? with : without, NULL, TRUE, env, &outcome);
      g_test_message ("--instance %s: %s", cases[i].instance, outcome.err);
      g_assert_cmpint (outcome.status, ==, 0);
      lines = split_lines (outcome.out);
      g_assert_cmpuint (g_strv_length (lines), ==, 1);
      assert_fields (lines[0], CHAT_PRIVATE, CHAT_PRIVATE "@c.us", cases[i].status,
                     cases[i].name, NULL, FALSE);
    }
  g_assert_cmpuint (n_requests (fixture, ID_INSTANCE2), ==, 2);

  /* An instance nobody configured. */
  {
    g_auto(Outcome) outcome = { 0 };
    const char *argv[] = { "--print", "--instance", "Marketing", CHAT_PRIVATE, NULL };

    run_full (fixture, argv, NULL, TRUE, env, &outcome);
    g_assert_cmpint (outcome.status, ==, 2);
    g_assert_cmpstr (outcome.out, ==, "");
    g_assert_nonnull (strstr (outcome.err, "“Marketing”"));
  }

  /* GREEN_API_* name a temporary instance: used, never saved. */
  {
    g_auto(Outcome) outcome = { 0 };
    g_autofree char *url = g_strdup_printf ("GREEN_API_URL=%s", fixture->url);
    const char *argv[] = { "--print", CHAT_PRIVATE, NULL };
    const char *env_instance[] = {
      "GSETTINGS_BACKEND=keyfile", "GREEN_API_TOKEN=" TOKEN,
      "GREEN_API_ID_INSTANCE=" ID_INSTANCE2, url, NULL
    };
    g_autofree char *after = NULL;

    run_full (fixture, argv, NULL, TRUE, env_instance, &outcome);
    g_assert_cmpint (outcome.status, ==, 0);
    g_assert_nonnull (strstr (outcome.out, "\tpicture\t"));
    g_file_get_contents (path, &after, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (strstr (after, "'" ID_INSTANCE2 "', '" ID_INSTANCE2 "'"));
    g_assert_nonnull (strstr (after, "id-instance='" ID_INSTANCE "'"));
  }
}

/* ──────────────────────────── In-process units ──────────────────────────── */

static void
test_error_codes (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (GA_TYPE_ERROR);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < klass->n_values; i++)
    {
      g_autoptr(GError) error = g_error_new_literal (GA_ERROR, klass->values[i].value, "x");
      const char *code = ga_cli_error_code (error);

      g_assert_cmpstr (code, !=, "error");
      g_assert_false (g_hash_table_contains (seen, code));
      g_hash_table_add (seen, (gpointer) code);
    }

  {
    g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "x");

    g_assert_cmpstr (ga_cli_error_code (error), ==, "file-exists");
  }
}

static void
test_tsv_field (void)
{
  const char *cases[][2] = {
    { "plain", "plain" },
    { "a\tb\nc\r\nd", "a b c  d" },
    { "Иван", "Иван" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *field = ga_cli_tsv_field (cases[i][0]);

      g_assert_cmpstr (field, ==, cases[i][1]);
    }

  {
    g_autofree char *field = ga_cli_tsv_field (NULL);

    g_assert_cmpstr (field, ==, "");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/green-avatar/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("statuses", test_statuses);
  ADD ("all-found", test_all_found);
  ADD ("streams", test_streams);
  ADD ("json", test_json);
  ADD ("save", test_save);
  ADD ("from-file", test_from_file);
  ADD ("from-stdin", test_from_stdin);
  ADD ("from-stdin-csv", test_from_stdin_csv);
  ADD ("check-accounts", test_check_accounts);
  ADD ("usage", test_usage);
  ADD ("help", test_help);
  ADD ("no-token", test_no_token);
  ADD ("instance", test_instance);
  g_test_add_func ("/green-avatar/cli/error-codes", test_error_codes);
  g_test_add_func ("/green-avatar/cli/tsv-field", test_tsv_field);

  return g_test_run ();
}
