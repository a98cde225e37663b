/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Small HTTP helpers shared by the API client and the image download. */

/**
 * ga_http_session_new:
 * The application's one #SoupSession: a User-Agent, non-zero timeouts and a bounded number
 * of connections per host.
 */
SoupSession *ga_http_session_new            (void);

/**
 * ga_http_preconnect:
 * Opens a connection (TCP and TLS) to the origin of @url ahead of a request, so that the
 * request that follows skips connection set-up. Fire and forget: a failure is ignored, the
 * request that follows reports its own. URLs that ga_http_uri_is_allowed() refuses are ignored.
 */
void         ga_http_preconnect             (SoupSession          *session,
                                             const char           *url,
                                             GCancellable         *cancellable);

/**
 * ga_http_warm_up_tls_async:
 * Loads the TLS backend and the system's CA database in a worker thread, so that the first
 * HTTPS connection does not load them on the main thread. Quick once they are loaded.
 */
void         ga_http_warm_up_tls_async      (GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean     ga_http_warm_up_tls_finish     (GAsyncResult         *result,
                                             GError              **error);

/* TRUE for 127.0.0.0/8, ::1 and "localhost". */
gboolean     ga_http_host_is_loopback       (const char           *host);

/* TRUE when @uri is https, or http to a loopback host. */
gboolean     ga_http_uri_is_allowed         (GUri                 *uri);

/**
 * ga_http_read_body_async:
 * Reads @stream to its end into a #GBytes, failing with %GA_ERROR_TOO_LARGE as soon as more
 * than @max_size bytes arrive (never buffering more than that).
 */
void         ga_http_read_body_async        (GInputStream         *stream,
                                             gsize                 max_size,
                                             int                   io_priority,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GBytes      *ga_http_read_body_finish       (GInputStream         *stream,
                                             GAsyncResult         *result,
                                             GError              **error);

/**
 * ga_http_error_from_gerror:
 * Maps an I/O, resolver or TLS error from libsoup to %GA_ERROR_NETWORK, %GA_ERROR_TIMEOUT or
 * %GA_ERROR_TLS with a message for people. Cancellation is passed through unchanged.
 */
GError      *ga_http_error_from_gerror      (const GError         *error);

/*
 * A deadline: one cancellable that both the caller's cancellable and a total timeout cancel,
 * for every step of one request to use. Its sources run in @context and hold no reference on
 * anything but the deadline; ga_http_deadline_stop() (when the request returns) or
 * ga_http_deadline_free() ends them.
 */
typedef struct _GaHttpDeadline GaHttpDeadline;

GaHttpDeadline *ga_http_deadline_new            (GCancellable   *caller_cancellable,
                                                 guint           seconds,
                                                 GMainContext   *context);
GCancellable   *ga_http_deadline_get_cancellable (GaHttpDeadline *self);
/* Monotonic time at which the timeout fires. */
gint64          ga_http_deadline_get_time       (GaHttpDeadline *self);
/* %TRUE once the timeout fired and the caller had not cancelled: a failure since is its doing. */
gboolean        ga_http_deadline_has_expired    (GaHttpDeadline *self);
void            ga_http_deadline_stop           (GaHttpDeadline *self);
void            ga_http_deadline_free           (GaHttpDeadline *self);

G_END_DECLS
