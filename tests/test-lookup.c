/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-chat-id.h"
#include "ga-client.h"
#include "ga-error.h"
#include "ga-http.h"
#include "ga-lookup.h"
#include "ga-test-server.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

/* The whole lookup chain against the loopback GREEN-API and image host. */

#define WAIT_MS 15000

#define CHAT_INPUT "+1 (100) 123-4567"
#define CHAT_ID    "11001234567@c.us"
#define IMAGE_PATH "/img/v/t61.24694-24/12345_n.jpg"

typedef struct
{
  GaTestServer   *server;       /* (owned) */
  SoupSession    *session;      /* (owned) */
  GaClient       *client;       /* (owned) */
  GCancellable   *cancellable;  /* (owned) */
  char           *avatar_path;  /* (owned) */

  gboolean        done;
  guint           n_callbacks;
  GaLookupResult *result;       /* (owned) (nullable) */
  GError         *error;        /* (owned) (nullable) */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  fixture->server = ga_test_server_new ();
  fixture->session = ga_http_session_new ();
  fixture->client = ga_client_new (fixture->session,
                                   ga_test_server_get_url (fixture->server),
                                   GA_TEST_ID_INSTANCE,
                                   GA_TEST_TOKEN);
  fixture->cancellable = g_cancellable_new ();
  fixture->avatar_path = ga_test_server_api_path ("getAvatar");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_cancellable_cancel (fixture->cancellable);
  g_clear_object (&fixture->result);
  g_clear_error (&fixture->error);
  g_clear_object (&fixture->cancellable);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->avatar_path, g_free);
  g_clear_pointer (&fixture->server, ga_test_server_free);
}

static GBytes *
make_image (const char *format,
            int         width,
            int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  gdk_pixbuf_fill (pixbuf, 0x25d366ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, format, &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

/* A signed URL on the fixture, as getAvatar would hand it out. */
static char *
image_url (Fixture    *fixture,
           const char *expiry)
{
  return g_strdup_printf ("%s" IMAGE_PATH "?ccb=11-4&oh=00_AfSignature&oe=%s&_nc_sid=5e03e0",
                          ga_test_server_get_url (fixture->server), expiry);
}

/* Queues a getAvatar answer that points at the fixture's image path. */
static void
expect_avatar_url (Fixture    *fixture,
                   const char *expiry)
{
  g_autofree char *url = image_url (fixture, expiry);
  g_autofree char *json = g_strdup_printf ("{\"urlAvatar\": \"%s\", \"available\": true}", url);

  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
}

static void
expect_image (Fixture    *fixture,
              guint       status,
              const char *content_type,
              GBytes     *bytes)
{
  GaTestReply *reply = ga_test_server_expect (fixture->server, IMAGE_PATH);

  ga_test_reply_set_status (reply, status);
  if (bytes != NULL)
    ga_test_reply_set_body_bytes (reply, content_type, bytes);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_true (object == G_OBJECT (fixture->client));
  fixture->n_callbacks++;
  g_clear_object (&fixture->result);
  g_clear_error (&fixture->error);
  fixture->result = ga_lookup_finish (fixture->client, result, &fixture->error);
  g_assert_true ((fixture->result == NULL) != (fixture->error == NULL));
  fixture->done = TRUE;
}

/* Parses @input as the window does (the chain itself takes a chat ID). */
static char *
parse (const char *input)
{
  g_autoptr(GError) error = NULL;
  char *chat_id = ga_chat_id_parse (input, NULL, &error);

  g_assert_no_error (error);
  return chat_id;
}

static void
start_lookup (Fixture    *fixture,
              const char *input)
{
  g_autofree char *chat_id = parse (input);

  ga_lookup_async (fixture->client, chat_id, fixture->cancellable, lookup_cb, fixture);
}

static void
lookup (Fixture    *fixture,
        const char *input)
{
  start_lookup (fixture, input);
  ga_test_wait_for (&fixture->done, WAIT_MS);
  g_assert_true (fixture->done);
  g_assert_cmpuint (fixture->n_callbacks, ==, 1);
}

static guint
n_avatar_requests (Fixture *fixture)
{
  return ga_test_server_get_request_count (fixture->server, fixture->avatar_path);
}

static guint
n_image_requests (Fixture *fixture)
{
  return ga_test_server_get_request_count (fixture->server, IMAGE_PATH);
}

static void
assert_texture (Fixture *fixture,
                int      width,
                int      height,
                GBytes  *bytes)
{
  GaAvatarInfo *info;
  GdkTexture *texture;

  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->result);

  info = ga_lookup_result_get_info (fixture->result);
  g_assert_nonnull (info);
  g_assert_cmpint (ga_avatar_info_get_state (info), ==, GA_AVATAR_STATE_HAS_AVATAR);
  g_assert_cmpstr (ga_avatar_info_get_chat_id (info), ==, CHAT_ID);

  texture = ga_lookup_result_get_texture (fixture->result);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);

  g_assert_nonnull (ga_lookup_result_get_bytes (fixture->result));
  g_assert_true (g_bytes_equal (ga_lookup_result_get_bytes (fixture->result), bytes));
  g_assert_false (ga_lookup_result_get_from_cache (fixture->result));
}

