/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The most a picture may weigh, downloaded or read from the cache. */
#define GA_IMAGE_MAX_BYTES (10 * 1024 * 1024)

void    ga_download_async  (SoupSession          *session,
                            const char           *url,
                            guint                 timeout_seconds,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);
GBytes *ga_download_finish (GAsyncResult         *result,
                            GError              **error);

G_END_DECLS
