/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The search provider on a private session bus (GTestDBus), called as GNOME Shell calls it,
 * against the loopback GREEN-API server. */

#include "config.h"

#include "ga-cache.h"
#include "ga-chat-id.h"
#include "ga-chat-status.h"
#include "ga-contact-list.h"
#include "ga-credentials.h"
#include "ga-http.h"
#include "ga-recent.h"
#include "ga-search-provider.h"
#include "ga-test-server.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#define WAIT_MS 15000
#define IFACE "org.gnome.Shell.SearchProvider2"
#define CHAT_ID "79001234567@c.us"
#define IMAGE_PATH "/img/v/t61.24694-24/777_n.jpg"

typedef struct
{
  GTestDBus *bus;
  GDBusConnection *server_connection;   /* the provider's side */
  GDBusConnection *client_connection;   /* the shell's side */
  GaTestServer *server;
  SoupSession *session;
  GaCredentials *credentials;
  GSettings *settings;
  char *cache_dir;
  GaCache *cache;
  GaChatStatus *status;
  GaSearchProvider *provider;
  char *avatar_path;

  GaContactList *contacts;

  GVariant *reply;
  GError *error;
  gboolean done;

  char *activated;
  char *launched;
} Fixture;

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (ga_contact_list_update_finish (GA_CONTACT_LIST (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* The contacts list as getContacts fills it. */
static GaContactList *
make_contact_list (void)
{
  GaContactList *list = ga_contact_list_new (NULL, NULL);
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GBytes) bytes = NULL;
  gboolean done = FALSE;

  g_string_append (json, "{\"id\": \"79001112233@c.us\", \"name\": \"anna\", "
                         "\"contactName\": \"Anna Petrova\", \"type\": \"user\"},"
                         "{\"id\": \"79004445566@c.us\", \"contactName\": \"Anton Ivanov\"},"
                         "{\"id\": \"447911123456@c.us\", \"name\": \"Ben Smith\"}");
  for (guint i = 0; i < 8; i++)
    g_string_append_printf (json, ",{\"id\": \"7910000000%u@c.us\", \"contactName\": "
                                  "\"Maria %u\"}", i, i);
  g_string_append (json, "]");
  bytes = g_bytes_new (json->str, json->len);

  ga_contact_list_update_async (list, bytes, NULL, update_cb, &done);
  ga_test_wait_for (&done, WAIT_MS);
  g_assert_cmpuint (ga_contact_list_get_n_contacts (list), ==, 11);

  return list;
}

static void
activate_chat_cb (GaSearchProvider *provider,
                  const char       *chat_id,
                  guint             timestamp,
                  Fixture          *fixture)
{
  g_free (fixture->activated);
  fixture->activated = g_strdup (chat_id);
}

static void
launch_search_cb (GaSearchProvider *provider,
                  const char       *text,
                  guint             timestamp,
                  Fixture          *fixture)
{
  g_free (fixture->launched);
  fixture->launched = g_strdup (text);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (fixture->bus);
  address = g_strdup (g_test_dbus_get_bus_address (fixture->bus));

  fixture->server_connection =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->client_connection =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);

  fixture->server = ga_test_server_new ();
  fixture->session = ga_http_session_new ();
  fixture->credentials = ga_credentials_new_for_demo (ga_test_server_get_url (fixture->server),
                                                      GA_TEST_ID_INSTANCE, GA_TEST_TOKEN);
  fixture->settings = g_settings_new_with_backend (BASE_ID, backend);
  fixture->cache_dir = g_dir_make_tmp ("ga-test-search-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->cache = ga_cache_new (fixture->cache_dir, 1024 * 1024, 16 * 1024 * 1024);
  fixture->status = ga_chat_status_new (NULL);
  fixture->avatar_path = ga_test_server_api_path ("getAvatar");

  fixture->contacts = make_contact_list ();

  fixture->provider = ga_search_provider_new (NULL, fixture->settings, fixture->credentials,
                                              fixture->session, fixture->cache, fixture->status);
  ga_search_provider_set_contact_list (fixture->provider, fixture->contacts);
  g_signal_connect (fixture->provider, "activate-chat", G_CALLBACK (activate_chat_cb), fixture);
  g_signal_connect (fixture->provider, "launch-search", G_CALLBACK (launch_search_cb), fixture);
  ga_search_provider_export (fixture->provider, fixture->server_connection,
                             GA_SEARCH_PROVIDER_PATH, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_clear_object (&fixture->provider);
  g_clear_pointer (&fixture->reply, g_variant_unref);
  g_clear_error (&fixture->error);
  g_clear_object (&fixture->contacts);
  g_clear_object (&fixture->status);
  g_clear_object (&fixture->cache);
  ga_test_remove_tree (fixture->cache_dir);
  g_clear_pointer (&fixture->cache_dir, g_free);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->credentials);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->avatar_path, g_free);
  g_clear_pointer (&fixture->server, ga_test_server_free);
  g_clear_pointer (&fixture->activated, g_free);
  g_clear_pointer (&fixture->launched, g_free);
  g_dbus_connection_close_sync (fixture->server_connection, NULL, NULL);
  g_dbus_connection_close_sync (fixture->client_connection, NULL, NULL);
  g_clear_object (&fixture->server_connection);
  g_clear_object (&fixture->client_connection);
  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);
}

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result,
                                                  &fixture->error);
  fixture->done = TRUE;
}

