/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The command line (`--print`, `--json`, `--save`, `--from`): lookups for scripts, with no
 * window and no display. Entered from GaApplication's handle-local-options, before anything
 * registers on the bus or initialises GTK.
 */

/* Exit statuses: every entry looked up / some failed / usage or settings error. */
#define GA_CLI_EXIT_OK      0
#define GA_CLI_EXIT_FAILED  1
#define GA_CLI_EXIT_USAGE   2

/* At most this many chats are looked up at once; the limiter paces the requests. */
#define GA_CLI_MAX_IN_FLIGHT 16

void        ga_cli_add_option_entries (GApplication  *application);
gboolean    ga_cli_is_requested       (GVariantDict  *options);
int         ga_cli_run                (GVariantDict  *options,
                                       gboolean       demo);

const char *ga_cli_error_code         (const GError  *error);
char       *ga_cli_tsv_field          (const char    *value);

G_END_DECLS
