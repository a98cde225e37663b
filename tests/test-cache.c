/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ga-cache.h"

#define URL_A "https://pps.whatsapp.net/v/t61.24694-24/123456_n.jpg?ccb=11-4&oh=01_AdS&oe=66041D5F&_nc_sid=e6ed6c&_nc_cat=1"
#define URL_A_RESIGNED "https://pps.whatsapp.net/v/t61.24694-24/123456_n.jpg?ccb=11-4&oh=02_XyZ&oe=66051234"
#define URL_B "https://pps.whatsapp.net/v/t61.24694-24/987654_n.jpg?oe=66041D5F"

typedef struct
{
  char         *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("ga-test-cache-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GBytes *
make_jpeg (int    size,
           guint8 shade)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, size, size);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize length = 0;

  g_autoptr(GRand) rand = g_rand_new_with_seed (shade);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);

  /* Noise, so that the pictures have a realistic size once compressed. */
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size * 3; x++)
      pixels[y * rowstride + x] = (guint8) g_rand_int_range (rand, 0, 256);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", &error, "quality", "90", NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, length);
}

static gpointer result_pointer;
static gboolean result_boolean;
static gboolean done;

static void
load_chat_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  result_pointer = ga_cache_load_chat_finish (GA_CACHE (object), result, &error);
  g_assert_no_error (error);
  done = TRUE;
}

static void
load_key_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  result_pointer = ga_cache_load_key_finish (GA_CACHE (object), result, &error);
  g_assert_no_error (error);
  done = TRUE;
}

static void
boolean_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean (*finish) (GaCache *, GAsyncResult *, GError **) = user_data;

  result_boolean = finish (GA_CACHE (object), result, &error);
  g_assert_no_error (error);
  done = TRUE;
}

static guint64 measured;

static void
measure_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  measured = ga_cache_measure_finish (GA_CACHE (object), result, &error);
  g_assert_no_error (error);
  done = TRUE;
}

static void
wait_done (void)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (done);
  done = FALSE;
}

static GaCachedAvatar *
load_chat (GaCache    *cache,
           const char *chat_id)
{
  ga_cache_load_chat_async (cache, chat_id, NULL, load_chat_cb, NULL);
  wait_done ();

  return g_steal_pointer (&result_pointer);
}

static GaCachedAvatar *
load_key (GaCache    *cache,
          const char *key)
{
  ga_cache_load_key_async (cache, key, NULL, load_key_cb, NULL);
  wait_done ();

  return g_steal_pointer (&result_pointer);
}

static void
store (GaCache    *cache,
       const char *chat_id,
       const char *url,
       GBytes     *bytes,
       GdkTexture *texture)
{
  g_autofree char *key = ga_cache_key_for_url (url);

  ga_cache_store_async (cache, chat_id, key, ga_cache_expiry_for_url (url), bytes, texture,
                        NULL, boolean_cb, ga_cache_store_finish);
  wait_done ();
  g_assert_true (result_boolean);
}

static guint64
measure (GaCache *cache)
{
  ga_cache_measure_async (cache, NULL, measure_cb, NULL);
  wait_done ();

  return measured;
}

static void
test_cache_key (void)
{
  g_autofree char *a = ga_cache_key_for_url (URL_A);
  g_autofree char *a2 = ga_cache_key_for_url (URL_A_RESIGNED);
  g_autofree char *b = ga_cache_key_for_url (URL_B);
  const char *unusable[] = { NULL, "", "not a url", "https://pps.whatsapp.net", "https://pps.whatsapp.net/" };

  g_assert_nonnull (a);
  g_assert_cmpuint (strlen (a), ==, 64);
  /* A new signature for the same picture is the same picture; another file is another. */
  g_assert_cmpstr (a, ==, a2);
  g_assert_cmpstr (a, !=, b);

  for (guint i = 0; i < G_N_ELEMENTS (unusable); i++)
    {
      g_autofree char *key = ga_cache_key_for_url (unusable[i]);

      g_assert_null (key);
    }
}

