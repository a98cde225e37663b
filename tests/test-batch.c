/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-batch.h"
#include "ga-client.h"
#include "ga-error.h"
#include "ga-http.h"
#include "ga-limiter.h"
#include "ga-list-parser.h"
#include "ga-test-server.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

/* The batch engine against the loopback GREEN-API and image host. */

#define WAIT_MS 20000

#define IMAGE_PATH "/img/v/t61.24694-24/%u_n.jpg"

typedef struct
{
  GaTestServer *server;     /* (owned) */
  SoupSession  *session;    /* (owned) */
  GaClient     *client;     /* (owned) */
  GaCache      *cache;      /* (owned) */
  GaLimiter    *limiter;    /* (owned): unpaced; pacing has tests of its own below */
  GaBatch      *batch;      /* (owned) */
  char         *dir;        /* (owned) */
  char         *state_file; /* (owned) */
  GBytes       *image;      /* (owned) */
  guint         n_images;
} Fixture;

static GBytes *
make_image (int width,
            int height)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  gdk_pixbuf_fill (pixbuf, 0x25d366ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

static GaBatch *
make_batch (Fixture *fixture)
{
  GaBatch *batch = ga_batch_new (fixture->cache, fixture->state_file);

  g_object_set (batch, "max-parallel", 1, "retry-delay-ms", 1, NULL);
  ga_batch_set_client (batch, fixture->client);

  return batch;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *cache_dir = NULL;

  fixture->dir = g_dir_make_tmp ("test-batch-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  cache_dir = g_build_filename (fixture->dir, "cache", NULL);
  fixture->state_file = g_build_filename (fixture->dir, "batch", "batch.json", NULL);

  fixture->server = ga_test_server_new ();
  fixture->session = ga_http_session_new ();
  fixture->limiter = ga_limiter_new_unpaced ();
  fixture->client = g_object_new (GA_TYPE_CLIENT,
                                  "limiter", fixture->limiter,
                                  "session", fixture->session,
                                  "api-url", ga_test_server_get_url (fixture->server),
                                  "id-instance", GA_TEST_ID_INSTANCE,
                                  "token", GA_TEST_TOKEN,
                                  "retry-delay-ms", 1,
                                  NULL);
  fixture->cache = ga_cache_new (cache_dir, 64 * 1024 * 1024, 16 * 1024 * 1024);
  fixture->batch = make_batch (fixture);
  fixture->image = make_image (640, 640);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_clear_object (&fixture->batch);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->limiter);
  g_clear_object (&fixture->cache);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->server, ga_test_server_free);
  g_clear_pointer (&fixture->image, g_bytes_unref);
  ga_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->state_file);
}

/* Queues getAvatar with a picture URL (a path of its own per call) and the picture. */
static void
expect_picture (Fixture *fixture)
{
  g_autofree char *path = g_strdup_printf (IMAGE_PATH, ++fixture->n_images);
  g_autofree char *json = g_strdup_printf ("{\"urlAvatar\": \"%s%s?oh=00_Sig&oe=7FFFFFFF\", "
                                           "\"available\": true}",
                                           ga_test_server_get_url (fixture->server), path);
  GaTestReply *reply;

  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
  reply = ga_test_server_expect (fixture->server, path);
  ga_test_reply_set_body_bytes (reply, "image/jpeg", fixture->image);
}

static void
expect_private (Fixture *fixture)
{
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": false}");
}

static void
expect_not_set (Fixture *fixture)
{
  ga_test_server_expect_api (fixture->server, "getAvatar", 200,
                             "{\"urlAvatar\": \"\", \"available\": true}");
}

static GaList *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  GaList *list = ga_list_parse_text (text, &error);

  g_assert_no_error (error);
  return list;
}

static void
state_cb (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  GaBatchState *wanted = user_data;

  if (ga_batch_get_state (GA_BATCH (object)) == *wanted)
    *wanted = (GaBatchState) -1;
}

/* Spins until the batch is in @state. */
static void
wait_for_state (GaBatch      *batch,
                GaBatchState  state)
{
  GaBatchState wanted = state;
  gboolean done = ga_batch_get_state (batch) == state;
  gulong id;
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  if (done)
    return;

  id = g_signal_connect (batch, "notify::state", G_CALLBACK (state_cb), &wanted);
  while (wanted != (GaBatchState) -1)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("The batch never reached state %d (it is %d)", state,
                 ga_batch_get_state (batch));
    }
  g_signal_handler_disconnect (batch, id);
}

