/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "ga-avatar-info.h"
#include "ga-client.h"

G_BEGIN_DECLS

#define GA_TYPE_COMPARE (ga_compare_get_type ())

G_DECLARE_FINAL_TYPE (GaCompare, ga_compare, GA, COMPARE, GObject)

/*
 * "Look up through every instance": one chat asked of several instances at once, each through
 * its own client (so its own limiter queue), with every answer kept apart: a picture, "Private"
 * (the contact's privacy settings hide it from that account), nothing set, or a failure and
 * why. Signal "answered" (guint index) as each answer arrives, on the caller's main context.
 */

GaCompare    *ga_compare_new          (const char           *chat_id);

/* Adds an instance to ask, by its label. A NULL client is an instance that cannot be asked
 * (no token, say); @reason (translated) is then its answer. Returns its index. */
guint         ga_compare_add          (GaCompare            *self,
                                       const char           *label,
                                       GaClient             *client,
                                       const char           *reason);

/* Asks every instance at once; finishes when all have answered. */
void          ga_compare_run_async    (GaCompare            *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean      ga_compare_run_finish   (GaCompare            *self,
                                       GAsyncResult         *result,
                                       GError              **error);

const char   *ga_compare_get_chat_id  (GaCompare            *self);
guint         ga_compare_get_n_items  (GaCompare            *self);
const char   *ga_compare_get_label    (GaCompare            *self,
                                       guint                 index);
/* Both NULL while the instance has not answered yet. */
GaAvatarInfo *ga_compare_get_info     (GaCompare            *self,
                                       guint                 index);
const GError *ga_compare_get_error    (GaCompare            *self,
                                       guint                 index);
gboolean      ga_compare_is_done      (GaCompare            *self,
                                       guint                 index);

G_END_DECLS