static void
test_cache_expiry (void)
{
  /* 66041D5F is 2024-03-27 13:21:35 UTC (green-api.md). */
  g_assert_cmpint (ga_cache_expiry_for_url (URL_A), ==, 1711545695);
  g_assert_cmpint (ga_cache_expiry_for_url ("https://h/p.jpg?oe=0000000A"), ==, 10);
  g_assert_cmpint (ga_cache_expiry_for_url ("https://h/p.jpg"), ==, 0);
  g_assert_cmpint (ga_cache_expiry_for_url ("https://h/p.jpg?oe="), ==, 0);
  g_assert_cmpint (ga_cache_expiry_for_url ("https://h/p.jpg?oe=zz"), ==, 0);
  g_assert_cmpint (ga_cache_expiry_for_url ("https://h/p.jpg?oe=-5"), ==, 0);
  g_assert_cmpint (ga_cache_expiry_for_url ("https://h/p.jpg?oe=FFFFFFFFFFFFFFFFFFFF"), ==, 0);
  g_assert_cmpint (ga_cache_expiry_for_url (NULL), ==, 0);
}

static void
test_cache_origin (void)
{
  g_autoptr(GaCache) cache = ga_cache_new ("/nonexistent", 1, 1);
  struct { const char *url; const char *origin; } cases[] = {
    { URL_A, "https://pps.whatsapp.net" },
    { "https://mmg.whatsapp.net:8443/v/x_n.jpg?oe=1", "https://mmg.whatsapp.net:8443" },
    { "http://127.0.0.1:4321/demo/a.jpg", "http://127.0.0.1:4321" },
    /* Plain http elsewhere is never connected to. */
    { "http://pps.whatsapp.net/v/x_n.jpg", NULL },
    { "file:///etc/passwd", NULL },
    { "not a url", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *origin = ga_cache_origin_for_url (cases[i].url);

      g_assert_cmpstr (origin, ==, cases[i].origin);
    }

  g_assert_null (ga_cache_get_image_origin (cache));
  ga_cache_set_image_origin (cache, "https://pps.whatsapp.net");
  g_assert_cmpstr (ga_cache_get_image_origin (cache), ==, "https://pps.whatsapp.net");

  /* Values from settings are checked: only an origin is taken. */
  ga_cache_set_image_origin (cache, "https://pps.whatsapp.net/with/a/path");
  g_assert_null (ga_cache_get_image_origin (cache));
  g_object_set (cache, "image-origin", "https://mmg.whatsapp.net", NULL);
  g_assert_cmpstr (ga_cache_get_image_origin (cache), ==, "https://mmg.whatsapp.net");
  ga_cache_set_image_origin (cache, "");
  g_assert_null (ga_cache_get_image_origin (cache));
}

static void
test_cache_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GaCache) reopened = NULL;
  g_autoptr(GaCachedAvatar) missing = NULL;
  g_autoptr(GaCachedAvatar) avatar = NULL;
  g_autoptr(GaCachedAvatar) from_memory = NULL;
  g_autoptr(GBytes) jpeg = make_jpeg (64, 0x20);
  g_autofree char *key = ga_cache_key_for_url (URL_A);

  missing = load_chat (cache, "11001234567@c.us");
  g_assert_null (missing);

  store (cache, "11001234567@c.us", URL_A, jpeg, NULL);

  /* A new cache over the same folder (a new run of the app) finds it on disk. */
  reopened = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  avatar = load_chat (reopened, "11001234567@c.us");
  g_assert_nonnull (avatar);
  g_assert_cmpstr (ga_cached_avatar_get_key (avatar), ==, key);
  g_assert_cmpint (ga_cached_avatar_get_expiry (avatar), ==, 1711545695);
  g_assert_true (g_bytes_equal (ga_cached_avatar_get_bytes (avatar), jpeg));
  g_assert_nonnull (ga_cached_avatar_get_texture (avatar));
  g_assert_cmpint (gdk_texture_get_width (ga_cached_avatar_get_texture (avatar)), ==, 64);

  /* Loading it put the decoded picture in memory. */
  g_assert_true (ga_cache_peek_texture (reopened, key) == ga_cached_avatar_get_texture (avatar));
  from_memory = load_key (reopened, key);
  g_assert_nonnull (from_memory);
  g_assert_true (ga_cached_avatar_get_texture (from_memory) == ga_cached_avatar_get_texture (avatar));

  /* Another chat is not confused with this one. */
  g_clear_pointer (&missing, ga_cached_avatar_unref);
  missing = load_chat (reopened, "11009999999@c.us");
  g_assert_null (missing);
}