static GaBatchItem *
item_at (GaBatch *batch,
         guint    position)
{
  GaBatchItem *item = g_list_model_get_item (ga_batch_get_model (batch), position);

  g_object_unref (item); /* the model keeps it */
  return item;
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (ga_batch_save_finish (GA_BATCH (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
save_now (GaBatch *batch)
{
  gboolean done = FALSE;

  ga_batch_save_async (batch, NULL, save_done_cb, &done);
  ga_test_wait_for (&done, WAIT_MS);
}

static void
test_statuses (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("+1 100 123 4567\n79001234567\n79001234568\nnot a number\n");

  expect_picture (fixture);
  expect_private (fixture);
  expect_not_set (fixture);

  ga_batch_set_list (fixture->batch, list);
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_READY);
  g_assert_cmpuint (ga_batch_get_n_chats (fixture->batch), ==, 3);
  g_assert_cmpuint (ga_batch_get_n_rejected (fixture->batch), ==, 1);
  g_assert_cmpuint (ga_batch_get_count (fixture->batch, GA_BATCH_STATUS_PENDING), ==, 3);

  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);

  g_assert_cmpuint (ga_batch_get_n_done (fixture->batch), ==, 3);
  g_assert_cmpuint (ga_batch_get_count (fixture->batch, GA_BATCH_STATUS_PICTURE), ==, 1);
  g_assert_cmpuint (ga_batch_get_count (fixture->batch, GA_BATCH_STATUS_PRIVATE), ==, 1);
  g_assert_cmpuint (ga_batch_get_count (fixture->batch, GA_BATCH_STATUS_NOT_SET), ==, 1);
  g_assert_cmpstr (ga_batch_item_get_chat_id (item_at (fixture->batch, 0)), ==,
                   "11001234567@c.us");
  g_assert_cmpint (ga_batch_item_get_status (item_at (fixture->batch, 0)), ==,
                   GA_BATCH_STATUS_PICTURE);
  g_assert_nonnull (ga_batch_item_get_key (item_at (fixture->batch, 0)));
  g_assert_cmpint (ga_batch_item_get_status (item_at (fixture->batch, 1)), ==,
                   GA_BATCH_STATUS_PRIVATE);
  g_assert_cmpint (ga_batch_item_get_status (item_at (fixture->batch, 2)), ==,
                   GA_BATCH_STATUS_NOT_SET);
  ga_test_server_assert_done (fixture->server);
}

static void
thumbnail_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
test_thumbnail (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("79001234567\n");
  GaBatchItem *item;
  GdkTexture *texture;
  gboolean done = FALSE;

  expect_picture (fixture);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);

  /* Not decoded until asked for; then at the grid's size, not the picture's 640 px. */
  item = item_at (fixture->batch, 0);
  g_assert_null (ga_batch_item_get_thumbnail (item));
  g_signal_connect (item, "notify::thumbnail", G_CALLBACK (thumbnail_cb), &done);
  ga_batch_request_thumbnail (fixture->batch, item);
  ga_test_wait_for (&done, WAIT_MS);

  texture = ga_batch_item_get_thumbnail (item);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, GA_BATCH_THUMBNAIL_SIZE);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, GA_BATCH_THUMBNAIL_SIZE);

  /* The grid at scale 1 shows 64 px: the thumbnail is decoded again at that size. */
  done = FALSE;
  ga_batch_set_thumbnail_size (fixture->batch, 64);
  g_assert_null (ga_batch_item_get_thumbnail (item));
  ga_test_wait_for (&done, WAIT_MS);
  while (ga_batch_item_get_thumbnail (item) == NULL)
    {
      done = FALSE;
      ga_test_wait_for (&done, WAIT_MS);
    }
  texture = ga_batch_item_get_thumbnail (item);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 64);

  /* Never larger than the cap, whatever the scale. */
  ga_batch_set_thumbnail_size (fixture->batch, 1000);
  g_assert_cmpuint (ga_batch_get_thumbnail_size (fixture->batch), ==, GA_BATCH_THUMBNAIL_SIZE);
  g_signal_handlers_disconnect_by_func (item, thumbnail_cb, &done);
}

typedef struct
{
  GPtrArray *order; /* (unowned) items in the order their thumbnails came */
} ThumbOrder;

static void
thumbnail_order_cb (GaBatchItem *item,
                    GParamSpec  *pspec,
                    ThumbOrder  *order)
{
  if (ga_batch_item_get_thumbnail (item) != NULL)
    g_ptr_array_add (order->order, item);
}

/* One decode at a time, the latest request first, and a request taken back is never
 * decoded: a grid scrolled far asks for dozens at once and moves on. */