static void
assert_error (Fixture *fixture,
              GQuark   domain,
              int      code)
{
  g_assert_error (fixture->error, domain, code);
  g_assert_null (fixture->result);
  g_assert_null (strstr (fixture->error->message, GA_TEST_TOKEN));
  g_assert_null (strstr (fixture->error->message, "00_AfSignature"));
}

static void
test_picture (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 64, 48);

  expect_avatar_url (fixture, "66041D5F");
  expect_image (fixture, 200, "image/jpeg", jpeg);

  lookup (fixture, CHAT_INPUT);

  assert_texture (fixture, 64, 48, jpeg);
  g_assert_nonnull (strstr (ga_test_server_get_last_body (fixture->server, fixture->avatar_path),
                            CHAT_ID));
  g_assert_cmpuint (n_avatar_requests (fixture), ==, 1);
  g_assert_cmpuint (n_image_requests (fixture), ==, 1);
  ga_test_server_assert_done (fixture->server);
}

static void
test_png (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autoptr(GBytes) png = make_image ("png", 20, 30);

  expect_avatar_url (fixture, "66041D5F");
  expect_image (fixture, 200, "image/png", png);

  lookup (fixture, CHAT_ID);

  assert_texture (fixture, 20, 30, png);
  ga_test_server_assert_done (fixture->server);
}

static void
assert_no_picture (Fixture       *fixture,
                   GaAvatarState  state)
{
  GaAvatarInfo *info;

  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->result);
  info = ga_lookup_result_get_info (fixture->result);
  g_assert_nonnull (info);
  g_assert_cmpint (ga_avatar_info_get_state (info), ==, state);
  g_assert_null (ga_lookup_result_get_texture (fixture->result));
  g_assert_null (ga_lookup_result_get_bytes (fixture->result));
  g_assert_false (ga_lookup_result_get_from_cache (fixture->result));
  g_assert_cmpuint (n_image_requests (fixture), ==, 0);
}

static void
test_private (Fixture       *fixture,
              gconstpointer  user_data)
{
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");

  lookup (fixture, CHAT_INPUT);

  assert_no_picture (fixture, GA_AVATAR_STATE_PRIVATE);
  ga_test_server_assert_done (fixture->server);
}

static void
test_not_set (Fixture       *fixture,
              gconstpointer  user_data)
{
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": true}");

  lookup (fixture, CHAT_INPUT);

  assert_no_picture (fixture, GA_AVATAR_STATE_NOT_SET);
  ga_test_server_assert_done (fixture->server);
}

/* base64Avatar stands in for the download: the URL is never asked for. */
static void
test_inline (Fixture       *fixture,
             gconstpointer  user_data)
{
  gboolean data_uri = GPOINTER_TO_INT (user_data);
  g_autoptr(GBytes) png = make_image ("png", 24, 16);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_autofree char *url = image_url (fixture, "66041D5F");
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"urlAvatar\": \"%s\", \"available\": true, "
                          "\"base64Avatar\": \"%s%s\"}",
                          url, data_uri ? "data:image/png;base64," : "", base64);
  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);

  lookup (fixture, CHAT_INPUT);

  assert_texture (fixture, 24, 16, png);
  g_assert_cmpuint (n_avatar_requests (fixture), ==, 1);
  g_assert_cmpuint (n_image_requests (fixture), ==, 0);
  ga_test_server_assert_done (fixture->server);
}

/* An inline picture that does not decode (valid base64, no image; or not even base64)
 * falls back to the URL. */