static void
test_cache_changed_picture (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GaCachedAvatar) avatar = NULL;
  g_autoptr(GBytes) first = make_jpeg (32, 0x10);
  g_autoptr(GBytes) second = make_jpeg (48, 0xf0);
  g_autofree char *key_b = ga_cache_key_for_url (URL_B);

  store (cache, "11001234567@c.us", URL_A, first, NULL);
  store (cache, "11001234567@c.us", URL_B, second, NULL);

  avatar = load_chat (cache, "11001234567@c.us");
  g_assert_nonnull (avatar);
  g_assert_cmpstr (ga_cached_avatar_get_key (avatar), ==, key_b);
  g_assert_cmpint (gdk_texture_get_width (ga_cached_avatar_get_texture (avatar)), ==, 48);
}

static void
test_cache_forget (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GaCachedAvatar) avatar = NULL;
  g_autoptr(GBytes) jpeg = make_jpeg (32, 0x10);

  store (cache, "120363043968066561@g.us", URL_A, jpeg, NULL);
  ga_cache_forget_chat_async (cache, "120363043968066561@g.us", NULL, boolean_cb,
                              ga_cache_forget_chat_finish);
  wait_done ();

  avatar = load_chat (cache, "120363043968066561@g.us");
  g_assert_null (avatar);
}

/* A picture seen through one instance is never the answer of another: the chat records are
 * per instance (in memory and on disk), and removing an instance's folder (what removing the
 * instance does) leaves the others'. */
static void
test_cache_per_instance (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GaCache) reopened = NULL;
  g_autoptr(GaCachedAvatar) avatar = NULL;
  g_autoptr(GBytes) jpeg = make_jpeg (32, 0x10);
  g_autoptr(GBytes) other = make_jpeg (48, 0xf0);
  g_autofree char *key_a = ga_cache_key_for_url (URL_A);
  g_autofree char *key_b = ga_cache_key_for_url (URL_B);
  g_autofree char *sales_dir = g_build_filename (fixture->dir, "instances", "1101000001", NULL);

  ga_cache_set_instance (cache, "1101000001");
  g_assert_cmpstr (ga_cache_get_instance (cache), ==, "1101000001");
  store (cache, "11001234567@c.us", URL_A, jpeg, NULL);
  avatar = load_chat (cache, "11001234567@c.us");
  g_assert_nonnull (avatar);
  g_clear_pointer (&avatar, ga_cached_avatar_unref);
  /* Loading put it in memory, for this instance only. */
  g_assert_nonnull (ga_cache_peek_chat (cache, "11001234567@c.us"));

  /* Through another instance the chat has no picture yet, in memory or on disk. */
  ga_cache_set_instance (cache, "1101000002");
  g_assert_null (ga_cache_peek_chat (cache, "11001234567@c.us"));
  avatar = load_chat (cache, "11001234567@c.us");
  g_assert_null (avatar);

  /* It sees its own picture for the same chat. */
  store (cache, "11001234567@c.us", URL_B, other, NULL);
  avatar = load_chat (cache, "11001234567@c.us");
  g_assert_nonnull (avatar);
  g_assert_cmpstr (ga_cached_avatar_get_key (avatar), ==, key_b);
  g_clear_pointer (&avatar, ga_cached_avatar_unref);

  /* And the first still has its own, also after a restart. */
  reopened = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  ga_cache_set_instance (reopened, "1101000001");
  avatar = load_chat (reopened, "11001234567@c.us");
  g_assert_nonnull (avatar);
  g_assert_cmpstr (ga_cached_avatar_get_key (avatar), ==, key_a);
  g_clear_pointer (&avatar, ga_cached_avatar_unref);

  /* No instance (the one-instance layout) is yet another scope; a bad ID is none. */
  ga_cache_set_instance (reopened, "../1101000001");
  g_assert_null (ga_cache_get_instance (reopened));
  avatar = load_chat (reopened, "11001234567@c.us");
  g_assert_null (avatar);

  /* Removing the first instance's folder leaves the second's answer. */
  g_assert_true (g_file_test (sales_dir, G_FILE_TEST_IS_DIR));
  remove_tree (sales_dir);
  g_clear_object (&reopened);
  reopened = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  ga_cache_set_instance (reopened, "1101000001");
  avatar = load_chat (reopened, "11001234567@c.us");
  g_assert_null (avatar);
  ga_cache_set_instance (reopened, "1101000002");
  avatar = load_chat (reopened, "11001234567@c.us");
  g_assert_nonnull (avatar);
  g_assert_cmpstr (ga_cached_avatar_get_key (avatar), ==, key_b);
  g_clear_pointer (&avatar, ga_cached_avatar_unref);

  /* Clearing the cache clears every instance's chats. */
  ga_cache_clear_async (reopened, NULL, boolean_cb, ga_cache_clear_finish);
  wait_done ();
  g_assert_false (g_file_test (sales_dir, G_FILE_TEST_EXISTS));
  avatar = load_chat (reopened, "11001234567@c.us");
  g_assert_null (avatar);
}