static void
test_thumbnail_queue (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("79001234560\n79001234561\n79001234562\n79001234563\n");
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  ThumbOrder data = { order };
  GaBatchItem *items[4];

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    expect_picture (fixture);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      items[i] = item_at (fixture->batch, i);
      g_signal_connect (items[i], "notify::thumbnail", G_CALLBACK (thumbnail_order_cb), &data);
    }

  /* 0 starts at once; 1, 2 and 3 wait; 2 is scrolled away before its turn. */
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    ga_batch_request_thumbnail (fixture->batch, items[i]);
  ga_batch_forget_thumbnail (fixture->batch, items[2]);
  /* Taking back what is not waiting (decoding, or never asked) changes nothing. */
  ga_batch_forget_thumbnail (fixture->batch, items[0]);

  while (order->len < 3)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (g_ptr_array_index (order, 0) == items[0]);
  g_assert_true (g_ptr_array_index (order, 1) == items[3]);
  g_assert_true (g_ptr_array_index (order, 2) == items[1]);
  /* Nothing is left to decode: 2 was never started. */
  g_assert_null (ga_batch_item_get_thumbnail (items[2]));

  /* Asked again, it comes. */
  ga_batch_request_thumbnail (fixture->batch, items[2]);
  while (order->len < 4)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_ptr_array_index (order, 3) == items[2]);

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    g_signal_handlers_disconnect_by_func (items[i], thumbnail_order_cb, &data);
}

static void
test_parallel (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GaList) list = NULL;

  for (guint i = 0; i < 40; i++)
    {
      g_string_append_printf (text, "790012300%02u\n", i);
      expect_not_set (fixture);
    }
  list = parse (text->str);

  g_object_set (fixture->batch, "max-parallel", 6, NULL);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);

  g_assert_cmpuint (ga_batch_get_count (fixture->batch, GA_BATCH_STATUS_NOT_SET), ==, 40);
  ga_test_server_assert_done (fixture->server);
}

static void
test_expired_url (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("79001234567\n79001234568\n");
  g_autofree char *path = g_strdup_printf (IMAGE_PATH, 999);
  g_autofree char *json = g_strdup_printf ("{\"urlAvatar\": \"%s%s?oh=00_Sig&oe=7FFFFFFF\", "
                                           "\"available\": true}",
                                           ga_test_server_get_url (fixture->server), path);
  g_autofree char *avatar_path = ga_test_server_api_path ("getAvatar");

  /* First chat: the URL expired once, the fresh one works. */
  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
  ga_test_reply_set_status (ga_test_server_expect (fixture->server, path), 403);
  expect_picture (fixture);
  /* Second chat: expired twice: asked again once only, then failed. */
  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
  ga_test_reply_set_status (ga_test_server_expect (fixture->server, path), 403);
  ga_test_server_expect_api (fixture->server, "getAvatar", 200, json);
  ga_test_reply_set_status (ga_test_server_expect (fixture->server, path), 403);

  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);

  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, avatar_path), ==, 4);
  g_assert_cmpint (ga_batch_item_get_status (item_at (fixture->batch, 0)), ==,
                   GA_BATCH_STATUS_PICTURE);
  g_assert_cmpint (ga_batch_item_get_status (item_at (fixture->batch, 1)), ==,
                   GA_BATCH_STATUS_FAILED);
  g_assert_nonnull (ga_batch_item_get_error (item_at (fixture->batch, 1)));
  ga_test_server_assert_done (fixture->server);
}

static void
test_429_storm (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("79001234567\n79001234568\n");
  g_autofree char *avatar_path = ga_test_server_api_path ("getAvatar");

  /* More 429s than the client retries: the engine tries the chat again after a while (the
   * other chat goes meanwhile, so both get the same answer here). */
  for (guint i = 0; i < 6; i++)
    ga_test_server_expect_api (fixture->server, "getAvatar", 429, "{\"message\": \"slow\"}");
  expect_not_set (fixture);
  expect_not_set (fixture);

  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);

  g_assert_cmpuint (ga_batch_get_count (fixture->batch, GA_BATCH_STATUS_NOT_SET), ==, 2);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, avatar_path), ==, 8);
  ga_test_server_assert_done (fixture->server);
}

static void
test_connection_drop (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("79001234567\n");
  g_autoptr(GaList) other = parse ("79001234568\n");
  const char *error;

  g_object_set (fixture->client, "max-retries", 0, NULL);

  /* Dropped once, then answered. */
  ga_test_reply_set_drop (ga_test_server_expect_api (fixture->server, "getAvatar", 200, "{}"));
  expect_private (fixture);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);
  g_assert_cmpint (ga_batch_item_get_status (item_at (fixture->batch, 0)), ==,
                   GA_BATCH_STATUS_PRIVATE);
  ga_test_server_assert_done (fixture->server);

  /* Dropped every time: three attempts, then failed with a reason. */
  for (guint i = 0; i < 3; i++)
    ga_test_reply_set_drop (ga_test_server_expect_api (fixture->server, "getAvatar", 200, "{}"));
  ga_batch_set_list (fixture->batch, other);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);
  g_assert_cmpint (ga_batch_item_get_status (item_at (fixture->batch, 0)), ==,
                   GA_BATCH_STATUS_FAILED);
  error = ga_batch_item_get_error (item_at (fixture->batch, 0));
  g_assert_nonnull (error);
  g_assert_null (strstr (error, GA_TEST_TOKEN));
  ga_test_server_assert_done (fixture->server);
}