static void
test_inline_invalid (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char *inline_value = user_data;
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 32, 32);
  g_autofree char *url = image_url (fixture, "66041D5F");
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"urlAvatar\": \"%s\", \"available\": true, "
                          "\"base64Avatar\": \"%s\"}", url, inline_value);
  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
  expect_image (fixture, 200, "image/jpeg", jpeg);

  lookup (fixture, CHAT_INPUT);

  assert_texture (fixture, 32, 32, jpeg);
  g_assert_cmpuint (n_avatar_requests (fixture), ==, 1);
  g_assert_cmpuint (n_image_requests (fixture), ==, 1);
  ga_test_server_assert_done (fixture->server);
}

/* An inline picture that does not decode, and no URL to fall back to. */
static void
test_inline_invalid_no_url (Fixture       *fixture,
                            gconstpointer  user_data)
{
  /* "Not an image at all" in base64. */
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": true, "
                             "\"base64Avatar\": \"Tm90IGFuIGltYWdlIGF0IGFsbA==\"}");

  lookup (fixture, CHAT_INPUT);

  assert_error (fixture, GA_ERROR, GA_ERROR_IMAGE_INVALID);
  g_assert_cmpuint (n_image_requests (fixture), ==, 0);
  ga_test_server_assert_done (fixture->server);
}

/* The signed URL expired: one fresh getAvatar, one more download. */
static void
test_expired (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 40, 40);
  g_autoptr(GBytes) expired = g_bytes_new_static ("URL signature expired", 21);

  expect_avatar_url (fixture, "5F000000");
  expect_image (fixture, 403, "text/plain", expired);
  expect_avatar_url (fixture, "7F000000");
  expect_image (fixture, 200, "image/jpeg", jpeg);

  lookup (fixture, CHAT_INPUT);

  assert_texture (fixture, 40, 40, jpeg);
  g_assert_cmpuint (n_avatar_requests (fixture), ==, 2);
  g_assert_cmpuint (n_image_requests (fixture), ==, 2);
  ga_test_server_assert_done (fixture->server);
}

/* A second 403 is final. */
static void
test_expired_twice (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GBytes) expired = g_bytes_new_static ("URL signature expired", 21);

  expect_avatar_url (fixture, "5F000000");
  expect_image (fixture, 403, "text/plain", expired);
  expect_avatar_url (fixture, "5F000001");
  expect_image (fixture, 403, "text/plain", expired);

  lookup (fixture, CHAT_INPUT);

  assert_error (fixture, GA_ERROR, GA_ERROR_IMAGE_EXPIRED);
  g_assert_cmpuint (n_avatar_requests (fixture), ==, 2);
  g_assert_cmpuint (n_image_requests (fixture), ==, 2);
  ga_test_server_assert_done (fixture->server);
}

/* After the fresh getAvatar the picture turned private: no picture, no error. */
static void
test_expired_then_private (Fixture       *fixture,
                           gconstpointer  user_data)
{
  expect_avatar_url (fixture, "5F000000");
  expect_image (fixture, 403, NULL, NULL);
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");

  lookup (fixture, CHAT_INPUT);

  g_assert_no_error (fixture->error);
  g_assert_cmpint (ga_avatar_info_get_state (ga_lookup_result_get_info (fixture->result)), ==,
                   GA_AVATAR_STATE_PRIVATE);
  g_assert_null (ga_lookup_result_get_texture (fixture->result));
  g_assert_cmpuint (n_avatar_requests (fixture), ==, 2);
  g_assert_cmpuint (n_image_requests (fixture), ==, 1);
  ga_test_server_assert_done (fixture->server);
}

/* Other download errors are not retried. */
static void
test_download_error (Fixture       *fixture,
                     gconstpointer  user_data)
{
  expect_avatar_url (fixture, "66041D5F");
  expect_image (fixture, 404, NULL, NULL);

  lookup (fixture, CHAT_INPUT);

  assert_error (fixture, GA_ERROR, GA_ERROR_IMAGE_DOWNLOAD);
  g_assert_cmpuint (n_avatar_requests (fixture), ==, 1);
  ga_test_server_assert_done (fixture->server);
}

static void
test_garbage_image (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\xff\xd8\xff\xe0 this is no JPEG at all", 27);

  expect_avatar_url (fixture, "66041D5F");
  expect_image (fixture, 200, "image/jpeg", garbage);

  lookup (fixture, CHAT_INPUT);

  assert_error (fixture, GA_ERROR, GA_ERROR_IMAGE_INVALID);
  ga_test_server_assert_done (fixture->server);
}

/* getAvatar's own errors come through unchanged. */
static void
test_api_error (Fixture       *fixture,
                gconstpointer  user_data)
{
  ga_test_server_expect_api (fixture->server, "getAvatar", 401,
                             "{\"message\": \"Unauthorized\"}");

  lookup (fixture, CHAT_INPUT);

  assert_error (fixture, GA_ERROR, GA_ERROR_WRONG_TOKEN);
  g_assert_cmpuint (n_image_requests (fixture), ==, 0);
  ga_test_server_assert_done (fixture->server);
}