static void
test_cache_eviction (Fixture       *fixture,
                     gconstpointer  data)
{
  const guint64 limit = 40 * 1024;
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, limit, 16 * 1024 * 1024);
  g_autoptr(GaCachedAvatar) newest = NULL;
  guint64 total = 0;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://pps.whatsapp.net/v/%u_n.jpg", i);
      g_autofree char *chat = g_strdup_printf ("1100123456%u@c.us", i % 10);
      g_autoptr(GBytes) jpeg = make_jpeg (160, (guint8) (i * 20));

      total += g_bytes_get_size (jpeg);
      store (cache, chat, url, jpeg, NULL);
    }

  /* The pictures stored add up to far more than the limit; the cache stays within it. */
  g_assert_cmpuint (total, >, 2 * limit);
  g_assert_cmpuint (measure (cache), <=, limit + 4096);

  /* The newest picture survived eviction. */
  newest = load_chat (cache, "11001234561@c.us");
  g_assert_nonnull (newest);
}

static void
test_cache_memory_bound (Fixture       *fixture,
                         gconstpointer  data)
{
  /* Room for two 64x64 textures (16 KiB each) in memory. */
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, 1024 * 1024, 2 * 64 * 64 * 4);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  guint in_memory = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://pps.whatsapp.net/v/m%u_n.jpg", i);
      g_autofree char *chat = g_strdup_printf ("1100765432%u@c.us", i);
      g_autoptr(GBytes) jpeg = make_jpeg (64, (guint8) (i * 40));
      g_autoptr(GaCachedAvatar) avatar = NULL;

      store (cache, chat, url, jpeg, NULL);
      g_ptr_array_add (keys, ga_cache_key_for_url (url));
      /* Loading decodes and keeps the texture in memory. */
      avatar = load_chat (cache, chat);
      g_assert_nonnull (avatar);
    }

  for (guint i = 0; i < keys->len; i++)
    in_memory += ga_cache_peek_texture (cache, g_ptr_array_index (keys, i)) != NULL;

  g_assert_cmpuint (in_memory, ==, 2);
  /* The most recent ones are kept. */
  g_assert_nonnull (ga_cache_peek_texture (cache, g_ptr_array_index (keys, 4)));
}

static void
test_cache_damaged_file (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GaCache) reopened = NULL;
  g_autoptr(GaCachedAvatar) avatar = NULL;
  g_autoptr(GBytes) jpeg = make_jpeg (32, 0x10);
  g_autofree char *key = ga_cache_key_for_url (URL_A);
  g_autofree char *path = g_build_filename (fixture->dir, "pictures", key, NULL);
  g_autofree char *record_name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "11001234567@c.us", -1);
  g_autofree char *record = g_build_filename (fixture->dir, "chats", record_name, NULL);

  store (cache, "11001234567@c.us", URL_A, jpeg, NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_set_contents (path, "not a picture", -1, NULL));

  reopened = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  avatar = load_chat (reopened, "11001234567@c.us");
  g_assert_null (avatar);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* A chat record that is not ours is ignored. */
  g_assert_true (g_file_set_contents (record, "../../etc/passwd\n0\n", -1, NULL));
  avatar = load_chat (reopened, "11001234567@c.us");
  g_assert_null (avatar);
}

