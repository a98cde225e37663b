/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/*
 * The API token in the Secret Service (or libsecret's file backend): one item per instance,
 * under a schema named after the app's base id with the attribute "id-instance". The token is
 * never logged and never part of an error message.
 */

const SecretSchema *ga_secret_get_schema          (void);

void                ga_secret_store_async         (const char           *id_instance,
                                                   const char           *token,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean            ga_secret_store_finish        (GAsyncResult         *result,
                                                   GError              **error);

/* Finishes with the token (free it with secret_password_free()), or %NULL without an error
 * when nothing is stored for @id_instance. */
void                ga_secret_lookup_async        (const char           *id_instance,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
char               *ga_secret_lookup_finish       (GAsyncResult         *result,
                                                   GError              **error);

/* Removes the token of @id_instance. Finishes with %TRUE also when nothing was stored. */
void                ga_secret_clear_async         (const char           *id_instance,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean            ga_secret_clear_finish        (GAsyncResult         *result,
                                                   GError              **error);

char               *ga_secret_describe_error      (const GError         *error);

G_END_DECLS