static void
test_quota (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("79001234567\n79001234568\n79001234569\n");
  g_autoptr(GaBatch) resumed = NULL;
  g_autoptr(GError) error = NULL;

  expect_private (fixture);
  ga_test_server_expect_api (fixture->server, "getAvatar", 466,
                             "{\"invokeStatus\": {\"method\": \"getAvatar\", \"used\": 100, "
                             "\"total\": 100, \"status\": \"QUOTE_EXCEEDED\", "
                             "\"description\": \"Monthly quota has been exceeded.\"}}");

  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_STOPPED);

  /* Stopped, with every result so far, and the reason. */
  g_assert_nonnull (ga_batch_get_error (fixture->batch));
  g_assert_cmpuint (ga_batch_get_n_done (fixture->batch), ==, 1);
  g_assert_cmpint (ga_batch_item_get_status (item_at (fixture->batch, 0)), ==,
                   GA_BATCH_STATUS_PRIVATE);
  g_assert_cmpint (ga_batch_item_get_status (item_at (fixture->batch, 1)), ==,
                   GA_BATCH_STATUS_PENDING);
  ga_test_server_assert_done (fixture->server);

  /* Quitting and starting again: the batch is read back as it was, and goes on. */
  save_now (fixture->batch);
  g_clear_object (&fixture->batch);

  resumed = make_batch (fixture);
  g_assert_true (ga_batch_load (resumed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ga_batch_get_state (resumed), ==, GA_BATCH_STATE_STOPPED);
  g_assert_cmpuint (ga_batch_get_n_chats (resumed), ==, 3);
  g_assert_cmpuint (ga_batch_get_n_done (resumed), ==, 1);

  expect_not_set (fixture);
  expect_picture (fixture);
  ga_batch_start (resumed);
  wait_for_state (resumed, GA_BATCH_STATE_FINISHED);
  g_assert_cmpint (ga_batch_item_get_status (item_at (resumed, 0)), ==, GA_BATCH_STATUS_PRIVATE);
  g_assert_cmpint (ga_batch_item_get_status (item_at (resumed, 1)), ==, GA_BATCH_STATUS_NOT_SET);
  g_assert_cmpint (ga_batch_item_get_status (item_at (resumed, 2)), ==, GA_BATCH_STATUS_PICTURE);
  ga_test_server_assert_done (fixture->server);

  /* The state file never holds the token. */
  {
    g_autofree char *contents = NULL;

    save_now (resumed);
    g_assert_true (g_file_get_contents (fixture->state_file, &contents, NULL, NULL));
    g_assert_null (strstr (contents, GA_TEST_TOKEN));
    g_assert_null (strstr (contents, "oh=00_Sig"));
  }

  ga_batch_clear (resumed);
  g_assert_false (ga_batch_state_file_exists (fixture->state_file));
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;

  if (!ga_batch_load_finish (GA_BATCH (object), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "loaded");
}

/* The saved batch is read in a worker thread, and taken only if no list came meanwhile. */
static void
test_load_async (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("79001234567\nnot a number\n79001234568\n");
  g_autoptr(GaList) other = parse ("79001230001\n");
  g_autoptr(GaBatch) resumed = NULL;
  g_autoptr(GaBatch) raced = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  GError *error = NULL;

  ga_batch_set_list (fixture->batch, list);
  save_now (fixture->batch);
  g_clear_object (&fixture->batch);

  resumed = make_batch (fixture);
  ga_batch_load_async (resumed, NULL, loaded_cb, &error);
  /* Nothing happens until the main loop runs the answer. */
  g_assert_cmpint (ga_batch_get_state (resumed), ==, GA_BATCH_STATE_EMPTY);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);  /* loaded */
  g_clear_error (&error);
  g_assert_cmpint (ga_batch_get_state (resumed), ==, GA_BATCH_STATE_READY);
  g_assert_cmpuint (ga_batch_get_n_chats (resumed), ==, 2);
  g_assert_cmpuint (ga_batch_get_n_rejected (resumed), ==, 1);
  rejected = ga_batch_get_rejected (resumed, 10);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_cmpuint (((GaBatchRejected *) g_ptr_array_index (rejected, 0))->line, ==, 2);
  g_assert_cmpstr (((GaBatchRejected *) g_ptr_array_index (rejected, 0))->text, ==,
                   "not a number");
  g_assert_nonnull (((GaBatchRejected *) g_ptr_array_index (rejected, 0))->error);

  /* A list opened while the file is read wins. */
  raced = make_batch (fixture);
  ga_batch_load_async (raced, NULL, loaded_cb, &error);
  ga_batch_set_list (raced, other);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpuint (ga_batch_get_n_chats (raced), ==, 1);
}

