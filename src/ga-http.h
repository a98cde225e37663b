/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Small HTTP helpers shared by the API client and the image download. */

SoupSession *ga_http_session_new            (void);

void         ga_http_preconnect             (SoupSession          *session,
                                             const char           *url,
                                             GCancellable         *cancellable);

void         ga_http_warm_up_tls_async      (GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean     ga_http_warm_up_tls_finish     (GAsyncResult         *result,
                                             GError              **error);

/* soup_session_send_async() with a cancel that every libsoup survives (see ga-http.c). */
void          ga_http_send_async            (SoupSession          *session,
                                            SoupMessage          *message,
                                            int                   io_priority,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GInputStream *ga_http_send_finish           (SoupSession          *session,
                                            GAsyncResult         *result,
                                            GError              **error);
void          ga_http_discard_stream        (GInputStream         *stream);

/* TRUE for 127.0.0.0/8, ::1 and "localhost". */
gboolean     ga_http_host_is_loopback       (const char           *host);

/* TRUE when @uri is https, or http to a loopback host. */
gboolean     ga_http_uri_is_allowed         (GUri                 *uri);

void         ga_http_read_body_async        (GInputStream         *stream,
                                             gsize                 max_size,
                                             int                   io_priority,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GBytes      *ga_http_read_body_finish       (GInputStream         *stream,
                                             GAsyncResult         *result,
                                             GError              **error);

GError      *ga_http_error_from_gerror      (const GError         *error);

/*
 * Requests are sent from a network thread of their own (see ga-http.c); an exchange is one
 * request and its answer's body, handed back to the caller's thread-default main context.
 */
void         ga_http_set_network_thread_enabled (gboolean          enabled);
gboolean     ga_http_get_network_thread_enabled (void);

typedef struct _GaHttpReply GaHttpReply;

/* Whether the body of an answer is wanted; %FALSE drops it (and its connection) unread. */
typedef gboolean (*GaHttpBodyFilter) (guint               status,
                                      SoupMessageHeaders *headers);

void                ga_http_exchange_async      (SoupSession          *session,
                                                 const char           *method,
                                                 GUri                 *uri,
                                                 SoupMessageFlags      flags,
                                                 const char           *accept,
                                                 GBytes               *body,
                                                 const char           *content_type,
                                                 gsize                 max_size,
                                                 GaHttpBodyFilter      filter,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GaHttpReply        *ga_http_exchange_finish     (GAsyncResult         *result,
                                                 GError              **error);

guint               ga_http_reply_get_status     (GaHttpReply *reply);
gint64              ga_http_reply_get_sent_time  (GaHttpReply *reply);
SoupMessageHeaders *ga_http_reply_get_headers    (GaHttpReply *reply);
GBytes             *ga_http_reply_get_body       (GaHttpReply *reply);
const GError       *ga_http_reply_get_body_error (GaHttpReply *reply);
void                ga_http_reply_free           (GaHttpReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaHttpReply, ga_http_reply_free)

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
