/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "ga-cache.h"
#include "ga-contact-list.h"

G_BEGIN_DECLS

/* The most suggestions shown under the entry. */
#define GA_COMPLETION_MAX_ITEMS 8

#define GA_TYPE_COMPLETION (ga_completion_get_type ())

G_DECLARE_FINAL_TYPE (GaCompletion, ga_completion, GA, COMPLETION, GObject)

GaCompletion *ga_completion_new               (GtkEntry      *entry);
void          ga_completion_set_contact_list  (GaCompletion  *self,
                                               GaContactList *list);
void          ga_completion_set_settings      (GaCompletion  *self,
                                               GSettings     *settings);
void          ga_completion_set_cache         (GaCompletion  *self,
                                               GaCache       *cache);
void          ga_completion_set_blocked       (GaCompletion  *self,
                                               gboolean       blocked);
void          ga_completion_hide              (GaCompletion  *self);
gboolean      ga_completion_get_shown         (GaCompletion  *self);
guint         ga_completion_get_n_items       (GaCompletion  *self);
const char   *ga_completion_get_chat_id       (GaCompletion  *self,
                                               guint          index);
const char   *ga_completion_get_title         (GaCompletion  *self,
                                               guint          index);
void          ga_completion_detach            (GaCompletion  *self);

G_END_DECLS
