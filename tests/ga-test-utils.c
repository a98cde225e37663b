/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-test-utils.h"

#include <glib/gstdio.h>

/* How long a cancelled operation may take to call back before that is a failure. */
#define CANCEL_WAIT_MS 20000

/* Like g_test_message(), but also visible to a parent that traps this test in a subprocess
 * (GLib silences test messages there), so the fixture's own tests can check what it says. */
void
ga_test_fixture_message (const char *format,
                         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_test_message ("%s", message);
  if (g_test_subprocess ())
    g_print ("# %s\n", message);
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

void
ga_test_wait_for (gboolean *flag,
                  guint     timeout_ms)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(GSource) source = NULL;
  gboolean timed_out = FALSE;

  g_return_if_fail (flag != NULL);

  source = g_timeout_source_new (timeout_ms);
  g_source_set_callback (source, wait_timeout_cb, &timed_out, NULL);
  g_source_attach (source, context);

  /* Atomic: the flag may be set in another thread, which then wakes this context. */
  while (!g_atomic_int_get (flag) && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (source);

  if (!g_atomic_int_get (flag))
    {
      ga_test_fixture_message ("Timed out after %u ms waiting for a callback", timeout_ms);
      g_test_fail ();
    }
}

/**
 * ga_test_cancel_and_check:
 * @cancellable: the cancellable of an operation still under way
 * @done: set by its callback
 * @n_callbacks: counted by its callback
 * @error: where its callback put the error
 *
 * Cancels the operation and checks that its callback came once, with %G_IO_ERROR_CANCELLED,
 * and no second time, whatever else was still under way.
 */
void
ga_test_cancel_and_check (GCancellable  *cancellable,
                          gboolean      *done,
                          const guint   *n_callbacks,
                          GError *const *error)
{
  g_assert_false (*done);

  g_cancellable_cancel (cancellable);
  ga_test_wait_for (done, CANCEL_WAIT_MS);

  g_assert_true (*done);
  g_assert_error (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (*n_callbacks, ==, 1);
}

/**
 * ga_test_remove_tree:
 * @path: a directory a test made (or a file)
 *
 * Removes @path and everything below it, without following symbolic links.
 */
void
ga_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_if_fail (path != NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    dir = g_dir_open (path, 0, NULL);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        ga_test_remove_tree (child);
      else
        g_remove (child);
    }

  g_remove (path);
}

/**
 * ga_test_make_home:
 * @name: what the test is, for the directory's name
 *
 * Makes a temporary directory and points XDG_CACHE_HOME, XDG_DATA_HOME and XDG_CONFIG_HOME
 * into it, so nothing a test writes lands in the real home. Call it first in main(), before
 * GLib reads those variables.
 *
 * Returns: (transfer full): the directory; remove it with ga_test_remove_tree()
 */
char *
ga_test_make_home (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("green-avatar-%s-XXXXXX", name);
  g_autofree char *cache = NULL;
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  char *home;

  home = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);

  cache = g_build_filename (home, "cache", NULL);
  data = g_build_filename (home, "data", NULL);
  config = g_build_filename (home, "config", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  return home;
}

/**
 * ga_test_secret_use_file:
 * @name: what the test is, for the directory's name
 *
 * Points libsecret at its file backend, in a new temporary directory: no D-Bus and no prompt,
 * a file and its password.
 *
 * Returns: (transfer full): the directory; remove it with ga_test_remove_tree()
 */
char *
ga_test_secret_use_file (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("green-avatar-%s-XXXXXX", name);
  g_autofree char *path = NULL;
  char *dir;

  dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "green-avatar-test", TRUE);

  return dir;
}

/**
 * ga_test_secret_setup:
 * @name: what the test is, for the directory's name
 * @file_dir: (out) (transfer full) (nullable): the file backend's directory, or %NULL
 *
 * Sets up the Secret Service that GA_TEST_SECRET_BACKEND names: unset or "file" (libsecret's
 * file backend through ga_test_secret_use_file()), "service" (the Secret Service of the
 * environment: tests/run-with-keyring.sh) or "none" (nothing reachable). Call it first in
 * main().
 *
 * Returns: the backend: "file", "service" or "none"
 */
const char *
ga_test_secret_setup (const char  *name,
                      char       **file_dir)
{
  const char *backend = g_getenv ("GA_TEST_SECRET_BACKEND");

  if (backend == NULL || *backend == '\0')
    backend = "file";

  *file_dir = g_str_equal (backend, "file") ? ga_test_secret_use_file (name) : NULL;

  return backend;
}