static void
wait_for_request (Fixture    *fixture,
                  const char *path)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (ga_test_server_get_request_count (fixture->server, path) == 0 &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, path), >, 0);
}

static void
cancel_and_check (Fixture *fixture)
{
  ga_test_cancel_and_check (fixture->cancellable, &fixture->done, &fixture->n_callbacks,
                            &fixture->error);
  g_assert_null (fixture->result);
}

static void
test_cancel_get_avatar (Fixture       *fixture,
                        gconstpointer  user_data)
{
  GaTestReply *reply;

  reply = ga_test_server_expect_api (fixture->server, "getAvatar", 200, "{}");
  ga_test_reply_set_hang (reply);

  start_lookup (fixture, CHAT_INPUT);
  wait_for_request (fixture, fixture->avatar_path);
  cancel_and_check (fixture);

  g_assert_cmpuint (n_image_requests (fixture), ==, 0);
}

static void
test_cancel_download (Fixture       *fixture,
                      gconstpointer  user_data)
{
  GaTestReply *reply;

  expect_avatar_url (fixture, "66041D5F");
  reply = ga_test_server_expect (fixture->server, IMAGE_PATH);
  ga_test_reply_set_hang (reply);

  start_lookup (fixture, CHAT_INPUT);
  wait_for_request (fixture, IMAGE_PATH);
  cancel_and_check (fixture);

  g_assert_cmpuint (n_avatar_requests (fixture), ==, 1);
}

/* The cache */

static char *
make_cache_dir (void)
{
  char *dir = g_dir_make_tmp ("ga-test-lookup-XXXXXX", NULL);

  g_assert_nonnull (dir);

  return dir;
}

static void
remove_cache_dir (const char *dir)
{
  const char *subdirs[] = { "pictures", "chats" };

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (dir, subdirs[i], NULL);
      g_autoptr(GDir) handle = g_dir_open (path, 0, NULL);
      const char *name;

      while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);

          g_remove (file);
        }

      g_rmdir (path);
    }

  g_rmdir (dir);
}

static void
lookup_with_cache (Fixture    *fixture,
                   GaCache    *cache,
                   const char *input)
{
  g_autofree char *chat_id = parse (input);

  fixture->done = FALSE;
  fixture->n_callbacks = 0;
  ga_lookup_with_cache_async (fixture->client, cache, chat_id, fixture->cancellable,
                              lookup_cb, fixture);
  ga_test_wait_for (&fixture->done, WAIT_MS);
  g_assert_true (fixture->done);
  g_assert_cmpuint (fixture->n_callbacks, ==, 1);
}

/* Spins the main context until the cache's worker threads have written what they were given. */
static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 5;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_cache_repeat (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *dir = make_cache_dir ();
  g_autoptr(GaCache) cache = ga_cache_new (dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GaCache) next_run = NULL;
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 64, 48);
  g_autofree char *origin = NULL;

  expect_avatar_url (fixture, "66041D5F");
  expect_image (fixture, 200, "image/jpeg", jpeg);
  lookup_with_cache (fixture, cache, CHAT_INPUT);
  assert_texture (fixture, 64, 48, jpeg);
  settle ();

  /* Where the picture came from is remembered, for connecting ahead of time. */
  origin = g_strdup (ga_cache_get_image_origin (cache));
  g_assert_cmpstr (origin, ==, ga_test_server_get_url (fixture->server));

  /* The same picture, signed anew: getAvatar again, but no download. */
  expect_avatar_url (fixture, "66051234");
  lookup_with_cache (fixture, cache, CHAT_ID);
  g_assert_no_error (fixture->error);
  g_assert_true (ga_lookup_result_get_from_cache (fixture->result));
  g_assert_cmpint (gdk_texture_get_width (ga_lookup_result_get_texture (fixture->result)), ==, 64);
  g_assert_cmpuint (n_avatar_requests (fixture), ==, 2);
  g_assert_cmpuint (n_image_requests (fixture), ==, 1);

  /* The next run of the app finds it on disk, with its bytes for saving. */
  next_run = ga_cache_new (dir, 1024 * 1024, 16 * 1024 * 1024);
  expect_avatar_url (fixture, "66061234");
  lookup_with_cache (fixture, next_run, CHAT_ID);
  g_assert_no_error (fixture->error);
  g_assert_true (ga_lookup_result_get_from_cache (fixture->result));
  g_assert_true (g_bytes_equal (ga_lookup_result_get_bytes (fixture->result), jpeg));
  g_assert_cmpuint (n_image_requests (fixture), ==, 1);

  ga_test_server_assert_done (fixture->server);
  settle ();
  remove_cache_dir (dir);
}