static void
test_load_garbage (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char *const cases[] = {
    "",
    "[]",
    "{\"version\": 1}",
    "{\"version\": 2, \"chats\": [], \"entries\": []}",
    "{\"version\": 1, \"chats\": [null, 3, {\"chat_id\": 5, \"status\": [], \"key\": \"x\"}], "
    "\"entries\": [{\"chat\": 99}, {\"chat\": \"0\", \"line\": -4}, null]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_path_get_dirname (fixture->state_file);
      gboolean ok;

      g_mkdir_with_parents (dir, 0700);
      g_assert_true (g_file_set_contents (fixture->state_file, cases[i], -1, NULL));
      ok = ga_batch_load (fixture->batch, &error);
      /* Only the last one is a batch, however broken its parts. */
      g_assert_cmpint (ok, ==, i == G_N_ELEMENTS (cases) - 1);
      if (ok)
        {
          g_assert_cmpuint (ga_batch_get_n_chats (fixture->batch), ==, 3);
          g_assert_cmpuint (ga_batch_get_n_rejected (fixture->batch), ==, 3);
        }
    }
}

static void
test_network_pause (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("79001234567\n79001234568\n");

  ga_batch_set_list (fixture->batch, list);
  ga_batch_set_network_available (fixture->batch, FALSE);
  ga_batch_start (fixture->batch);
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_OFFLINE);

  /* Nothing is asked while offline (the server fails on any unexpected request). */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (ga_test_server_get_request_count (fixture->server, NULL), ==, 0);

  expect_private (fixture);
  expect_not_set (fixture);
  ga_batch_set_network_available (fixture->batch, TRUE);
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_RUNNING);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);
  g_assert_cmpuint (ga_batch_get_n_done (fixture->batch), ==, 2);

  /* A paused batch stays paused when the network comes and goes. */
  ga_test_server_assert_done (fixture->server);
}

static void
test_pause_stop (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("79001234567\n79001234568\n79001234569\n");

  ga_batch_set_list (fixture->batch, list);
  expect_private (fixture);
  ga_batch_start (fixture->batch);
  ga_batch_pause (fixture->batch);
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_PAUSED);

  /* The one lookup that was running finishes; nothing else starts. */
  while (ga_batch_get_n_done (fixture->batch) < 1)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (ga_batch_get_n_done (fixture->batch), ==, 1);

  ga_batch_set_network_available (fixture->batch, FALSE);
  ga_batch_set_network_available (fixture->batch, TRUE);
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_PAUSED);

  /* Stop cancels the running lookup (it hangs) and keeps it pending. */
  ga_test_reply_set_hang (ga_test_server_expect_api (fixture->server, "getAvatar", 200, "{}"));
  ga_batch_start (fixture->batch);
  while (ga_test_server_get_request_count (fixture->server, NULL) < 2)
    g_main_context_iteration (NULL, TRUE);
  ga_batch_stop (fixture->batch);
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_STOPPED);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (ga_batch_get_count (fixture->batch, GA_BATCH_STATUS_PENDING), ==, 2);
}

static void
batch_finalized_cb (gpointer  user_data,
                    GObject  *where_the_object_was)
{
  *(gboolean *) user_data = TRUE;
}

/* The batch is dropped right after Stop, while its cancelled lookup is still on its way back
 * (from the network thread): the lookup holds the last reference, and the batch goes only
 * once the lookup is done with it (ASan catches a batch used after it went). */
static void
test_dropped_while_stopping (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("79001234567\n");
  gboolean finalized = FALSE;
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  ga_test_reply_set_hang (ga_test_server_expect_api (fixture->server, "getAvatar", 200, "{}"));
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  while (ga_test_server_get_request_count (fixture->server, NULL) < 1)
    g_main_context_iteration (NULL, TRUE);

  ga_batch_stop (fixture->batch);
  g_object_weak_ref (G_OBJECT (fixture->batch), batch_finalized_cb, &finalized);
  g_clear_object (&fixture->batch);
  g_assert_false (finalized);

  while (!finalized)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("The dropped batch was never finalized");
    }
}

static void
test_cached_not_asked (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("79001234567\n");
  g_autoptr(GaList) again = parse ("+7 900 123-45-67\n79001234568\n");

  expect_picture (fixture);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);

  /* The same chat in a new list: its picture is recent, so only the other one is asked. */
  expect_private (fixture);
  ga_batch_set_list (fixture->batch, again);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);
  g_assert_cmpint (ga_batch_item_get_status (item_at (fixture->batch, 0)), ==,
                   GA_BATCH_STATUS_PICTURE);
  g_assert_cmpint (ga_batch_item_get_status (item_at (fixture->batch, 1)), ==,
                   GA_BATCH_STATUS_PRIVATE);
  ga_test_server_assert_done (fixture->server);
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;

  ga_batch_export_finish (GA_BATCH (object), result, error);
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NONE, "ok");
}