/* Calls the provider as the shell does, over the bus (asynchronously: the provider answers
 * from this thread's main loop). */
static GVariant *
call (Fixture    *fixture,
      const char *method,
      GVariant   *parameters,
      const char *reply_type)
{
  g_clear_pointer (&fixture->reply, g_variant_unref);
  fixture->done = FALSE;
  g_dbus_connection_call (fixture->client_connection,
                          g_dbus_connection_get_unique_name (fixture->server_connection),
                          GA_SEARCH_PROVIDER_PATH, IFACE, method, parameters,
                          G_VARIANT_TYPE (reply_type), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          call_cb, fixture);
  ga_test_wait_for (&fixture->done, WAIT_MS);
  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->reply);

  return fixture->reply;
}

/* GetInitialResultSet for @text split at spaces, as the shell splits it. */
static GStrv
initial (Fixture    *fixture,
         const char *text)
{
  g_auto(GStrv) terms = g_strsplit_set (text, " ", -1);
  GVariant *reply = call (fixture, "GetInitialResultSet",
                          g_variant_new ("(^as)", terms), "(as)");
  GStrv results = NULL;

  g_variant_get (reply, "(^as)", &results);
  return results;
}

static GStrv
subsearch (Fixture            *fixture,
           const char * const *previous,
           const char         *text)
{
  g_auto(GStrv) terms = g_strsplit_set (text, " ", -1);
  GVariant *reply = call (fixture, "GetSubsearchResultSet",
                          g_variant_new ("(^as^as)", previous, terms), "(as)");
  GStrv results = NULL;

  g_variant_get (reply, "(^as)", &results);
  return results;
}

/* The metas of @ids; returned as the reply's array (owned by the fixture). */
static GVariant *
metas (Fixture            *fixture,
       const char * const *ids)
{
  GVariant *reply = call (fixture, "GetResultMetas", g_variant_new ("(^as)", ids),
                          "(aa{sv})");

  return g_variant_get_child_value (reply, 0);
}

static char *
meta_string (GVariant   *meta,
             const char *key)
{
  g_autoptr(GVariantDict) dict = g_variant_dict_new (meta);
  const char *value = NULL;

  if (!g_variant_dict_lookup (dict, key, "&s", &value))
    return NULL;
  return g_strdup (value);
}

static GIcon *
meta_icon (GVariant *meta)
{
  g_autoptr(GVariantDict) dict = g_variant_dict_new (meta);
  g_autoptr(GVariant) serialized = g_variant_dict_lookup_value (dict, "icon", NULL);

  g_assert_nonnull (serialized);
  return g_icon_deserialize (serialized);
}

static guint
n_requests (Fixture *fixture)
{
  return ga_test_server_get_request_count (fixture->server, NULL);
}

static void
assert_results (GStrv       results,
                const char *first,
                ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *expected = first; expected != NULL; expected = va_arg (args, const char *))
    {
      g_assert_nonnull (results[i]);
      g_assert_cmpstr (results[i], ==, expected);
      i++;
    }
  va_end (args);
  if (results[i] != NULL)
    g_test_message ("unexpected result %s", results[i]);
  g_assert_null (results[i]);
}