static void
count_cleared_cb (guint *n_cleared)
{
  (*n_cleared)++;
}

static void
test_cache_clear (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GaCachedAvatar) avatar = NULL;
  g_autoptr(GBytes) jpeg = make_jpeg (32, 0x10);
  g_autofree char *key = ga_cache_key_for_url (URL_A);

  guint n_cleared = 0;
  g_autofree char *file = NULL;

  store (cache, "11001234567@c.us", URL_A, jpeg, NULL);
  avatar = load_chat (cache, "11001234567@c.us");
  g_assert_nonnull (avatar);
  g_clear_pointer (&avatar, ga_cached_avatar_unref);
  g_assert_cmpuint (measure (cache), >, g_bytes_get_size (jpeg));
  /* The file the search provider hands to the shell. */
  file = ga_cache_lookup_chat_file (cache, "11001234567@c.us");
  g_assert_nonnull (file);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&file, g_free);

  g_signal_connect_swapped (cache, "cleared", G_CALLBACK (count_cleared_cb), &n_cleared);
  ga_cache_clear_async (cache, NULL, boolean_cb, ga_cache_clear_finish);
  g_assert_null (ga_cache_peek_texture (cache, key));
  g_assert_cmpuint (n_cleared, ==, 1);
  wait_done ();

  g_assert_cmpuint (measure (cache), ==, 0);
  avatar = load_chat (cache, "11001234567@c.us");
  g_assert_null (avatar);
  file = ga_cache_lookup_chat_file (cache, "11001234567@c.us");
  g_assert_null (file);
}

static guint n_pending;

static void
count_down_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean (*finish) (GaCache *, GAsyncResult *, GError **) = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (finish (GA_CACHE (object), result, &error));
  g_assert_no_error (error);
  n_pending--;
}

static void
test_cache_clear_wins (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GaCachedAvatar) avatar = NULL;
  gint64 deadline;

  /* Pictures still being written when the person clears the cache must not come back. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://pps.whatsapp.net/v/w%u_n.jpg", i);
      g_autofree char *key = ga_cache_key_for_url (url);
      g_autofree char *chat = g_strdup_printf ("1100555000%u@c.us", i);
      g_autoptr(GBytes) jpeg = make_jpeg (64, (guint8) i);

      n_pending++;
      ga_cache_store_async (cache, chat, key, 0, jpeg, NULL, NULL, count_down_cb,
                            ga_cache_store_finish);
    }

  n_pending++;
  ga_cache_clear_async (cache, NULL, count_down_cb, ga_cache_clear_finish);

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (n_pending > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (n_pending, ==, 0);

  g_assert_cmpuint (measure (cache), ==, 0);
  avatar = load_chat (cache, "11005550003@c.us");
  g_assert_null (avatar);
}

static void
test_cache_peek_chat (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GaCache) next_run = NULL;
  g_autoptr(GaCachedAvatar) loaded = NULL;
  g_autoptr(GBytes) jpeg = make_jpeg (32, 0x10);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = gdk_texture_new_from_bytes (jpeg, &error);
  g_assert_no_error (error);

  g_assert_null (ga_cache_peek_chat (cache, "11001234567@c.us"));
  store (cache, "11001234567@c.us", URL_A, jpeg, texture);

  /* Right away, without any I/O: what a repeat lookup shows in its first frame. */
  g_assert_true (ga_cache_peek_chat (cache, "11001234567@c.us") == texture);
  g_assert_null (ga_cache_peek_chat (cache, "11009999999@c.us"));
  g_assert_null (ga_cache_peek_chat (cache, NULL));

  /* A new run knows nothing in memory until it has loaded the chat from disk once. */
  next_run = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  g_assert_null (ga_cache_peek_chat (next_run, "11001234567@c.us"));
  loaded = load_chat (next_run, "11001234567@c.us");
  g_assert_nonnull (loaded);
  g_assert_true (ga_cache_peek_chat (next_run, "11001234567@c.us") ==
                 ga_cached_avatar_get_texture (loaded));

  ga_cache_forget_chat_async (cache, "11001234567@c.us", NULL, boolean_cb,
                              ga_cache_forget_chat_finish);
  g_assert_null (ga_cache_peek_chat (cache, "11001234567@c.us"));
  wait_done ();

  ga_cache_clear_async (next_run, NULL, boolean_cb, ga_cache_clear_finish);
  g_assert_null (ga_cache_peek_chat (next_run, "11001234567@c.us"));
  wait_done ();
}