static GError *
export_now (GaBatch *batch,
            GFile   *folder,
            gboolean overwrite)
{
  GError *error = NULL;

  ga_batch_export_async (batch, folder, overwrite, NULL, export_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NONE))
    g_clear_error (&error);

  return error;
}

static void
test_export (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GaList) list = NULL;
  g_autofree char *folder_path = g_build_filename (fixture->dir, "out", NULL);
  g_autofree char *picture_path = g_build_filename (folder_path, "79001234567.jpg", NULL);
  g_autofree char *csv_path = g_build_filename (folder_path, "avatars.csv", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autofree char *csv = NULL;
  g_autofree char *picture = NULL;
  gsize picture_length = 0;
  GError *error = NULL;

  list = parse ("phone,name\n79001234567,=HYPERLINK(\"x\")\n79001234568,Пётр\nbad,@SUM(1)\n"
                "+7 900 123-45-67,Dup\n");
  expect_picture (fixture);
  expect_private (fixture);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);

  g_mkdir_with_parents (folder_path, 0700);
  error = export_now (fixture->batch, folder, FALSE);
  g_assert_no_error (error);

  /* The bytes as served. */
  g_assert_true (g_file_get_contents (picture_path, &picture, &picture_length, NULL));
  g_assert_cmpmem (picture, picture_length,
                   g_bytes_get_data (fixture->image, NULL), g_bytes_get_size (fixture->image));

  /* One row per entry; formula-looking names defused. */
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_nonnull (strstr (csv, "'=HYPERLINK"));
  g_assert_nonnull (strstr (csv, "79001234567.jpg"));
  g_assert_nonnull (strstr (csv, "Пётр"));
  g_assert_nonnull (strstr (csv, "private"));
  g_assert_nonnull (strstr (csv, "invalid"));
  g_assert_null (strstr (csv, ",=HYPERLINK"));
  {
    g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
    guint n = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      if (*lines[i] != '\0' && *lines[i] != '\r')
        n++;
    g_assert_cmpuint (n, ==, 1 + 4);
  }

  /* Again: the same files are no conflict. A different one is not overwritten silently. */
  error = export_now (fixture->batch, folder, FALSE);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (picture_path, "other", -1, NULL));
  error = export_now (fixture->batch, folder, FALSE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_pointer (&picture, g_free);
  g_assert_true (g_file_get_contents (picture_path, &picture, NULL, NULL));
  g_assert_cmpstr (picture, ==, "other");
  error = export_now (fixture->batch, folder, TRUE);
  g_assert_no_error (error);
  g_clear_pointer (&picture, g_free);
  g_assert_true (g_file_get_contents (picture_path, &picture, &picture_length, NULL));
  g_assert_cmpuint (picture_length, ==, g_bytes_get_size (fixture->image));
}

static void
test_names (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("phone,name\n79001234567,Из списка\n79001234568,Второй\n");
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  ga_batch_set_list (fixture->batch, list);
  g_assert_cmpstr (ga_batch_item_get_name (item_at (fixture->batch, 0)), ==, "Из списка");

  /* The contacts list wins; the list's name stays where it has none. */
  g_hash_table_insert (names, (char *) "79001234567@c.us", (char *) "Контакт");
  ga_batch_set_names (fixture->batch, names);
  g_assert_cmpstr (ga_batch_item_get_name (item_at (fixture->batch, 0)), ==, "Контакт");
  g_assert_cmpstr (ga_batch_item_get_name (item_at (fixture->batch, 1)), ==, "Второй");
}

static void spin (void);

/* A new list while lookups of the old one run: the old ones are dropped, not counted. */
static void
test_replace_running (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GaList) first = parse ("79001234567\n79001234568\n");
  g_autoptr(GaList) second = parse ("79001234569\n");

  ga_test_reply_set_hang (ga_test_server_expect_api (fixture->server, "getAvatar", 200, "{}"));
  ga_batch_set_list (fixture->batch, first);
  ga_batch_start (fixture->batch);
  while (ga_test_server_get_request_count (fixture->server, NULL) < 1)
    g_main_context_iteration (NULL, TRUE);

  expect_private (fixture);
  ga_batch_set_list (fixture->batch, second);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);
  spin ();

  g_assert_cmpuint (ga_batch_get_n_chats (fixture->batch), ==, 1);
  g_assert_cmpuint (ga_batch_get_n_done (fixture->batch), ==, 1);
  g_assert_cmpuint (ga_batch_get_count (fixture->batch, GA_BATCH_STATUS_PRIVATE), ==, 1);
  g_assert_cmpuint (ga_batch_get_count (fixture->batch, GA_BATCH_STATUS_PENDING), ==, 0);
  g_assert_cmpint (ga_batch_get_state (fixture->batch), ==, GA_BATCH_STATE_FINISHED);
  ga_test_server_assert_done (fixture->server);
}

static gint64 fake_now;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

