/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What every test program may need, server or not. */

/* Like g_test_message(), but also seen by a parent that traps the test in a subprocess. */
void         ga_test_fixture_message (const char  *format,
                                      ...) G_GNUC_PRINTF (1, 2);

/* Spins the thread-default main context until *@flag is TRUE (set in any thread, which then
 * wakes the context), failing after @timeout_ms. */
void         ga_test_wait_for        (gboolean    *flag,
                                      guint        timeout_ms);
void         ga_test_cancel_and_check (GCancellable  *cancellable,
                                       gboolean      *done,
                                       const guint   *n_callbacks,
                                       GError *const *error);
/* Removes a directory a test made, with everything in it. */
void         ga_test_remove_tree     (const char  *path);
/* A temporary home for the XDG cache, data and config directories. */
char        *ga_test_make_home       (const char  *name);

/* The token's keyring for a test: see ga_test_secret_setup(). */
char        *ga_test_secret_use_file (const char  *name);
const char  *ga_test_secret_setup    (const char  *name,
                                      char       **file_dir);

G_END_DECLS