static void
test_cache_private_files (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, 1024 * 1024, 16 * 1024 * 1024);
  g_autoptr(GBytes) jpeg = make_jpeg (32, 0x10);
  g_autofree char *key = ga_cache_key_for_url (URL_A);
  g_autofree char *path = g_build_filename (fixture->dir, "pictures", key, NULL);
  g_autofree char *pictures = g_build_filename (fixture->dir, "pictures", NULL);
  GStatBuf st;

  store (cache, "11001234567@c.us", URL_A, jpeg, NULL);

  /* Who someone looked up is nobody else's business. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_assert_cmpint (g_stat (pictures, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
}

/* ga_cache_flush(): once it returns, every picture stored before is on disk, without the
 * main loop having run (a process that exits right after loses nothing). */
static void
test_flush (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GaCache) cache = ga_cache_new (fixture->dir, 64 * 1024 * 1024, 4 * 1024 * 1024);
  g_autofree char *pictures = g_build_filename (fixture->dir, "pictures", NULL);
  g_autoptr(GDir) dir = NULL;
  guint n_files = 0;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *chat_id = g_strdup_printf ("7900123%04u@c.us", i);
      g_autofree char *url = g_strdup_printf ("https://pps.whatsapp.net/v/t61/%u_n.jpg", i);
      g_autofree char *key = ga_cache_key_for_url (url);
      g_autoptr(GBytes) bytes = make_jpeg (160, i);

      ga_cache_store_async (cache, chat_id, key, 0, bytes, NULL, NULL, NULL, NULL);
    }

  g_assert_true (ga_cache_flush (cache, 20000));

  dir = g_dir_open (pictures, 0, NULL);
  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 20);

  /* Nothing pending: at once. */
  g_assert_true (ga_cache_flush (cache, 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/cache/key", test_cache_key);
  g_test_add_func ("/green-avatar/cache/expiry", test_cache_expiry);
  g_test_add_func ("/green-avatar/cache/origin", test_cache_origin);
  g_test_add ("/green-avatar/cache/flush", Fixture, NULL,
              fixture_setup, test_flush, fixture_teardown);
  g_test_add ("/green-avatar/cache/round-trip", Fixture, NULL,
              fixture_setup, test_cache_round_trip, fixture_teardown);
  g_test_add ("/green-avatar/cache/changed-picture", Fixture, NULL,
              fixture_setup, test_cache_changed_picture, fixture_teardown);
  g_test_add ("/green-avatar/cache/per-instance", Fixture, NULL,
              fixture_setup, test_cache_per_instance, fixture_teardown);
  g_test_add ("/green-avatar/cache/forget", Fixture, NULL,
              fixture_setup, test_cache_forget, fixture_teardown);
  g_test_add ("/green-avatar/cache/eviction", Fixture, NULL,
              fixture_setup, test_cache_eviction, fixture_teardown);
  g_test_add ("/green-avatar/cache/memory-bound", Fixture, NULL,
              fixture_setup, test_cache_memory_bound, fixture_teardown);
  g_test_add ("/green-avatar/cache/damaged-file", Fixture, NULL,
              fixture_setup, test_cache_damaged_file, fixture_teardown);
  g_test_add ("/green-avatar/cache/clear", Fixture, NULL,
              fixture_setup, test_cache_clear, fixture_teardown);
  g_test_add ("/green-avatar/cache/peek-chat", Fixture, NULL,
              fixture_setup, test_cache_peek_chat, fixture_teardown);
  g_test_add ("/green-avatar/cache/clear-wins", Fixture, NULL,
              fixture_setup, test_cache_clear_wins, fixture_teardown);
  g_test_add ("/green-avatar/cache/private-files", Fixture, NULL,
              fixture_setup, test_cache_private_files, fixture_teardown);

  return g_test_run ();
}