static void
test_terms_with_spaces (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_auto(GStrv) results = NULL;

  /* Seen before: no request, just the chat. */
  ga_chat_status_record (fixture->status, CHAT_ID, GA_AVATAR_STATE_PRIVATE,
                         g_get_real_time () / G_USEC_PER_SEC);

  results = initial (fixture, "+7 900 123-45-67");
  assert_results (results, CHAT_ID, NULL);
  g_strfreev (results);

  results = initial (fixture, "https://wa.me/79001234567");
  assert_results (results, CHAT_ID, NULL);
  g_strfreev (results);

  results = initial (fixture, CHAT_ID);
  assert_results (results, CHAT_ID, NULL);

  g_assert_cmpuint (n_requests (fixture), ==, 0);
}

static void
test_names (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_auto(GStrv) results = NULL;
  g_auto(GStrv) refined = NULL;
  g_autoptr(GVariant) array = NULL;
  g_autoptr(GVariant) meta = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;

  results = initial (fixture, "an");
  assert_results (results, "79001112233@c.us", "79004445566@c.us", NULL);

  refined = subsearch (fixture, (const char * const *) results, "Anna Pet");
  assert_results (refined, "79001112233@c.us", NULL);

  /* At most five. */
  g_strfreev (results);
  results = initial (fixture, "maria");
  g_assert_cmpuint (g_strv_length (results), ==, 5);

  array = metas (fixture, (const char *[]) { "79001112233@c.us", NULL });
  g_assert_cmpuint (g_variant_n_children (array), ==, 1);
  meta = g_variant_get_child_value (array, 0);
  name = meta_string (meta, "name");
  description = meta_string (meta, "description");
  g_assert_cmpstr (name, ==, "Anna Petrova");
  g_assert_cmpstr (description, ==, "79001112233@c.us");

  /* Nothing matches: nothing, and no request. */
  g_strfreev (results);
  results = initial (fixture, "zebra");
  assert_results (results, NULL);
  g_assert_cmpuint (n_requests (fixture), ==, 0);
}

static void
test_partial_number (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_auto(GStrv) results = NULL;

  ga_recent_add (fixture->settings, "79005550001@c.us");
  ga_recent_add (fixture->settings, "12125550002@c.us");

  /* History first, then contacts; a number too short to be complete makes no request. */
  results = initial (fixture, "+7 900 555");
  assert_results (results, "79005550001@c.us", NULL);
  g_strfreev (results);

  results = initial (fixture, "900 111");
  assert_results (results, "79001112233@c.us", NULL);
  g_strfreev (results);

  /* Newest first. */
  results = initial (fixture, "555");
  assert_results (results, "12125550002@c.us", "79005550001@c.us", NULL);
  g_strfreev (results);

  /* Ten digits: still not a number with its country code. */
  results = initial (fixture, "900 123 45 67");
  assert_results (results, NULL);
  g_strfreev (results);

  results = initial (fixture, "12");
  assert_results (results, NULL);

  g_assert_cmpuint (n_requests (fixture), ==, 0);
}

static GBytes *
make_png (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 32, 32);
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x25d366ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

