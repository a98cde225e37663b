/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * GaApiMethod:
 * The GREEN-API methods the client calls. Each has a row in the limiter's table of
 * documented per-instance limits (see ga_api_method_get_rate()).
 */
typedef enum
{
  GA_API_METHOD_GET_AVATAR,
  GA_API_METHOD_GET_STATE_INSTANCE,
  GA_API_METHOD_GET_CONTACT_INFO,
  GA_API_METHOD_GET_GROUP_DATA,
  GA_API_METHOD_GET_CONTACTS,
  GA_API_METHOD_CHECK_WHATSAPP,
  GA_API_METHOD_GET_WA_SETTINGS,
  GA_API_METHOD_GET_SETTINGS,
} GaApiMethod;

#define GA_API_N_METHODS (GA_API_METHOD_GET_SETTINGS + 1)

/**
 * GaRequestPriority:
 * @GA_REQUEST_PRIORITY_BATCH: background work (a batch of lookups, the contacts list): waits
 *   behind every queued interactive request
 * @GA_REQUEST_PRIORITY_INTERACTIVE: something a person is waiting for (a lookup typed in the
 *   window): goes ahead of queued batch requests
 */
typedef enum
{
  GA_REQUEST_PRIORITY_BATCH,
  GA_REQUEST_PRIORITY_INTERACTIVE,
} GaRequestPriority;

const char *ga_api_method_get_name (GaApiMethod method);
guint       ga_api_method_get_rate (GaApiMethod method);

#define GA_TYPE_LIMITER (ga_limiter_get_type ())

G_DECLARE_FINAL_TYPE (GaLimiter, ga_limiter, GA, LIMITER, GObject)

typedef struct _GaLimiterPermit GaLimiterPermit;

/* Monotonic microseconds, like g_get_monotonic_time(). */
typedef gint64 (*GaLimiterClockFunc) (gpointer user_data);

GaLimiter       *ga_limiter_get_default     (void);
GaLimiter       *ga_limiter_new             (void);
GaLimiter       *ga_limiter_new_unpaced     (void);
void             ga_limiter_set_clock       (GaLimiter           *self,
                                             GaLimiterClockFunc   clock_func,
                                             gpointer             user_data);
void             ga_limiter_clock_changed   (GaLimiter           *self);

void             ga_limiter_acquire_async   (GaLimiter           *self,
                                             const char          *instance,
                                             GaApiMethod          method,
                                             GaRequestPriority    priority,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GaLimiterPermit *ga_limiter_acquire_finish  (GaLimiter           *self,
                                             GAsyncResult        *result,
                                             GError             **error);
void             ga_limiter_permit_set_sent_time (GaLimiterPermit *permit,
                                                  gint64           time);
void             ga_limiter_permit_release  (GaLimiterPermit     *permit);

void             ga_limiter_slow_down       (GaLimiter           *self,
                                             const char          *instance,
                                             GaApiMethod          method,
                                             guint                delay_ms);
guint            ga_limiter_get_n_queued    (GaLimiter           *self,
                                             const char          *instance,
                                             GaApiMethod          method);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaLimiterPermit, ga_limiter_permit_release)

G_END_DECLS