static GaClient *
make_paced_client (Fixture           *fixture,
                   GaLimiter         *limiter,
                   GaRequestPriority  priority)
{
  return g_object_new (GA_TYPE_CLIENT,
                       "session", fixture->session,
                       "api-url", ga_test_server_get_url (fixture->server),
                       "id-instance", GA_TEST_ID_INSTANCE,
                       "token", GA_TEST_TOKEN,
                       "limiter", limiter,
                       "priority", priority,
                       NULL);
}

static guint
avatar_requests (Fixture *fixture)
{
  g_autofree char *path = ga_test_server_api_path ("getAvatar");

  return ga_test_server_get_request_count (fixture->server, path);
}

static void
spin (void)
{
  /* Requests travel over loopback sockets: give them a moment, not a deadline. */
  for (guint i = 0; i < 200; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (500);
    }
}

/* On a fake clock: however many lookups run at once, getAvatar goes out at the limiter's
 * pace (10 a second per instance), never faster. */
static void
test_pacing (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GaLimiter) limiter = ga_limiter_new ();
  g_autoptr(GaClient) client = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GaList) list = NULL;
  guint before;

  fake_now = 1000 * G_TIME_SPAN_SECOND;
  ga_limiter_set_clock (limiter, fake_clock, NULL);
  client = make_paced_client (fixture, limiter, GA_REQUEST_PRIORITY_BATCH);

  for (guint i = 0; i < 35; i++)
    {
      g_string_append_printf (text, "790012300%02u\n", i);
      expect_not_set (fixture);
    }
  list = parse (text->str);
  ga_batch_set_client (fixture->batch, client);
  g_object_set (fixture->batch, "max-parallel", 16, NULL);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);

  spin ();
  before = avatar_requests (fixture);
  g_assert_cmpuint (before, >=, 1);
  g_assert_cmpuint (before, <=, 10);

  for (guint second = 1; second <= 3; second++)
    {
      guint now;

      /* A slot frees a second and the limiter's margin (25 ms) after its request went. */
      fake_now += G_TIME_SPAN_SECOND + 25 * G_TIME_SPAN_MILLISECOND;
      ga_limiter_clock_changed (limiter);
      spin ();
      now = avatar_requests (fixture);
      g_assert_cmpuint (now, >, before);
      g_assert_cmpuint (now - before, <=, 10);
      before = now;
    }

  ga_batch_stop (fixture->batch);
  spin ();
}

static void
interactive_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GaAvatarInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = ga_client_get_avatar_finish (GA_CLIENT (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* A chat typed in the main window goes ahead of every queued batch lookup. */
static void
test_interactive_first (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GaLimiter) limiter = ga_limiter_new ();
  g_autoptr(GaClient) batch_client = NULL;
  g_autoptr(GaClient) window_client = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GaList) list = NULL;
  g_autofree char *path = ga_test_server_api_path ("getAvatar");
  gboolean done = FALSE;
  guint before;

  fake_now = 2000 * G_TIME_SPAN_SECOND;
  ga_limiter_set_clock (limiter, fake_clock, NULL);
  batch_client = make_paced_client (fixture, limiter, GA_REQUEST_PRIORITY_BATCH);
  window_client = make_paced_client (fixture, limiter, GA_REQUEST_PRIORITY_INTERACTIVE);

  for (guint i = 0; i < 30; i++)
    {
      g_string_append_printf (text, "790012300%02u\n", i);
      expect_not_set (fixture);
    }
  list = parse (text->str);
  ga_batch_set_client (fixture->batch, batch_client);
  /* Every batch lookup waits in the limiter at once: 10 go now, 20 wait their turn. */
  g_object_set (fixture->batch, "max-parallel", 30, NULL);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  spin ();
  before = avatar_requests (fixture);
  g_assert_cmpuint (before, ==, 10);

  /* Typed in the window after them: it waits for a turn too... */
  ga_client_get_avatar_async (window_client, "11001234567@c.us", NULL, interactive_cb, &done);
  spin ();
  g_assert_cmpuint (avatar_requests (fixture), ==, before);
  g_assert_false (done);

  /* ...but takes the next one, ahead of the 20 batch lookups queued before it (a second and
   * the limiter's margin of 25 ms later). */
  fake_now += G_TIME_SPAN_SECOND + 25 * G_TIME_SPAN_MILLISECOND;
  ga_limiter_clock_changed (limiter);
  spin ();
  g_assert_cmpuint (avatar_requests (fixture), ==, 2 * before);
  g_assert_true (done);
  g_assert_cmpuint (ga_batch_get_n_done (fixture->batch), ==, 19);

  ga_batch_stop (fixture->batch);
  spin ();
  (void) path;
}