static void
wait_idle (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  while (ga_search_provider_get_busy (fixture->provider) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (ga_search_provider_get_busy (fixture->provider));
}

static void
wait_for_file (Fixture    *fixture,
               const char *chat_id)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  g_autofree char *path = NULL;

  while ((path = ga_cache_lookup_chat_file (fixture->cache, chat_id)) == NULL &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (path);
}

/* A complete number not seen yet: the answer comes at once, the picture is fetched in the
 * background, and the next refinement shows it as the icon. */
static void
test_background_icon (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GBytes) png = make_png ();
  g_autofree char *url = g_strdup_printf ("%s" IMAGE_PATH "?oh=00_Af&oe=66041D5F",
                                          ga_test_server_get_url (fixture->server));
  g_autofree char *json = g_strdup_printf ("{\"urlAvatar\": \"%s\", \"available\": true}", url);
  g_auto(GStrv) results = NULL;
  g_autoptr(GVariant) array = NULL;
  g_autoptr(GVariant) meta = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  GaTestReply *reply;

  /* getAvatar is held until the first answer was looked at: a loaded machine may otherwise
   * fetch the picture before the shell's call returns. */
  reply = ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
  ga_test_reply_set_hold (reply);
  reply = ga_test_server_expect (fixture->server, IMAGE_PATH);
  ga_test_reply_set_body_bytes (reply, "image/png", png);

  /* The first answer does not wait: the app's icon. */
  results = initial (fixture, "+7 900 123-45-67");
  assert_results (results, CHAT_ID, NULL);
  g_assert_true (ga_search_provider_get_busy (fixture->provider));
  array = metas (fixture, (const char * const *) results);
  meta = g_variant_get_child_value (array, 0);
  icon = meta_icon (meta);
  g_assert_true (G_IS_THEMED_ICON (icon));
  name = meta_string (meta, "name");
  g_assert_cmpstr (name, ==, "+7 900 123-45-67");

  ga_test_server_release (fixture->server);
  wait_idle (fixture);
  wait_for_file (fixture, CHAT_ID);

  /* The refinement: the cached picture, a valid image file. */
  {
    g_auto(GStrv) previous = g_steal_pointer (&results);

    results = subsearch (fixture, (const char * const *) previous, "+7 900 123-45-67");
  }
  assert_results (results, CHAT_ID, NULL);
  g_clear_pointer (&array, g_variant_unref);
  g_clear_pointer (&meta, g_variant_unref);
  g_clear_object (&icon);
  array = metas (fixture, (const char * const *) results);
  meta = g_variant_get_child_value (array, 0);
  icon = meta_icon (meta);
  g_assert_true (G_IS_FILE_ICON (icon));
  {
    g_autofree char *path = g_file_get_path (g_file_icon_get_file (G_FILE_ICON (icon)));
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, NULL);

    g_assert_true (g_str_has_prefix (path, fixture->cache_dir));
    g_assert_nonnull (pixbuf);
    g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 32);
  }
  description = meta_string (meta, "description");
  g_assert_cmpstr (description, ==, CHAT_ID);

  /* Known now: searching again makes no request. */
  g_strfreev (results);
  results = initial (fixture, "79001234567");
  assert_results (results, CHAT_ID, NULL);
  g_assert_false (ga_search_provider_get_busy (fixture->provider));
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, fixture->avatar_path),
                    ==, 1);
  ga_test_server_assert_done (fixture->server);
}

static void
test_status_descriptions (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GVariant) array = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) second = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *description = NULL;
  g_autofree char *description2 = NULL;
  g_autofree char *name = NULL;

  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
  g_strfreev (initial (fixture, "+44 7911 123456"));
  wait_idle (fixture);

  ga_chat_status_record (fixture->status, "12125550002@c.us", GA_AVATAR_STATE_NOT_SET, 1);

  array = metas (fixture, (const char *[]) { "447911123456@c.us", "12125550002@c.us",
                                             "not an id", "79001234567@c.us\n", NULL });
  g_assert_cmpuint (g_variant_n_children (array), ==, 2);
  first = g_variant_get_child_value (array, 0);
  second = g_variant_get_child_value (array, 1);
  description = meta_string (first, "description");
  name = meta_string (first, "name");
  description2 = meta_string (second, "description");
  g_assert_cmpstr (description, ==, "Private");
  g_assert_cmpstr (name, ==, "Ben Smith");
  g_assert_cmpstr (description2, ==, "No picture set");
  icon = meta_icon (first);
  g_assert_true (G_IS_THEMED_ICON (icon));
  ga_test_server_assert_done (fixture->server);
}

static void
test_activation (Fixture       *fixture,
                 gconstpointer  user_data)
{
  call (fixture, "ActivateResult",
        g_variant_new ("(s^asu)", CHAT_ID, (const char *[]) { "+7", "900", NULL }, 42), "()");
  g_assert_cmpstr (fixture->activated, ==, CHAT_ID);

  /* Only what the provider hands out is activated. */
  g_clear_pointer (&fixture->activated, g_free);
  call (fixture, "ActivateResult",
        g_variant_new ("(s^asu)", "rm -rf", (const char *[]) { NULL }, 0), "()");
  g_assert_null (fixture->activated);

  call (fixture, "LaunchSearch",
        g_variant_new ("(^asu)", (const char *[]) { "Anna", "Pet", NULL }, 42), "()");
  g_assert_cmpstr (fixture->launched, ==, "Anna Pet");
  g_assert_cmpuint (n_requests (fixture), ==, 0);
}

static void
test_unknown_method (Fixture       *fixture,
                     gconstpointer  user_data)
{
  fixture->done = FALSE;
  g_dbus_connection_call (fixture->client_connection,
                          g_dbus_connection_get_unique_name (fixture->server_connection),
                          GA_SEARCH_PROVIDER_PATH, IFACE, "Nonsense", NULL, NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, call_cb, fixture);
  ga_test_wait_for (&fixture->done, WAIT_MS);
  g_assert_nonnull (fixture->error);
  g_clear_error (&fixture->error);

  /* Too long to be anything: nothing. */
  {
    g_autofree char *huge = g_strnfill (4096, '7');
    g_auto(GStrv) results = initial (fixture, huge);

    assert_results (results, NULL);
  }
  g_assert_cmpuint (n_requests (fixture), ==, 0);
}