static void
test_cache_changed (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *dir = make_cache_dir ();
  g_autoptr(GaCache) cache = ga_cache_new (dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GBytes) old_picture = make_image ("jpeg", 32, 32);
  g_autoptr(GBytes) new_picture = make_image ("png", 40, 40);
  g_autofree char *json = NULL;
  GaTestReply *reply;

  expect_avatar_url (fixture, "66041D5F");
  expect_image (fixture, 200, "image/jpeg", old_picture);
  lookup_with_cache (fixture, cache, CHAT_ID);
  assert_texture (fixture, 32, 32, old_picture);
  settle ();

  /* A new picture has a new path: it is downloaded and replaces the old one. */
  json = g_strdup_printf ("{\"urlAvatar\": \"%s/img/v/t61.24694-24/67890_n.jpg?oe=66051234\", "
                          "\"available\": true}", ga_test_server_get_url (fixture->server));
  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
  reply = ga_test_server_expect (fixture->server, "/img/v/t61.24694-24/67890_n.jpg");
  ga_test_reply_set_body_bytes (reply, "image/png", new_picture);
  lookup_with_cache (fixture, cache, CHAT_ID);
  g_assert_no_error (fixture->error);
  g_assert_false (ga_lookup_result_get_from_cache (fixture->result));
  g_assert_cmpint (gdk_texture_get_width (ga_lookup_result_get_texture (fixture->result)), ==, 40);

  ga_test_server_assert_done (fixture->server);
  settle ();
  remove_cache_dir (dir);
}

static void
load_chat_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GaCachedAvatar **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = ga_cache_load_chat_finish (GA_CACHE (object), result, &error);
  g_assert_no_error (error);
}

static void
test_cache_became_private (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *dir = make_cache_dir ();
  g_autoptr(GaCache) cache = ga_cache_new (dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 32, 32);
  GaCachedAvatar *cached = NULL;
  gint64 deadline;

  expect_avatar_url (fixture, "66041D5F");
  expect_image (fixture, 200, "image/jpeg", jpeg);
  lookup_with_cache (fixture, cache, CHAT_ID);
  assert_texture (fixture, 32, 32, jpeg);
  settle ();

  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
  lookup_with_cache (fixture, cache, CHAT_ID);
  g_assert_no_error (fixture->error);
  g_assert_null (ga_lookup_result_get_texture (fixture->result));
  settle ();

  /* The chat no longer shows its old picture from the cache. */
  cached = GINT_TO_POINTER (1);
  ga_cache_load_chat_async (cache, CHAT_ID, NULL, load_chat_cb, &cached);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (cached == GINT_TO_POINTER (1) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (cached);

  settle ();
  remove_cache_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add ("/green-avatar/lookup/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("picture", NULL, test_picture);
  ADD ("png", NULL, test_png);
  ADD ("private", NULL, test_private);
  ADD ("not-set", NULL, test_not_set);
  ADD ("inline/data-uri", GINT_TO_POINTER (TRUE), test_inline);
  ADD ("inline/raw", GINT_TO_POINTER (FALSE), test_inline);
  ADD ("inline/not-an-image", "Tm90IGFuIGltYWdlIGF0IGFsbA==", test_inline_invalid);
  ADD ("inline/not-base64", "%%% not base64 %%%", test_inline_invalid);
  ADD ("inline/not-an-image-no-url", NULL, test_inline_invalid_no_url);
  ADD ("expired", NULL, test_expired);
  ADD ("expired-twice", NULL, test_expired_twice);
  ADD ("expired-then-private", NULL, test_expired_then_private);
  ADD ("download-error", NULL, test_download_error);
  ADD ("garbage-image", NULL, test_garbage_image);
  ADD ("api-error", NULL, test_api_error);
  ADD ("cancel/get-avatar", NULL, test_cancel_get_avatar);
  ADD ("cancel/download", NULL, test_cancel_download);
  ADD ("cache/repeat", NULL, test_cache_repeat);
  ADD ("cache/changed", NULL, test_cache_changed);
  ADD ("cache/became-private", NULL, test_cache_became_private);

#undef ADD

  return g_test_run ();
}
