/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-chat-status.h"
#include "ga-test-utils.h"

#include <glib/gstdio.h>

#define WAIT_MS 15000

typedef struct
{
  gboolean done;
  gboolean ok;
} Loaded;

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Loaded *loaded = user_data;
  g_autoptr(GError) error = NULL;

  loaded->ok = ga_chat_status_load_finish (GA_CHAT_STATUS (object), result, &error);
  g_assert_no_error (error);
  loaded->done = TRUE;
}

static void
load (GaChatStatus *status)
{
  Loaded loaded = { 0 };

  ga_chat_status_load_async (status, NULL, load_cb, &loaded);
  ga_test_wait_for (&loaded.done, WAIT_MS);
  g_assert_true (loaded.ok);
}

static char *
make_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ga-test-chat-status-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "sub", "chat-status", NULL);
}

static void
remove_path (const char *path)
{
  g_autofree char *sub = g_path_get_dirname (path);
  g_autofree char *dir = g_path_get_dirname (sub);

  ga_test_remove_tree (dir);
}

static void
test_round_trip (void)
{
  g_autofree char *path = make_path ();
  g_autoptr(GaChatStatus) status = ga_chat_status_new (path);
  g_autoptr(GaChatStatus) next_run = NULL;
  GaAvatarState state;
  gint64 time = 0;

  g_assert_false (ga_chat_status_lookup (status, "79001234567@c.us", NULL, NULL));
  ga_chat_status_record (status, "79001234567@c.us", GA_AVATAR_STATE_PRIVATE, 1000);
  ga_chat_status_record (status, "120363043968066561@g.us", GA_AVATAR_STATE_HAS_AVATAR, 2000);
  ga_chat_status_record (status, "79001234567@c.us", GA_AVATAR_STATE_NOT_SET, 3000);
  g_assert_true (ga_chat_status_lookup (status, "79001234567@c.us", &state, &time));
  g_assert_cmpint (state, ==, GA_AVATAR_STATE_NOT_SET);
  g_assert_cmpint (time, ==, 3000);
  ga_chat_status_flush (status);

  next_run = ga_chat_status_new (path);
  /* Recorded before the file was read: the newer answer wins. */
  ga_chat_status_record (next_run, "120363043968066561@g.us", GA_AVATAR_STATE_PRIVATE, 5000);
  load (next_run);
  g_assert_cmpuint (ga_chat_status_get_n_chats (next_run), ==, 2);
  g_assert_true (ga_chat_status_lookup (next_run, "79001234567@c.us", &state, &time));
  g_assert_cmpint (state, ==, GA_AVATAR_STATE_NOT_SET);
  g_assert_true (ga_chat_status_lookup (next_run, "120363043968066561@g.us", &state, NULL));
  g_assert_cmpint (state, ==, GA_AVATAR_STATE_PRIVATE);

  ga_chat_status_clear (next_run);
  g_assert_cmpuint (ga_chat_status_get_n_chats (next_run), ==, 0);
  ga_chat_status_flush (next_run);
  g_clear_object (&next_run);
  next_run = ga_chat_status_new (path);
  load (next_run);
  g_assert_cmpuint (ga_chat_status_get_n_chats (next_run), ==, 0);

  remove_path (path);
}

static void
test_damaged_file (void)
{
  g_autofree char *path = make_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GaChatStatus) status = ga_chat_status_new (path);
  g_autoptr(GError) error = NULL;
  const char *contents =
    "79001234567@c.us\t1\t100\n"
    "+7 900 123-45-67\t1\t100\n"          /* not canonical */
    "79001234568@c.us\t7\t100\n"          /* no such state */
    "79001234569@c.us\t0\t-5\n"           /* time before 1970 */
    "79001234560@c.us\t0\n"               /* a field short */
    "79001234561@c.us\t0\t100\textra\n"   /* a field over */
    "\xff\xfe@c.us\t0\t100\n"             /* not UTF-8 */
    "12125551234@c.us\t2\t200";           /* no final newline */

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  load (status);
  g_assert_cmpuint (ga_chat_status_get_n_chats (status), ==, 2);
  g_assert_true (ga_chat_status_lookup (status, "79001234567@c.us", NULL, NULL));
  g_assert_true (ga_chat_status_lookup (status, "12125551234@c.us", NULL, NULL));

  remove_path (path);
}

static void
test_bounded (void)
{
  g_autoptr(GaChatStatus) status = ga_chat_status_new (NULL);

  for (guint i = 0; i < GA_CHAT_STATUS_MAX + 10; i++)
    {
      g_autofree char *chat_id = g_strdup_printf ("7900%07u@c.us", i);

      ga_chat_status_record (status, chat_id, GA_AVATAR_STATE_HAS_AVATAR, 1000 + i);
    }

  g_assert_cmpuint (ga_chat_status_get_n_chats (status), ==, GA_CHAT_STATUS_MAX);
  /* The oldest went first. */
  g_assert_false (ga_chat_status_lookup (status, "79000000000@c.us", NULL, NULL));
  g_assert_true (ga_chat_status_lookup (status, "79000002009@c.us", NULL, NULL));

  /* Nothing on disk: loading is a no-op. */
  load (status);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/chat-status/round-trip", test_round_trip);
  g_test_add_func ("/green-avatar/chat-status/damaged-file", test_damaged_file);
  g_test_add_func ("/green-avatar/chat-status/bounded", test_bounded);

  return g_test_run ();
}