static void
test_no_credentials (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_auto(GStrv) results = NULL;
  g_autoptr(GaCredentials) empty = ga_credentials_new_for_demo ("", "", "");

  ga_search_provider_set_services (fixture->provider, fixture->settings, empty,
                                   fixture->session, fixture->cache, fixture->status);
  results = initial (fixture, "+7 900 123-45-67");
  assert_results (results, CHAT_ID, NULL);
  g_assert_false (ga_search_provider_get_busy (fixture->provider));
  g_assert_cmpuint (n_requests (fixture), ==, 0);
}

/* Another instance chosen: the background lookups go through it, not the first one. */
static void
test_follows_instance (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const char *path2 = "/waInstance1101000002/getAvatar/" GA_TEST_TOKEN;
  const char *private = "{\"urlAvatar\": \"\", \"available\": false}";
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;

  ga_test_server_expect_api (fixture->server, "getAvatar", 200, private);
  first = initial (fixture, "+7 900 123-45-67");
  wait_idle (fixture);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, fixture->avatar_path),
                    ==, 1);

  ga_credentials_save_async (fixture->credentials, NULL, "1101000002", NULL, NULL, NULL, NULL);
  g_assert_cmpstr (ga_credentials_get_id_instance (fixture->credentials), ==, "1101000002");
  {
    GaTestReply *reply = ga_test_server_expect (fixture->server, path2);

    ga_test_reply_set_status (reply, 200);
    ga_test_reply_set_body (reply, "application/json", private, -1);
  }
  second = initial (fixture, "+7 900 765-43-21");
  wait_idle (fixture);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, path2), ==, 1);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, fixture->avatar_path),
                    ==, 1);
  ga_test_server_assert_done (fixture->server);
}

/* Another instance chosen while a lookup through the last one is on its way: that one is given
 * up (its answer would be recorded as the new instance's), and the chat is asked through the
 * new instance at once rather than after the retry interval. */
static void
test_switch_mid_lookup (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const char *path2 = "/waInstance1101000002/getAvatar/" GA_TEST_TOKEN;
  const char *private = "{\"urlAvatar\": \"\", \"available\": false}";
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;
  GaAvatarState state = GA_AVATAR_STATE_HAS_AVATAR;
  GaTestReply *reply;

  reply = ga_test_server_expect_api (fixture->server, "getAvatar", 200, private);
  ga_test_reply_set_hang (reply);
  first = initial (fixture, "+7 900 123-45-67");
  while (ga_test_server_get_request_count (fixture->server, fixture->avatar_path) == 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, fixture->avatar_path),
                    ==, 1);
  g_assert_true (ga_search_provider_get_busy (fixture->provider));

  ga_credentials_save_async (fixture->credentials, NULL, "1101000002", NULL, NULL, NULL, NULL);
  g_assert_false (ga_search_provider_get_busy (fixture->provider));

  reply = ga_test_server_expect (fixture->server, path2);
  ga_test_reply_set_status (reply, 200);
  ga_test_reply_set_body (reply, "application/json", private, -1);
  second = initial (fixture, "+7 900 123-45-67");
  assert_results (second, CHAT_ID, NULL);
  wait_idle (fixture);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, path2), ==, 1);
  g_assert_true (ga_chat_status_lookup (fixture->status, CHAT_ID, &state, NULL));
  g_assert_cmpint (state, ==, GA_AVATAR_STATE_PRIVATE);
  ga_test_server_assert_done (fixture->server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/green-avatar/search-provider/" path, Fixture, NULL, \
              fixture_setup, func, fixture_teardown)

  ADD ("terms-with-spaces", test_terms_with_spaces);
  ADD ("names", test_names);
  ADD ("partial-number", test_partial_number);
  ADD ("background-icon", test_background_icon);
  ADD ("status-descriptions", test_status_descriptions);
  ADD ("activation", test_activation);
  ADD ("unknown-method", test_unknown_method);
  ADD ("no-credentials", test_no_credentials);
  ADD ("follows-instance", test_follows_instance);
  ADD ("switch-mid-lookup", test_switch_mid_lookup);

#undef ADD

  return g_test_run ();
}