static void
test_contact_names (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GaList) list = parse ("phone,name\n79001234567,Из файла\n79001234568,Второй\n");
  gint64 deadline;

  ga_test_server_expect_api (fixture->server, "getContacts", 200,
                             "[{\"id\": \"79001234567@c.us\", \"name\": \"Анна\", "
                             "\"contactName\": \"Анна Петрова\", \"type\": \"user\"}, "
                             "{\"id\": \"120363043968066561@g.us\", \"name\": \"Группа\", "
                             "\"type\": \"group\"}]");
  expect_private (fixture);
  expect_private (fixture);

  g_object_set (fixture->batch, "fetch-names", TRUE, NULL);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);

  deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (g_str_equal (ga_batch_item_get_name (item_at (fixture->batch, 0)), "Из файла"))
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }

  /* One getContacts for the batch; the contacts list's name wins, the file's stays. */
  g_assert_true (g_str_has_prefix (ga_batch_item_get_name (item_at (fixture->batch, 0)), "Анна"));
  g_assert_cmpstr (ga_batch_item_get_name (item_at (fixture->batch, 1)), ==, "Второй");
  ga_test_server_assert_done (fixture->server);
}

static void
contacts_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_assert_true (ga_contact_list_update_finish (GA_CONTACT_LIST (object), result, NULL));
  *(gboolean *) user_data = TRUE;
}

#define CONTACTS "[{\"id\": \"79001234567@c.us\", \"name\": \"Анна\", \"type\": \"user\"}]"

/* With the application's contact list the batch asks no getContacts while the list is fresh,
 * and fills that list (not a copy of its own) when it is not. */
static void
test_shared_contacts (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GaContactList) contacts = ga_contact_list_new (NULL, NULL);
  g_autoptr(GaContactList) empty = ga_contact_list_new (NULL, NULL);
  g_autoptr(GaList) list = parse ("79001234567\n");
  g_autoptr(GBytes) answer = g_bytes_new_static (CONTACTS, strlen (CONTACTS));
  gboolean updated = FALSE;
  gint64 deadline;

  ga_contact_list_update_async (contacts, answer, NULL, contacts_done_cb, &updated);
  while (!updated)
    g_main_context_iteration (NULL, TRUE);

  /* Fresh: the names come from it, and the only request is the lookup. */
  expect_private (fixture);
  g_object_set (fixture->batch, "fetch-names", TRUE, NULL);
  ga_batch_set_contact_list (fixture->batch, contacts);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);
  g_assert_cmpstr (ga_batch_item_get_name (item_at (fixture->batch, 0)), ==, "Анна");
  ga_test_server_assert_done (fixture->server);

  /* Never fetched: one getContacts, into the shared list. */
  g_clear_object (&fixture->batch);
  fixture->batch = make_batch (fixture);
  g_object_set (fixture->batch, "fetch-names", TRUE, NULL);
  ga_batch_set_client (fixture->batch, fixture->client);
  ga_batch_set_contact_list (fixture->batch, empty);
  ga_test_server_expect_api (fixture->server, "getContacts", 200, CONTACTS);
  expect_private (fixture);
  ga_batch_set_list (fixture->batch, list);
  ga_batch_start (fixture->batch);
  wait_for_state (fixture->batch, GA_BATCH_STATE_FINISHED);
  deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (ga_contact_list_get_n_contacts (empty) == 0 ||
         ga_batch_item_get_name (item_at (fixture->batch, 0)) == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_assert_cmpstr (ga_batch_item_get_name (item_at (fixture->batch, 0)), ==, "Анна");
  ga_test_server_assert_done (fixture->server);
}

static void
test_status_strings (void)
{
  /* Every status has a word for the CSV, and each reads back as itself. */
  for (guint i = 0; i < GA_BATCH_N_STATUSES; i++)
    {
      const char *word = ga_batch_status_to_string (i);

      g_assert_nonnull (word);
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (ga_batch_status_to_string (j), !=, word);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/green-avatar/batch/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("statuses", test_statuses);
  ADD ("thumbnail", test_thumbnail);
  ADD ("thumbnail-queue", test_thumbnail_queue);
  ADD ("parallel", test_parallel);
  ADD ("expired-url", test_expired_url);
  ADD ("429-storm", test_429_storm);
  ADD ("connection-drop", test_connection_drop);
  ADD ("quota-and-resume", test_quota);
  ADD ("load-async", test_load_async);
  ADD ("load-garbage", test_load_garbage);
  ADD ("network-pause", test_network_pause);
  ADD ("pause-stop", test_pause_stop);
  ADD ("dropped-while-stopping", test_dropped_while_stopping);
  ADD ("cached-not-asked", test_cached_not_asked);
  ADD ("export", test_export);
  ADD ("names", test_names);
  ADD ("replace-running", test_replace_running);
  ADD ("pacing", test_pacing);
  ADD ("interactive-first", test_interactive_first);
  ADD ("contact-names", test_contact_names);
  ADD ("shared-contacts", test_shared_contacts);
  g_test_add_func ("/green-avatar/batch/status-strings", test_status_strings);

#undef ADD

  return g_test_run ();
}
