/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>
#include <libsoup/soup.h>

#include "ga-batch.h"
#include "ga-credentials.h"

G_BEGIN_DECLS

#define GA_TYPE_BATCH_VIEW (ga_batch_view_get_type ())

G_DECLARE_FINAL_TYPE (GaBatchView, ga_batch_view, GA, BATCH_VIEW, AdwWindow)

/* Signal "chat-activated" (const char *chat_id): a card was activated; show it in the main
 * window. */
GaBatchView *ga_batch_view_new              (GtkApplication *application,
                                             GaBatch        *batch,
                                             GaCredentials  *credentials,
                                             SoupSession    *session);
GaBatch     *ga_batch_view_get_batch        (GaBatchView    *self);
void         ga_batch_view_open_file        (GaBatchView    *self,
                                             GFile          *file);
void         ga_batch_view_export_to        (GaBatchView    *self,
                                             GFile          *folder);
void         ga_batch_view_start            (GaBatchView    *self);
void         ga_batch_view_offer_resume     (GaBatchView    *self);

/* For tests: what a person sees. @status is a #GaBatchStatus, or -1 for All. */
void         ga_batch_view_set_filter       (GaBatchView    *self,
                                             int             status);
const char  *ga_batch_view_get_filter_label (GaBatchView    *self,
                                             int             status);
const char  *ga_batch_view_get_progress_text (GaBatchView   *self);
const char  *ga_batch_view_get_status_text  (GaBatchView    *self);
guint        ga_batch_view_get_n_shown      (GaBatchView    *self);
gboolean     ga_batch_view_is_filtering     (GaBatchView    *self);
void         ga_batch_view_update_now       (GaBatchView    *self);
GtkWidget   *ga_batch_view_get_grid         (GaBatchView    *self);
const char  *ga_batch_view_get_page         (GaBatchView    *self);
GtkTextBuffer *ga_batch_view_get_paste_buffer (GaBatchView  *self);
GtkDropDown *ga_batch_view_get_column_choice (GaBatchView   *self);
const char  *ga_batch_view_get_rejected_text (GaBatchView   *self);
const char  *ga_batch_view_get_resume_text  (GaBatchView    *self);

G_END_DECLS
